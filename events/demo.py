"""Demo events for ``manage.py demo_data``: the seminars of 2017–2018 from the region's report and one
upcoming seminar open for registration.

Idempotent: pages are found by slug under the events index, rooms by (event, municipality), and
nothing that exists is changed. The seed names only the month of most events; the day and hours
here are illustrative.
"""

import datetime
import random
import uuid
import zoneinfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.models import HomePage, PlanItem
from cms.moderation import grant_section
from people.audience import Audience
from people.models import Municipality, User

from .models import (
    Attendance,
    BroadcastRoom,
    EventFeedback,
    EventIndexPage,
    EventInvitation,
    EventPage,
    EventSpeaker,
    Question,
    QuestionVote,
    Registration,
)

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
INDEX_SLUG = "events"
BROADCAST_SLUG = "seminar-municipal-servants-2017-04"
AUTHORITY = "Администрация Губернатора Калужской области"
PROSECUTOR = "Прокуратура Калужской области"
FAS = "Управление Федеральной антимонопольной службы по Калужской области"
KALUGA_VENUE = "Администрация Губернатора Калужской области, г. Калуга"


def at(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=MOSCOW)


def _p(*paragraphs):
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def demo_events(today):
    """Field values of the demo events, by slug."""
    upcoming_day = today + datetime.timedelta(days=21)
    upcoming_start = at(upcoming_day.year, upcoming_day.month, upcoming_day.day, 10)
    return [
        {
            "slug": "seminar-hr-income-declarations-2017-03",
            "title": "Семинар для специалистов кадровых служб органов местного самоуправления",
            "kind": EventPage.Kind.SEMINAR,
            "format": EventPage.Format.IN_PERSON,
            "start": at(2017, 3, 16, 10),
            "end": at(2017, 3, 16, 13),
            "venue": KALUGA_VENUE,
            "audience_text": "Специалисты кадровых служб органов местного самоуправления.",
            "agenda": _p(
                "Представление сведений о доходах, расходах, об имуществе и обязательствах "
                "имущественного характера."
            ),
            "registration_open": False,
            "speakers": [
                ("", "сотрудники управления по профилактике коррупционных правонарушений", AUTHORITY)
            ],
        },
        {
            "slug": BROADCAST_SLUG,
            "title": (
                "Семинар с муниципальными служащими по вопросам противодействия коррупции в органах "
                "местного самоуправления и муниципальных организациях Калужской области"
            ),
            "kind": EventPage.Kind.VIDEOCONFERENCE,
            "format": EventPage.Format.HYBRID,
            "start": at(2017, 4, 20, 10),
            "end": at(2017, 4, 20, 12, 30),
            "venue": KALUGA_VENUE,
            "audience_text": (
                "Муниципальные служащие муниципальных районов и городских округов, городских и сельских "
                "поселений. Семинар транслируется в режиме видеоконференции во все муниципалитеты региона."
            ),
            "agenda": _p(
                "Противодействие коррупции в органах местного самоуправления и муниципальных организациях.",
                "Выступление руководителя Управления Федеральной антимонопольной службы "
                "по Калужской области.",
                "Выступление представителя прокуратуры Калужской области.",
            ),
            "registration_open": False,
            "speakers": [
                ("", "руководитель Управления", FAS),
                ("", "представитель прокуратуры", PROSECUTOR),
            ],
        },
        {
            "slug": "seminar-anticorruption-day-2017-12-07",
            "title": "Семинар, приуроченный к Международному дню борьбы с коррупцией",
            "kind": EventPage.Kind.SEMINAR,
            "format": EventPage.Format.IN_PERSON,
            "start": at(2017, 12, 7, 10),
            "end": at(2017, 12, 7, 13),
            "venue": KALUGA_VENUE,
            "audience_text": (
                "Сотрудники местных администраций муниципальных районов и городских округов, в чьи "
                "обязанности входит работа по профилактике коррупции."
            ),
            "agenda": _p("Международный день борьбы с коррупцией (9 декабря)."),
            "registration_open": False,
            "speakers": [
                ("", "сотрудники", AUTHORITY),
                ("", "представители", PROSECUTOR),
                (
                    "",
                    "представители филиала в Калужской области",
                    "Общероссийская общественно-государственная просветительская организация "
                    "«Российское общество «Знание»",
                ),
            ],
        },
        {
            "slug": "seminar-heads-of-administrations-2018-04",
            "title": (
                "Обучающий семинар для глав местных администраций и лиц, замещающих муниципальные "
                "должности, по вопросам антикоррупционной тематики"
            ),
            "kind": EventPage.Kind.SEMINAR,
            "format": EventPage.Format.IN_PERSON,
            "start": at(2018, 4, 19, 10),
            "end": at(2018, 4, 19, 13),
            "venue": KALUGA_VENUE,
            "audience_text": "Главы местных администраций и лица, замещающие муниципальные должности.",
            "agenda": "",
            "registration_open": False,
            "speakers": [("", "", AUTHORITY)],
        },
        {
            "slug": "seminar-state-civil-servants-upcoming",
            "title": "Семинар с государственными гражданскими служащими Калужской области по вопросам "
            "противодействия коррупции",
            "kind": EventPage.Kind.SEMINAR,
            "format": EventPage.Format.HYBRID,
            "start": upcoming_start,
            "end": upcoming_start + datetime.timedelta(hours=3),
            "venue": KALUGA_VENUE,
            "broadcast_url": "https://vks.example/antikor-seminar",
            "audience_text": (
                "Государственные гражданские служащие Калужской области (мероприятие плана 5.2)."
            ),
            "agenda": _p(
                "Изменения антикоррупционного законодательства.",
                "Представление сведений о доходах, расходах, об имуществе и обязательствах "
                "имущественного характера.",
                "Ответы на вопросы.",
            ),
            "capacity": 40,
            "registration_deadline": upcoming_start - datetime.timedelta(days=1),
            "registration_open": True,
            "plan_item": "5.2",
            "speakers": [("", "управление по профилактике коррупционных и иных правонарушений", AUTHORITY)],
        },
    ]


