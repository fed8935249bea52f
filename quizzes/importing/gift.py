"""Moodle GIFT: reading (:func:`parse`) and writing (:func:`to_gift`), with Moodle 4.5's meaning.

The reader follows Moodle's own ``qformat_gift``: questions are separated by blank lines, ``//`` starts a
comment line, ``::name::`` is optional, ``$CATEGORY:`` switches the category of the questions after it,
``\\~ \\= \\# \\{ \\} \\: \\n \\\\`` are escapes, a ``[html]``/``[moodle]``/``[plain]``/``[markdown]`` marker
at the start of the text sets the format of the question's texts (none: Moodle's auto-format), ``#`` gives
an answer its feedback and ``####`` the question its general feedback, ``%50%`` weights an answer, and
the type is told from the answer block the way Moodle tells it. ``// [id:…] [tag:…]`` comments carry the id
number and tags, as Moodle 4.x writes them. Descriptions (text without an answer block) are not questions
here and are reported.

Where Moodle would read something into a different meaning than the writer meant, or into something this
bank cannot hold, the question is refused with its line and the reason (see ``docs/import-questions.md``).

GIFT has no place for points, the legal norm, the grading of multiple-answer questions or our lenient
short-answer matching, so they travel in comment lines right before the question, which Moodle ignores::

    // @баллы: 2
    // @норма: 273-ФЗ, ст. 10
    // @оценивание: всё или ничего
    // @регистр: учитывать
    // @ё и пробелы: не различать
"""

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from .decimals import format_decimal, parse_decimal, parse_range, range_middle
from .decoding import split_lines
from .parsed import (
    MultipleGrading,
    ParsedAnswer,
    ParsedChoice,
    ParsedNumber,
    ParsedQuestion,
    ParseError,
    ParseResult,
    QuestionKind,
    TextFormat,
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
# Moodle's names of the formats, as written in brackets before a text (case matters, as in Moodle).
_FORMAT_NAMES = {
    "plain": TextFormat.PLAIN,
    "html": TextFormat.HTML,
    "markdown": TextFormat.MARKDOWN,
    "moodle": TextFormat.MOODLE_AUTO,
}
_FORMAT_WRITTEN = {value: name for name, value in _FORMAT_NAMES.items()}
_FORMAT_MARKER = re.compile(r"^\[(plain|html|markdown|moodle)\]")
# Moodle 4.x: ``// [id:Q-17] [tag:подарки] [tag:273-ФЗ]``; a "]" inside is written "\]".
_ID_NUMBER = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])+)\]")
_CONTEXT_PREFIX = re.compile(r"^\$\w+\$/?")
_CATEGORY = "$CATEGORY:"
_TRUE = ("T", "TRUE")
_FALSE = ("F", "FALSE")
_WEIGHT = re.compile(r"^\s*%([-+]?\d+(?:[.,]\d+)?)%")
_BAD_WEIGHT = re.compile(r"^\s*(%[^%\s]*%)")

_META = re.compile(r"^//\s*@\s*([^:]+?)\s*:\s*(.*?)\s*$")
_META_KEYS = {
    "баллы": "points",
    "points": "points",
    "норма": "legal_norm",
    "норма права": "legal_norm",
    "legal_norm": "legal_norm",
    "оценивание": "grading",
    "grading": "grading",
    "регистр": "case",
    "case": "case",
    "ё и пробелы": "loose",
    "loose_spelling": "loose",
}
_CASE_WORDS = {"учитывать": True, "не учитывать": False}
_LOOSE_WORDS = {"не различать": True, "различать": False}


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


def _restore(text):
    """Escapes resolved (placeholders back to their characters), trimmed."""
    return text.translate(_RESTORE).strip()


def _category(raw):
    """``$course$/top/Антикоррупция/Подарки`` → ``Антикоррупция/Подарки`` (``None`` for the default)."""
    levels = category_levels(_CONTEXT_PREFIX.sub("", raw.strip()))
    if levels and levels[0].casefold() == "top":
        levels = levels[1:]
    return category_path(levels) or None


def _unescape_bracket(text):
    return text.replace("\\]", "]").strip()


