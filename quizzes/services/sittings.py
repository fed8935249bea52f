"""Starting, answering, finishing and grading sittings.

Safe under concurrent requests from many workers: every write to a sitting happens in a transaction
that first locks the sitting row (``select_for_update``), "one sitting in progress per person and
quiz" is a database constraint, and an answer is written by a conditional UPDATE on its sequence
number, never read-modify-write. Every time comes from the server: ``timezone.now()`` unless a test
passes ``now``.

On SQLite (no row locks) transactions must begin with the write lock, ``OPTIONS["transaction_mode"] =
"IMMEDIATE"``: with the default deferred mode, parallel writers that read first fail with "database
is locked" instead of waiting (``quizzes/tests/test_concurrency.py`` races real processes on a file).
"""

import datetime
import random

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..exceptions import (
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
from ..models import QUESTION_TYPES, Response, Sitting, score_snapshot
from ..scoring import ONE, ZERO, parse_decimal, quantize_fraction

# The fields a finish or a grading writes, copied back onto the caller's sitting object.
RESULT_FIELDS = ["state", "finished_at", "score", "max_score", "percent", "passed"]
MAX_SEQ = 2**63 - 1
_START_TRIES = 3


def start_sitting(user, quiz, *, now=None, closes_at=None, extra_time=None, rng=None, campaign=None):
    """The person's sitting in progress for this quiz, or a new one.

    ``closes_at`` is a hard close (e.g. the campaign's end) and ``extra_time`` a per-person
    ``timedelta`` added to the quiz's time limit; the deadline is the earlier of the two. A sitting
    left in progress past its deadline is finished first. Raises :class:`NoAttemptsLeft`,
    :class:`QuizClosed`, :class:`NotEnoughQuestions`, :class:`QuizEmpty`.
    """
    now = now or timezone.now()
    for _try in range(_START_TRIES):
        current = Sitting.objects.in_progress().filter(user=user, quiz=quiz).first()
        if current is not None:
            if current.accepts_answers_at(now):
                return current
            finish_sitting(current, now=now)
        if closes_at is not None and closes_at <= now:
            raise QuizClosed
        taken = Sitting.objects.filter(user=user, quiz=quiz).count()
        if quiz.attempts_allowed and taken >= quiz.attempts_allowed:
            raise NoAttemptsLeft
        sitting = build_sitting(
            user, quiz, number=taken + 1, now=now, closes_at=closes_at, extra_time=extra_time, rng=rng
        )
        sitting.campaign = campaign
        try:
            with transaction.atomic():
                sitting.save(force_insert=True)
        except IntegrityError:
            continue  # a parallel request of the same person won the race: look again and use theirs
        return sitting
    raise NoAttemptsLeft


def build_sitting(user, quiz, *, number, now, closes_at=None, extra_time=None, rng=None):
    """An unsaved sitting with its questions drawn and frozen, and its deadline computed."""
    rng = rng or random.SystemRandom()
    questions = quiz.draw_questions(rng=rng)
    snapshots = {}
    for question in questions:
        snapshot = question.snapshot()
        if quiz.shuffle_options:
            for name in ("options", "left", "right"):
                if name in snapshot:
                    rng.shuffle(snapshot[name])
        snapshots[str(question.pk)] = snapshot
    limits = [closes_at] if closes_at is not None else []
    if quiz.time_limit:
        limits.append(
            now + datetime.timedelta(minutes=quiz.time_limit) + (extra_time or datetime.timedelta())
        )
    sitting = Sitting(
        user=user,
        quiz=quiz,
        number=number,
        started_at=now,
        deadline=min(limits) if limits else None,
        question_order=[question.pk for question in questions],
        snapshot=snapshots,
        pass_mark=quiz.pass_mark,
    )
    sitting.max_score = sitting.total_points()
    return sitting


def save_answer(sitting, question_id, answer, seq, *, now=None):
    """Store an answer unless a newer one (higher ``seq``) is already stored; returns the stored response.

    Idempotent: the same request twice changes nothing. Raises :class:`QuestionNotInSitting`,
    :class:`InvalidAnswer`, :class:`SittingFinished`, :class:`SittingExpired` (after the deadline
    plus :data:`~quizzes.models.ANSWER_GRACE`).
    """
    now = now or timezone.now()
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq <= MAX_SEQ:
        raise InvalidAnswer(_("Неверный порядковый номер ответа."))
    snapshot = sitting.question_snapshot(question_id)  # the snapshot never changes: no lock needed
    if snapshot is None:
        raise QuestionNotInSitting
    fraction = score_snapshot(snapshot, answer)
    fields = {"answer": answer, "seq": seq, "saved_at": now, "fraction": fraction}
    responses = Response.objects.filter(sitting_id=sitting.pk, question_id=snapshot["id"])
    with transaction.atomic():
        locked = _lock(sitting)
        if locked.state != Sitting.State.IN_PROGRESS:
            raise SittingFinished
        if not locked.accepts_answers_at(now):
            raise SittingExpired
        if not responses.filter(seq__lt=seq).update(**fields):
            try:
                with transaction.atomic():
                    Response.objects.create(sitting_id=sitting.pk, question_id=snapshot["id"], **fields)
            except IntegrityError:
                responses.filter(seq__lt=seq).update(**fields)  # created meanwhile: newer seq still wins
    return responses.get()


def finish_sitting(sitting, *, now=None):
    """Finish and score a sitting once; finishing again changes nothing. Returns the sitting.

    The finish time is never later than the deadline. A sitting with an essay to grade goes to
    ``needs_grading`` instead of ``finished``.
    """
    _finish(sitting, now or timezone.now())
    return sitting


def finish_overdue(now=None):
    """Finish every sitting left in progress past its deadline (plus grace); returns how many."""
    now = now or timezone.now()
    return sum(_finish(sitting, now) for sitting in Sitting.objects.overdue(now).only("pk").iterator())


def grade_response(response, fraction, grader, *, comment="", now=None):
    """A trainer's grade (a fraction 0..1 of the points) for an essay; completes the sitting when
    nothing is left to grade. Grading again corrects the grade and the result."""
    now = now or timezone.now()
    try:
        fraction = parse_decimal(fraction)
    except InvalidAnswer:
        raise InvalidGrade from None
    if not ZERO <= fraction <= ONE:
        raise InvalidGrade
    with transaction.atomic():
        locked = _lock(response.sitting)
        if locked.state == Sitting.State.IN_PROGRESS:
            raise SittingInProgress
        snapshot = locked.question_snapshot(response.question_id)
        if not QUESTION_TYPES[snapshot["type"]].needs_manual_grading:
            raise GradingNotAllowed
        fields = {
            "fraction": quantize_fraction(fraction),
            "grader": grader,
            "graded_at": now,
            "grader_comment": comment,
        }
        Response.objects.filter(pk=response.pk).update(**fields)
        locked.apply_result(locked.fractions())
        locked.save(update_fields=RESULT_FIELDS)
    for name, value in fields.items():
        setattr(response, name, value)
    _copy_result(locked, response.sitting)
    return response


def _lock(sitting):
    return Sitting.objects.select_for_update().get(pk=sitting.pk)


def _finish(sitting, now):
    """Finish ``sitting`` if it is still in progress; True when this call finished it."""
    with transaction.atomic():
        locked = _lock(sitting)
        changed = locked.state == Sitting.State.IN_PROGRESS
        if changed:
            locked.finished_at = locked.finish_time(now)
            locked.apply_result(locked.fractions())
            locked.save(update_fields=RESULT_FIELDS)
    _copy_result(locked, sitting)
    return changed


def _copy_result(source, target):
    if source is not target:
        for name in RESULT_FIELDS:
            setattr(target, name, getattr(source, name))
