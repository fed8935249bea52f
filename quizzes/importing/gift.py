"""Moodle GIFT: reading (:func:`parse`) and writing (:func:`to_gift`).

The reader follows Moodle's own ``qformat_gift``: questions are separated by blank lines, ``//`` starts a
comment line, ``::title::`` is optional, ``$CATEGORY:`` switches the category of the questions after it,
``\\~ \\= \\# \\{ \\} \\: \\n`` are escapes, ``[html]``/``[moodle]``/``[plain]``/``[markdown]`` markers are
dropped, and the type is told from the answer block the way Moodle tells it. Descriptions (text without an
answer block) are not questions here and are reported.

GIFT has no place for points, the legal norm or the grading of multiple-answer questions, so they travel in
comment lines right before the question, which Moodle ignores::

    // @баллы: 2
    // @норма: 273-ФЗ, ст. 10
    // @оценивание: всё или ничего
"""

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from .decimals import format_decimal, parse_decimal, parse_range, range_middle, share
from .decoding import split_lines
from .parsed import (
    MultipleGrading,
    ParsedChoice,
    ParsedQuestion,
    ParseError,
    ParseResult,
    QuestionKind,
    category_levels,
    category_path,
)
from .validation import points_error_message, validate_question
from .vocabulary import GRADING_NAMES, grading_from_name

# What replaces the answer block when text follows it (Moodle's missing-word format).
BLANK = "_____"

# Escaped characters become one private-use character each, so offsets keep their line numbers.
_PLACEHOLDERS = {
    ":": "\ue000",
    "#": "\ue001",
    "=": "\ue002",
    "{": "\ue003",
    "}": "\ue004",
    "~": "\ue005",
    "n": "\ue006",
    "\\": "\ue007",
}
_ESCAPE = re.compile(r"\\([:#={}~n\\])")
_RESTORE = str.maketrans({held: ("\n" if char == "n" else char) for char, held in _PLACEHOLDERS.items()})
_WRITE_ESCAPED = str.maketrans(
    {"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:", "\n": "\\n"}
)
_FORMAT_MARKER = re.compile(r"^\[(?:html|moodle|plain|markdown)\]", re.IGNORECASE)
_CONTEXT_PREFIX = re.compile(r"^\$\w+\$/?")
_CATEGORY = "$CATEGORY:"
_TRUE = ("T", "TRUE")
_FALSE = ("F", "FALSE")
_WEIGHT = re.compile(r"^\s*%([-+]?\d+(?:[.,]\d+)?)%")
_BAD_WEIGHT = re.compile(r"^\s*(%[^%\s]*%)")
# Sum of positive weights of a multiple-answer question may differ from 100% by rounding (3 × 33.33333%).
_WEIGHT_SLACK = Decimal("0.001")

_META = re.compile(r"^//\s*@\s*([^:]+?)\s*:\s*(.*?)\s*$")
_META_KEYS = {
    "баллы": "points",
    "points": "points",
    "норма": "legal_norm",
    "норма права": "legal_norm",
    "legal_norm": "legal_norm",
    "оценивание": "grading",
    "grading": "grading",
}


def parse(text):
    """Read GIFT text into a :class:`ParseResult`; never raises on bad content."""
    result = ParseResult()
    category = None
    for chunk in _chunks(split_lines(text)):
        category = _Chunk(chunk, category, result).read()
    return result


def _chunks(lines):
    """Runs of non-blank lines as ``[(line number, line)]``."""
    chunk = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            chunk.append((number, line))
        elif chunk:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _clean(text):
    """Answer, feedback or question text as shown: format marker dropped, escapes resolved, trimmed."""
    return _FORMAT_MARKER.sub("", text.strip(), count=1).translate(_RESTORE).strip()


def _category(raw):
    """``$course$/top/Антикоррупция/Подарки`` → ``Антикоррупция/Подарки`` (``None`` for the default)."""
    levels = category_levels(_CONTEXT_PREFIX.sub("", raw.strip()))
    if levels and levels[0].casefold() == "top":
        levels = levels[1:]
    return category_path(levels) or None