class _Chunk:
    """One blank-line-separated block: optional comments, category switches and one question."""

    def __init__(self, lines, category, result):
        self.category = category
        self.result = result
        self.meta = []  # (line, key, value)
        self.comments = []  # the text of every comment line (id number and tags are found there)
        self.content = []  # (line, text)
        for number, line in lines:
            stripped = line.strip()
            if stripped.startswith("//"):
                self.comments.append((number, stripped))
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
        self.text_format = TextFormat.MOODLE_AUTO

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

    def formatted(self, text, offset):
        """A text of the question (answer, feedback) with escapes resolved. Moodle lets each text have a
        format marker of its own; here the texts of a question share its format, so a marker is allowed
        only when it names that format."""
        text = _restore(text)
        marker = _FORMAT_MARKER.match(text)
        if marker is None:
            return text
        if _FORMAT_NAMES[marker[1]] != self.text_format:
            self.error_at(
                offset,
                _(
                    "Формат «[%(marker)s]» у ответа или отзыва отличается от формата текста вопроса; "
                    "здесь у всех текстов вопроса один формат."
                )
                % {"marker": marker[1]},
            )
        return text[marker.end() :].strip()

    def read_question(self):
        text = self.text
        position = len(text) - len(text.lstrip())
        title = ""
        if text.startswith("::", position):
            end = text.find("::", position + 2)
            if end == -1:  # Moodle reads on as if there were no title
                position += 2
            else:
                title = _restore(text[position + 2 : end])
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
        question_text = _restore(text[position:opening] + (BLANK + after if after.strip() else ""))
        marker = _FORMAT_MARKER.match(question_text)
        if marker:
            self.text_format = _FORMAT_NAMES[marker[1]]
            question_text = question_text[marker.end() :].strip()
        question = ParsedQuestion(
            kind=QuestionKind.ESSAY,
            text=question_text,
            line=self.start,
            title=title,
            category=self.category,
            text_format=self.text_format,
        )
        self.read_comments(question)
        body_end = closing
        general = text.rfind("####", opening + 1, closing)
        if general != -1:
            question.explanation = self.formatted(text[general + 4 : closing], general)
            body_end = general
        self.read_answers(question, opening + 1, body_end)
        self.apply_meta(question)
        return question

    def read_comments(self, question):
        comments = "\n".join(text for _number, text in self.comments)
        found = _ID_NUMBER.search(comments)
        if found:
            question.id_number = _unescape_bracket(found[1])
        question.tags = [_unescape_bracket(tag) for tag in _TAG.findall(comments) if tag.strip()]

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
        elif body.split("#", 1)[0].strip() in _TRUE + _FALSE:  # case matters, as in Moodle
            question.kind = QuestionKind.TRUEFALSE
            self.read_truefalse(question, start, end)
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
        """(fraction or ``None``, rest of the piece); reports a malformed or out-of-range ``%…%``."""
        match = _WEIGHT.match(piece)
        if match:
            weight = parse_decimal(match[1])
            if not -100 <= weight <= 100:
                self.error_at(
                    self.piece_line_offset(marker, offset, piece),
                    _("Вес ответа %(weight)s%% вне пределов от -100%% до 100%%.") % {"weight": match[1]},
                )
            return weight / 100, piece[match.end() :]
        bad = _BAD_WEIGHT.match(piece)
        if bad:
            self.error_at(
                self.piece_line_offset(marker, offset, piece),
                _("Неверный вес ответа «%(weight)s»: нужно число процентов, например «~%%50%%».")
                % {"weight": bad[1].translate(_RESTORE)},
            )
        return None, piece

    def answer_and_feedback(self, rest, offset):
        answer, _hash, feedback = rest.partition("#")
        return self.formatted(answer, offset), self.formatted(feedback, offset)

    def read_choices(self, question, start, end):
        """Moodle: with any «=» the question is single choice (every «=» answer full marks, «~%w%» partial
        credit); without, it has several answers, each «~%w%» weighted."""
        pieces = self.pieces(start, end, "=~")
        question.kind = (
            QuestionKind.SINGLE if any(marker == "=" for marker, _o, _p in pieces) else QuestionKind.MULTIPLE
        )
        for marker, offset, piece in pieces:
            line_offset = self.piece_line_offset(marker, offset, piece)
            if marker == "=":
                fraction, rest = Decimal(1), piece
                if _WEIGHT.match(piece) or _BAD_WEIGHT.match(piece):
                    self.error_at(
                        line_offset,
                        _(
                            "Вес после «=» в вопросе с выбором Moodle не читает: он сочтёт вариант полностью "
                            "верным, а «%…%» — частью текста. Для частичного балла пишите «~%50%вариант»."
                        ),
                    )
            else:
                fraction, rest = self.weight(marker, offset, piece)
                fraction = Decimal(0) if fraction is None else fraction
            text, feedback = self.answer_and_feedback(rest, line_offset)
            question.choices.append(ParsedChoice(text, fraction, feedback))

    def read_truefalse(self, question, start, end):
        """``{T#отзыв на неверный ответ#отзыв на верный ответ}`` (Moodle's order)."""
        bits = self.text[start:end].split("#", 2)
        question.is_true = bits[0].strip() in _TRUE
        wrong = self.formatted(bits[1], start) if len(bits) > 1 else ""
        right = self.formatted(bits[2], start) if len(bits) > 2 else ""
        if question.is_true:
            question.feedback_true, question.feedback_false = right, wrong
        else:
            question.feedback_true, question.feedback_false = wrong, right

    def read_short(self, question, start, end):
        """Every answer is full marks unless weighted; case is ignored (Moodle's GIFT import sets it so).
        An answer is compared as text: Moodle drops a format marker before it, and so does this."""
        for marker, offset, piece in self.pieces(start, end, "="):
            fraction, rest = self.weight(marker, offset, piece)
            answer, _hash, feedback = rest.partition("#")
            text = _FORMAT_MARKER.sub("", _restore(answer), count=1).strip()
            feedback = self.formatted(feedback, self.piece_line_offset(marker, offset, piece))
            question.answers.append(
                ParsedAnswer(text, Decimal(1) if fraction is None else fraction, feedback)
            )

    def read_pairs(self, question, start, end):
        for marker, offset, piece in self.pieces(start, end, "="):
            left, arrow, right = piece.partition("->")
            if not arrow:
                self.error_at(
                    self.piece_line_offset(marker, offset, piece),
                    _("Пара должна иметь вид «=левое -> правое»: «%(text)s».") % {"text": _restore(piece)},
                )
                continue
            question.pairs.append((self.formatted(left, offset), _restore(right)))

    def read_numeric(self, question, start, end):
        """``{#=1822:0 =%50%1822:2 ~#отзыв}``: answers (value:tolerance, min..max or value), each weighted
        (full marks without a weight) with feedback; ``~#…`` is the feedback for any other number."""
        other = self.text.find("~", start, end)
        numeric_end = end if other == -1 else other
        for marker, offset, piece in self.pieces(start, numeric_end, "="):
            line_offset = self.piece_line_offset(marker, offset, piece)
            fraction, rest = self.weight(marker, offset, piece)
            value, _hash, feedback = rest.partition("#")
            answer, tolerance = self.numeric_value(_restore(value), line_offset)
            if answer is not None:
                question.numbers.append(
                    ParsedNumber(
                        answer,
                        tolerance,
                        Decimal(1) if fraction is None else fraction,
                        self.formatted(feedback, line_offset),
                    )
                )
        if other != -1:
            _text, _hash, feedback = self.text[other + 1 : end].partition("#")
            question.numbers.append(
                ParsedNumber(None, Decimal(0), Decimal(0), self.formatted(feedback, other))
            )

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
            elif key in ("case", "loose"):
                self.apply_short_meta(question, number, key, value)
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
            question.multiple_grading = MultipleGrading.PARTIAL  # Moodle's only rule for several answers

    def apply_short_meta(self, question, number, key, value):
        words = _CASE_WORDS if key == "case" else _LOOSE_WORDS
        if question.kind != QuestionKind.SHORT:
            self.error_on_line(number, _("Эта пометка задаётся только для вопросов с коротким ответом."))
        elif value.casefold() not in words:
            self.error_on_line(
                number,
                _("Значение «%(value)s» не понято: укажите «%(yes)s» или «%(no)s».")
                % dict(zip(("yes", "no"), words, strict=True), value=value),
            )
        elif key == "case":
            question.case_sensitive = words[value.casefold()]
        else:
            question.loose_spelling = words[value.casefold()]


