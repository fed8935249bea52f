"""What a question file turns into: plain dataclasses, independent of the quiz models."""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

from .decimals import share


class QuestionKind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUEFALSE = "truefalse"
    SHORT = "short"
    NUMERIC = "numeric"
    MATCHING = "matching"
    ESSAY = "essay"


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class MultipleGrading(StrEnum):
    """How a question with several correct options is graded (the quiz model's names)."""

    ALL_OR_NOTHING = "all_or_nothing"
    PARTIAL = "partial"


# Levels of a category path are separated by "/"; a "/" inside a name is written "//" (as in Moodle).
_LEVEL_SEPARATOR = re.compile(r"(?<!/)/(?!/)")


def category_levels(path):
    """``"Антикоррупция/Подарки"`` → ``["Антикоррупция", "Подарки"]``."""
    if not path:
        return []
    return [level.replace("//", "/").strip() for level in _LEVEL_SEPARATOR.split(path) if level.strip()]


def category_path(levels):
    return "/".join(level.replace("/", "//") for level in levels)


@dataclass
class ParsedChoice:
    text: str
    is_correct: bool
    # Share of the question's points for choosing this option, -1..1 (GIFT weights divided by 100).
    fraction: Decimal = Decimal(0)
    feedback: str = ""


def marked_choices(kind, marked):
    """Choices from ``[(text, is_correct)]`` with the fractions our grading implies.

    Single: 1 for the correct option, 0 otherwise. Multiple (k correct): +1/k for each correct option,
    -1/k for each wrong one, as partial grading counts them.
    """
    correct = sum(1 for _text, is_correct in marked if is_correct)
    if kind != QuestionKind.MULTIPLE or correct == 0:
        return [ParsedChoice(text, is_correct, Decimal(int(is_correct))) for text, is_correct in marked]
    weight = share(correct)
    return [ParsedChoice(text, is_correct, weight if is_correct else -weight) for text, is_correct in marked]


@dataclass
class ParsedQuestion:
    """One question read from a file.

    Which fields matter depends on ``kind``: ``choices`` (single, multiple), ``is_true`` (truefalse),
    ``accepted`` (short), ``numeric_answer`` and ``tolerance`` (numeric), ``pairs`` (matching: ``(left,
    right)``; a pair with an empty left side is an extra right-hand option, a Moodle distractor),
    ``multiple_grading`` (multiple only). ``line`` is where the question starts in the file (the Excel
    row for XLSX); it is not part of equality, so a question exported and read back compares equal.
    ``category`` is a path of levels separated by "/" (see :func:`category_levels`).
    """

    kind: QuestionKind
    text: str
    points: Decimal = Decimal(1)
    explanation: str = ""
    legal_norm: str = ""
    line: int = field(default=0, compare=False)
    title: str = ""
    choices: list[ParsedChoice] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    numeric_answer: Decimal | None = None
    tolerance: Decimal | None = None
    is_true: bool | None = None
    pairs: list[tuple[str, str]] = field(default_factory=list)
    category: str | None = None
    multiple_grading: MultipleGrading | None = None

    @property
    def category_levels(self):
        return category_levels(self.category)

    @property
    def correct_choices(self):
        return [choice for choice in self.choices if choice.is_correct]


@dataclass(frozen=True)
class ParseError:
    # 1-based line (Excel row for XLSX); None only when the file as a whole cannot be read.
    line: int | None
    message: str

    def __str__(self):
        if self.line is None:
            return str(self.message)
        return _("Строка %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ParseResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors
