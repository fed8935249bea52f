"""Prepared papers (:mod:`quizzes.models.prepared`): made before the start, copied into a sitting at it.

:func:`prepare_paper` draws the person's questions ahead (the campaign's intro page, ``manage.py
prepare_papers``). :func:`start_prepared` is the synchronized start's fast path: one read checks
everything the ordinary start checks (published and open, still in the audience, the quiz and its drawn
questions all there and unchanged since the draw, no sitting begun since, the person's extra time), then
the database copies the paper into a new sitting and the stored questions go out as they are. The
statements are plain SQL written once per process and prepared once per connection
(:func:`people.statements.prepared_cursor`): at the start nothing is drawn, compiled or rendered
again. Whatever the read finds wrong, the caller falls back to the ordinary start
(:func:`~quizzes.services.start_campaign_sitting`), which refuses with the right error or draws afresh.
"""

import contextlib
import dataclasses
import datetime
import functools

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from ninja.renderers import JSONRenderer

from people.models import Audience
from people.statements import prepared_cursor

from ..contexts import campaign_context
from ..exceptions import NoAttemptsLeft, QuizError
from ..models import ExtraTime, PreparedPaper, Question, Quiz, Sitting, TestCampaign
from .drawing import draw_versioned_snapshots
from .sittings import build_sitting, my_sittings, next_number

_renderer = JSONRenderer()  # the API's renderer (config/api.py keeps NinjaAPI's default)


def render_json(data):
    """``data`` as the API renders it (a str)."""
    return _renderer.render(None, data, response_status=200)


def prepare_paper(user, campaign, *, now=None, rng=None):
    """Make ``user``'s paper for ``campaign``, or keep the one made earlier if it is still valid.

    Returns the paper, or None when there is nothing to prepare: the campaign is unpublished or
    closed, the person is not in its audience, has a sitting in progress or no attempts left, or the
    quiz cannot be drawn (the start will say why). A campaign that opens later is prepared for: that
    is the point, the minutes before a synchronized start.
    """
    now = now or timezone.now()
    if not campaign.is_published or campaign.has_closed(now) or not campaign.admits(user):
        return None
    quiz = campaign.quiz
    context = campaign_context(campaign.pk)
    mine = my_sittings(user, quiz, context)
    if any(row[1] == Sitting.State.IN_PROGRESS for row in mine):
        return None
    try:
        number = next_number(user, quiz, context, mine)
    except NoAttemptsLeft:
        return None
    paper = PreparedPaper.objects.filter(campaign=campaign, user=user).defer("snapshot", "questions").first()
    if (
        paper is not None
        and paper.quiz_id == quiz.pk
        and paper.quiz_version == quiz.updated_at
        and paper.number == number
        and _questions_current(paper)
    ):
        return paper
    try:
        versions, snapshots = draw_versioned_snapshots(quiz, rng)
    except QuizError:
        return None
    drawn = build_sitting(user, quiz, number=number, now=now, snapshots=snapshots)
    fields = {
        "quiz": quiz,
        "quiz_version": quiz.updated_at,
        "questions_version": max(updated for _pk, updated in versions),
        "number": number,
        "question_order": drawn.question_order,
        "snapshot": drawn.snapshot,
        "pass_mark": drawn.pass_mark,
        "max_score": drawn.max_score,
        "questions": render_json(drawn.public_questions()),
        "prepared_at": now,
    }
    try:
        with transaction.atomic():
            paper, _created = PreparedPaper.objects.update_or_create(
                campaign=campaign, user=user, defaults=fields
            )
    except IntegrityError:  # the same person's other tab prepared it at the same moment: theirs stands
        return PreparedPaper.objects.filter(campaign=campaign, user=user).first()
    return paper


def prepare_audience(campaign, *, now=None):
    """Prepare the paper of every member of the campaign's audience; ``(prepared, skipped)``."""
    prepared = skipped = 0
    for person in campaign.audience.members().iterator(chunk_size=500):
        if prepare_paper(person, campaign, now=now) is None:
            skipped += 1
        else:
            prepared += 1
    return prepared, skipped


