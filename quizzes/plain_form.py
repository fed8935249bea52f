"""The test as one server-rendered form, for browsers without JavaScript (or where take.js fails).

The page shows every question of the sitting with the person's saved answers; «Сохранить ответы»
saves what changed and «Завершить тест» saves and finishes. Answers go through the same service as
the JSON API (:func:`~quizzes.services.save_my_answer`), so the same shape checks, deadline and
sequence rules hold: a changed answer is saved with the next sequence number of its question.

Field names: ``q-<question id>`` (one value, or several for multiple choice) and, for matching,
``q-<question id>-<left id>`` per left item; ``questions`` lists the ids the form showed.
"""

import dataclasses

from django.utils.translation import gettext as _

from .exceptions import InvalidAnswer, QuestionNotInSitting
from .services import save_my_answer

FINISH = "finish"


@dataclasses.dataclass
class PlainQuestion:
    """One question as the form shows it: its public payload, the answer shown and an error (and, in a
    trainer's preview, how the answer scored: ``outcome``)."""

    number: int
    question: dict
    answer: dict | None
    error: str = ""
    outcome: str = ""

    @property
    def field(self):
        return f"q-{self.question['id']}"

    def chosen(self):
        """The option ids checked (single, multiple)."""
        if not self.answer:
            return []
        if self.question["type"] == "single":
            return [self.answer.get("choice")]
        return list(self.answer.get("choices") or [])

    def options(self):
        """``(id, text, checked)`` of the options of a choice question, or of «верно / неверно»."""
        if self.question["type"] == "truefalse":
            value = (self.answer or {}).get("value")
            return [("true", _("Верно"), value is True), ("false", _("Неверно"), value is False)]
        chosen = {str(pk) for pk in self.chosen()}
        return [(o["id"], o["html"], str(o["id"]) in chosen) for o in self.question.get("options", [])]

    def text_value(self):
        if not self.answer:
            return ""
        value = self.answer.get("value" if self.question["type"] == "numeric" else "text")
        return "" if value is None else str(value)

    def rows(self):
        """``(field name, left text, [(right id, right text, selected)])`` per left item of matching."""
        pairs = (self.answer or {}).get("pairs") or {}
        return [
            (
                f"{self.field}-{left['id']}",
                left["html"],
                [(r["id"], r["text"], pairs.get(str(left["id"])) == r["id"]) for r in self.question["right"]],
            )
            for left in self.question["left"]
        ]


def saved_answers(sitting):
    """``{question id: (answer, seq)}`` of the sitting's saved responses."""
    return {row[0]: (row[1], row[2]) for row in sitting.responses.values_list("question_id", "answer", "seq")}


def plain_questions(sitting, answers=None, errors=None):
    """The sitting's questions for the form, with ``answers`` (default: the saved ones) and ``errors``."""
    if answers is None:
        answers = {pk: answer for pk, (answer, _seq) in saved_answers(sitting).items()}
    errors = errors or {}
    return [
        PlainQuestion(number, question, answers.get(question["id"]), errors.get(question["id"], ""))
        for number, question in enumerate(sitting.public_questions(), start=1)
    ]


def answer_from(question, data):
    """The answer a submitted form gives to one question (None: no answer), in the API's shape."""
    field = f"q-{question['id']}"
    kind = question["type"]
    if kind == "single":
        value = data.get(field)
        return {"choice": value} if value else None
    if kind == "multiple":
        values = data.getlist(field)
        return {"choices": values} if values else None
    if kind == "truefalse":
        value = data.get(field)
        if value in (None, ""):
            return None
        if value not in ("true", "false"):
            raise InvalidAnswer(_("Выберите «верно» или «неверно»."))
        return {"value": value == "true"}
    if kind == "matching":
        pairs = {str(left["id"]): data.get(f"{field}-{left['id']}") or None for left in question["left"]}
        return {"pairs": pairs} if any(pairs.values()) else None
    value = data.get(field, "")
    if not value.strip():
        return None
    return {"value": value.strip()} if kind == "numeric" else {"text": value}


def save_form(user, sitting, data, now):
    """Save every answer of a submitted form that differs from the saved one.

    Returns ``(answers, errors)``: what the form said per question id, and a Russian message per
    question whose answer was refused (nothing is saved for that question). Raises what
    :func:`~quizzes.services.save_my_answer` raises for the whole sitting (finished, time is up).
    """
    saved = saved_answers(sitting)
    shown = set(data.getlist("questions"))
    answers, errors = {}, {}
    for question in sitting.public_questions():
        pk = question["id"]
        if str(pk) not in shown:
            continue  # not on the form that was sent (e.g. a stale page): leave it as it is
        try:
            answer = answer_from(question, data)
            answers[pk] = answer
            stored, seq = saved.get(pk, (None, 0))
            if answer != stored:
                save_my_answer(user, sitting.pk, pk, answer, seq + 1, now=now)
        except (InvalidAnswer, QuestionNotInSitting) as error:
            errors[pk] = error.message
    return answers, errors
