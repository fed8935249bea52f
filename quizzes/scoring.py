"""Small pure helpers shared by the question types' scoring (no models here)."""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from .exceptions import InvalidAnswer

ZERO = Decimal(0)
ONE = Decimal(1)
FRACTION_STEP = Decimal("0.0001")  # a response's share of the question's points
SCORE_STEP = Decimal("0.01")  # points and percents
# The fraction of one answer (Moodle keeps 7 places: 1/3 is 0.3333333).
FRACTION_QUANTUM = Decimal("0.0000001")
# Positive fractions of a multiple-answer question add up to 1 give or take rounding (3 × 0.3333333).
WEIGHT_SLACK = Decimal("0.001")

# A short text answer longer than this is not an answer but an accident (or an attack).
MAX_TEXT_ANSWER = 2000
MAX_ESSAY_ANSWER = 20000

# A typed number: at most this many characters, and 10**±this at most.
MAX_NUMBER_LENGTH = 50
MAX_EXPONENT = 30

UNKNOWN_OPTION = _("Выбран несуществующий вариант ответа.")

_SPACES = re.compile(r"\s+")


def quantize_fraction(value):
    """Round a share of a question's points (0..1) to 4 places.

    Never clamps: a share outside 0..1 is a bug in the scoring rule that computed it, and raises.
    """
    value = Decimal(value)
    if not ZERO <= value <= ONE:
        raise ValueError(f"a share of the points must be within 0..1, not {value}")
    return value.quantize(FRACTION_STEP, rounding=ROUND_HALF_UP)


def quantize_score(value):
    return Decimal(value).quantize(SCORE_STEP, rounding=ROUND_HALF_UP)


def normalize_text(text):
    """Case-, ё/е- and whitespace-insensitive form of a short answer: "  Ёлка  ЗЕЛЁНАЯ" → "елка зеленая"."""
    text = text.casefold().replace("ё", "е")
    return _SPACES.sub(" ", text).strip()


_WILDCARDS = re.compile(r"(?<!\\)\*+")


def matches_wildcard(response, pattern, case_sensitive=False, loose_spelling=False):
    """Moodle's short-answer comparison (``compare_string_with_wildcard``): both sides in Unicode NFC, the
    response trimmed, the whole of it matching ``pattern`` in which a run of ``*`` stands for any
    characters and ``\\*`` for the asterisk itself; case ignored unless ``case_sensitive``.

    ``loose_spelling`` adds our rule on top: «ё» is «е» and runs of spaces are one space.
    """
    pattern = unicodedata.normalize("NFC", pattern)
    response = unicodedata.normalize("NFC", response).strip(" \t\n\r\0\x0b")
    if loose_spelling:
        pattern, response = _loosen(pattern), _loosen(response)
    bits = [re.escape(bit.replace("\\*", "*")) for bit in _WILDCARDS.split(pattern)]
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.fullmatch(".*".join(bits), response, flags) is not None


def _loosen(text):
    return _SPACES.sub(" ", text.replace("ё", "е").replace("Ё", "Е")).strip()


def parse_decimal(value):
    """A number typed by a person: "12,5", "12.5", 12, 12.5 or a Decimal (never a bool, NaN or infinity).

    Numbers of absurd size or length ("1e1000000", a thousand digits) are refused rather than computed.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise InvalidAnswer(_("Введите число."))
    text = str(value).strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if len(text) > MAX_NUMBER_LENGTH:
        raise InvalidAnswer(_("Число записано слишком длинно."))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InvalidAnswer(_("Введите число.")) from None
    if not number.is_finite():
        raise InvalidAnswer(_("Введите число."))
    if number and not -MAX_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
        raise InvalidAnswer(_("Число слишком велико или слишком мало."))
    return number


def expect_only(answer, key):
    """The value of an answer object that has exactly the one ``key`` (else InvalidAnswer)."""
    if not isinstance(answer, dict) or key not in answer:
        raise InvalidAnswer(_("Ответ не распознан."))
    if len(answer) != 1:
        raise InvalidAnswer(_("Ответ содержит лишние поля."))
    return answer[key]


class Ids:
    """The ids a question offers (options, matching items), to check what the browser names.

    In a sitting every id is an opaque string and only that exact string names it. In a question's
    own snapshot (and in sittings from before opaque ids) ids are integers: the integer or its
    canonical digits name it ("7", never "07" or " 7"), so one item cannot be named twice.
    """

    def __init__(self, ids):
        self.names = {}
        for pk in ids:
            self.names[pk] = pk
            if isinstance(pk, int):
                self.names[str(pk)] = pk

    def __contains__(self, value):
        return isinstance(value, str | int) and not isinstance(value, bool) and value in self.names

    def get(self, value):
        """The id ``value`` names, or InvalidAnswer."""
        if value not in self:
            raise InvalidAnswer(UNKNOWN_OPTION)
        return self.names[value]

    def get_distinct(self, values):
        """The ids a list of names names, each at most once, or InvalidAnswer."""
        found = [self.get(value) for value in values]
        if len(set(found)) != len(found):
            raise InvalidAnswer(_("Один и тот же вариант указан в ответе дважды."))
        return found


def expect_text(value, max_length=MAX_TEXT_ANSWER):
    if not isinstance(value, str):
        raise InvalidAnswer(_("Ответ должен быть текстом."))
    if len(value) > max_length:
        raise InvalidAnswer(_("Ответ слишком длинный."))
    if "\x00" in value:  # no text has it, and PostgreSQL's jsonb cannot store it
        raise InvalidAnswer(_("Ответ содержит недопустимый символ."))
    return value