def _questions_current(paper):
    """Are the paper's questions all there, none retired, and as they were drawn?"""
    drawn = Question.objects.non_polymorphic().filter(pk__in=paper.question_order, is_retired=False)
    found = drawn.aggregate(count=Count("pk"), version=Max("updated_at"))
    return found["count"] == len(paper.question_order) and found["version"] == paper.questions_version


def drop_closed_papers(now=None):
    """Papers of campaigns that have closed: nobody will start them. Returns how many were dropped."""
    deleted, _per_model = PreparedPaper.objects.filter(
        campaign__closes_at__lte=now or timezone.now()
    ).delete()
    return deleted


@dataclasses.dataclass(frozen=True)
class PreparedStart:
    """A sitting started from a paper: what the API answers with."""

    sitting_id: int
    campaign_id: int
    title: str
    number: int
    started_at: datetime.datetime
    deadline: datetime.datetime | None
    questions: str  # the public questions, rendered when the paper was made


def start_prepared(user, campaign_id, *, now=None):
    """Start ``user``'s sitting in the campaign from their prepared paper; None when there is no valid
    paper or anything the ordinary start checks is not so (then the caller takes the ordinary start).

    On PostgreSQL the read, the checks and the copy are one statement (:func:`_statements`): the start
    is one round trip to the database after the person's. Elsewhere the read comes first and the copy
    follows in a transaction.
    """
    now = now or timezone.now()
    context = campaign_context(campaign_id)
    statements = _statements()
    read_params, start_values = _bound_values(user, campaign_id, now)
    copied = None
    if statements.start is not None:  # PostgreSQL: read, check and copy in one statement
        # (inside a caller's transaction, a savepoint keeps a refusal from breaking it)
        savepoint = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
        try:
            with savepoint, prepared_cursor() as cursor:
                cursor.execute(statements.start, _start_params(read_params, start_values))
                row = cursor.fetchone()
        except IntegrityError:  # one in progress already (a double click that got there first): resume it
            return None
        if row is None:
            return None
        read, deadline, copied = _Read(*row[:-2]), _datetime(row[-2]), row[-1]
    else:
        with prepared_cursor() as cursor:
            cursor.execute(statements.read, read_params)
            row = cursor.fetchone()
        if row is None:
            return None
        read = _Read(*row)
        deadline = read.deadline(now)
    if not read.current or read.taken:
        PreparedPaper.objects.filter(pk=read.paper_id).delete()  # stale: the ordinary start draws afresh
        return None
    if not read.is_open or not read.admitted:
        return None  # the ordinary start gives the refusal
    if statements.start is None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    statements.copy,
                    [
                        *start_values,
                        connection.ops.adapt_datetimefield_value(deadline),
                        read.paper_id,
                        read.prepared_at,
                    ],
                )
                copied = cursor.fetchone()
                cursor.execute(statements.drop, [read.paper_id])
        except IntegrityError:  # one in progress already: resume it
            return None
        copied = copied and copied[0]
    if copied is None:  # a parallel start took the paper, or the intro page in another tab made it anew
        return None
    sitting = Sitting(
        pk=copied,
        user=user,
        quiz_id=read.quiz_id,
        campaign_id=campaign_id,
        context=context,
        number=read.number,
        state=Sitting.State.IN_PROGRESS,
        started_at=now,
        deadline=deadline,
    )
    sitting._state.adding, sitting._state.db = False, connection.alias  # as if loaded: it is saved
    # Those who listen for new sittings (the live monitor) hear of this one as of any other.
    post_save.send(
        Sitting, instance=sitting, created=True, update_fields=None, raw=False, using=connection.alias
    )
    return PreparedStart(
        sitting_id=sitting.pk,
        campaign_id=campaign_id,
        title=read.title,
        number=read.number,
        started_at=now,
        deadline=deadline,
        questions=read.questions,
    )