def to_gift(questions):
    """GIFT text for ``questions``; :func:`parse` reads it back into equal questions, and Moodle reads it
    with the same grading (what only this bank has travels in ``// @…`` comments)."""
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


def _bracketed(text):
    return text.replace("]", "\\]")


def _question_block(question):
    lines = []
    ids = ([f"[id:{_bracketed(question.id_number)}]"] if question.id_number else []) + [
        f"[tag:{_bracketed(tag)}]" for tag in question.tags
    ]
    if ids:
        lines.append("// " + " ".join(ids))
    if question.points != 1:
        lines.append("// @баллы: " + format_decimal(question.points))
    if question.legal_norm:
        lines.append("// @норма: " + " ".join(question.legal_norm.split()))
    if question.kind == QuestionKind.MULTIPLE and question.multiple_grading:
        lines.append("// @оценивание: " + GRADING_NAMES[question.multiple_grading])
    if question.kind == QuestionKind.SHORT:
        if question.case_sensitive:
            lines.append("// @регистр: учитывать")
        if question.loose_spelling:
            lines.append("// @ё и пробелы: не различать")
    title = "::" + _escaped(question.title) + "::" if question.title else ""
    marker = (
        "" if question.text_format == TextFormat.MOODLE_AUTO else f"[{_FORMAT_WRITTEN[question.text_format]}]"
    )
    text = marker + _escaped(question.text)
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