def ensure_index(home):
    index = EventIndexPage.objects.child_of(home).filter(slug=INDEX_SLUG).first()
    if index is None:
        index = EventIndexPage(
            title="Семинары и мероприятия",
            slug=INDEX_SLUG,
            intro=_p(
                "Семинары, видеоконференции и другие обучающие мероприятия по вопросам противодействия "
                "коррупции для государственных и муниципальных служащих Калужской области."
            ),
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def ensure_event(index, values):
    values = dict(values)
    slug = values.pop("slug")
    existing = EventPage.objects.child_of(index).filter(slug=slug).first()
    if existing:
        return existing, False
    speakers = values.pop("speakers")
    plan_number = values.pop("plan_item", None)
    event = EventPage(slug=slug, **values)
    event.speakers = [
        EventSpeaker(name=name, position=position, organization=organization)
        for name, position, organization in speakers
    ]
    if plan_number:
        event.plan_items = list(
            PlanItem.objects.filter(number=plan_number).order_by("-section__plan__year")[:1]
        )
    index.add_child(instance=event)
    event.save_revision().publish()
    return event, True


def coordinator_for(municipality, fallback):
    return User.objects.filter(managed_municipality=municipality, is_active=True).first() or fallback


def ensure_broadcast_rooms(event):
    """Rooms in every district and city okrug, about 400 people in all, a few named and checked in."""
    regional = User.objects.filter(username="region").first()
    rng = random.Random(event.slug)
    created = 0
    for municipality in Municipality.objects.top_level().order_by("name"):
        head_count = rng.randint(10, 24)
        if BroadcastRoom.objects.filter(event=event, municipality=municipality).exists():
            continue
        room = BroadcastRoom.objects.create(
            event=event,
            municipality=municipality,
            coordinator=coordinator_for(municipality, regional),
            room=_("Зал заседаний администрации, %(place)s") % {"place": municipality.center or municipality},
            head_count=head_count,
            reported_at=event.end + datetime.timedelta(hours=2),
        )
        created += 1
        named = list(User.objects.active().filter(municipality=municipality).order_by("username")[:3])
        room.participants.set(named)
        # Some named people also checked in personally with the code: the totals count them once.
        for person in named[:1]:
            Attendance.objects.get_or_create(
                event=event,
                user=person,
                defaults={"checked_in_at": event.start - datetime.timedelta(minutes=10)},
            )
    return created


def register_some_servants(event, count=12):
    """A few registrations so that the upcoming seminar shows seats taken (no emails in a demo)."""
    now = timezone.now()
    people = User.objects.active().filter(username__startswith="servant0").order_by("username")[:count]
    for person in people:
        Registration.objects.get_or_create(
            event=event, user=person, defaults={"created": now, "updated": now}
        )


# Questions asked in the live Q&A of the April 2017 broadcast: (minutes after the start, text, state,
# votes wanted). The first two went to the speakers of the antimonopoly service and the prosecutor's office.
DEMO_QUESTIONS = [
    (
        35,
        "Как поступить члену закупочной комиссии, если в закупке участвует организация, где работает "
        "его родственник?",
        Question.State.ANSWERED,
        4,
    ),
    (
        50,
        "Нужно ли уведомлять представителя нанимателя о подарке, полученном на официальном мероприятии, "
        "если его стоимость не больше трёх тысяч рублей?",
        Question.State.ANSWERED,
        5,
    ),
    (
        80,
        "Представляют ли сведения о доходах служащие сельских поселений, чьих должностей нет в перечне?",
        Question.State.OPEN,
        2,
    ),
    (
        95,
        "Куда сообщить, если коллегу склоняют к коррупционному правонарушению, а он сам не уведомил?",
        Question.State.OPEN,
        1,
    ),
]


def ensure_demo_questions(event):
    """A few questions from people named in the broadcast rooms, with votes; once per event."""
    if Question.objects.filter(event=event).exists():
        return 0
    people = list(
        User.objects.filter(broadcast_rooms_attended__event=event).order_by("municipality__name", "username")
    )
    if not people:
        return 0
    authors = people[:: max(1, len(people) // len(DEMO_QUESTIONS))]
    for n, (minutes, text, state, wanted_votes) in enumerate(DEMO_QUESTIONS):
        author = authors[n % len(authors)]
        asked = event.start + datetime.timedelta(minutes=minutes)
        voters = [person for person in people if person.pk != author.pk][:wanted_votes]
        question = Question.objects.create(
            event=event,
            author=author,
            text=text,
            state=state,
            votes=len(voters),
            version=1 + len(voters) + (state != Question.State.OPEN),
            created=asked,
            moderated_at=asked + datetime.timedelta(minutes=10) if state != Question.State.OPEN else None,
        )
        QuestionVote.objects.bulk_create(
            QuestionVote(question=question, user=voter, created=asked + datetime.timedelta(minutes=2))
            for voter in voters
        )
    return len(DEMO_QUESTIONS)


# A seminar for a defined audience (issue 18): the HR services of the region, registration limited to
# them, held a week ago, with invitations, registrations, check-ins and some feedback.
TARGETED_SLUG = "seminar-hr-services-audience"
TARGETED_AUDIENCE = "Кадровые службы органов власти и местного самоуправления"
DEMO_COMMENTS = [
    "Полезно: разобрали типичные ошибки в справках о доходах.",
    "Хотелось бы больше практических примеров по конфликту интересов.",
    "Хорошая организация, материалы прислали заранее.",
    "Мало времени на вопросы.",
]


def targeted_seminar_values(today):
    day = today - datetime.timedelta(days=7)
    start = at(day.year, day.month, day.day, 10)
    return {
        "slug": TARGETED_SLUG,
        "title": "Семинар для кадровых служб: сведения о доходах и конфликт интересов",
        "kind": EventPage.Kind.SEMINAR,
        "format": EventPage.Format.HYBRID,
        "start": start,
        "end": start + datetime.timedelta(hours=3),
        "venue": KALUGA_VENUE,
        "broadcast_url": "https://vks.example/antikor-hr",
        "audience_text": (
            "Специалисты кадровых служб органов государственной власти и местного самоуправления."
        ),
        "agenda": _p(
            "Приём и анализ сведений о доходах, расходах, об имуществе и обязательствах имущественного "
            "характера.",
            "Выявление и урегулирование конфликта интересов.",
        ),
        "registration_open": True,
        "registration_mode": EventPage.RegistrationMode.AUDIENCE,
        "plan_item": "5.2",
        "speakers": [("", "управление по профилактике коррупционных и иных правонарушений", AUTHORITY)],
    }


def ensure_targeted_seminar(index, today):
    """The HR seminar with its audience, invitations, registrations, check-ins and feedback; rows are
    added once (found by event and person), so a rerun changes nothing."""
    audience, _created = Audience.objects.get_or_create(title=TARGETED_AUDIENCE, defaults={"hr_only": True})
    values = targeted_seminar_values(today)
    event, created = ensure_event(index, {**values, "audience": audience})
    rng = random.Random(TARGETED_SLUG)
    organizer = User.objects.filter(username="organizer").first()
    expected = list(event.expected_participants().order_by("username"))
    invited_at = event.start - datetime.timedelta(days=14)
    for person in expected:
        EventInvitation.objects.get_or_create(
            event=event,
            user=person,
            defaults={
                "invited_by": organizer,
                "batch": uuid.uuid5(uuid.NAMESPACE_URL, TARGETED_SLUG),
                "created_at": invited_at,
                "status": EventInvitation.Status.SENT if person.email else EventInvitation.Status.NO_EMAIL,
                "sent_at": invited_at if person.email else None,
            },
        )
    for n, person in enumerate(expected):
        if rng.random() > 0.8:
            continue  # not registered
        registered_at = invited_at + datetime.timedelta(days=1, minutes=n)
        Registration.objects.get_or_create(
            event=event, user=person, defaults={"created": registered_at, "updated": registered_at}
        )
        if rng.random() > 0.75:
            continue  # registered, did not come
        Attendance.objects.get_or_create(
            event=event, user=person, defaults={"checked_in_at": event.start - datetime.timedelta(minutes=5)}
        )
        if rng.random() < 0.6:
            EventFeedback.objects.get_or_create(
                event=event,
                user=person,
                defaults={
                    "usefulness": rng.choice([3, 4, 4, 5, 5]),
                    "clarity": rng.choice([3, 4, 5, 5]),
                    "organization": rng.choice([2, 4, 4, 5]),
                    "comment": rng.choice(DEMO_COMMENTS) if rng.random() < 0.4 else "",
                    "created_at": event.end + datetime.timedelta(hours=2),
                    "updated_at": event.end + datetime.timedelta(hours=2),
                },
            )
    return event, created


@transaction.atomic
def build_demo_events(stdout, options):
    home = HomePage.objects.first()
    if home is None:
        stdout.write(_("Мероприятия: нет главной страницы сайта — пропускаю."))
        return
    index = ensure_index(home)
    grant_section(index)  # trainers add and edit here, regional managers publish (cms.moderation)
    created = 0
    events = {}
    for values in demo_events(timezone.localdate()):
        event, is_new = ensure_event(index, values)
        events[event.slug] = event
        created += is_new
    rooms = ensure_broadcast_rooms(events[BROADCAST_SLUG])
    ensure_demo_questions(events[BROADCAST_SLUG])
    upcoming = [event for event in events.values() if event.registration_open]
    for event in upcoming:
        register_some_servants(event)
    targeted, targeted_new = ensure_targeted_seminar(index, timezone.localdate())
    stdout.write(
        _(
            "Мероприятия: создано %(created)d, уже были %(kept)d; "
            "отчётов залов трансляции добавлено %(rooms)d."
        )
        % {"created": created, "kept": len(events) - created, "rooms": rooms}
    )
    stdout.write(
        _(
            "Семинар для аудитории «%(title)s»: %(state)s; ожидалось %(expected)d, пришли %(came)d, "
            "отзывов %(feedback)d."
        )
        % {
            "title": targeted.title,
            "state": _("создан") if targeted_new else _("уже был"),
            "expected": targeted.expected_participants().count(),
            "came": targeted.attendances.count(),
            "feedback": targeted.feedback.count(),
        }
    )
