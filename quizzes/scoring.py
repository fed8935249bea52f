"""Small pure helpers shared by the question types' scoring (no models here)."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from .exceptions import InvalidAnswer

ZERO = Decimal(0)
ONE = Decimal(1)
FRACTION_STEP = Decimal("0.0001")  # a response's share of the question's points
SCORE_STEP = Decimal("0.01")  # points and percents

# A short text answer longer than this is not an answer but an accident (or an attack).
MAX_TEXT_ANSWER = 2000
MAX_ESSAY_ANSWER = 20000

_SPACES = re.compile(r"\s+")


def quantize_fraction(value):
    """Clamp to 0..1 and round to 4 places."""
    return min(max(Decimal(value), ZERO), ONE).quantize(FRACTION_STEP, rounding=ROUND_HALF_UP)


def quantize_score(value):
    return Decimal(value).quantize(SCORE_STEP, rounding=ROUND_HALF_UP)


def normalize_text(text):
    """Case-, ё/е- and whitespace-insensitive form of a short answer: "  Ёлка  ЗЕЛЁНАЯ" → "елка зеленая"."""
    text = text.casefold().replace("ё", "е")
    return _SPACES.sub(" ", text).strip()


def parse_decimal(value):
    """A number typed by a person: "12,5", "12.5", 12, 12.5 or a Decimal (never a bool, NaN or infinity)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise InvalidAnswer(_("Введите число."))
    text = str(value).strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InvalidAnswer(_("Введите число.")) from None
    if not number.is_finite():
        raise InvalidAnswer(_("Введите число."))
    return number


def expect_dict(answer, key):
    """The answer object with ``key`` present, or InvalidAnswer."""
    if not isinstance(answer, dict) or key not in answer:
        raise InvalidAnswer(_("Ответ не распознан."))
    return answer[key]


def expect_id(value):
    """An option id sent by the browser: an int (or a string of digits)."""
    if isinstance(value, bool):
        raise InvalidAnswer(_("Выбран несуществующий вариант ответа."))
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, int):
        return value
    raise InvalidAnswer(_("Выбран несуществующий вариант ответа."))


def expect_text(value, max_length=MAX_TEXT_ANSWER):
    if not isinstance(value, str):
        raise InvalidAnswer(_("Ответ должен быть текстом."))
    if len(value) > max_length:
        raise InvalidAnswer(_("Ответ слишком длинный."))
    return value