class _Chunk:
    """One blank-line-separated block: optional comments, category switches and one question."""

    def __init__(self, lines, category, result):
        self.category = category
        self.result = result
        self.meta = []  # (line, key, value)
        self.content = []  # (line, text)
        for number, line in lines:
            stripped = line.strip()
            if stripped.startswith("//"):
                match = _META.match(stripped)
                if match and match[1].casefold() in _META_KEYS:
                    self.meta.append((number, _META_KEYS[match[1].casefold()], match[2]))
                continue
            self.content.append((number, line))
        self.errors = []
        # The question as one string: content lines joined with "\n", escapes replaced by placeholders.
        # Positions below are offsets into it; ``numbers`` gives the file line of each of its lines.
        self.text = ""
        self.numbers = []
        self.start = None
        # Weights without «=» ask for partial credit; several «=» answers are all-or-nothing.
        self.weighted = False

    def read(self):
        while self.content and self.content[0][1].strip().startswith(_CATEGORY):
            self.category = _category(self.content.pop(0)[1].strip()[len(_CATEGORY) :])
        if not self.content:
            for number, _key, _value in self.meta:
                self.errors.append(
                    ParseError(number, _("Пометка в комментарии не относится ни к одному вопросу."))
                )
        else:
            self.numbers = [number for number, _line in self.content]
            self.start = self.numbers[0]
            self.text = _ESCAPE.sub(
                lambda match: _PLACEHOLDERS[match[1]], "\n".join(line for _number, line in self.content)
            )
            question = self.read_question()
            if question is not None and not self.errors:
                # Checks shared by all formats, once the GIFT syntax itself is right.
                self.errors.extend(validate_question(question))
                if not self.errors:
                    self.result.questions.append(question)
        self.result.errors.extend(self.errors)
        return self.category

    def error_on_line(self, line, message):
        self.errors.append(ParseError(line, message))

    def error_at(self, offset, message):
        self.error_on_line(self.numbers[self.text.count("\n", 0, offset)], message)

    def read_question(self):
        text = self.text
        position = len(text) - len(text.lstrip())
        title = ""
        if text.startswith("::", position):
            end = text.find("::", position + 2)
            if end == -1:  # Moodle reads on as if there were no title
                position += 2
            else:
                title = text[position + 2 : end].translate(_RESTORE).strip()
                position = end + 2
        opening = text.find("{", position)
        closing = text.find("}", position)
        if opening == -1 and closing == -1:
            self.error_on_line(
                self.start,
                _("Нет блока ответов в фигурных скобках {…}: описания без ответов не импортируются."),
            )
            return None
        if opening == -1 or (closing != -1 and closing < opening):
            self.error_at(closing, _("Закрывающая скобка «}» без открывающей «{»."))
            return None
        if closing == -1:
            self.error_at(opening, _("Не закрыта фигурная скобка «{»."))
            return None
        nested = text.find("{", opening + 1, closing)
        if nested != -1:
            self.error_at(nested, _("Внутри блока ответов встретилась «{»; если это текст, напишите «\\{»."))
            return None
        extra = [found for found in (text.find("{", closing + 1), text.find("}", closing + 1)) if found != -1]
        if extra:
            self.error_at(
                min(extra),
                _("Второй блок ответов в одном вопросе: вероятно, между вопросами пропущена пустая строка."),
            )
            return None

        after = text[closing + 1 :]
        question_text = text[position:opening] + (BLANK + after if after.strip() else "")
        question = ParsedQuestion(
            kind=QuestionKind.ESSAY,
            text=_clean(question_text),
            line=self.start,
            title=title,
            category=self.category,
        )
        body_end = closing
        general = text.rfind("####", opening + 1, closing)
        if general != -1:
            question.explanation = _clean(text[general + 4 : closing])
            body_end = general
        self.read_answers(question, opening + 1, body_end)
        self.apply_meta(question)
        return question

    def read_answers(self, question, start, end):
        body = self.text[start:end].strip()
        if not body:
            question.kind = QuestionKind.ESSAY
        elif body.startswith("#"):
            question.kind = QuestionKind.NUMERIC
            self.read_numeric(question, self.text.index("#", start) + 1, end)
        elif "~" in body:
            self.read_choices(question, start, end)
        elif "=" in body and "->" in body:
            question.kind = QuestionKind.MATCHING
            self.read_pairs(question, start, end)
        elif body.split("#", 1)[0].strip().upper() in _TRUE + _FALSE:
            question.kind = QuestionKind.TRUEFALSE
            question.is_true = body.split("#", 1)[0].strip().upper() in _TRUE
        else:
            question.kind = QuestionKind.SHORT
            self.read_short(question, start, end)

    def pieces(self, start, end, markers):
        """``text[start:end]`` cut before each marker: ``[(marker, offset of the piece, piece)]``.

        A blank piece before the first marker is dropped; a non-blank one comes with marker ``""``.
        """
        found = []
        marker, piece_start = "", start
        for index in range(start, end):
            if self.text[index] in markers:
                found.append((marker, piece_start, self.text[piece_start:index]))
                marker, piece_start = self.text[index], index + 1
        found.append((marker, piece_start, self.text[piece_start:end]))
        if not found[0][0] and not found[0][2].strip():
            found.pop(0)
        return found

    def piece_line_offset(self, marker, offset, piece):
        if marker:
            return offset - 1
        return offset + len(piece) - len(piece.lstrip())

    def weight(self, marker, offset, piece):
        """(weight in percent or ``None``, rest of the piece); reports a malformed ``%…%``."""
        match = _WEIGHT.match(piece)
        if match:
            weight = parse_decimal(match[1])
            if not -100 <= weight <= 100:
                self.error_at(
                    self.piece_line_offset(marker, offset, piece),
                    _("Вес ответа %(weight)s%% вне пределов от -100%% до 100%%.") % {"weight": match[1]},
                )
            return weight, piece[match.end() :]
        bad = _BAD_WEIGHT.match(piece)
        if bad:
            self.error_at(
                self.piece_line_offset(marker, offset, piece),
                _("Неверный вес ответа «%(weight)s»: нужно число процентов, например «~%%50%%».")
                % {"weight": bad[1].translate(_RESTORE)},
            )
        return None, piece

    def read_choices(self, question, start, end):
        pieces = self.pieces(start, end, "=~")
        has_equal = any(marker == "=" for marker, _offset, _piece in pieces)
        self.weighted = not has_equal
        for marker, offset, piece in pieces:
            if marker == "=":
                fraction, rest = Decimal(1), piece
            else:
                weight, rest = self.weight(marker, offset, piece)
                fraction = Decimal(0) if weight is None else weight / 100
            answer, _hash, feedback = rest.partition("#")
            question.choices.append(ParsedChoice(_clean(answer), fraction > 0, fraction, _clean(feedback)))
        positive = [choice for choice in question.choices if choice.fraction > 0]
        if not has_equal:
            question.kind = QuestionKind.MULTIPLE
            total = sum(choice.fraction for choice in positive)
            if positive and abs(total - 1) > _WEIGHT_SLACK:
                self.error_on_line(
                    self.start,
                    _("Сумма весов правильных вариантов должна быть 100%%, а здесь %(total)s%%.")
                    % {"total": format_decimal(total * 100)},
                )
        elif any(choice.fraction < 1 for choice in positive):
            question.kind = QuestionKind.SINGLE
            self.error_on_line(
                self.start,
                _(
                    "В вопросе с одним правильным ответом («=») нельзя давать вариантам частичный вес; "
                    "для нескольких правильных ответов задайте вес в процентах каждому варианту "
                    "и не ставьте «=»."
                ),
            )
        elif len(positive) > 1:
            question.kind = QuestionKind.MULTIPLE
            for choice in positive:
                choice.fraction = share(len(positive))
        else:
            question.kind = QuestionKind.SINGLE

    def read_short(self, question, start, end):
        for marker, offset, piece in self.pieces(start, end, "="):
            weight, rest = self.weight(marker, offset, piece)
            if weight is not None and weight != 100:
                self.error_at(
                    self.piece_line_offset(marker, offset, piece),
                    _("Частичный вес в коротком ответе не поддерживается: оставьте только верные ответы."),
                )
            question.accepted.append(_clean(rest.partition("#")[0]))

    def read_pairs(self, question, start, end):
        for marker, offset, piece in self.pieces(start, end, "="):
            left, arrow, right = piece.partition("->")
            if not arrow:
                self.error_at(
                    self.piece_line_offset(marker, offset, piece),
                    _("Пара должна иметь вид «=левое -> правое»: «%(text)s».") % {"text": _clean(piece)},
                )
                continue
            question.pairs.append((_clean(left), _clean(right)))

    def read_numeric(self, question, start, end):
        wrong_feedback = self.text.find("~", start, end)
        if wrong_feedback != -1:
            end = wrong_feedback
        question.tolerance = Decimal(0)
        found = False
        for marker, offset, piece in self.pieces(start, end, "="):
            weight, rest = self.weight(marker, offset, piece)
            value = rest.partition("#")[0].translate(_RESTORE).strip()
            answer, tolerance = self.numeric_value(value, self.piece_line_offset(marker, offset, piece))
            if answer is not None and not found and (weight is None or weight == 100):
                question.numeric_answer, question.tolerance = answer, tolerance
                found = True
        if not found and not self.errors and self.pieces(start, end, "="):
            self.error_on_line(self.start, _("Нет полностью верного числового ответа (с весом 100%)."))

    def numeric_value(self, value, offset):
        """``"3.14:0.01"``, ``"1..5"`` or ``"2008"`` → (answer, tolerance); reports what is not a number."""
        if ".." in value:
            bounds = parse_range(value)
            if bounds is not None:
                if bounds[0] > bounds[1]:
                    self.error_at(
                        offset, _("В диапазоне «%(range)s» начало больше конца.") % {"range": value}
                    )
                    return None, None
                return range_middle(*bounds)
        elif ":" in value:
            answer, _colon, tolerance = value.partition(":")
            answer, tolerance = parse_decimal(answer), parse_decimal(tolerance)
            if answer is not None and tolerance is not None:
                return answer, tolerance
        elif parse_decimal(value) is not None:
            return parse_decimal(value), Decimal(0)
        self.error_at(offset, _("Числовой ответ «%(value)s» не является числом.") % {"value": value})
        return None, None

    def apply_meta(self, question):
        for number, key, value in self.meta:
            if key == "points":
                points = parse_decimal(value)
                if points is None or points <= 0:
                    self.error_on_line(number, points_error_message())
                else:
                    question.points = points
            elif key == "legal_norm":
                question.legal_norm = value
            elif question.kind != QuestionKind.MULTIPLE:
                self.error_on_line(
                    number,
                    _("Способ оценивания задаётся только для вопросов с несколькими правильными ответами."),
                )
            elif grading_from_name(value) is not None:
                question.multiple_grading = grading_from_name(value)
            else:
                self.error_on_line(
                    number,
                    _("Способ оценивания «%(value)s» неизвестен: укажите «частичное» или «всё или ничего».")
                    % {"value": value},
                )
        if question.kind == QuestionKind.MULTIPLE and question.multiple_grading is None:
            question.multiple_grading = (
                MultipleGrading.PARTIAL if self.weighted else MultipleGrading.ALL_OR_NOTHING
            )