@dataclasses.dataclass(frozen=True)
class _Read:
    """A row of the read (:func:`_statements`), in its order."""

    paper_id: int
    prepared_at: object  # as the database gives it: the copy asks for the same value
    quiz_id: int
    number: int
    title: str
    is_open: bool
    current: bool
    taken: bool
    time_limit: int | None
    closes_at: object
    extra_minutes: int | None
    questions: str
    admitted: bool

    def deadline(self, now):
        """The sitting's deadline if it starts ``now``, as the ordinary start has it (``build_sitting``):
        the campaign's close, or the quiz's limit with the person's extra time if earlier."""
        limits = [_datetime(self.closes_at)]
        if self.time_limit:
            limits.append(now + datetime.timedelta(minutes=self.time_limit + (self.extra_minutes or 0)))
        return min(limits)


def _bound_values(user, campaign_id, now):
    """The values the statements bind, in their order: the read's (:attr:`_Statements.read`), and the
    new sitting's (the context, the state, the start) that the copy adds to what it takes from the
    paper."""
    at = connection.ops.adapt_datetimefield_value(now)
    context = campaign_context(campaign_id)
    read = [at, at, user.pk, context, *_admission_params(user, now), user.pk, campaign_id]
    return read, [context, Sitting.State.IN_PROGRESS.value, at]


def _start_params(read, start_values):
    """Everything the one start statement binds (PostgreSQL): the start (for the deadline), the read's
    values, the new sitting's."""
    return [read[0], *read, *start_values]


def start_statement_params(user, campaign_id, now):
    """What a start of ``user`` in the campaign at ``now`` binds to the one statement
    (``benchmarks/profile_start.py --explain`` binds the same)."""
    return _start_params(*_bound_values(user, campaign_id, now))


def _admission_params(user, now):
    """The person's values the read's audience check binds, in its order (:meth:`Audience.admission_sql`)."""
    values = Audience.admission_values(user, timezone.localdate(now))
    return [values[name] for name in _admission()[1]]


@functools.cache
def _admission():
    return Audience.admission_sql(f"tc.{connection.ops.quote_name('audience_id')}")  # the read's campaign


