"""Starting, answering, finishing and grading sittings.

Safe under concurrent requests from many workers: every write to a sitting happens in a transaction
that first locks the sitting row (``select_for_update``), "one sitting in progress per person and
quiz" is a database constraint, and an answer is written by one conditional upsert on its sequence
number (``INSERT … ON CONFLICT DO UPDATE … WHERE seq < new seq``), never read-modify-write. Every
time comes from the server: ``timezone.now()`` unless a test passes ``now``.

On SQLite (no row locks) transactions must begin with the write lock, ``OPTIONS["transaction_mode"] =
"IMMEDIATE"``: with the default deferred mode, parallel writers that read first fail with "database
is locked" instead of waiting (``quizzes/tests/test_concurrency.py`` races real processes on a file).
"""

import datetime
import logging

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..contexts import NONE, campaign_context
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
    SittingVoid,
)
from ..models import QUESTION_TYPES, AttemptAllowance, Response, Sitting, score_snapshot
from ..models.sittings import QuestionSnapshot
from ..scoring import ONE, ZERO, parse_decimal, quantize_fraction
from .drawing import draw_snapshots

logger = logging.getLogger(__name__)

# The fields a finish or a grading writes, copied back onto the caller's sitting object.
RESULT_FIELDS = ["state", "finished_at", "score", "max_score", "percent", "passed"]
MAX_SEQ = 2**63 - 1
_START_TRIES = 3


def start_sitting(
    user,
    quiz,
    *,
    context=NONE,
    now=None,
    closes_at=None,
    extra_time=None,
    rng=None,
    campaign=None,
    attempts_since=None,
):
    """The person's sitting in progress for this quiz in ``context``, or a new one.

    ``context`` is where the sitting is taken (:mod:`quizzes.contexts`): attempts, numbering and
    resuming count only the person's sittings of this quiz in that context, so the same quiz in
    another campaign, course or lesson neither uses up nor resumes anything here. A campaign's sitting
    is always in the campaign's context.

    ``closes_at`` is a hard close (e.g. the campaign's end) and ``extra_time`` a per-person
    ``timedelta`` added to the quiz's time limit; the deadline is the earlier of the two.
    ``attempts_since`` counts the quiz's attempts limit only from that moment (a recertification
    starts with the full number of attempts; the sitting numbers keep counting). A sitting
    left in progress past its deadline is finished first. A voided sitting (reset by a manager) keeps its
    number but uses up no attempt, and the attempts a manager granted the person
    (:class:`~quizzes.models.AttemptAllowance`) are added to the quiz's. Raises :class:`NoAttemptsLeft`,
    :class:`QuizClosed`, :class:`NotEnoughQuestions`, :class:`QuizEmpty`.

    A new sitting costs one read of the person's sittings, the draw (two queries for fixed questions,
    snapshots from :mod:`~quizzes.services.drawing`) and one INSERT.
    """
    now = now or timezone.now()
    if campaign is not None and context != campaign_context(campaign.pk):
        raise ValueError("a campaign's sitting is taken in the campaign's context")
    for _try in range(_START_TRIES):
        mine = my_sittings(user, quiz, context)
        current = next((row for row in mine if row[1] == Sitting.State.IN_PROGRESS), None)
        if current is not None:
            sitting = Sitting.objects.select_related("quiz", "campaign").get(pk=current[0])
            if sitting.accepts_answers_at(now):
                return sitting
            finish_sitting(sitting, now=now)
        if closes_at is not None and closes_at <= now:
            raise QuizClosed
        number = next_number(user, quiz, context, mine, attempts_since)
        sitting = build_sitting(
            user, quiz, number=number, now=now, closes_at=closes_at, extra_time=extra_time, rng=rng
        )
        sitting.campaign = campaign
        sitting.context = context
        try:
            with transaction.atomic():
                sitting.save(force_insert=True)
        except IntegrityError:
            continue  # a parallel request of the same person won the race: look again and use theirs
        return sitting
    raise NoAttemptsLeft


def my_sittings(user, quiz, context):
    """``(pk, state, deadline, started_at)`` of the person's sittings of ``quiz`` in ``context``."""
    return list(
        Sitting.objects.in_context(user, quiz, context).values_list("pk", "state", "deadline", "started_at")
    )


def next_number(user, quiz, context, mine, attempts_since=None):
    """The number of the person's next sitting, given ``mine`` (:func:`my_sittings`); raises
    :class:`NoAttemptsLeft` when the quiz's attempts (plus those a manager granted) are used up."""
    taken = len(mine)  # numbering counts every sitting; attempts used, all but the voided ones
    counted = sum(
        1
        for row in mine
        if row[1] != Sitting.State.VOID and (attempts_since is None or row[3] >= attempts_since)
    )
    # At the limit only, the attempts a manager granted this person (one query, rarely made).
    if (
        quiz.attempts_allowed
        and counted >= quiz.attempts_allowed
        and counted >= quiz.attempts_allowed + AttemptAllowance.extra_for(user, quiz, context)
    ):
        raise NoAttemptsLeft
    return taken + 1


def build_sitting(user, quiz, *, number, now, closes_at=None, extra_time=None, rng=None, snapshots=None):
    """An unsaved sitting with its questions drawn (or ``snapshots`` already drawn) and frozen, and its
    deadline computed."""
    if snapshots is None:
        snapshots = draw_snapshots(quiz, rng=rng)
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
        question_order=[snapshot["id"] for snapshot in snapshots],
        snapshot={str(snapshot["id"]): snapshot for snapshot in snapshots},
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
    response, _locked = save_my_answer(None, sitting.pk, question_id, answer, seq, now=now)
    return response


