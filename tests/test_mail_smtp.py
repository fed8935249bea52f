"""Every kind of mail the platform sends, delivered to a real SMTP server (aiosmtpd) through the outbox:
accepted, valid MIME with Russian text, from the configured sender, with every link on the public
address (SITE_URL) — never the Wagtail Site's ``localhost`` or the host a request named."""

import datetime
import re
from email.headerregistry import Address

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from django.utils import timezone

from cms.models import HomePage, MaterialIndexPage, MaterialKind, MaterialPage
from cms.site_setup import sync_site_address
from courses.factories import make_course
from courses.models import Enrollment
from courses.reminders import send_due_reminders
from courses.services import enrol
from events import services as event_services
from events.consultations import services as consultations
from events.contest import services as contest_services
from events.factories import make_event, make_writing_trainer
from events.invitations import send_invitations
from events.letters import services as letter_services
from events.models import ConsultationTopic, Contest
from people.audience import Audience
from people.broadcasts.services import send_broadcast
from people.factories import make_municipality, make_organization, make_person, make_regional_manager
from people.invitations.services import invite_by_email
from people.mail import deliver_due, registered_kinds
from people.mail.models import OutgoingMail
from people.models import User
from quizzes.factories import make_quiz, make_single_choice
from quizzes.models import TestCampaign
from quizzes.notices import send_campaign_notices
from quizzes.services import finish_sitting, start_campaign_sitting
from tests.smtp import free_port, smtp_server_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

PUBLIC = "https://learn.example.ru"
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
LINK = re.compile(r"https?://[^\s<>\"']+")


@pytest.fixture
def public_address(settings):
    settings.SITE_URL = PUBLIC
    settings.WAGTAILADMIN_BASE_URL = PUBLIC
    return PUBLIC


def parts_of(message):
    """The text of every text part (decoded), and the defects of every part."""
    texts, defects = [], list(message.defects)
    for part in message.walk():
        defects += part.defects
        if part.get_content_maintype() == "text":
            texts.append(part.get_content())
    return texts, defects


def check_letter(message, recipient):
    """A letter as a mail client reads it: sender, recipient, Russian subject and text, links."""
    texts, defects = parts_of(message)
    assert defects == [], defects
    [sender] = message["From"].addresses
    assert sender == Address("Антикор: обучение", "noreply", "localhost")  # the default sender, quoted
    assert [address.addr_spec for address in message["To"].addresses] == [recipient]
    assert CYRILLIC.search(message["Subject"]), message["Subject"]
    assert message["Message-ID"].endswith("@learn.example.ru>")
    text = "\n".join(texts)
    assert CYRILLIC.search(text)
    links = LINK.findall(text)
    for link in links:
        assert link.startswith(PUBLIC + "/"), link
    return text, links


