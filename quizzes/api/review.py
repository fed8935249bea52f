"""What a person sees after a sitting: the result, and the review (correct answers, explanations).

The review is built only when ``sitting.may_review()`` says so; callers never get a partial one. Used
by the JSON API and by the server-rendered result page.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from ..answerable import answerable_question_ids
from ..importing.decimals import format_decimal
from ..models import Sitting
from ..models.questions import combined_feedback_on, feedback_on, snapshot_html


def result_summary(sitting, now):
    return {
        "id": sitting.pk,
        "state": sitting.state,
        "state_label": str(Sitting.State(sitting.state).label),
        "finished_at": sitting.finished_at,
        "percent": sitting.percent,
        "passed": sitting.passed,
        "points": sitting.score,
        "max_points": sitting.max_score,
        "pass_mark": sitting.pass_mark,
        "review_available": sitting.may_review(now),
    }


def review_items(sitting, now=None):
    """Per question: my answer, the correct answer, the share of points earned and the explanation.

    A question the person can still answer where it counts (another open campaign on the same quiz, a
    course's final test, an event's follow-up: :mod:`quizzes.answerable`) is *withheld*: its text and
    the person's own answer only, nothing that tells whether or why an answer is right.
    """
    live = answerable_question_ids(sitting.user, now)
    responses = {response.question_id: response for response in sitting.responses.all()}
    items = []
    for number, snapshot in enumerate(sitting.questions(), start=1):
        response = responses.get(snapshot["id"])
        answer = response.answer if response else None
        item = {
            "number": number,
            "id": snapshot["id"],
            "type": snapshot["type"],
            "text": snapshot["text"],
            "html": snapshot_html(snapshot),
            "points": snapshot["points"],
            "my_answer": answer,
            "my_answer_text": answer_text(snapshot, answer),
            "needs_grading": response is not None and response.needs_grading,
            "withheld": snapshot["id"] in live,
        }
        if item["withheld"]:
            item.update(WITHHELD)
        else:
            fraction = response.fraction if response else 0
            feedback = feedback_on(snapshot, answer)
            if response is not None:  # Moodle's combined feedback follows the per-answer feedback
                feedback = feedback + combined_feedback_on(snapshot, fraction)
            item.update(
                {
                    "correct_answer_text": correct_answer_text(snapshot),
                    "fraction": fraction,
                    "is_correct": None if fraction is None else fraction == 1,
                    "grader_comment": response.grader_comment if response else "",
                    "explanation": snapshot.get("explanation", ""),
                    "explanation_html": snapshot_html(snapshot, snapshot.get("explanation", "")),
                    "legal_norm": snapshot.get("legal_norm", ""),
                    "feedback": feedback,
                    "feedback_html": [snapshot_html(snapshot, text) for text in feedback],
                }
            )
        items.append(item)
    return items


# What a withheld item says about correctness: nothing.
WITHHELD = {
    "correct_answer_text": "",
    "fraction": None,
    "is_correct": None,
    "grader_comment": "",
    "explanation": "",
    "explanation_html": "",
    "legal_norm": "",
    "feedback": [],
    "feedback_html": [],
}


def _texts(items):
    return {str(item["id"]): item["text"] for item in items}


def answer_text(snapshot, answer):
    """The person's answer in words (empty when there is none)."""
    if not isinstance(answer, dict):
        return ""
    kind = snapshot["type"]
    if kind == "single":
        return _texts(snapshot["options"]).get(str(answer.get("choice")), "")
    if kind == "multiple":
        options = _texts(snapshot["options"])
        return "; ".join(options[str(pk)] for pk in answer.get("choices") or [] if str(pk) in options)
    if kind == "truefalse":
        value = answer.get("value")
        return "" if value is None else _bool_text(value)
    if kind == "matching":
        left, right = _texts(snapshot["left"]), _texts(snapshot["right"])
        pairs = answer.get("pairs") or {}
        return "; ".join(
            f"{text} — {right.get(str(pairs.get(pk)), '…')}" for pk, text in left.items() if pk in pairs
        )
    if kind == "numeric":
        value = answer.get("value")
        return "" if value in (None, "") else " ".join(filter(None, [str(value), snapshot.get("unit", "")]))
    return str(answer.get("text") or "")


def correct_answer_text(snapshot):
    """The correct answer in words (empty for an essay: a trainer grades it)."""
    key = snapshot.get("key", {})
    kind = snapshot["type"]
    if kind in ("single", "multiple"):
        options = _texts(snapshot["options"])
        text = "; ".join(options[str(pk)] for pk in key["correct"] if str(pk) in options)
        partial = [
            f"{options[name]} ({_percent(value)})"
            for name, value in key.get("fractions", {}).items()
            if name in options and 0 < Decimal(value) < 1 and kind == "single"
        ]
        return "; ".join([text, *partial]) if partial else text
    if kind == "truefalse":
        return _bool_text(key["value"])
    if kind == "short":
        return " / ".join(key["accepted"])
    if kind == "numeric":
        text = key["value"].rstrip("0").rstrip(".") if "." in key["value"] else key["value"]
        tolerance = key["tolerance"].rstrip("0").rstrip(".") if "." in key["tolerance"] else key["tolerance"]
        if tolerance not in ("", "0"):
            text = f"{text} ± {tolerance}"
        return " ".join(filter(None, [text, snapshot.get("unit", "")]))
    if kind == "matching":
        left, right = _texts(snapshot["left"]), _texts(snapshot["right"])
        return "; ".join(f"{left[pk]} — {right.get(rk, '')}" for pk, rk in key["pairs"].items() if pk in left)
    return ""


def _percent(value):
    return _("%(percent)s %% балла") % {"percent": format_decimal(Decimal(value) * 100)}


def _bool_text(value):
    return str(_("Верно")) if value else str(_("Неверно"))