def to_gift(questions):
    """GIFT text for ``questions``; :func:`parse` reads it back into equal questions."""
    blocks = []
    category = None
    for question in questions:
        if question.category != category:
            blocks.append((_CATEGORY + " " + (question.category or "")).rstrip())
            category = question.category
        blocks.append(_question_block(question))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _escaped(text):
    return text.translate(_WRITE_ESCAPED)


def _question_block(question):
    lines = []
    if question.points != 1:
        lines.append("// @баллы: " + format_decimal(question.points))
    if question.legal_norm:
        lines.append("// @норма: " + " ".join(question.legal_norm.split()))
    if question.kind == QuestionKind.MULTIPLE and question.multiple_grading:
        lines.append("// @оценивание: " + GRADING_NAMES[question.multiple_grading])
    title = "::" + _escaped(question.title) + "::" if question.title else ""
    text = _escaped(question.text)
    answers = _answer_block(question)
    before, blank, after = text.partition(BLANK)
    if blank and after.strip():
        lines.append(title + before + answers + after)
    else:
        lines.append(title + text + " " + answers)
    return "\n".join(lines)


def _general_feedback(question, indent=""):
    if not question.explanation:
        return ""
    return indent + "####" + _escaped(question.explanation)


def _answer_block(question):
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        lines = [f"\t{_choice_prefix(question, choice)}{_choice_text(choice)}" for choice in question.choices]
        if question.explanation:
            lines.append(_general_feedback(question, "\t"))
        return "{\n" + "\n".join(lines) + "\n}"
    if kind == QuestionKind.MATCHING:
        lines = [
            f"\t={_escaped(left)} -> {_escaped(right)}" if left else f"\t= -> {_escaped(right)}"
            for left, right in question.pairs
        ]
        if question.explanation:
            lines.append(_general_feedback(question, "\t"))
        return "{\n" + "\n".join(lines) + "\n}"
    if kind == QuestionKind.TRUEFALSE:
        return "{" + ("TRUE" if question.is_true else "FALSE") + _general_feedback(question) + "}"
    if kind == QuestionKind.SHORT:
        answers = " ".join("=" + _escaped(answer) for answer in question.accepted)
        return "{" + answers + _general_feedback(question) + "}"
    if kind == QuestionKind.NUMERIC:
        answer = format_decimal(question.numeric_answer)
        tolerance = format_decimal(question.tolerance or Decimal(0))
        return "{#" + answer + ":" + tolerance + _general_feedback(question) + "}"
    return "{" + _general_feedback(question) + "}"


def _choice_prefix(question, choice):
    if question.kind == QuestionKind.SINGLE and choice.is_correct:
        return "="
    if choice.fraction == 0:
        return "~"
    return "~%" + format_decimal(choice.fraction * 100) + "%"


def _choice_text(choice):
    text = _escaped(choice.text)
    if choice.feedback:
        text += "#" + _escaped(choice.feedback)
    return text