def test_every_kind_of_mail_is_accepted_by_a_real_smtp_server(
    smtp_server, public_address, client, settings, django_capture_on_commit_callbacks
):
    obninsk = make_organization(make_municipality("Город Обнинск"))
    people = {
        name: make_person(
            obninsk,
            email=f"{name}@obninsk.example",
            last_name="Смирнова",
            first_name="Анна",
            patronymic="Викторовна",
        )
        for name in (
            "reset",
            "invited",
            "first",
            "second",
            "reminded",
            "overdue",
            "invitee",
            "asker",
            "coordinator",
        )
    }
    people["reset"].set_password("Старый-пароль-1")
    people["reset"].save()

    # Password reset (the site's form).
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("password_reset"), {"email": "reset@obninsk.example"}).status_code == 302
    # Invitation with a set-password link.
    invite_by_email(User.objects.filter(pk=people["invited"].pk))
    # Events: registered, waiting list, promoted, cancelled.
    event = make_event(capacity=1, title="Семинар «Конфликт интересов»")
    with django_capture_on_commit_callbacks(execute=True):
        registration = event_services.register(event, people["first"])
    with django_capture_on_commit_callbacks(execute=True):
        event_services.register(event, people["second"])
    with django_capture_on_commit_callbacks(execute=True):
        event_services.cancel(registration)
    # An invitation to a seminar for a defined audience, and the answer to a consultation.
    regional = make_regional_manager(email="regional@region.example")
    seminar_audience = Audience.objects.create(title="Кадровые службы Обнинска")
    seminar_audience.people.add(people["invitee"])
    seminar = make_event(title="Семинар для кадровых служб", audience=seminar_audience)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_invitations(seminar, regional) == 1
    topic = ConsultationTopic.objects.get_or_create(name="Подарки")[0]
    question = consultations.ask(people["asker"], topic=topic, subject="Подарок", text="Можно ли принять?")
    with django_capture_on_commit_callbacks(execute=True):
        consultations.reply(regional, question, "Нет, подарок сдаётся по акту.")
    # A letter to the municipalities' anti-corruption coordinators, and the reminder to acknowledge it.
    people["coordinator"].has_anticorruption_duties = True
    people["coordinator"].save()
    library = HomePage.objects.first().add_child(
        instance=MaterialIndexPage(title="Материалы", slug="materials")
    )
    material = library.add_child(
        instance=MaterialPage(
            title="О подарках", kind=MaterialKind.INFORMATION_LETTER, date=timezone.localdate()
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_services.send_letter(
            regional, material=material, municipalities=[obninsk.municipality]
        )
    with django_capture_on_commit_callbacks(execute=True):
        letter_services.remind(regional, letter)
    # A student's confirmation letter of the contest (a contestant is not a user of the site).
    contest = Contest.objects.create(
        year=timezone.localdate().year,
        submissions_open_at=timezone.now() - datetime.timedelta(days=1),
        submissions_close_at=timezone.now() + datetime.timedelta(days=5),
        judging_start_at=timezone.now() + datetime.timedelta(days=6),
        judging_end_at=timezone.now() + datetime.timedelta(days=20),
    )
    with django_capture_on_commit_callbacks(execute=True):
        contest_services.register(
            contest,
            email="student@college.example",
            password="Студенческий-пароль-7",
            last_name="Орлова",
            first_name="Мария",
            birth_date=datetime.date(2004, 5, 1),
        )
    # Courses: the assignment (both are new), a reminder before the due date, another when overdue.
    course = make_course(title="Основы противодействия коррупции")
    today = timezone.localdate()
    enrol(people["reminded"], course, Enrollment.Source.ASSIGNED, due_date=today + datetime.timedelta(days=2))
    enrol(people["overdue"], course, Enrollment.Source.ASSIGNED, due_date=today - datetime.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(today) == 4
    # A campaign's notices: the opening, a reminder to one who has not finished, a result.
    kaluga = make_municipality("Город Калуга")
    audience = Audience.objects.create(title="Калуга")
    audience.municipalities.add(kaluga)
    now = timezone.now()
    campaign = TestCampaign.objects.create(
        title="Тестирование муниципальных служащих",
        quiz=make_quiz([make_single_choice()], time_limit=30),
        audience=audience,
        opens_at=now - datetime.timedelta(days=5),
        closes_at=now + datetime.timedelta(days=1),
        notify_opening=True,
        remind_days_before=3,
        notify_result=True,
    )
    campaign_path = reverse("quizzes:campaign", args=[campaign.pk])
    taker = make_person(municipality=kaluga, email="taker@kaluga.example", last_name="Иванова")
    make_person(municipality=kaluga, email="late@kaluga.example", last_name="Петрова")
    finish_sitting(start_campaign_sitting(taker, campaign, now=now), now=now)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_campaign_notices(now) == 4  # two openings, one reminder, one result
    # A manager's mass message.
    send_broadcast(
        author=regional,
        people=User.objects.filter(pk=people["reminded"].pk),
        subject="Семинар 15 марта",
        body="Приглашаем на семинар по конфликту интересов.",
        criteria=[("Кому", "все слушатели")],
        scope="вся область",
        link_url=campaign_path,
        link_text="Перейти к тестированию",
    )
    # Wagtail's own mail (a moderation notification to the reviewers), through EMAIL_BACKEND.
    settings.EMAIL_BACKEND = "people.mail.backends.OutboxBackend"
    sync_site_address()  # migrate does this: the Site answers at SITE_URL, so Wagtail's page links do too
    make_regional_manager(email="reviewer@region.example")  # the reviewer
    trainer = make_writing_trainer(email="trainer@region.example")
    page = make_event(title="Вебинар для кадровых служб")
    page.save_revision(user=trainer)
    with django_capture_on_commit_callbacks(execute=True):
        page.get_workflow().start(page, trainer)

    while deliver_due().sent:  # what the worker does, until nothing is due
        pass

    queued = OutgoingMail.objects.all()
    assert {mail.kind for mail in queued} == {kind.code for kind in registered_kinds()}, (
        "a kind without a test"
    )
    assert set(queued.values_list("status", flat=True)) == {"sent"}, list(
        queued.values_list("last_error", flat=True)
    )
    assert django_mail.outbox == []  # nothing went around the SMTP server
    messages = smtp_server.messages()
    assert len(messages) == queued.count() == len(smtp_server.envelopes)

    letters = {}
    for envelope, message in zip(smtp_server.envelopes, messages, strict=True):
        [recipient] = envelope.rcpt_tos
        assert Address(addr_spec=envelope.mail_from) == Address("", "noreply", "localhost")
        letters.setdefault(recipient, []).append(check_letter(message, recipient))

    [(text, links)] = letters["reset@obninsk.example"]
    assert "Анна Викторовна" in text and len(links) == 1
    assert client.get(links[0].removeprefix(PUBLIC), follow=True).context["validlink"] is True

    [(text, links)] = letters["invited@obninsk.example"]
    assert people["invited"].username in text
    confirm = next(link for link in links if "/invitation/" in link)
    assert client.get(confirm.removeprefix(PUBLIC), follow=True).context["validlink"] is True

    ics = f"{PUBLIC}/events/{event.pk}/event.ics"
    first = [text for text, _links in letters["first@obninsk.example"]]
    assert len(first) == 2 and any("отменена" in text for text in first)
    assert all(ics in text and f"{PUBLIC}{event.url}" in text for text in first)
    second = [text for text, _links in letters["second@obninsk.example"]]
    assert any("номер в очереди — 1" in text for text in second) and any(
        "освободилось" in text for text in second
    )

    [(text, links)] = letters["invitee@obninsk.example"]
    assert "Семинар для кадровых служб" in text and f"{PUBLIC}{seminar.url}" in links
    [(text, links)] = letters["asker@obninsk.example"]
    assert f"{PUBLIC}{reverse('consultations:detail', args=[question.pk])}" in links

    [(mass_text, mass_links)] = [
        entry for entry in letters["reminded@obninsk.example"] if "семинар" in entry[0]
    ]
    assert "Приглашаем на семинар по конфликту интересов." in mass_text
    assert mass_links == [f"{PUBLIC}{campaign_path}", f"{PUBLIC}/cabinet/"]
    for name in ("reminded", "overdue"):
        course_letters = [entry for entry in letters[f"{name}@obninsk.example"] if "семинар" not in entry[0]]
        assert len(course_letters) == 2 and any(
            "Вам назначен курс" in text for text, _links in course_letters
        )
        assert all(f"{PUBLIC}{course.url}" in links for _text, links in course_letters)

    campaign_url = f"{PUBLIC}{reverse('quizzes:campaign', args=[campaign.pk])}"
    taker_letters = [text for text, _links in letters["taker@kaluga.example"]]
    assert len(taker_letters) == 2 and any("тест не пройден" in text for text in taker_letters)
    late_letters = [(text, links) for text, links in letters["late@kaluga.example"]]
    assert len(late_letters) == 2 and all(campaign_url in links for _text, links in late_letters)

    notices = letters["reviewer@region.example"]
    assert notices and any("Вебинар для кадровых служб" in text for text, _links in notices)
    assert any(
        link.startswith(f"{PUBLIC}/admin/pages/{page.pk}/") for _text, links in notices for link in links
    )


def test_a_refused_recipient_fails_for_good_and_a_server_that_is_down_is_retried(
    smtp_server, public_address, settings
):
    person = make_person(email="nobody@obninsk.example")
    other = make_person(email="somebody@obninsk.example")
    smtp_server.refuse["nobody@obninsk.example"] = "550 5.1.1 No such user"
    invite_by_email(User.objects.filter(pk__in=[person.pk, other.pk]))

    result = deliver_due()

    assert (result.sent, result.failed) == (1, 1)
    refused = OutgoingMail.objects.get(person=person)
    assert refused.status == "failed" and refused.attempts == 1
    assert "550" in refused.last_error and "не принял адрес получателя" in refused.last_error
    assert refused.body  # kept for "retry"; the sent one's text is gone
    assert OutgoingMail.objects.get(person=other).body == ""
    assert [envelope.rcpt_tos for envelope in smtp_server.envelopes] == [["somebody@obninsk.example"]]

    settings.EMAIL_PORT = free_port()  # the mail server is down: nothing listens there
    invite_by_email(User.objects.filter(pk=other.pk))
    result = deliver_due()
    waiting = OutgoingMail.objects.get(person=other, status="waiting")
    assert (result.sent, result.retrying) == (0, 1)
    assert "Нет соединения с почтовым сервером" in waiting.last_error
    assert waiting.next_attempt_at > timezone.now()
