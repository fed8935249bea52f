"""A sitting belongs to one context (a campaign, a course, a lesson, an event): attempts, numbering,
resuming and the counted result are per person, quiz and context. The yearly re-run of last year's
quiz in a new campaign is the normal case."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from people.factories import make_municipality, make_person
from quizzes.cabinet import my_campaigns
from quizzes.contexts import CAMPAIGN, COURSE, LESSON, context_key
from quizzes.exceptions import NoAttemptsLeft
from quizzes.factories import (
    correct_answer,
    make_campaign,
    make_municipal_audience,
    make_quiz,
    make_true_false,
)
from quizzes.models import Sitting, TestCampaign
from quizzes.services import finish_sitting, save_answer, start_campaign_sitting, start_sitting

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 10, 1, 10, 0))
DAY = datetime.timedelta(days=1)
COURSE_5, LESSON_7 = context_key(COURSE, 5), context_key(LESSON, 7)


@pytest.fixture
def quiz():
    return make_quiz([make_true_false(value=True)], attempts_allowed=1, time_limit=30)


def take(person, quiz, context, right=True, now=NOW):
    sitting = start_sitting(person, quiz, context=context, now=now)
    for snapshot in sitting.questions():
        answer = correct_answer(snapshot) if right else {"value": not snapshot["key"]["value"]}
        save_answer(sitting, snapshot["id"], answer, 1, now=now)
    return finish_sitting(sitting, now=now)


def test_context_keys_are_checked():
    assert context_key(CAMPAIGN, 12) == "campaign:12"
    for kind, pk in [("quiz", 1), (CAMPAIGN, 0), (CAMPAIGN, "12"), (CAMPAIGN, True)]:
        with pytest.raises(ValueError):
            context_key(kind, pk)


def test_attempts_are_counted_within_a_context(quiz):
    person = make_person()
    take(person, quiz, COURSE_5)
    with pytest.raises(NoAttemptsLeft):
        start_sitting(person, quiz, context=COURSE_5, now=NOW)
    elsewhere = start_sitting(person, quiz, context=LESSON_7, now=NOW)
    assert (elsewhere.context, elsewhere.number) == (LESSON_7, 1)


def test_a_sitting_in_progress_is_resumed_only_in_its_own_context(quiz):
    person = make_person()
    first = start_sitting(person, quiz, context=COURSE_5, now=NOW)
    assert start_sitting(person, quiz, context=COURSE_5, now=NOW) == first
    other = start_sitting(person, quiz, context=LESSON_7, now=NOW)
    assert other != first and other.is_in_progress and first.is_in_progress


def test_the_database_keeps_one_sitting_in_progress_per_context(quiz):
    person = make_person()
    first = start_sitting(person, quiz, context=COURSE_5, now=NOW)
    duplicate = Sitting(
        user=person, quiz=quiz, context=COURSE_5, number=2, started_at=NOW, pass_mark=first.pass_mark
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_the_counted_result_is_per_context(quiz):
    quiz.attempts_allowed = 0
    quiz.save()
    person = make_person()
    passed = take(person, quiz, COURSE_5, right=True)
    failed = take(person, quiz, LESSON_7, right=False)
    assert Sitting.objects.result_for(person, quiz, COURSE_5) == passed
    assert Sitting.objects.result_for(person, quiz, LESSON_7) == failed
    assert set(Sitting.objects.counted().filter(user=person)) == {passed, failed}


def test_a_campaign_sitting_must_be_in_the_campaigns_context(quiz):
    campaign = TestCampaign(pk=3, quiz=quiz)
    with pytest.raises(ValueError):
        start_sitting(make_person(), quiz, campaign=campaign, context=COURSE_5, now=NOW)


class TestYearlyRerun:
    """Last year's campaign and this year's on the same quiz."""

    @pytest.fixture
    def region(self, quiz):
        municipality = make_municipality("Город Обнинск")
        audience = make_municipal_audience(municipality)
        return {
            "spring": make_campaign(quiz, audience, NOW - 200 * DAY, NOW - 150 * DAY, "Весна"),
            "autumn": make_campaign(quiz, audience, NOW - DAY, NOW + 30 * DAY, "Осень"),
            "winter": make_campaign(quiz, audience, NOW - DAY, NOW + 60 * DAY, "Зима"),
            "person": make_person(municipality=municipality),
        }

    def test_last_years_attempt_uses_up_nothing_this_year(self, region):
        person = region["person"]
        spring = start_campaign_sitting(person, region["spring"], now=NOW - 160 * DAY)
        finish_sitting(spring, now=NOW - 160 * DAY)
        entries = {entry.campaign.title: entry for entry in my_campaigns(person, now=NOW)}
        assert entries["Осень"].attempts_left == 1 and entries["Осень"].can_start
        assert entries["Весна"].attempts_left == 0
        autumn = start_campaign_sitting(person, region["autumn"], now=NOW)
        assert (autumn.campaign, autumn.number, autumn.context) == (
            region["autumn"],
            1,
            f"campaign:{region['autumn'].pk}",
        )

    def test_a_third_campaign_never_resumes_another_campaigns_sitting(self, region):
        person = region["person"]
        autumn = start_campaign_sitting(person, region["autumn"], now=NOW)
        winter = start_campaign_sitting(person, region["winter"], now=NOW)
        assert winter != autumn
        assert winter.campaign == region["winter"]
        assert start_campaign_sitting(person, region["autumn"], now=NOW) == autumn

    def test_one_attempt_per_campaign_holds_within_the_campaign(self, region):
        person = region["person"]
        finish_sitting(start_campaign_sitting(person, region["autumn"], now=NOW), now=NOW)
        with pytest.raises(NoAttemptsLeft):
            start_campaign_sitting(person, region["autumn"], now=NOW)
        assert start_campaign_sitting(person, region["winter"], now=NOW).number == 1


def test_the_database_keeps_a_campaigns_sitting_in_the_campaigns_context(quiz):
    """``campaign`` and ``context`` say the same thing twice; a check constraint keeps them equal."""
    person = make_person(municipality=make_municipality())
    campaign = make_campaign(quiz, make_municipal_audience(person.municipality), NOW - DAY, NOW + DAY)
    sitting = start_campaign_sitting(person, campaign, now=NOW)
    assert sitting.context == f"campaign:{campaign.pk}"
    assert sitting.context_label == f"дистанционное тестирование № {campaign.pk}"
    with pytest.raises(IntegrityError), transaction.atomic():
        Sitting.objects.filter(pk=sitting.pk).update(context=COURSE_5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Sitting.objects.filter(pk=sitting.pk).update(context="")


def test_contexts_have_russian_labels_for_the_admin():
    from quizzes.contexts import context_label

    assert context_label(COURSE_5) == "итоговый тест курса № 5"
    assert context_label(LESSON_7) == "«Проверь себя» в уроке № 7"
    assert context_label("event:3") == "тест по итогам мероприятия № 3"
    assert context_label("") == "вне тестирования, курса и мероприятия"
