"""Sittings: start, save, finish, overdue, grading and which attempt counts. All times are the server's."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from people.factories import make_person
from quizzes import services
from quizzes.exceptions import (
    GradingNotAllowed,
    InvalidAnswer,
    InvalidGrade,
    NoAttemptsLeft,
    QuestionNotInSitting,
    QuizClosed,
    SittingExpired,
    SittingFinished,
    SittingInProgress,
)
from quizzes.factories import (
    correct_answer,
    make_essay,
    make_numeric,
    make_quiz,
    make_single_choice,
    make_true_false,
)
from quizzes.models import ANSWER_GRACE, Response, Sitting
from quizzes.services import finish_overdue, finish_sitting, grade_response, save_answer, start_sitting

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2025, 3, 3, 10, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


def answer_all(sitting, right, now=T0, seq=1):
    """Answer every question of a sitting: correctly when ``right``, else with a wrong but valid answer."""
    for snapshot in sitting.questions():
        answer = correct_answer(snapshot) if right else wrong_answer(snapshot)
        save_answer(sitting, snapshot["id"], answer, seq, now=now)


def wrong_answer(snapshot):
    if snapshot["type"] == "truefalse":
        return {"value": not snapshot["key"]["value"]}
    if snapshot["type"] == "numeric":
        return {"value": str(Decimal(snapshot["key"]["value"]) + 1000)}
    if snapshot["type"] == "single":
        return {
            "choice": next(o["id"] for o in snapshot["options"] if o["id"] not in snapshot["key"]["correct"])
        }
    raise ValueError(snapshot["type"])


@pytest.fixture
def person():
    return make_person()


@pytest.fixture
def quiz():
    return make_quiz([make_true_false(), make_single_choice(), make_numeric(value="30")], time_limit=30)


class TestStart:
    def test_start_freezes_questions_and_sets_the_deadline(self, person, quiz):
        sitting = start_sitting(person, quiz, now=T0)
        assert sitting.state == Sitting.State.IN_PROGRESS
        assert sitting.started_at == T0
        assert sitting.deadline == T0 + 30 * MINUTE
        assert sitting.number == 1
        assert sitting.question_order == list(quiz.quiz_questions.values_list("question_id", flat=True))
        assert sitting.max_score == 3
        assert len(sitting.public_questions()) == 3

    def test_second_start_returns_the_sitting_in_progress(self, person, quiz):
        first = start_sitting(person, quiz, now=T0)
        again = start_sitting(person, quiz, now=T0 + 5 * MINUTE)
        assert again.pk == first.pk
        assert Sitting.objects.filter(user=person, quiz=quiz).count() == 1

    def test_database_refuses_two_sittings_in_progress(self, person, quiz):
        sitting = start_sitting(person, quiz, now=T0)
        with pytest.raises(IntegrityError), transaction.atomic():
            Sitting.objects.create(
                user=person, quiz=quiz, number=2, started_at=T0, pass_mark=70, snapshot=sitting.snapshot
            )

    def test_a_parallel_start_that_wins_the_race_is_returned(self, person, quiz, monkeypatch):
        """Another worker inserts its sitting between our check and our insert: we get theirs."""
        real_build = services.sittings.build_sitting
        theirs = []

        def racing_build(*args, **kwargs):
            if not theirs:
                rival = real_build(*args, **kwargs)
                rival.save()
                theirs.append(rival)
            return real_build(*args, **kwargs)

        monkeypatch.setattr(services.sittings, "build_sitting", racing_build)
        ours = start_sitting(person, quiz, now=T0)
        assert ours.pk == theirs[0].pk
        assert Sitting.objects.filter(user=person, quiz=quiz).count() == 1

    def test_attempts_allowed_is_respected(self, person, quiz):
        quiz.attempts_allowed = 2
        quiz.save()
        for number in (1, 2):
            sitting = start_sitting(person, quiz, now=T0)
            assert sitting.number == number
            finish_sitting(sitting, now=T0 + MINUTE)
        with pytest.raises(NoAttemptsLeft):
            start_sitting(person, quiz, now=T0 + 2 * MINUTE)

    def test_zero_attempts_means_unlimited(self, person, quiz):
        quiz.attempts_allowed = 0
        quiz.save()
        for _ in range(5):
            finish_sitting(start_sitting(person, quiz, now=T0), now=T0)
        assert Sitting.objects.filter(user=person, quiz=quiz).finished().count() == 5

    def test_attempts_are_counted_per_person(self, quiz):
        finish_sitting(start_sitting(make_person(), quiz, now=T0), now=T0)
        assert start_sitting(make_person(), quiz, now=T0).number == 1

    def test_extra_time_and_hard_close_shape_the_deadline(self, quiz):
        extra = 15 * MINUTE
        assert start_sitting(make_person(), quiz, now=T0, extra_time=extra).deadline == T0 + 45 * MINUTE
        closes = T0 + 10 * MINUTE
        assert start_sitting(make_person(), quiz, now=T0, closes_at=closes).deadline == closes
        late = T0 + 2 * datetime.timedelta(hours=1)
        assert start_sitting(make_person(), quiz, now=T0, closes_at=late).deadline == T0 + 30 * MINUTE

    def test_no_time_limit_and_no_close_means_no_deadline(self, person):
        quiz = make_quiz([make_true_false()], time_limit=None)
        assert start_sitting(person, quiz, now=T0).deadline is None

    def test_closed_quiz_cannot_be_started(self, person, quiz):
        with pytest.raises(QuizClosed):
            start_sitting(person, quiz, now=T0, closes_at=T0)

    def test_an_abandoned_overdue_sitting_is_finished_before_a_new_one(self, person, quiz):
        quiz.attempts_allowed = 0
        quiz.save()
        old = start_sitting(person, quiz, now=T0)
        new = start_sitting(person, quiz, now=T0 + 2 * datetime.timedelta(hours=1))
        old.refresh_from_db()
        assert new.pk != old.pk and new.number == 2
        assert old.state == Sitting.State.FINISHED and old.finished_at == old.deadline

    def test_default_now_is_the_server_clock(self, person, quiz):
        before = timezone.now()
        sitting = start_sitting(person, quiz)
        assert before <= sitting.started_at <= timezone.now()


class TestSaveAnswer:
    def test_newer_seq_wins_and_older_is_ignored(self, person, quiz):
        sitting = start_sitting(person, quiz, now=T0)
        question = sitting.question_order[0]
        save_answer(sitting, question, {"value": True}, seq=1, now=T0)
        save_answer(sitting, question, {"value": False}, seq=3, now=T0 + MINUTE)
        stored = save_answer(sitting, question, {"value": True}, seq=2, now=T0 + 2 * MINUTE)
        assert (stored.answer, stored.seq, stored.saved_at) == ({"value": False}, 3, T0 + MINUTE)

    def test_same_request_twice_is_a_no_op(self, person, quiz):
        sitting = start_sitting(person, quiz, now=T0)
        question = sitting.question_order[0]
        first = save_answer(sitting, question, {"value": True}, seq=7, now=T0)
        again = save_answer(sitting, question, {"value": True}, seq=7, now=T0 + MINUTE)
        assert again.pk == first.pk and again.saved_at == T0
        assert Response.objects.filter(sitting=sitting).count() == 1

    def test_equal_seq_with_another_answer_does_not_overwrite(self, person, quiz):
        sitting = start_sitting(person, quiz, now=T0)
        question = sitting.question_order[0]
        save_answer(sitting, question, {"value": True}, seq=4, now=T0)
        assert save_answer(sitting, question, {"value": False}, seq=4, now=T0).answer == {"value": True}

    def test_an_older_save_arriving_first_is_overtaken(self, person, quiz):
        sitting = start_sitting(person, quiz, now=T0)
        question = sitting.question_order[0]
        save_answer(sitting, question, {"value": True}, seq=0, now=T0)
        assert save_answer(sitting, question, {"value": False}, seq=1, now=T0).answer == {"value": False}

    def test_the_stored_fraction_follows_the_answer(self, person, quiz):
        sitting = start_sitting(person, quiz, now=T0)
        snapshot = sitting.questions()[2]
        assert save_answer(sitting, snapshot["id"], {"value": "30"}, 1, now=T0).fraction == 1
        assert save_answer(sitting, snapshot["id"], {"value": "31"}, 2, now=T0).fraction == 0

    def test_answers_are_accepted_until_deadline_plus_grace(self, person, quiz):
        sitting = start_sitting(person, quiz, now=T0)
        question = sitting.question_order[0]
        save_answer(sitting, question, {"value": True}, 1, now=sitting.deadline + ANSWER_GRACE)
        with pytest.raises(SittingExpired):
            save_answer(
                sitting, question, {"value": False}, 2, now=sitting.deadline + ANSWER_GRACE + MINUTE / 60
            )
        assert Response.objects.get(sitting=sitting).answer == {"value": True}
        assert datetime.timedelta(seconds=10) >= ANSWER_GRACE

    def test_finished_sitting_refuses_answers(self, person, quiz):
        sitting = start_sitting(person, quiz, now=T0)
        finish_sitting(sitting, now=T0 + MINUTE)
        with pytest.raises(SittingFinished):
            save_answer(sitting, sitting.question_order[0], {"value": True}, 1, now=T0 + MINUTE)

    def test_a_stale_sitting_object_cannot_sneak_an_answer_in(self, person, quiz):
        sitting = start_sitting(person, quiz, now=T0)
        finish_sitting(Sitting.objects.get(pk=sitting.pk), now=T0 + MINUTE)
        assert sitting.state == Sitting.State.IN_PROGRESS  # this copy does not know
        with pytest.raises(SittingFinished):
            save_answer(sitting, sitting.question_order[0], {"value": True}, 1, now=T0 + MINUTE)

    @pytest.mark.parametrize("question_id", ["abc", None, 10**9])
    def test_question_not_in_the_sitting_is_refused(self, person, quiz, question_id):
        sitting = start_sitting(person, quiz, now=T0)
        with pytest.raises(QuestionNotInSitting):
            save_answer(sitting, question_id, {"value": True}, 1, now=T0)

    def test_a_question_of_the_bank_but_not_of_this_sitting_is_refused(self, person, quiz):
        sitting = start_sitting(person, quiz, now=T0)
        with pytest.raises(QuestionNotInSitting):
            save_answer(sitting, make_true_false().pk, {"value": True}, 1, now=T0)

    def test_invalid_answer_stores_nothing(self, person, quiz):
        sitting = start_sitting(person, quiz, now=T0)
        with pytest.raises(InvalidAnswer):
            save_answer(sitting, sitting.question_order[0], {"value": "да"}, 1, now=T0)
        assert not Response.objects.filter(sitting=sitting).exists()

    @pytest.mark.parametrize("seq", [-1, "1", 1.5, True, None, 2**63])
    def test_seq_must_be_a_non_negative_integer(self, person, quiz, seq):
        sitting = start_sitting(person, quiz, now=T0)
        with pytest.raises(InvalidAnswer):
            save_answer(sitting, sitting.question_order[0], {"value": True}, seq, now=T0)

    def test_clearing_an_answer_with_none(self, person, quiz):
        sitting = start_sitting(person, quiz, now=T0)
        question = sitting.question_order[0]
        save_answer(sitting, question, {"value": True}, 1, now=T0)
        cleared = save_answer(sitting, question, None, 2, now=T0)
        assert cleared.answer is None and cleared.fraction == 0

    def test_a_save_costs_a_handful_of_queries(self, person, quiz, django_assert_max_num_queries):
        sitting = start_sitting(person, quiz, now=T0)
        question = sitting.question_order[0]
        save_answer(sitting, question, {"value": True}, 1, now=T0)
        with django_assert_max_num_queries(6):
            save_answer(sitting, question, {"value": False}, 2, now=T0)


class TestFinish:
    def test_result_is_computed_from_the_answers(self, person, quiz):
        sitting = start_sitting(person, quiz, now=T0)
        first, second, third = sitting.questions()
        save_answer(sitting, first["id"], correct_answer(first), 1, now=T0)
        save_answer(sitting, second["id"], correct_answer(second), 1, now=T0)
        save_answer(sitting, third["id"], wrong_answer(third), 1, now=T0)
        finish_sitting(sitting, now=T0 + MINUTE)
        sitting.refresh_from_db()
        assert (sitting.score, sitting.max_score) == (2, 3)
        assert sitting.percent == (Decimal(200) / 3).quantize(Decimal("0.01"))
        assert sitting.passed is False  # 66.67 % < 70 %
        assert sitting.finished_at == T0 + MINUTE
        assert sitting.state == Sitting.State.FINISHED

    def test_pass_mark_is_inclusive_and_frozen_at_start(self, person):
        quiz = make_quiz([make_true_false(points=1), make_true_false(points=1)], pass_mark=50)
        sitting = start_sitting(person, quiz, now=T0)
        quiz.pass_mark = 100
        quiz.save()
        snapshot = sitting.questions()[0]
        save_answer(sitting, snapshot["id"], correct_answer(snapshot), 1, now=T0)
        finish_sitting(sitting, now=T0)
        assert sitting.percent == 50 and sitting.passed is True

    def test_points_weigh_the_questions(self, person):
        heavy, light = make_true_false(points=3), make_true_false(points=1)
        sitting = start_sitting(person, make_quiz([heavy, light]), now=T0)
        save_answer(sitting, heavy.pk, {"value": True}, 1, now=T0)
        finish_sitting(sitting, now=T0)
        assert (sitting.score, sitting.max_score, sitting.percent) == (3, 4, 75)

    def test_unanswered_sitting_scores_zero(self, person, quiz):
        sitting = finish_sitting(start_sitting(person, quiz, now=T0), now=T0)
        assert (sitting.score, sitting.percent, sitting.passed) == (0, 0, False)

    def test_finishing_twice_finishes_once(self, person, quiz):
        sitting = start_sitting(person, quiz, now=T0)
        answer_all(sitting, right=True)
        finish_sitting(sitting, now=T0 + MINUTE)
        # a late copy of the sitting, and a rescoring attempt with a forged response, change nothing
        Response.objects.filter(sitting=sitting).update(fraction=0)
        again = finish_sitting(Sitting.objects.get(pk=sitting.pk), now=T0 + 5 * MINUTE)
        assert again.finished_at == T0 + MINUTE
        assert again.score == 3 and again.passed

    def test_finishing_after_the_deadline_records_the_deadline(self, person, quiz):
        sitting = start_sitting(person, quiz, now=T0)
        finish_sitting(sitting, now=T0 + 3 * datetime.timedelta(hours=1))
        assert sitting.finished_at == sitting.deadline


class TestFinishOverdue:
    def test_overdue_sittings_finish_at_their_deadline_with_their_answers(self, quiz):
        overdue = start_sitting(make_person(), quiz, now=T0)
        answer_all(overdue, right=True, now=T0 + MINUTE)
        in_grace = start_sitting(make_person(), quiz, now=T0 + 10 * MINUTE)
        running = start_sitting(make_person(), quiz, now=T0 + 20 * MINUTE)
        unlimited = start_sitting(make_person(), make_quiz([make_true_false()], time_limit=None), now=T0)

        now = in_grace.deadline + ANSWER_GRACE / 2
        assert finish_overdue(now=now) == 1
        overdue.refresh_from_db()
        assert overdue.state == Sitting.State.FINISHED
        assert overdue.finished_at == overdue.deadline
        assert overdue.score == 3
        for sitting in (in_grace, running, unlimited):
            sitting.refresh_from_db()
            assert sitting.state == Sitting.State.IN_PROGRESS

        assert finish_overdue(now=now + ANSWER_GRACE) == 1  # now in_grace is past its grace too
        assert finish_overdue(now=now + ANSWER_GRACE) == 0


class TestEssayGrading:
    @pytest.fixture
    def graded_quiz(self):
        return make_quiz([make_true_false(points=1), make_essay(points=4)], pass_mark=60)

    def test_essay_waits_for_a_trainer_then_completes(self, person, graded_quiz):
        trainer = make_person()
        sitting = start_sitting(person, graded_quiz, now=T0)
        answer_all_with_essay(sitting)
        finish_sitting(sitting, now=T0 + MINUTE)
        assert sitting.state == Sitting.State.NEEDS_GRADING
        assert sitting.score is None and sitting.passed is None and sitting.max_score == 5

        essay = Response.objects.awaiting_grading().get()
        assert essay.sitting_id == sitting.pk
        grade_response(essay, Decimal("0.5"), trainer, comment="Неполно", now=T0 + 2 * MINUTE)
        sitting.refresh_from_db()
        assert sitting.state == Sitting.State.FINISHED
        assert (sitting.score, sitting.percent, sitting.passed) == (3, 60, True)
        assert sitting.finished_at == T0 + MINUTE
        essay.refresh_from_db()
        assert (essay.grader, essay.graded_at, essay.grader_comment) == (trainer, T0 + 2 * MINUTE, "Неполно")
        assert not Response.objects.awaiting_grading().exists()

    def test_regrading_corrects_the_result(self, person, graded_quiz):
        sitting = start_sitting(person, graded_quiz, now=T0)
        answer_all_with_essay(sitting)
        finish_sitting(sitting, now=T0)
        essay = Response.objects.awaiting_grading().get()
        grade_response(essay, 1, make_person(), now=T0)
        grade_response(essay, "0,25", make_person(), now=T0)
        sitting.refresh_from_db()
        assert sitting.score == 2 and sitting.passed is False

    def test_blank_essay_needs_no_trainer(self, person, graded_quiz):
        sitting = start_sitting(person, graded_quiz, now=T0)
        essay_id = sitting.question_order[1]
        save_answer(sitting, essay_id, {"text": "  "}, 1, now=T0)
        assert finish_sitting(sitting, now=T0).state == Sitting.State.FINISHED

    @pytest.mark.parametrize("fraction", [-1, "1.01", "много", None, True])
    def test_grade_must_be_a_fraction(self, person, graded_quiz, fraction):
        sitting = start_sitting(person, graded_quiz, now=T0)
        answer_all_with_essay(sitting)
        finish_sitting(sitting, now=T0)
        with pytest.raises(InvalidGrade):
            grade_response(Response.objects.awaiting_grading().get(), fraction, make_person())

    def test_automatic_answers_and_running_sittings_cannot_be_graded(self, person, graded_quiz):
        sitting = start_sitting(person, graded_quiz, now=T0)
        answer_all_with_essay(sitting)
        essay = Response.objects.get(sitting=sitting, question_id=sitting.question_order[1])
        with pytest.raises(SittingInProgress):
            grade_response(essay, 1, make_person())
        finish_sitting(sitting, now=T0)
        automatic = Response.objects.get(sitting=sitting, question_id=sitting.question_order[0])
        with pytest.raises(GradingNotAllowed):
            grade_response(automatic, 1, make_person())


def answer_all_with_essay(sitting):
    tf, essay = sitting.questions()
    save_answer(sitting, tf["id"], correct_answer(tf), 1, now=T0)
    save_answer(sitting, essay["id"], {"text": "Обязан уведомить работодателя."}, 1, now=T0)


class TestWhichAttemptCounts:
    def take(self, person, quiz, right_count, at):
        """A finished sitting with ``right_count`` right answers, finished at ``at``."""
        sitting = start_sitting(person, quiz, now=at)
        for index, snapshot in enumerate(sitting.questions()):
            answer = correct_answer(snapshot) if index < right_count else wrong_answer(snapshot)
            save_answer(sitting, snapshot["id"], answer, 1, now=at)
        return finish_sitting(sitting, now=at)

    @pytest.fixture
    def four_questions(self):
        return [make_true_false() for _ in range(4)]

    def test_best_attempt_counts(self, person, four_questions):
        quiz = make_quiz(four_questions, attempts_allowed=0, grading_method="best")
        self.take(person, quiz, 2, T0)
        best = self.take(person, quiz, 4, T0 + MINUTE)
        self.take(person, quiz, 1, T0 + 2 * MINUTE)
        assert Sitting.objects.result_for(person, quiz, "") == best

    def test_last_attempt_counts(self, person, four_questions):
        quiz = make_quiz(four_questions, attempts_allowed=0, grading_method="last")
        self.take(person, quiz, 4, T0)
        last = self.take(person, quiz, 1, T0 + MINUTE)
        assert Sitting.objects.result_for(person, quiz, "") == last

    def test_sittings_in_progress_or_waiting_do_not_count(self, person, four_questions):
        quiz = make_quiz(four_questions, attempts_allowed=0)
        assert Sitting.objects.result_for(person, quiz, "") is None
        start_sitting(person, quiz, now=T0)
        assert Sitting.objects.result_for(person, quiz, "") is None

    def test_counted_gives_one_sitting_per_person(self, four_questions):
        best_quiz = make_quiz(four_questions, attempts_allowed=0, grading_method="best")
        last_quiz = make_quiz(four_questions, attempts_allowed=0, grading_method="last")
        people = [make_person(), make_person()]
        expected = set()
        for offset, someone in enumerate(people):
            expected.add(self.take(someone, best_quiz, 3, T0).pk)
            self.take(someone, best_quiz, offset, T0 + MINUTE)
            self.take(someone, last_quiz, 4, T0)
            expected.add(self.take(someone, last_quiz, offset, T0 + MINUTE).pk)
        assert set(Sitting.objects.counted().values_list("pk", flat=True)) == expected
