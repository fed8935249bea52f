"""Checks every parser applies to a question it has read, whatever the file format."""

from django.utils.translation import gettext as _

from .parsed import CHOICE_KINDS, ParseError, QuestionKind
from .vocabulary import comparison_key


def points_error_message():
    return _("Баллы должны быть положительным числом.")


def validate_question(question):
    """The problems of one question, each reported at the line where the question starts."""
    messages = []
    if not question.text.strip():
        messages.append(_("Пустой текст вопроса."))
    if not question.points.is_finite() or question.points <= 0:
        messages.append(points_error_message())
    if question.kind in CHOICE_KINDS:
        messages.extend(_choice_problems(question))
    elif question.kind == QuestionKind.TRUEFALSE and question.is_true is None:
        messages.append(_("Не указан правильный ответ: «верно» или «неверно»."))
    elif question.kind == QuestionKind.SHORT:
        messages.extend(_short_problems(question))
    elif question.kind == QuestionKind.NUMERIC:
        if question.numeric_answer is None:
            messages.append(_("Не указан правильный числовой ответ."))
        if question.tolerance is not None and question.tolerance < 0:
            messages.append(_("Допуск не может быть отрицательным."))
    elif question.kind == QuestionKind.MATCHING:
        messages.extend(_matching_problems(question))
    return [ParseError(question.line, message) for message in messages]


def _choice_problems(question):
    if len(question.choices) < 2:
        yield _("Нужно не меньше двух вариантов ответа.")
    if any(not choice.text.strip() for choice in question.choices):
        yield _("Пустой вариант ответа.")
    yield from _duplicates(
        [choice.text for choice in question.choices], _("Вариант ответа «%(text)s» повторяется.")
    )
    correct = len(question.correct_choices)
    if correct == 0:
        yield _("Не отмечен ни один правильный вариант ответа.")
    elif correct > 1 and question.kind == QuestionKind.SINGLE:
        yield _(
            "В вопросе с одним правильным ответом отмечено несколько правильных вариантов; "
            "для такого вопроса выберите тип «несколько ответов»."
        )


def _short_problems(question):
    if not any(answer.strip() for answer in question.accepted):
        yield _("Не указан ни один правильный ответ.")
    elif any(not answer.strip() for answer in question.accepted):
        yield _("Пустой вариант правильного ответа.")
    yield from _duplicates(question.accepted, _("Правильный ответ «%(text)s» повторяется."))


def _matching_problems(question):
    lefts = [left for left, _right in question.pairs if left.strip()]
    if len(lefts) < 2:
        yield _("В вопросе на соответствие нужно не меньше двух пар.")
    for left, right in question.pairs:
        if not right.strip():
            yield _("У пары «%(left)s» пустая правая часть.") % {"left": left}
    yield from _duplicates(lefts, _("Левая часть пары «%(text)s» повторяется."))


def _duplicates(texts, message):
    seen = set()
    reported = set()
    for text in texts:
        key = comparison_key(text)
        if not key:
            continue
        if key in seen and key not in reported:
            reported.add(key)
            yield message % {"text": text.strip()}
        seen.add(key)