def _datetime(value):
    """A datetime column read by plain SQL (SQLite gives text)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


@dataclasses.dataclass(frozen=True)
class _Statements:
    read: str
    copy: str
    drop: str
    start: str | None  # read, check, copy and drop in one statement, where the database can


@functools.cache
def _statements():
    """The fast path's SQL, written once per process (table names from the models).

    The read's parameters: now, now, the person, the context, the person's values of the audience
    check (:func:`_admission_params`), the person, the campaign. Its columns are :class:`_Read`'s.
    """
    q = connection.ops.quote_name
    paper, campaign, quiz = _table(PreparedPaper), _table(TestCampaign), _table(Quiz)
    sitting, question = _table(Sitting), _table(Question)
    if connection.vendor == "postgresql":
        drawn_ids = f"SELECT (jsonb_array_elements_text(pp.{q('question_order')}))::bigint"
        array_length = f"jsonb_array_length(pp.{q('question_order')})"
    else:
        drawn_ids = f"SELECT value FROM json_each(pp.{q('question_order')})"
        array_length = f"json_array_length(pp.{q('question_order')})"
    admitted, _names = _admission()
    read = (
        f"SELECT pp.{q('id')}, pp.{q('prepared_at')}, pp.{q('quiz_id')},"
        f" pp.{q('number')}, tc.{q('title')},"
        # open: published and within its window now (the two %s: now)
        f" (tc.{q('is_published')} AND tc.{q('opens_at')} <= %s"
        f" AND tc.{q('closes_at')} > %s),"
        # current: the campaign's quiz, as it was drawn, and none of the drawn questions edited since
        f" (tc.{q('quiz_id')} = pp.{q('quiz_id')}"
        f" AND qz.{q('updated_at')} = pp.{q('quiz_version')}"
        f" AND (SELECT COUNT(*) FROM {question} drawn WHERE drawn.{q('id')} IN ({drawn_ids})"
        f" AND NOT drawn.{q('is_retired')}) = {array_length}"
        f" AND (SELECT MAX(drawn.{q('updated_at')}) FROM {question} drawn"
        f" WHERE drawn.{q('id')} IN ({drawn_ids}))"
        f" = pp.{q('questions_version')}),"
        # taken: a sitting in progress, or one begun since the paper was made (its number is used)
        f" EXISTS (SELECT 1 FROM {sitting} mine WHERE mine.{q('user_id')} = %s"
        f" AND mine.{q('quiz_id')} = pp.{q('quiz_id')} AND mine.{q('context')} = %s"
        f" AND (mine.{q('state')} = 'in_progress' OR mine.{q('number')} >= pp.{q('number')})),"
        f" qz.{q('time_limit')}, tc.{q('closes_at')},"
        f" (SELECT extra.{q('minutes')} FROM {_table(ExtraTime)} extra"
        f" WHERE extra.{q('campaign_id')} = tc.{q('id')}"
        f" AND extra.{q('user_id')} = pp.{q('user_id')}),"
        f" pp.{q('questions')},"
        f" {admitted}"  # still in the audience
        f" FROM {paper} pp"
        f" JOIN {campaign} tc ON tc.{q('id')} = pp.{q('campaign_id')}"
        f" JOIN {quiz} qz ON qz.{q('id')} = tc.{q('quiz_id')}"
        f" WHERE pp.{q('user_id')} = %s AND pp.{q('campaign_id')} = %s"
    )
    columns = (
        "user_id", "quiz_id", "campaign_id", "context", "number", "state", "started_at", "deadline",
        "finished_at", "question_order", "snapshot", "pass_mark", "score", "max_score", "percent", "passed",
    )  # fmt: skip

    def values(deadline):  # the sitting's columns; the three %s: the context, the state, now
        return (
            f"{q('user_id')}, {q('quiz_id')}, {q('campaign_id')}, %s, {q('number')}, %s, %s, {deadline},"
            f" NULL, {q('question_order')}, {q('snapshot')}, {q('pass_mark')}, NULL, {q('max_score')},"
            " NULL, NULL"
        )

    insert = f"INSERT INTO {sitting} ({', '.join(q(column) for column in columns)})"
    copy = (
        f"{insert} SELECT {values('%s')} FROM {paper} WHERE {q('id')} = %s AND {q('prepared_at')} = %s"
        f" RETURNING {q('id')}"
    )
    drop = f"DELETE FROM {paper} WHERE {q('id')} = %s"
    start = None
    if connection.vendor == "postgresql":
        # The read with its deadline (the first %s: now) and, when everything holds, the paper taken
        # and copied into a sitting: the read's columns, the deadline and the new sitting's id (NULL when
        # nothing was copied). A parallel start, or the paper made anew meanwhile, leaves the DELETE
        # nothing to take: it waits for the other's row, then checks prepared_at again.
        read_columns = [field.name for field in dataclasses.fields(_Read)]
        # the columns the sitting takes from the paper, by name: a prepared statement keeps its shape
        copied = (
            "user_id", "quiz_id", "campaign_id", "number",
            "question_order", "snapshot", "pass_mark", "max_score",
        )  # fmt: skip
        start = (
            "WITH checked AS (SELECT paper.*,"
            " LEAST(paper.closes_at, CASE WHEN paper.time_limit > 0 THEN %s::timestamptz"
            " + make_interval(mins => paper.time_limit + COALESCE(paper.extra_minutes, 0)) END)"
            f" AS deadline FROM ({read}) AS paper ({', '.join(read_columns)})),"
            f" claimed AS (DELETE FROM {paper} WHERE {q('id')} = (SELECT paper_id FROM checked"
            " WHERE is_open AND current AND NOT taken AND admitted)"
            f" AND {q('prepared_at')} = (SELECT prepared_at FROM checked)"
            f" RETURNING {', '.join(q(column) for column in copied)}),"
            f" started AS ({insert} SELECT {values('(SELECT deadline FROM checked)')} FROM claimed"
            f" RETURNING {q('id')})"
            f" SELECT checked.*, (SELECT {q('id')} FROM started) FROM checked"
        )
    return _Statements(read=read, copy=copy, drop=drop, start=start)
