"""What a question file turns into: plain dataclasses, independent of the quiz models."""

import dataclasses
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


class TextFormat(StrEnum):
    """Moodle's text formats (the quiz model's names); GIFT writes them ``[plain]``, ``[html]``, …"""

    PLAIN = "plain"
    HTML = "html"
    MARKDOWN = "markdown"
    MOODLE_AUTO = "moodle_auto"


@dataclass
class ParsedChoice:
    text: str
    # Share of the question's points for choosing this option, -1..1 (GIFT weights divided by 100).
    fraction: Decimal = Decimal(0)
    feedback: str = ""

    @property
    def is_correct(self):
        return self.fraction > 0


@dataclass
class ParsedAnswer:
    """A graded answer of a short-answer question; ``*`` stands for any characters, ``\\*`` for itself."""

    text: str
    fraction: Decimal = Decimal(1)
    feedback: str = ""


@dataclass
class ParsedNumber:
    """A graded answer of a numeric question; ``value`` None matches any number (Moodle's ``*``)."""

    value: Decimal | None
    tolerance: Decimal = Decimal(0)
    fraction: Decimal = Decimal(1)
    feedback: str = ""


def marked_choices(kind, marked):
    """Choices from ``[(text, is_correct)]`` with the fractions our grading implies.

    Single: 1 for the correct option, 0 otherwise. Multiple (k correct): +1/k for each correct option,
    -1/k for each wrong one, as partial grading counts them.
    """
    correct = sum(1 for _text, is_correct in marked if is_correct)
    if kind != QuestionKind.MULTIPLE or correct == 0:
        return [ParsedChoice(text, Decimal(int(is_correct))) for text, is_correct in marked]
    weight = share(correct)
    return [ParsedChoice(text, weight if is_correct else -weight) for text, is_correct in marked]


@dataclass
class ParsedHint:
    """One of Moodle's hints (``<hint>``, shown in the interactive behaviour between tries): kept with its
    own text format and flags so a Moodle XML file comes back as it went in; this bank does not show them."""

    text: str
    text_format: TextFormat = TextFormat.HTML
    show_num_correct: bool = False
    clear_wrong: bool = False
    options: str = ""


@dataclass
class ParsedQuestion:
    """One question read from a file.

    Which fields matter depends on ``kind``: ``choices`` (single, multiple), ``is_true``, ``feedback_true``
    and ``feedback_false`` (truefalse), ``answers``, ``case_sensitive`` and ``loose_spelling`` (short),
    ``numbers`` (numeric), ``pairs`` (matching: ``(left, right)``; a pair with an empty left side is an
    extra right-hand option, a Moodle distractor), ``multiple_grading`` (multiple only), ``unit`` (numeric:
    the unit shown next to the answer box). ``correct_feedback``, ``partially_correct_feedback``,
    ``incorrect_feedback`` and ``show_num_correct`` are Moodle's combined feedback (single, multiple,
    matching), in the question's format; ``hints`` are Moodle's hints (any type). ``title`` is the
    question's name, ``explanation`` its general feedback, ``text_format`` the format of its texts,
    ``retired`` Moodle's "hidden". ``images`` holds the pictures the texts refer to as
    ``@@PLUGINFILE@@/name`` (Moodle XML), by name: their bytes.
    ``line`` is where the question starts in the file (the Excel row for XLSX); it is not part of
    equality, so a question exported and read back compares equal. ``category`` is a path of levels
    separated by "/" (see :func:`category_levels`).
    """

    kind: QuestionKind
    text: str
    points: Decimal = Decimal(1)
    explanation: str = ""
    legal_norm: str = ""
    line: int = field(default=0, compare=False)
    title: str = ""
    id_number: str = ""
    tags: list[str] = field(default_factory=list)
    text_format: TextFormat = TextFormat.PLAIN
    choices: list[ParsedChoice] = field(default_factory=list)
    answers: list[ParsedAnswer] = field(default_factory=list)
    case_sensitive: bool = False
    loose_spelling: bool = False
    numbers: list[ParsedNumber] = field(default_factory=list)
    is_true: bool | None = None
    feedback_true: str = ""
    feedback_false: str = ""
    pairs: list[tuple[str, str]] = field(default_factory=list)
    category: str | None = None
    multiple_grading: MultipleGrading | None = None
    unit: str = ""
    retired: bool = False
    correct_feedback: str = ""
    partially_correct_feedback: str = ""
    incorrect_feedback: str = ""
    show_num_correct: bool = False
    hints: list[ParsedHint] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)

    @property
    def category_levels(self):
        return category_levels(self.category)

    @property
    def correct_choices(self):
        return [choice for choice in self.choices if choice.is_correct]

    @property
    def accepted(self):
        """The short answers that give full marks."""
        return [answer.text for answer in self.answers if answer.fraction == 1]

    @property
    def full_number(self):
        """The first numeric answer that gives full marks, or None."""
        return next((n for n in self.numbers if n.fraction == 1 and n.value is not None), None)


def map_texts(question, change):
    """A copy of ``question`` whose every displayed text (question, feedback, options, matched items) is
    ``change(text)``; short and numeric answers, which are compared rather than shown, stay as they are."""
    return dataclasses.replace(
        question,
        text=change(question.text),
        explanation=change(question.explanation),
        feedback_true=change(question.feedback_true),
        feedback_false=change(question.feedback_false),
        choices=[
            dataclasses.replace(choice, text=change(choice.text), feedback=change(choice.feedback))
            for choice in question.choices
        ],
        answers=[
            dataclasses.replace(answer, feedback=change(answer.feedback)) for answer in question.answers
        ],
        numbers=[
            dataclasses.replace(number, feedback=change(number.feedback)) for number in question.numbers
        ],
        pairs=[(change(left), right) for left, right in question.pairs],
        correct_feedback=change(question.correct_feedback),
        partially_correct_feedback=change(question.partially_correct_feedback),
        incorrect_feedback=change(question.incorrect_feedback),
        hints=[dataclasses.replace(hint, text=change(hint.text)) for hint in question.hints],
        images=dict(question.images),
    )


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
