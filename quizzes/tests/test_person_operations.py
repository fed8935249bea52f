"""Operations of managers on one person's test (issue 14): extra time, an extra attempt, the reset of an
attempt lost to a power cut, the changed points of one answer on appeal; each with a reason, recorded in
an append-only history; the engine counts attempts and results accordingly."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from people.factories import make_municipal_manager, make_municipality, make_organization, make_person
from people.models import User
from people.privacy import anonymize_people
from people.scope import Scope
from quizzes.analytics import counted_sittings, participants
from quizzes.cabinet import my_campaign
from quizzes.contexts import campaign_context
from quizzes.exceptions import (
    InvalidOperation,
    NoAttemptsLeft,
    OperationLogChanged,
    OperationRefused,
    SittingFinished,
    SittingVoid,
)
from quizzes.factories import (
    correct_answer,
    make_campaign,
    make_essay,
    make_municipal_audience,
    make_quiz,
    make_single_choice,
)
from quizzes.models import AttemptAllowance, ExtraTime, PersonOperation, Response, Sitting
from quizzes.privacy import ERASED, ERASED_REASON, my_sittings
from quizzes.services import finish_sitting, grade_response, save_answer, start_campaign_sitting
from quizzes.services.operations import (
    grant_extra_attempt,
    grant_extra_time,
    override_points,
    void_sitting,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()
REASON = "Отключение электричества в здании администрации 12.05, акт № 4"


@pytest.fixture
def town():
    return make_municipality("Город Обнинск")


@pytest.fixture
def manager(town):
    return make_municipal_manager(town)


@pytest.fixture
def person(town):
    return make_person(make_organization(town))


@pytest.fixture
def questions():
    return [make_single_choice(points=2), make_single_choice(points=1), make_single_choice(points=1)]


@pytest.fixture
def campaign(town, questions):
    quiz = make_quiz(questions, time_limit=30, attempts_allowed=1, pass_mark=75)
    return make_campaign(
        quiz,
        make_municipal_audience(town),
        NOW - datetime.timedelta(days=1),
        NOW + datetime.timedelta(days=1),
    )


def sit(person, campaign, right=(), when=NOW, finish=True):
    """A sitting of ``campaign`` with the questions numbered in ``right`` (0-based) answered right and
    the others wrong."""
    sitting = start_campaign_sitting(person, campaign, now=when)
    for seq, (index, snapshot) in enumerate(enumerate(sitting.questions()), start=1):
        answer = correct_answer(snapshot)
        if index not in right and snapshot["type"] == "single":
            wrong = next(o["id"] for o in snapshot["options"] if o["id"] not in snapshot["key"]["correct"])
            answer = {"choice": wrong}
        save_answer(sitting, snapshot["id"], answer, seq, now=when)
    if finish:
        finish_sitting(sitting, now=when)
    return sitting


def nothing_recorded():
    return not PersonOperation.objects.exists()


# --- the reason and the history ---------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "\n\t ", None, "x" * 1001, "причина\x00"])
def test_every_operation_needs_a_reason_and_a_bad_one_writes_nothing(manager, person, campaign, reason):
    sitting = sit(person, campaign, right=[0])
    calls = [
        lambda: grant_extra_time(manager, campaign, person, 15, reason, now=NOW),
        lambda: grant_extra_attempt(manager, campaign, person, reason, now=NOW),
        lambda: void_sitting(manager, sitting, reason, now=NOW),
        lambda: override_points(manager, sitting, sitting.question_order[1], "1", reason, now=NOW),
    ]
    for call in calls:
        with pytest.raises(InvalidOperation):
            call()
    sitting.refresh_from_db()
    assert sitting.state == Sitting.State.FINISHED and sitting.percent == 50
    assert not ExtraTime.objects.exists() and not AttemptAllowance.objects.exists()
    assert nothing_recorded()


def test_the_database_refuses_an_entry_without_a_reason(manager, person):
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonOperation.objects.create(
            actor=manager, actor_name="x", person=person, kind=PersonOperation.Kind.RESET, reason="   "
        )


def test_the_history_is_append_only(manager, person, campaign):
    entry = grant_extra_attempt(manager, campaign, person, REASON, now=NOW)
    entry.reason = "Другая причина"
    with pytest.raises(OperationLogChanged):
        entry.save()
    with pytest.raises(OperationLogChanged):
        entry.delete()
    with pytest.raises(OperationLogChanged):
        PersonOperation.objects.filter(pk=entry.pk).update(reason="Другая причина")
    with pytest.raises(OperationLogChanged):
        PersonOperation.objects.all().delete()
    entry.refresh_from_db()
    assert entry.reason == REASON


def test_an_entry_says_who_when_whom_what_and_why(manager, person, campaign):
    entry = grant_extra_attempt(manager, campaign, person, f"  {REASON}\n", now=NOW)
    assert (entry.actor, entry.person, entry.campaign, entry.created_at) == (manager, person, campaign, NOW)
    assert entry.kind == PersonOperation.Kind.EXTRA_ATTEMPT
    assert entry.reason == REASON
    assert manager.username in entry.actor_name
    assert entry.before == {"extra_attempts": 0, "attempts_left": 1}
    assert entry.after == {"extra_attempts": 1, "attempts_left": 2}
    assert ("дополнительных попыток", "0", "1") in entry.changes()


def test_nobody_operates_on_their_own_test(manager, campaign):
    sitting = sit(manager, campaign, right=[0])  # the municipal manager is in the audience too
    with pytest.raises(OperationRefused):
        grant_extra_attempt(manager, campaign, manager, REASON, now=NOW)
    with pytest.raises(OperationRefused):
        grant_extra_time(manager, campaign, manager, 10, REASON, now=NOW)
    with pytest.raises(OperationRefused):
        void_sitting(manager, sitting, REASON, now=NOW)
    with pytest.raises(OperationRefused):
        override_points(manager, sitting, sitting.question_order[1], "1", REASON, now=NOW)
    assert nothing_recorded()


# --- extra time ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("minutes", [-1, 241, True, 1.5, "15"])
def test_extra_time_is_bounded(manager, person, campaign, minutes):
    with pytest.raises(InvalidOperation):
        grant_extra_time(manager, campaign, person, minutes, REASON, now=NOW)
    assert not ExtraTime.objects.exists() and nothing_recorded()


def test_extra_time_lengthens_the_next_sitting(manager, person, campaign):
    grant_extra_time(manager, campaign, person, 20, REASON, now=NOW)
    sitting = start_campaign_sitting(person, campaign, now=NOW)
    assert sitting.deadline == NOW + datetime.timedelta(minutes=50)


def test_extra_time_lengthens_a_sitting_in_progress_and_never_shortens_it(manager, person, campaign):
    sitting = start_campaign_sitting(person, campaign, now=NOW)
    later = NOW + datetime.timedelta(minutes=25)
    entry = grant_extra_time(manager, campaign, person, 15, REASON, now=later)
    sitting.refresh_from_db()
    assert sitting.deadline == NOW + datetime.timedelta(minutes=45)
    assert entry.sitting == sitting and entry.before["minutes"] == 0 and entry.after["minutes"] == 15
    grant_extra_time(manager, campaign, person, 5, REASON, now=later)
    sitting.refresh_from_db()
    assert sitting.deadline == NOW + datetime.timedelta(minutes=45)  # less extra time, the same deadline
    assert ExtraTime.objects.get(user=person).minutes == 5
    grant_extra_time(manager, campaign, person, 0, REASON, now=later)
    assert not ExtraTime.objects.exists()
    assert PersonOperation.objects.filter(kind=PersonOperation.Kind.EXTRA_TIME).count() == 3


def test_extra_time_never_reaches_past_the_campaigns_close(manager, person, campaign):
    campaign.closes_at = NOW + datetime.timedelta(minutes=40)
    campaign.save()
    sitting = start_campaign_sitting(person, campaign, now=NOW)
    grant_extra_time(manager, campaign, person, 120, REASON, now=NOW)
    sitting.refresh_from_db()
    assert sitting.deadline == campaign.closes_at


def test_extra_time_is_refused_where_it_means_nothing(manager, person, campaign):
    with pytest.raises(OperationRefused):
        grant_extra_time(manager, campaign, person, 0, REASON, now=NOW)  # nothing to take away
    closed = NOW + datetime.timedelta(days=2)
    with pytest.raises(OperationRefused):
        grant_extra_time(manager, campaign, person, 10, REASON, now=closed)
    campaign.quiz.time_limit = None
    campaign.quiz.save()
    with pytest.raises(OperationRefused):
        grant_extra_time(manager, campaign, person, 10, REASON, now=NOW)
    assert nothing_recorded()


# --- extra attempts -----------------------------------------------------------------------------------


def test_an_extra_attempt_lets_a_person_with_none_left_start_again(manager, person, campaign):
    first = sit(person, campaign, right=[0])
    with pytest.raises(NoAttemptsLeft):
        start_campaign_sitting(person, campaign, now=NOW)
    assert my_campaign(person, campaign.pk, NOW).attempts_left == 0
    grant_extra_attempt(manager, campaign, person, REASON, now=NOW)
    entry = my_campaign(person, campaign.pk, NOW)
    assert entry.attempts_left == 1 and entry.can_start
    second = start_campaign_sitting(person, campaign, now=NOW)
    assert second.pk != first.pk and second.number == 2
    finish_sitting(second, now=NOW)
    with pytest.raises(NoAttemptsLeft):
        start_campaign_sitting(person, campaign, now=NOW)


def test_an_extra_attempt_counts_only_in_its_own_campaign(manager, person, campaign, town):
    other = make_campaign(campaign.quiz, make_municipal_audience(town), campaign.opens_at, campaign.closes_at)
    grant_extra_attempt(manager, campaign, person, REASON, now=NOW)
    sit(person, other)
    with pytest.raises(NoAttemptsLeft):
        start_campaign_sitting(person, other, now=NOW)
    assert AttemptAllowance.objects.get().context == campaign_context(campaign.pk)


def test_extra_attempts_are_bounded_and_need_a_limited_quiz(manager, person, campaign):
    for _ in range(5):
        grant_extra_attempt(manager, campaign, person, REASON, now=NOW)
    with pytest.raises(OperationRefused):
        grant_extra_attempt(manager, campaign, person, REASON, now=NOW)
    assert AttemptAllowance.objects.get().extra_attempts == 5
    campaign.quiz.attempts_allowed = 0
    campaign.quiz.save()
    with pytest.raises(OperationRefused):
        grant_extra_attempt(manager, campaign, person, REASON, now=NOW)
    with pytest.raises(OperationRefused):
        grant_extra_attempt(manager, campaign, person, REASON, now=NOW + datetime.timedelta(days=2))
    assert PersonOperation.objects.count() == 5


# --- the reset of an attempt lost to a power cut ------------------------------------------------------


def test_a_reset_attempt_stays_in_the_history_and_the_person_starts_again(manager, person, campaign):
    lost = sit(person, campaign, right=[], finish=False)  # the power went out mid-test
    finish_sitting(lost, now=NOW + datetime.timedelta(hours=1))  # and the deadline passed
    with pytest.raises(NoAttemptsLeft):
        start_campaign_sitting(person, campaign, now=NOW + datetime.timedelta(hours=1))
    entry = void_sitting(manager, lost, REASON, now=NOW + datetime.timedelta(hours=1))
    lost.refresh_from_db()
    assert lost.state == Sitting.State.VOID
    assert lost.responses.count() == 3  # kept, never deleted
    assert entry.before["state"] == Sitting.State.FINISHED and entry.before["attempts_left"] == 0
    assert entry.after["state"] == Sitting.State.VOID and entry.after["attempts_left"] == 1
    context = campaign_context(campaign.pk)
    assert Sitting.objects.result_for(person, campaign.quiz, context) is None
    assert not counted_sittings(campaign).filter(user=person).exists()
    assert my_campaign(person, campaign.pk, NOW).attempts_left == 1
    # The people list counts the sittings begun, like «Начали»: the voided one too (the person's page
    # tells it apart).
    assert participants(campaign, Scope.for_user(manager)).get(pk=person.pk).attempts == 1
    again = sit(person, campaign, right=[0, 1, 2], when=NOW + datetime.timedelta(hours=2))
    assert again.number == 2 and again.passed
    assert Sitting.objects.result_for(person, campaign.quiz, context) == again
    assert set(Sitting.objects.filter(user=person).values_list("pk", flat=True)) == {lost.pk, again.pk}


def test_a_reset_of_the_best_attempt_leaves_the_other_as_the_result(manager, person, campaign):
    grant_extra_attempt(manager, campaign, person, REASON, now=NOW)
    best = sit(person, campaign, right=[0, 1, 2])
    other = sit(person, campaign, right=[0], when=NOW + datetime.timedelta(minutes=1))
    context = campaign_context(campaign.pk)
    assert Sitting.objects.result_for(person, campaign.quiz, context) == best
    void_sitting(manager, best, REASON, now=NOW)
    assert Sitting.objects.result_for(person, campaign.quiz, context) == other


def test_a_sitting_reset_in_progress_takes_no_more_answers(manager, person, campaign):
    sitting = start_campaign_sitting(person, campaign, now=NOW)
    void_sitting(manager, sitting, REASON, now=NOW)
    with pytest.raises(SittingFinished):
        save_answer(sitting, sitting.question_order[0], None, 5, now=NOW)
    finish_sitting(sitting, now=NOW)  # finishing it later changes nothing
    sitting.refresh_from_db()
    assert sitting.state == Sitting.State.VOID
    assert start_campaign_sitting(person, campaign, now=NOW).number == 2


def test_a_reset_is_refused_twice_and_after_the_close(manager, person, campaign):
    sitting = sit(person, campaign)
    with pytest.raises(OperationRefused):
        void_sitting(manager, sitting, REASON, now=NOW + datetime.timedelta(days=2))
    void_sitting(manager, sitting, REASON, now=NOW)
    with pytest.raises(OperationRefused):
        void_sitting(manager, sitting, REASON, now=NOW)
    assert PersonOperation.objects.count() == 1


def test_a_reset_essay_cannot_be_graded_back_into_a_result(manager, person, town):
    quiz = make_quiz([make_essay()], attempts_allowed=1)
    campaign = make_campaign(
        quiz,
        make_municipal_audience(town),
        NOW - datetime.timedelta(days=1),
        NOW + datetime.timedelta(days=1),
    )
    sitting = start_campaign_sitting(person, campaign, now=NOW)
    save_answer(sitting, sitting.question_order[0], {"text": "Ответ"}, 1, now=NOW)
    finish_sitting(sitting, now=NOW)
    void_sitting(manager, sitting, REASON, now=NOW)
    response = sitting.responses.get()
    assert not Response.objects.awaiting_grading().exists()
    with pytest.raises(SittingVoid):
        grade_response(response, "1", make_person(role=None), now=NOW)
    sitting.refresh_from_db()
    assert sitting.state == Sitting.State.VOID


# --- overriding the points of one answer (appeal) -----------------------------------------------------


def test_an_override_recomputes_the_score_and_the_pass(manager, person, campaign):
    sitting = sit(person, campaign, right=[0])  # 2 of 4 points: 50 %, pass mark 75 %
    assert (sitting.score, sitting.passed) == (Decimal("2.00"), False)
    second = sitting.question_order[1]
    entry = override_points(manager, sitting, second, "1", REASON, now=NOW)
    sitting.refresh_from_db()
    assert (sitting.score, sitting.percent, sitting.passed) == (Decimal("3.00"), Decimal("75.00"), True)
    assert sitting.responses.get(question_id=second).fraction == 1
    assert entry.kind == PersonOperation.Kind.OVERRIDE and entry.question_id == second
    assert entry.before["points"] == "0.00" and entry.after["points"] == "1.00"
    assert (entry.before["percent"], entry.after["percent"]) == ("50.00", "75.00")
    assert (entry.before["passed"], entry.after["passed"]) == (False, True)
    assert ("результат, %", "50", "75") in entry.changes() and ("тест сдан", "нет", "да") in entry.changes()
    context = campaign_context(campaign.pk)
    assert Sitting.objects.result_for(person, campaign.quiz, context).passed


def test_part_of_the_points_and_an_unanswered_question(manager, person, campaign):
    sitting = start_campaign_sitting(person, campaign, now=NOW)
    finish_sitting(sitting, now=NOW)  # nothing answered: 0 %
    first = sitting.question_order[0]  # worth 2 points
    override_points(manager, sitting, first, "1,5", REASON, now=NOW)
    sitting.refresh_from_db()
    assert sitting.score == Decimal("1.50") and sitting.percent == Decimal("37.50")
    response = sitting.responses.get(question_id=first)
    assert response.answer is None and response.fraction == Decimal("0.75")


@pytest.mark.parametrize("points", ["-1", "2.01", "3", "1.005", "много", "", "1e1000000", "NaN"])
def test_override_points_are_bounded_and_a_bad_value_writes_nothing(manager, person, campaign, points):
    sitting = sit(person, campaign, right=[1])
    before = (sitting.score, sitting.percent, sitting.passed)
    with pytest.raises(InvalidOperation):
        override_points(manager, sitting, sitting.question_order[0], points, REASON, now=NOW)
    sitting.refresh_from_db()
    assert (sitting.score, sitting.percent, sitting.passed) == before
    assert sitting.responses.get(question_id=sitting.question_order[0]).fraction == 0
    assert nothing_recorded()


def test_override_is_refused_in_progress_void_and_for_a_foreign_question(manager, person, campaign):
    sitting = start_campaign_sitting(person, campaign, now=NOW)
    question = sitting.question_order[0]
    with pytest.raises(OperationRefused):
        override_points(manager, sitting, question, "1", REASON, now=NOW)
    finish_sitting(sitting, now=NOW)
    with pytest.raises(InvalidOperation):
        override_points(manager, sitting, make_single_choice().pk, "1", REASON, now=NOW)
    with pytest.raises(OperationRefused):
        override_points(manager, sitting, question, "0", REASON, now=NOW)  # already 0: nothing changes
    void_sitting(manager, sitting, REASON, now=NOW)
    with pytest.raises(OperationRefused):
        override_points(manager, sitting, question, "1", REASON, now=NOW)
    assert PersonOperation.objects.count() == 1  # the reset only


def test_an_override_grades_an_essay_waiting_for_a_trainer(manager, person, town):
    quiz = make_quiz([make_essay(points=4), make_single_choice()], pass_mark=50)
    campaign = make_campaign(
        quiz,
        make_municipal_audience(town),
        NOW - datetime.timedelta(days=1),
        NOW + datetime.timedelta(days=1),
    )
    sitting = start_campaign_sitting(person, campaign, now=NOW)
    save_answer(sitting, sitting.question_order[0], {"text": "Подробный ответ"}, 1, now=NOW)
    finish_sitting(sitting, now=NOW)
    assert sitting.state == Sitting.State.NEEDS_GRADING
    entry = override_points(manager, sitting, sitting.question_order[0], "3", REASON, now=NOW)
    sitting.refresh_from_db()
    assert sitting.state == Sitting.State.FINISHED and sitting.score == 3 and sitting.passed
    assert entry.before["points"] is None and entry.before["state"] == Sitting.State.NEEDS_GRADING


# --- personal data --------------------------------------------------------------------------------


def test_my_data_lists_the_operations_without_a_key(manager, person, campaign):
    sitting = sit(person, campaign, right=[0])
    override_points(manager, sitting, sitting.question_order[1], "1", REASON, now=NOW)
    sheet = my_sittings(person)[-1]
    [row] = sheet.rows
    assert row[3] == "изменение баллов за ответ" and row[5] == REASON
    assert "результат, %: 50 → 75" in row[4]
    assert "баллы за ответ" not in row[4] and "верный ответ" not in row[4]
    assert not my_sittings(manager)[-1].rows


def test_anonymizing_a_person_erases_the_reasons_about_them_only(manager, person, campaign, town):
    other = make_person(make_organization(town))
    grant_extra_attempt(manager, campaign, person, REASON, now=NOW)
    grant_extra_attempt(manager, campaign, other, REASON, now=NOW)
    person.is_active = False
    person.save()
    anonymize_people(User.objects.filter(pk=person.pk), NOW)
    assert PersonOperation.objects.get(person=person).reason == str(ERASED_REASON)
    assert PersonOperation.objects.get(person=other).reason == REASON


def test_the_answers_of_an_old_voided_sitting_are_erased_by_retention(manager, person, campaign, settings):
    from quizzes.privacy import ANSWERS

    settings.RETENTION_ANSWERS_YEARS = 3
    sitting = sit(person, campaign, right=[0], finish=False)
    void_sitting(manager, sitting, REASON, now=NOW)
    ANSWERS.apply(NOW + datetime.timedelta(days=1), NOW)  # the cutoff: a day after it started
    assert list(sitting.responses.values_list("answer", flat=True)) == [ERASED] * 3


def test_a_reset_tells_the_live_monitor(
    manager, person, campaign, monkeypatch, django_capture_on_commit_callbacks
):
    sitting = sit(person, campaign)
    notified = []
    monkeypatch.setattr("quizzes.signals.notify_campaign_changed", notified.append)
    with django_capture_on_commit_callbacks(execute=True):
        void_sitting(manager, sitting, REASON, now=NOW)
    assert notified == [campaign.pk]