def save_my_answer(user, sitting_id, question_id, answer, seq, *, now=None):
    """:func:`save_answer` by ids, for the person ``user`` (None: anybody's sitting), in 2 queries.

    Returns ``(response, sitting)``: the stored response and the sitting with only ``state`` and
    ``deadline`` loaded. Raises :class:`Sitting.DoesNotExist` when ``user`` has no such sitting, and
    what :func:`save_answer` raises. One query reads the sitting's state, deadline and the snapshot of
    this one question and locks the row (so a finish cannot score around the save); one INSERT … ON
    CONFLICT DO UPDATE … WHERE seq < new seq writes the answer, first or changed, never read-modify-write.
    """
    now = now or timezone.now()
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq <= MAX_SEQ:
        raise InvalidAnswer(_("Неверный порядковый номер ответа."))
    if not str(question_id).isdigit():  # snapshots are keyed by str(pk)
        raise QuestionNotInSitting
    sittings = Sitting.objects.filter(pk=sitting_id)
    if user is not None:
        sittings = sittings.filter(user=user)
    with transaction.atomic():
        row = list(
            sittings.select_for_update()
            .order_by()
            .values("state", "deadline", question=QuestionSnapshot(question_id))[:1]
        )
        row = row[0] if row else None
        if row is None:
            raise Sitting.DoesNotExist
        snapshot = row["question"]
        if snapshot is None:
            raise QuestionNotInSitting
        fraction = score_snapshot(snapshot, answer)
        locked = Sitting(pk=sitting_id, state=row["state"], deadline=row["deadline"])
        if locked.state != Sitting.State.IN_PROGRESS:
            raise SittingFinished
        if not locked.accepts_answers_at(now):
            raise SittingExpired
        fields = {"answer": answer, "seq": seq, "saved_at": now, "fraction": fraction}
        pk = _upsert_response(sitting_id, snapshot["id"], fields)
    if pk is None:  # a newer (or the same) answer is stored: it stays, and is what the caller gets
        return Response.objects.get(sitting_id=sitting_id, question_id=snapshot["id"]), locked
    return Response(pk=pk, sitting_id=sitting_id, question_id=snapshot["id"], **fields), locked


def _upsert_response(sitting_id, question_id, fields):
    """Insert the response or overwrite an older one (lower seq), in one statement; its pk, or None
    when the stored one is not older (then nothing changed)."""
    table = Response._meta.db_table
    names = ["sitting_id", "question_id", *fields, "grader_comment"]
    values = [sitting_id, question_id]
    for name, value in fields.items():
        values.append(Response._meta.get_field(name).get_db_prep_save(value, connection))
    values.append("")
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in names)
    updates = ", ".join(f"{quote(name)} = EXCLUDED.{quote(name)}" for name in fields)
    sql = (
        f"INSERT INTO {quote(table)} ({columns}) VALUES ({', '.join(['%s'] * len(values))}) "
        f'ON CONFLICT ("sitting_id", "question_id") DO UPDATE SET {updates} '
        f"WHERE {quote(table)}.{quote('seq')} < EXCLUDED.{quote('seq')} RETURNING {quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    return row[0] if row else None


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


# How many overdue sittings a page finishes itself before it shows figures; the rest go to the task.
CATCH_UP_LIMIT = 500


def catch_up(now=None, limit=CATCH_UP_LIMIT):
    """Finish sittings left in progress past their deadline before figures are read.

    The periodic job (``finish_overdue``, every minute) does this too, but the figures must not depend
    on it having run: a manager's page calls this first, so a sitting past its deadline counts as
    finished at its deadline. One indexed query when nothing is overdue; past ``limit`` the rest is
    handed to the task queue (a backlog that large means the job is not running). Returns how many
    this call finished.
    """
    now = now or timezone.now()
    overdue = list(Sitting.objects.overdue(now).order_by("deadline", "pk").only("pk")[: limit + 1])
    finished = sum(_finish(sitting, now) for sitting in overdue[:limit])
    if len(overdue) > limit:
        from ..tasks import finish_overdue_sittings

        logger.warning("More than %s sittings were overdue; the rest is queued", limit)
        finish_overdue_sittings.enqueue()
    return finished


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
        locked = Sitting.objects.select_for_update().get(pk=response.sitting_id)
        if locked.state == Sitting.State.IN_PROGRESS:
            raise SittingInProgress
        if locked.state == Sitting.State.VOID:
            raise SittingVoid  # grading would bring a reset attempt back as a result
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
    """Lock the sitting's row, reading only its state, deadline and result (not its snapshot)."""
    return Sitting.objects.select_for_update().only("state", "deadline", *RESULT_FIELDS).get(pk=sitting.pk)


def _finish(sitting, now):
    """Finish ``sitting`` if it is still in progress; True when this call finished it."""
    with transaction.atomic():
        locked = _lock(sitting)
        changed = locked.state == Sitting.State.IN_PROGRESS
        if changed:
            # The snapshot never changes: score on the caller's copy when it has one.
            full = sitting if "snapshot" in sitting.__dict__ else Sitting.objects.get(pk=sitting.pk)
            full.state, full.deadline = locked.state, locked.deadline
            full.finished_at = full.finish_time(now)
            full.apply_result(full.fractions())
            full.save(update_fields=RESULT_FIELDS)
            locked = full
    _copy_result(locked, sitting)
    return changed


def _copy_result(source, target):
    if source is not target:
        for name in RESULT_FIELDS:
            setattr(target, name, getattr(source, name))
