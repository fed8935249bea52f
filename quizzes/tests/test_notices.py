"""Notices of a campaign to its audience: the opening, the reminder, the result — each once."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from people.audience import Audience
from people.factories import make_municipality, make_person
from people.mail.models import OutgoingMail
from quizzes.factories import correct_answer, make_essay, make_quiz, make_single_choice
from quizzes.models import CampaignNotice, Sitting, TestCampaign
from quizzes.notices import send_campaign_notices
from quizzes.services import finish_sitting, save_answer, start_campaign_sitting

pytestmark = pytest.mark.django_db

Kind = CampaignNotice.Kind
NOW = datetime.datetime(2024, 3, 1, 10, 0, tzinfo=datetime.UTC)


def days(n):
    return datetime.timedelta(days=n)


@pytest.fixture
def obninsk():
    return make_municipality("Город Обнинск")


@pytest.fixture
def campaign(obninsk):
    audience = Audience.objects.create(title="Обнинск")
    audience.municipalities.add(obninsk)
    quiz = make_quiz(time_limit=30, pass_mark=60)
    for order in (1, 2):
        quiz.questions.add(make_single_choice(), through_defaults={"order": order})
    return TestCampaign.objects.create(
        title="Тестирование муниципальных служащих",
        quiz=quiz,
        audience=audience,
        opens_at=NOW - days(1),
        closes_at=NOW + days(10),
    )


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def run(now=NOW):
        with django_capture_on_commit_callbacks(execute=True):
            return send_campaign_notices(now)

    return run


def notified(kind):
    return set(CampaignNotice.objects.filter(kind=kind).values_list("user__username", flat=True))


def take(person, campaign, right=0, now=NOW):
    """Start and finish a sitting with ``right`` questions answered correctly."""
    sitting = start_campaign_sitting(person, campaign, now=now)
    for seq, question_id in enumerate(sitting.question_order[:right], start=1):
        save_answer(
            sitting, question_id, correct_answer(sitting.question_snapshot(question_id)), seq, now=now
        )
    finish_sitting(sitting, now=now)
    sitting.refresh_from_db()
    return sitting


# --- settings --------------------------------------------------------------------------------------


def test_reminder_days_are_between_1_and_30(campaign):
    for value in (0, 31):
        campaign.remind_days_before = value
        with pytest.raises(ValidationError):
            campaign.full_clean()
    campaign.remind_days_before = 30
    campaign.full_clean()


def test_nothing_is_sent_when_the_campaign_asks_for_nothing(campaign, obninsk, send):
    make_person(municipality=obninsk)
    assert send() == 0
    assert not CampaignNotice.objects.exists()


# --- opening ---------------------------------------------------------------------------------------


def test_opening_notice_to_the_active_audience_once(campaign, obninsk, send):
    campaign.notify_opening = True
    campaign.save()
    inside = make_person(municipality=obninsk, username="inside", last_name="Сидорова", first_name="Анна")
    make_person(municipality=obninsk, username="left", is_active=False)
    make_person(municipality=make_municipality("Город Калуга"), username="outside")

    assert send(NOW - days(2)) == 0  # not open yet
    assert send() == 1
    assert send() == 0  # run twice: nothing twice

    assert notified(Kind.OPENING) == {"inside"}
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == [inside.email]
    assert letter.subject == "Открыто тестирование «Тестирование муниципальных служащих»"
    assert "Здравствуйте, Сидорова Анна!" in letter.body
    assert "Пройти его нужно до 11 марта 2024" in letter.body
    assert f"{settings.SITE_URL}{reverse('quizzes:campaign', args=[campaign.pk])}" in letter.body
    outgoing = OutgoingMail.objects.get()
    assert (outgoing.kind, outgoing.person) == ("campaign_opening", inside)
    assert CampaignNotice.objects.get().status == CampaignNotice.Status.SENT


def test_opening_notice_without_email_is_kept_for_the_cabinet(campaign, obninsk, send):
    campaign.notify_opening = True
    campaign.save()
    make_person(municipality=obninsk, username="nomail", email="")
    assert send() == 1
    assert mail.outbox == []
    assert CampaignNotice.objects.get().status == CampaignNotice.Status.NO_EMAIL


def test_a_closed_or_unpublished_campaign_sends_no_opening(campaign, obninsk, send):
    campaign.notify_opening = True
    campaign.is_published = False
    campaign.save()
    make_person(municipality=obninsk)
    assert send() == 0
    campaign.is_published = True
    campaign.save()
    assert send(campaign.closes_at) == 0


def test_the_constraint_keeps_one_notice_per_person_campaign_and_kind(campaign, obninsk):
    from django.db import IntegrityError, transaction

    person = make_person(municipality=obninsk)
    batch = "00000000-0000-0000-0000-000000000001"
    fields = {"campaign": campaign, "user": person, "kind": Kind.OPENING, "text": "…", "batch": batch}
    CampaignNotice.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignNotice.objects.create(**fields)


# --- reminder --------------------------------------------------------------------------------------


def test_reminder_only_to_those_not_finished_and_only_inside_the_window(campaign, obninsk, send):
    campaign.remind_days_before = 3
    campaign.save()
    make_person(municipality=obninsk, username="idle")
    make_person(municipality=obninsk, username="started")
    done = make_person(municipality=obninsk, username="done")
    make_person(municipality=obninsk, username="gone", is_active=False)
    take(done, campaign)
    start_campaign_sitting(campaign.audience.members().get(username="started"), campaign, now=NOW)

    assert send(campaign.closes_at - days(3) - datetime.timedelta(minutes=1)) == 0  # before the window
    assert send(campaign.closes_at - days(3)) == 2
    assert send(campaign.closes_at - days(1)) == 0  # once only

    assert notified(Kind.REMINDER) == {"idle", "started"}
    assert {letter.subject for letter in mail.outbox} == {
        "Напоминание: тестирование «Тестирование муниципальных служащих» скоро закроется"
    }
    assert "а вы его ещё не прошли" in mail.outbox[0].body


def test_no_reminder_once_the_campaign_has_closed(campaign, obninsk, send):
    campaign.remind_days_before = 3
    campaign.save()
    make_person(municipality=obninsk)
    assert send(campaign.closes_at) == 0


# --- result ----------------------------------------------------------------------------------------


def test_result_notice_with_the_percent_and_never_an_answer(campaign, obninsk, send):
    campaign.notify_result = True
    campaign.save()
    half = make_person(municipality=obninsk, username="half")
    full = make_person(municipality=obninsk, username="full")
    make_person(municipality=obninsk, username="idle")
    half_sitting = take(half, campaign, right=1)
    take(full, campaign, right=2)

    assert send() == 2
    assert send() == 0

    texts = dict(CampaignNotice.objects.values_list("user__username", "text"))
    assert texts == {
        "half": "Результат тестирования «Тестирование муниципальных служащих»: 50%, тест не пройден.",
        "full": "Результат тестирования «Тестирование муниципальных служащих»: 100%, тест пройден.",
    }
    letter = next(letter for letter in mail.outbox if letter.to == [half.email])
    assert letter.subject == "Результат тестирования «Тестирование муниципальных служащих»"
    assert f"{settings.SITE_URL}{reverse('quizzes:result', args=[half_sitting.pk])}" in letter.body
    question = campaign.quiz.questions.first()
    assert question.choices.get(fraction=1).text not in letter.body


def test_result_notice_waits_for_grading(campaign, obninsk, send):
    campaign.notify_result = True
    campaign.save()
    campaign.quiz.questions.add(make_essay(), through_defaults={"order": 3})
    person = make_person(municipality=obninsk, username="essayist")
    sitting = take(person, campaign, right=3)  # the essay answered too
    assert sitting.state == Sitting.State.NEEDS_GRADING

    assert send() == 0

    Sitting.objects.filter(pk=sitting.pk).update(
        state=Sitting.State.FINISHED, score=3, max_score=3, percent=100, passed=True
    )
    assert send() == 1
    assert "100%, тест пройден" in CampaignNotice.objects.get().text


def test_result_notice_waits_while_another_attempt_is_open(campaign, obninsk, send):
    campaign.notify_result = True
    campaign.save()
    campaign.quiz.attempts_allowed = 2
    campaign.quiz.save()
    person = make_person(municipality=obninsk)
    take(person, campaign, right=1)
    second = start_campaign_sitting(person, campaign, now=NOW)

    assert send() == 0  # the result may still change

    finish_sitting(second, now=NOW)
    assert send() == 1


def test_the_command_sends_the_due_notices(campaign, obninsk, django_capture_on_commit_callbacks):
    campaign.notify_opening = True
    campaign.opens_at = datetime.datetime.now(datetime.UTC) - days(1)
    campaign.closes_at = datetime.datetime.now(datetime.UTC) + days(1)
    campaign.save()
    make_person(municipality=obninsk)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_campaign_notices", "--quiet")
        call_command("send_campaign_notices", "--quiet")
    assert CampaignNotice.objects.count() == 1
    assert len(mail.outbox) == 1


# --- cabinet ---------------------------------------------------------------------------------------


def test_the_cabinet_shows_notices_to_their_owner_only_newest_first(campaign, obninsk, send, client):
    campaign.notify_opening = True
    campaign.notify_result = True
    campaign.save()
    owner = make_person(municipality=obninsk, password="secret-pass-1")
    other = make_person(municipality=obninsk, password="secret-pass-1", email="")
    assert send() == 2
    take(owner, campaign, right=2, now=NOW + datetime.timedelta(hours=1))
    assert send(NOW + datetime.timedelta(hours=2)) == 1

    client.force_login(owner)
    page = client.get(reverse("cabinet")).content.decode()
    assert "Уведомления" in page
    result = page.index("Результат тестирования «Тестирование муниципальных служащих»: 100%")
    opening = page.index("Открыто тестирование «Тестирование муниципальных служащих»")
    assert result < opening  # newest first

    client.force_login(other)
    page = client.get(reverse("cabinet")).content.decode()
    assert "Открыто тестирование" in page  # their own notice, without an e-mail address
    assert "Результат тестирования" not in page


def test_notices_are_in_my_data_and_go_with_anonymisation(campaign, obninsk, send):
    from people.privacy.anonymize import anonymize_people
    from quizzes.privacy import my_notices

    campaign.notify_opening = True
    campaign.save()
    person = make_person(municipality=obninsk, username="inside")
    other = make_person(municipality=obninsk, username="other")
    send()
    (sheet,) = my_notices(person)
    assert [row[1] for row in sheet.rows] == ["Тестирование муниципальных служащих"]
    person.is_active = False
    person.save()
    from people.models import User

    assert anonymize_people(User.objects.filter(pk=person.pk), NOW) == 1
    assert not CampaignNotice.objects.filter(user=person).exists()
    assert CampaignNotice.objects.filter(user=other).exists()
