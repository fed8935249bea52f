"""A trainer's preview of a question or a quiz as a servant sees it: answers are tried and scored, nothing
is saved, and no sitting is created or counted.

The questions are shown by the test page's own form (:mod:`quizzes.plain_form`), from the same public
payload a sitting sends; options get opaque ids as in a sitting (numbered in the bank's order, so the
same question gets the same ids when the form comes back), and the answers are scored against the
question's snapshot by the rule a sitting uses (:func:`~quizzes.models.questions.score_snapshot`).

A quiz's preview draws its questions as a new sitting would (fixed ones, random picks, shuffling); the
form carries the ids of the questions drawn, and only questions the quiz can give are scored.
"""

import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..exceptions import InvalidAnswer
from ..models import QUESTION_TYPES, Question
from ..models.questions import public_payload, score_snapshot
from ..models.quizzes import load_options
from ..plain_form import PlainQuestion, answer_from
from ..scoring import ONE, ZERO
from .drawing import SHUFFLED_LISTS


def _number(value):
    """A number as Russian text shows it: ``Decimal("0.50")`` → ``"0,5"``."""
    return number_format(value.normalize())


def _counter():
    count = iter(range(1, 10_000))
    return lambda: f"o{next(count)}"


def preview_snapshot(question):
    """The question's snapshot with opaque option ids, the same every time for the same question."""
    snapshot = question.snapshot()
    return dict(QUESTION_TYPES[snapshot["type"]].with_opaque_ids(snapshot, _counter()))


@dataclass
class Preview:
    """The questions of a preview page and, once answered, the score."""

    items: list[PlainQuestion]
    snapshots: list[dict]
    answered: bool = False
    pass_mark: int | None = None
    earned: Decimal = ZERO
    total: Decimal = ZERO
    pending: int = 0  # essays: a trainer grades them
    errors: list[str] = field(default_factory=list)

    @property
    def percent(self):
        return (self.earned / self.total * 100).quantize(Decimal("0.1")) if self.total else ZERO

    @property
    def passed(self):
        return self.pass_mark is not None and self.percent >= self.pass_mark


def questions_in_order(pks):
    found = {question.pk: question for question in Question.objects.filter(pk__in=pks)}
    questions = [found[pk] for pk in pks if pk in found]
    load_options(questions)
    return questions


def build(questions, shuffle_options=False, rng=None, pass_mark=None):
    """A preview of ``questions`` (real subtype instances), not yet answered."""
    rng = rng or random.SystemRandom()
    snapshots = []
    for question in questions:
        snapshot = preview_snapshot(question)
        if shuffle_options:
            for name in SHUFFLED_LISTS:
                if name in snapshot:
                    snapshot[name] = list(snapshot[name])
                    rng.shuffle(snapshot[name])
        snapshots.append(snapshot)
    items = [
        PlainQuestion(number, public_payload(snapshot), None)
        for number, snapshot in enumerate(snapshots, start=1)
    ]
    return Preview(items=items, snapshots=snapshots, pass_mark=pass_mark)


def answer(preview, data):
    """Score the answers in ``data`` (the form as posted) question by question; nothing is saved."""
    preview.answered = True
    for item, snapshot in zip(preview.items, preview.snapshots, strict=True):
        points = Decimal(snapshot["points"])
        preview.total += points
        try:
            item.answer = answer_from(item.question, data)
            fraction = score_snapshot(snapshot, item.answer)
        except InvalidAnswer as error:
            item.error = error.message
            item.outcome = _("Ответ не принят: баллов — 0 из %(points)s.") % {"points": _number(points)}
            continue
        if fraction is None:
            preview.pending += 1
            item.outcome = _("Развёрнутый ответ оценивает преподаватель (баллов — до %(points)s).") % {
                "points": _number(points)
            }
            continue
        earned = (fraction * points).quantize(Decimal("0.01"))
        preview.earned += earned
        verdict = _("верно") if fraction == ONE else _("неверно") if fraction == ZERO else _("частично верно")
        item.outcome = _("%(verdict)s: баллов — %(earned)s из %(points)s.") % {
            "verdict": verdict.capitalize(),
            "earned": _number(earned),
            "points": _number(points),
        }
    return preview


def posted_question_ids(data, allowed):
    """The question ids a quiz preview form carried, in its order, limited to ``allowed`` (no repeats)."""
    ids = []
    for value in data.getlist("questions"):
        if value.isdigit() and int(value) in allowed and int(value) not in ids:
            ids.append(int(value))
    return ids
