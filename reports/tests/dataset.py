"""A generated region for the dashboard tests: raw rows of every kind the dashboard counts.

``build_dataset(seed)`` makes, with a seeded random generator, people in four municipalities (a city,
a town, a district and a settlement inside it) and in a regional body, some inactive or without an
organization; courses with enrolments (some inactive, some overdue, some completed in and out of the
period); two campaigns in the period and one before it (the quiz of the old one reused by a new one),
with sittings in every state; events in and out of the period with registrations, personal check-ins
and broadcast-room reports (named participants overlapping the check-ins, a room in the settlement).

The tests compute their expectations from these raw rows with plain Python, not with the dashboard's
queries. The period is ``[today - 200 days, today + 30 days]`` so that "overdue" (due before today)
and "in the period" never depend on the calendar date of the run.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from courses.factories import make_course
from courses.models import Enrollment
from events.factories import make_event
from events.models import Attendance, BroadcastRoom, EventPage, Registration
from people.audience import Audience
from people.factories import make_municipality, make_organization, make_person
from people.models import Municipality, ServiceCategory
from quizzes.contexts import campaign_context
from quizzes.factories import make_quiz
from quizzes.models import Quiz, Sitting, TestCampaign
from reports.period import Period


@dataclass
class Dataset:
    today: datetime.date
    period: Period
    municipalities: dict = field(default_factory=dict)
    organizations: dict = field(default_factory=dict)
    people: list = field(default_factory=list)
    courses: list = field(default_factory=list)
    campaigns: list = field(default_factory=list)
    events: list = field(default_factory=list)

    def moment(self, days, hour=10):
        """An aware datetime ``days`` after today at ``hour`` o'clock."""
        day = self.today + datetime.timedelta(days=days)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def build_dataset(seed=1, people_per_organization=(3, 6)):
    rng = random.Random(seed)
    today = timezone.localdate()
    data = Dataset(today, Period(today - datetime.timedelta(days=200), today + datetime.timedelta(days=30)))
    kaluga = make_municipality("Город Калуга", kind=Municipality.Kind.URBAN_OKRUG, short_name="Калуга")
    obninsk = make_municipality("Город Обнинск", kind=Municipality.Kind.URBAN_OKRUG, short_name="Обнинск")
    district = make_municipality("Бабынинский район", short_name="Бабынинский район")
    settlement = make_municipality(
        "Сельское поселение «Село Бабынино»", kind=Municipality.Kind.RURAL_SETTLEMENT, parent=district
    )
    data.municipalities = {
        "kaluga": kaluga,
        "obninsk": obninsk,
        "district": district,
        "settlement": settlement,
    }
    data.organizations = {
        "kaluga_admin": make_organization(kaluga, "Городская управа города Калуги"),
        "kaluga_school": make_organization(kaluga, "Средняя школа № 5", kind="municipal_institution"),
        "obninsk_admin": make_organization(obninsk, "Администрация города Обнинска"),
        "district_admin": make_organization(district, "Администрация Бабынинского района"),
        "settlement_admin": make_organization(settlement, "Администрация села Бабынино"),
        "regional": make_organization(None, "Министерство финансов Калужской области"),
    }
    categories = [ServiceCategory.MUNICIPAL, ServiceCategory.MUNICIPAL_OFFICE, ServiceCategory.STATE_CIVIL]
    for organization in data.organizations.values():
        for _n in range(rng.randint(*people_per_organization)):
            data.people.append(
                make_person(
                    organization,
                    category=rng.choice(categories),
                    is_active=rng.random() > 0.1,
                    position="Специалист",
                )
            )
    for municipality in (kaluga, settlement):  # people without an organization
        data.people.append(make_person(municipality=municipality))

    _courses(data, rng)
    _campaigns(data, rng)
    _events(data, rng)
    return data


def _courses(data, rng):
    data.courses = [make_course(), make_course(), make_course()]
    for person in data.people:
        for course in data.courses:
            if rng.random() < 0.35:
                continue
            enrolled = data.moment(rng.randint(-400, 0))
            completed = rng.choice([None, None, data.moment(rng.randint(-300, 0)), data.moment(-250)])
            if completed is not None and completed < enrolled:
                completed = enrolled + datetime.timedelta(days=1)
            due = rng.choice([None, data.today + datetime.timedelta(days=rng.randint(-260, 40))])
            if rng.random() < 0.15:  # an earlier, superseded enrolment
                Enrollment.objects.create(
                    user=person,
                    course=course,
                    enrolled_at=enrolled,
                    completed_at=completed,
                    due_date=due,
                    is_active=False,
                )
            Enrollment.objects.create(
                user=person,
                course=course,
                source=Enrollment.Source.ASSIGNED if due else Enrollment.Source.SELF,
                enrolled_at=enrolled,
                completed_at=completed,
                due_date=due,
            )