def _weight(fraction):
    return "%" + format_decimal(fraction * 100) + "%"


def _feedback(text):
    return "#" + _escaped(text) if text else ""


def _block(lines, question):
    if question.explanation:
        lines.append(_general_feedback(question, "\t"))
    return "{\n" + "\n".join(lines) + "\n}"


def _compact_or_block(opening, items, question):
    """``{=a =b}`` on one line while it is short and plain; else one answer a line, as Moodle writes."""
    if not question.explanation and len(items) <= 3 and all("#" not in item for item in items):
        return "{" + opening + " ".join(items) + "}"
    return (
        "{"
        + opening
        + "\n"
        + "\n".join("\t" + item for item in items)
        + _general_feedback(question, "\n\t")
        + "\n}"
    )


def _answer_block(question):
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        lines = [
            f"\t{_choice_prefix(question, choice)}{_escaped(choice.text)}{_feedback(choice.feedback)}"
            for choice in question.choices
        ]
        return _block(lines, question)
    if kind == QuestionKind.MATCHING:
        lines = [
            f"\t={_escaped(left)} -> {_escaped(right)}" if left else f"\t= -> {_escaped(right)}"
            for left, right in question.pairs
        ]
        return _block(lines, question)
    if kind == QuestionKind.TRUEFALSE:
        right, wrong = question.feedback_true, question.feedback_false
        if not question.is_true:
            right, wrong = wrong, right
        feedback = ""
        if wrong or right:
            feedback = "#" + _escaped(wrong) + ("#" + _escaped(right) if right else "")
        return "{" + ("TRUE" if question.is_true else "FALSE") + feedback + _general_feedback(question) + "}"
    if kind == QuestionKind.SHORT:
        items = [
            f"={'' if answer.fraction == 1 else _weight(answer.fraction)}{_escaped(answer.text)}"
            f"{_feedback(answer.feedback)}"
            for answer in question.answers
        ]
        return _compact_or_block("", items, question)
    if kind == QuestionKind.NUMERIC:
        items = []
        for number in question.numbers:
            if number.value is None:
                items.append("~" + (_feedback(number.feedback) or "#"))
                continue
            weight = "" if number.fraction == 1 else _weight(number.fraction)
            items.append(
                f"={weight}{format_decimal(number.value)}:{format_decimal(number.tolerance)}"
                f"{_feedback(number.feedback)}"
            )
        return _compact_or_block("#", items, question)
    return "{" + _general_feedback(question) + "}"


def _choice_prefix(question, choice):
    if question.kind == QuestionKind.SINGLE and choice.fraction == 1:
        return "="
    if choice.fraction == 0:
        return "~"
    return "~" + _weight(choice.fraction)
