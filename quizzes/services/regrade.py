"""Regrade after a key fix: a trainer corrects a question in the bank, a regional manager sees which
sittings of a campaign would change, and applies it.

A sitting froze its questions when it started (:mod:`quizzes.services.drawing`), options with fresh
opaque ids and the bank's id kept as ``pk``. A regrade takes the question's key as the bank holds it
now, puts it in the ids the sitting showed (``Question.regraded_key`` of each type) and scores the
stored answer against it with the same scoring as ever (:func:`~quizzes.models.score_snapshot`); the
sitting's result is computed again by :meth:`Sitting.apply_result`. Only the key changes: the text,
options and points the person saw stay as drawn.

* :func:`plan_regrade` is the dry run: it writes nothing and lists the sittings whose points change
  (before and after, per sitting, and whether the pass changes), the sittings where only the stored key
  is corrected (their points stay, their review will show the corrected answer), and what is left as
  it is: answers whose points a manager changed by hand (an override is never silently regraded),
  answers that cannot be scored again (erased by retention, an option added later), sittings still in
  progress (regrade them once they finish) and voided ones.
* :func:`apply_regrade` applies exactly that plan in one transaction: it locks the campaign's sittings,
  computes the plan again and refuses (:class:`RegradeOutdated`) when it differs from the one the
  manager saw (its :attr:`RegradePlan.token`); every changed sitting gets a :class:`PersonOperation`
  with the values before and after.
"""

import dataclasses
import hashlib
import json
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..api.review import correct_answer_text
from ..exceptions import InvalidAnswer, NotRegradable, OperationRefused, RegradeOutdated
from ..models import QUESTION_TYPES, PersonOperation, Question, Response, Sitting, score_snapshot
from ..models.quizzes import load_options
from ..models.sittings import QuestionSnapshot
from ..scoring import ZERO, quantize_score
from .operations import _record, clean_reason, result_values
from .sittings import RESULT_FIELDS

REGRADED_STATES = (Sitting.State.FINISHED, Sitting.State.NEEDS_GRADING)


@dataclasses.dataclass
class Change:
    """One sitting whose stored key (and maybe points) the regrade changes."""

    sitting_id: int
    user_id: int
    number: int
    old_key: dict
    new_key: dict
    old_fraction: Decimal | None
    new_fraction: Decimal | None
    points: Decimal  # the question's points in this sitting
    old_correct: str = ""
    new_correct: str = ""
    before: dict = dataclasses.field(default_factory=dict)  # the sitting's result
    after: dict = dataclasses.field(default_factory=dict)
    person: object = None

    @property
    def points_change(self):
        return self.old_fraction != self.new_fraction

    @property
    def old_points(self):
        return None if self.old_fraction is None else quantize_score(self.points * self.old_fraction)

    @property
    def new_points(self):
        return None if self.new_fraction is None else quantize_score(self.points * self.new_fraction)

    @property
    def pass_changes(self):
        return self.before.get("passed") != self.after.get("passed")


@dataclasses.dataclass
class Skipped:
    sitting_id: int
    user_id: int
    number: int
    why: str
    person: object = None


@dataclasses.dataclass
class RegradePlan:
    campaign: object
    question: Question
    changes: list  # points change
    key_only: list  # the stored key is corrected, the points stay
    overridden: list  # Skipped: points changed by hand, left as they are
    unregradable: list  # Skipped: cannot be scored again
    in_progress: int
    token: str

    @property
    def is_empty(self):
        return not self.changes and not self.key_only

    @property
    def pass_changes(self):
        return [change for change in self.changes if change.pass_changes]

    @property
    def example(self):
        """One change, to show the correct answer before and after (the same in every sitting)."""
        return next(iter([*self.changes, *self.key_only]), None)