def _campaigns(data, rng):
    best = make_quiz(title="Тест по основам", grading_method=Quiz.GradingMethod.BEST, pass_mark=60)
    last = make_quiz(title="Тест о конфликте интересов", grading_method=Quiz.GradingMethod.LAST, pass_mark=70)
    by_area = Audience.objects.create(title="Калуга и Бабынинский район")
    by_area.municipalities.set([data.municipalities["kaluga"], data.municipalities["district"]])
    by_category = Audience.objects.create(
        title="Муниципальные служащие", categories=[ServiceCategory.MUNICIPAL]
    )
    regional_people = [p for p in data.people if p.organization == data.organizations["regional"]]
    by_category.people.set(regional_people[:2])
    old = TestCampaign.objects.create(
        title="Прошлогоднее тестирование", quiz=best, audience=by_category,
        opens_at=data.moment(-320), closes_at=data.moment(-300),
    )  # fmt: skip
    first = TestCampaign.objects.create(
        title="Тестирование по основам", quiz=best, audience=by_area,
        opens_at=data.moment(-100), closes_at=data.moment(-80),
    )  # fmt: skip
    second = TestCampaign.objects.create(
        title="Тестирование о конфликте интересов", quiz=last, audience=by_category,
        opens_at=data.moment(-20), closes_at=data.moment(10),
    )  # fmt: skip
    data.campaigns = [first, second]
    numbers = {}
    sittings = []
    for person in data.people:
        for campaign in (old, first, second):
            for _n in range(rng.choice([0, 0, 1, 1, 2, 3])):
                number = numbers[person.pk, campaign.quiz_id] = (
                    numbers.get((person.pk, campaign.quiz_id), 0) + 1
                )
                started = campaign.opens_at + datetime.timedelta(hours=number)
                state = rng.choice([Sitting.State.FINISHED] * 4 + [Sitting.State.NEEDS_GRADING])
                percent = Decimal(rng.randint(0, 100)) if state == Sitting.State.FINISHED else None
                sittings.append(
                    Sitting(
                        user=person,
                        quiz=campaign.quiz,
                        campaign=campaign,
                        context=campaign_context(campaign.pk),
                        number=number,
                        state=state,
                        started_at=started,
                        finished_at=started + datetime.timedelta(minutes=rng.randint(5, 50)),
                        pass_mark=campaign.quiz.pass_mark,
                        percent=percent,
                        passed=None if percent is None else percent >= campaign.quiz.pass_mark,
                    )
                )
    Sitting.objects.bulk_create(sittings)
    # one sitting still in progress per campaign (the last number of a person), never counted
    for campaign in data.campaigns:
        person = rng.choice(data.people)
        number = numbers[person.pk, campaign.quiz_id] = numbers.get((person.pk, campaign.quiz_id), 0) + 1
        Sitting.objects.create(
            user=person, quiz=campaign.quiz, campaign=campaign, context=campaign_context(campaign.pk),
            number=number, started_at=campaign.opens_at, pass_mark=campaign.quiz.pass_mark,
        )  # fmt: skip


def _events(data, rng):
    coordinator = make_person(role=None)
    events = [
        make_event(start=data.moment(-150), format=EventPage.Format.HYBRID),
        make_event(start=data.moment(-40), format=EventPage.Format.ONLINE),
        make_event(start=data.moment(-10), format=EventPage.Format.IN_PERSON),
    ]
    earlier = make_event(start=data.moment(-260), format=EventPage.Format.HYBRID)
    data.events = events
    for event in [*events, earlier]:
        for person in data.people:
            if rng.random() < 0.5:
                Registration.objects.create(event=event, user=person)
            if rng.random() < 0.4:
                Attendance.objects.create(event=event, user=person, checked_in_at=event.start)
        if not event.has_broadcast:
            continue
        taken = set()
        for municipality in data.municipalities.values():
            if rng.random() < 0.25:
                continue
            nearby = [p for p in data.people if p.pk not in taken and rng.random() < 0.2]
            taken |= {p.pk for p in nearby}
            room = BroadcastRoom.objects.create(
                event=event,
                municipality=municipality,
                coordinator=coordinator,
                head_count=rng.choice([0, len(nearby), len(nearby) + rng.randint(1, 12)]),
            )
            room.participants.set(nearby)
