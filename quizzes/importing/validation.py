"""Checks every parser applies to a question it has read, whatever the file format."""

from django.utils.translation import gettext as _

from ..scoring import WEIGHT_SLACK
from .decimals import format_decimal
from .parsed import CHOICE_KINDS, MultipleGrading, ParseError, QuestionKind
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
        if question.full_number is None:
            messages.append(_("Нет числового ответа, дающего полный балл (с весом 100%)."))
        if any(number.tolerance < 0 for number in question.numbers):
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
    fractions = [choice.fraction for choice in question.choices]
    if any(not -1 <= fraction <= 1 for fraction in fractions):
        yield _("Вес варианта должен быть от -100% до 100%.")
    if not question.correct_choices:
        yield _("Не отмечен ни один правильный вариант ответа.")
    elif question.kind == QuestionKind.SINGLE:
        if 1 not in fractions:
            yield _("Ни один вариант не даёт полного балла (100%): так в вопросе нельзя получить все баллы.")
        if any(fraction < 0 for fraction in fractions):
            yield _(
                "Отрицательный вес варианта в вопросе с одним ответом не поддерживается: здесь вопрос "
                "не отнимает баллы у остального теста."
            )
    elif question.multiple_grading != MultipleGrading.ALL_OR_NOTHING:
        total = sum(fraction for fraction in fractions if fraction > 0)
        if abs(total - 1) > WEIGHT_SLACK:
            yield _("Сумма весов правильных вариантов должна быть 100%%, а здесь %(total)s%%.") % {
                "total": format_decimal(total * 100)
            }


def _short_problems(question):
    # Case variants and repeats of an answer are allowed, as in Moodle: the first matching answer counts.
    if any(not answer.text.strip() for answer in question.answers):
        yield _("Пустой вариант ответа.")
    elif not question.accepted:
        yield _("Не указан ни один ответ, дающий полный балл (100%).")
    if any(not -1 <= answer.fraction <= 1 for answer in question.answers):
        yield _("Вес ответа должен быть от -100% до 100%.")


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