def canonical(value):
    """A key in one spelling whatever the order of its lists and dicts, to compare and fingerprint."""
    if isinstance(value, dict):
        return {
            str(key): canonical(item) for key, item in sorted(value.items(), key=lambda pair: str(pair[0]))
        }
    if isinstance(value, list):
        return sorted((canonical(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    return value


def bank_snapshot(question):
    """The question's own snapshot as the bank holds it now (bank ids)."""
    real = Question.objects.get(pk=question.pk)
    load_options([real])
    return real.snapshot()


def regrade_candidates(campaign):
    """Questions of the campaign's sittings edited in the bank since the campaign's first sitting
    started: those a key fix may concern (the dry run says whether anything changes)."""
    sittings = Sitting.objects.filter(campaign=campaign).order_by("started_at")
    first = sittings.values_list("started_at", flat=True).first()
    if first is None:
        return []
    ids = campaign_question_ids(campaign)
    return list(
        Question.objects.non_polymorphic()
        .filter(pk__in=ids, updated_at__gt=first)
        .select_related("category")
        .order_by("-updated_at", "pk")
    )


def campaign_question_ids(campaign):
    """Every question the campaign's sittings may hold (what a regrade may be asked for)."""
    ids = set(campaign.quiz.possible_question_ids())
    ids |= set(
        Response.objects.filter(sitting__campaign=campaign).values_list("question_id", flat=True).distinct()
    )
    return ids


def plan_regrade(campaign, question):
    """The dry run of a regrade of ``question`` in ``campaign``: nothing is written."""
    bank = bank_snapshot(question)
    kind = QUESTION_TYPES[bank["type"]]
    if kind.needs_manual_grading:
        raise NotRegradable(_("Развёрнутый ответ оценивает преподаватель: ключа для пересчёта нет."))
    rows = list(
        Sitting.objects.filter(campaign=campaign)
        .order_by("pk")
        .values("pk", "user_id", "number", "state", snap=QuestionSnapshot(question.pk))
    )
    rows = [row for row in rows if row["snap"] is not None]
    in_progress = sum(row["state"] == Sitting.State.IN_PROGRESS for row in rows)
    rows = [row for row in rows if row["state"] in REGRADED_STATES]
    responses = {
        sitting_id: (answer, fraction)
        for sitting_id, answer, fraction in Response.objects.filter(
            sitting_id__in=[row["pk"] for row in rows], question_id=question.pk
        ).values_list("sitting_id", "answer", "fraction")
    }
    overridden = set(
        PersonOperation.objects.filter(
            kind=PersonOperation.Kind.OVERRIDE, campaign=campaign, question_id=question.pk
        ).values_list("sitting_id", flat=True)
    )
    changes, key_only, kept, unregradable = [], [], [], []
    for row in rows:
        snapshot = row["snap"]
        try:
            new_key = kind.regraded_key(snapshot, bank)
        except NotRegradable as error:
            unregradable.append(Skipped(row["pk"], row["user_id"], row["number"], error.message))
            continue
        # A sitting from before a key format change keeps its old spelling: compare the meaning.
        if canonical(new_key) == canonical(kind.current_key(snapshot)):
            continue
        if row["pk"] in overridden:
            kept.append(Skipped(row["pk"], row["user_id"], row["number"], str(_("баллы изменены вручную"))))
            continue
        answer, fraction = responses.get(row["pk"], (None, ZERO))
        try:
            new_fraction = score_snapshot({**snapshot, "key": new_key}, answer)
        except InvalidAnswer:
            why = _("ответ удалён по сроку хранения или не распознан")
            unregradable.append(Skipped(row["pk"], row["user_id"], row["number"], str(why)))
            continue
        change = Change(
            sitting_id=row["pk"],
            user_id=row["user_id"],
            number=row["number"],
            old_key=snapshot["key"],
            new_key=new_key,
            old_fraction=fraction,
            new_fraction=new_fraction,
            points=Decimal(snapshot["points"]),
            old_correct=correct_answer_text(snapshot),
            new_correct=correct_answer_text({**snapshot, "key": new_key}),
        )
        (changes if change.points_change else key_only).append(change)
    _fill_results(changes, question.pk)
    plan = RegradePlan(
        campaign=campaign,
        question=question,
        changes=changes,
        key_only=key_only,
        overridden=kept,
        unregradable=unregradable,
        in_progress=in_progress,
        token="",
    )
    plan.token = _fingerprint(plan, bank)
    return plan


def _fill_results(changes, question_id):
    """The result of each changed sitting before and after, by the engine's own computation."""
    if not changes:
        return
    by_id = {change.sitting_id: change for change in changes}
    fractions = {pk: {} for pk in by_id}
    for sitting_id, pk, fraction in Response.objects.filter(sitting_id__in=by_id).values_list(
        "sitting_id", "question_id", "fraction"
    ):
        fractions[sitting_id][pk] = fraction
    for sitting in Sitting.objects.filter(pk__in=by_id).defer("question_order"):
        change = by_id[sitting.pk]
        change.before = result_values(sitting)
        sitting.apply_result({**fractions[sitting.pk], question_id: change.new_fraction})
        change.after = result_values(sitting)


def _fingerprint(plan, bank):
    entries = [
        [
            change.sitting_id,
            str(change.old_fraction),
            str(change.new_fraction),
            canonical(change.old_key),
            canonical(change.new_key),
        ]
        for change in [*plan.changes, *plan.key_only]
    ]
    skipped = [[item.sitting_id, item.why] for item in [*plan.overridden, *plan.unregradable]]
    text = json.dumps([canonical(bank["key"]), entries, skipped], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def apply_regrade(actor, campaign, question, reason, token, *, now=None):
    """Apply the regrade the manager saw (``token`` of its :func:`plan_regrade`) in one transaction;
    returns the plan applied. Raises :class:`RegradeOutdated` when the sittings or the key changed
    since, :class:`OperationRefused` when there is nothing to change."""
    now = now or timezone.now()
    reason = clean_reason(reason)
    with transaction.atomic():
        # Lock the campaign's sittings that a regrade may touch, then look again under the lock.
        list(
            Sitting.objects.select_for_update()
            .filter(campaign=campaign, state__in=REGRADED_STATES)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        plan = plan_regrade(campaign, question)
        if plan.token != token:
            raise RegradeOutdated
        if plan.is_empty:
            raise OperationRefused(_("Пересчитывать нечего: ключ во всех попытках совпадает с банком."))
        _write(actor, plan, reason, now)
    return plan


def _write(actor, plan, reason, now):
    question_id = plan.question.pk
    every = {change.sitting_id: change for change in [*plan.changes, *plan.key_only]}
    for change in plan.changes:  # each has a stored answer: no answer scores 0 under any key
        Response.objects.filter(sitting_id=change.sitting_id, question_id=question_id).update(
            fraction=change.new_fraction
        )
    for sitting in Sitting.objects.filter(pk__in=every).select_related("user", "campaign"):
        change = every[sitting.pk]
        before = result_values(sitting)
        snapshot = dict(sitting.snapshot)
        snapshot[str(question_id)] = {**snapshot[str(question_id)], "key": change.new_key}
        sitting.snapshot = snapshot
        fields = ["snapshot"]
        if change.points_change:
            sitting.apply_result(sitting.fractions())
            fields += RESULT_FIELDS
        sitting.save(update_fields=fields)
        _record(
            actor,
            sitting.user,
            PersonOperation.Kind.REGRADE,
            reason,
            now,
            campaign=plan.campaign,
            sitting=sitting,
            question_id=question_id,
            before={
                "correct_answer": change.old_correct,
                "points": None if change.old_points is None else str(change.old_points),
                "key": change.old_key,
                **before,
            },
            after={
                "correct_answer": change.new_correct,
                "points": None if change.new_points is None else str(change.new_points),
                "key": change.new_key,
                **result_values(sitting),
            },
        )
