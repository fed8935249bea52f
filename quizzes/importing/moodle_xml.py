"""Moodle XML: reading (:func:`parse`) and writing (:func:`to_moodle_xml`), as Moodle 4.x writes and reads it.

A file is ``<quiz>`` with ``<question type="…">`` elements. ``type="category"`` switches the category of the
questions after it (``$course$/top/Тема/Подтема`` → ``Тема/Подтема``); the types read are multichoice (one or
several answers, with fractions and feedback), truefalse, shortanswer (``usecase``), numerical (answers
with tolerance; units: the first unit with multiplier 1 is the unit shown, unit grading is not), matching
and essay.
Every question keeps its ``name``, ``questiontext`` and its format, ``generalfeedback``, ``defaultgrade``
(points), ``idnumber``, ``tags`` and ``hidden`` (retired). Multichoice and matching keep the combined feedback
(``<correctfeedback>``, ``<partiallycorrectfeedback>``, ``<incorrectfeedback>``, in the question's format, and
``<shownumcorrect/>``); every type keeps its ``<hint>`` elements, each in its own format with its flags
(stored and written back, not shown). ``penalty``, answer numbering and per-question shuffling have no place
here and are ignored. Descriptions and other types are reported with the line of their ``<question>``.

Texts may carry pictures: ``<file name="schema.png" encoding="base64">`` inside the text's element, referred
to from the text as ``@@PLUGINFILE@@/schema.png``. They are checked here (an image of an allowed kind, within
the size limits) and kept in :attr:`ParsedQuestion.images`; the import stores them and rewrites the texts.

Moodle keeps a format per text, this bank one per question: when the texts of a question come in different
formats, they are all rewritten as HTML (or Moodle's auto-format when the question text is in it), showing
the same (:func:`quizzes.richtext.convert`).

What only this bank has travels in elements Moodle ignores: ``<antikor_legalnorm>``, ``<antikor_grading>``
(``all_or_nothing`` for multiple answers) and ``<antikor_loosespelling>`` (short answers).

The file is parsed with defusedxml: no DTD, no entities, no external references (an XML bomb or an XXE
attempt is an error, never read).
"""

import base64
import binascii
import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import PurePosixPath
from urllib.parse import quote, unquote

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.conf import settings
from django.utils.translation import gettext as _

from .. import richtext
from ..validators import QUESTION_IMAGE_MAX_BYTES
from .decimals import FRACTION_QUANTUM, format_decimal, parse_decimal
from .parsed import (
    MultipleGrading,
    ParsedAnswer,
    ParsedChoice,
    ParsedHint,
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

FORMATS = {
    "html": TextFormat.HTML,
    "moodle_auto_format": TextFormat.MOODLE_AUTO,
    "plain_text": TextFormat.PLAIN,
    "markdown": TextFormat.MARKDOWN,
}
FORMAT_NAMES = {value: name for name, value in FORMATS.items()}
TYPES = {
    "multichoice": None,  # single or multiple, told by <single>
    "truefalse": QuestionKind.TRUEFALSE,
    "shortanswer": QuestionKind.SHORT,
    "numerical": QuestionKind.NUMERIC,
    "matching": QuestionKind.MATCHING,
    "essay": QuestionKind.ESSAY,
}
TYPE_NAMES = {
    QuestionKind.SINGLE: "multichoice",
    QuestionKind.MULTIPLE: "multichoice",
    **{kind: name for name, kind in TYPES.items() if kind is not None},
}
# Moodle's combined feedback: element → ParsedQuestion attribute (the types that have it).
COMBINED_FEEDBACK = {
    "correctfeedback": "correct_feedback",
    "partiallycorrectfeedback": "partially_correct_feedback",
    "incorrectfeedback": "incorrect_feedback",
}
COMBINED_FEEDBACK_TYPES = ("multichoice", "matching")
# Pictures a text may carry: what Wagtail takes (WAGTAILIMAGES_EXTENSIONS), told by their content.
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
_REFERENCE = re.compile(re.escape(richtext.PLUGINFILE) + r"""([^"'\s<>()]+)""")
_CONTEXT_PREFIX = re.compile(r"^\$\w+\$/?")
_BAD_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FILE_NAME = re.compile(r"^[^/\\\x00-\x1f]{1,255}$")


def element_label(tag):
    return f"<{tag}>"


class _LineBuilder:
    """An ElementTree builder that remembers the line each element starts on (for error messages)."""

    def __init__(self):
        self.builder = ET.TreeBuilder()
        self.lines = {}
        self.parser = None

    def start(self, tag, attrs):
        element = self.builder.start(tag, attrs)
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element

    def end(self, tag):
        return self.builder.end(tag)

    def data(self, text):
        self.builder.data(text)

    def close(self):
        return self.builder.close()


def read_tree(data):
    """``(root element, {id(element): line})``; raises :class:`ParseError`-worthy ``ValueError``."""
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    parser.feed(data)
    return parser.close(), builder.lines


def parse(data):
    """Read the bytes of a Moodle XML file into a :class:`ParseResult`; never raises on bad content."""
    result = ParseResult()
    try:
        root, lines = read_tree(data)
    except DefusedXmlException:
        result.errors.append(
            ParseError(
                None,
                _(
                    "В файле XML есть объявление DTD или сущности (<!DOCTYPE>, <!ENTITY>): такие файлы не "
                    "читаются из соображений безопасности. Moodle их не пишет."
                ),
            )
        )
        return result
    except ET.ParseError as error:
        line = error.position[0] if getattr(error, "position", None) else None
        result.errors.append(
            ParseError(
                line, _("Файл не является правильным XML: %(error)s.") % {"error": _expat_message(error)}
            )
        )
        return result
    except (ValueError, LookupError) as error:  # an encoding the parser does not know
        result.errors.append(ParseError(None, _("Не удалось прочитать XML: %(error)s.") % {"error": error}))
        return result
    if root.tag != "quiz":
        result.errors.append(
            ParseError(
                lines.get(id(root)),
                _("Это не файл вопросов Moodle XML: корневой элемент %(found)s, а нужен <quiz>.")
                % {"found": element_label(root.tag)},
            )
        )
        return result
    category = None
    for element in root:
        line = lines.get(id(element))
        if element.tag != "question":
            result.errors.append(
                ParseError(
                    line,
                    _("Неизвестный элемент %(tag)s внутри <quiz>: ожидается <question>.")
                    % {"tag": element_label(element.tag)},
                )
            )
            continue
        kind = element.get("type", "")
        if kind == "category":
            category = _category(_child_text(element, "category"))
            continue
        reader = _QuestionReader(element, lines, category)
        question = reader.read()
        if question is not None and not reader.errors:
            reader.errors.extend(validate_question(question))
        if reader.errors:
            result.errors.extend(reader.errors)
        else:
            result.questions.append(question)
    return result


def _expat_message(error):
    """The parser's message without its own "line N, column M" (the report gives the line)."""
    return re.sub(r":\s*line \d+, column \d+$", "", str(error))


def _category(raw):
    """``$course$/top/Антикоррупция/Подарки`` → ``Антикоррупция/Подарки`` (``None`` for the default)."""
    levels = category_levels(_CONTEXT_PREFIX.sub("", (raw or "").strip()))
    if levels and levels[0].casefold() == "top":
        levels = levels[1:]
    return category_path(levels) or None


def _child_text(element, tag):
    """The ``<text>`` of child ``tag`` (``<name><text>…</text></name>``), or ``""``."""
    child = element.find(tag)
    if child is None:
        return ""
    text = child.find("text")
    return (text.text or "") if text is not None else (child.text or "")


def _plain(element, tag):
    child = element.find(tag)
    return (child.text or "").strip() if child is not None else ""


class _Text:
    """A text of a question as the file has it (its format may differ from the question's)."""

    def __init__(self, text, text_format):
        self.text = text
        self.format = text_format


class _QuestionReader:
    def __init__(self, element, lines, category):
        self.element = element
        self.lines = lines
        self.category = category
        self.line = lines.get(id(element))
        self.errors = []
        self.texts = []  # every _Text shown to people, for the format unification
        self.images = {}
        self.refused = set()  # files already reported
        self.hint_texts = []  # hints keep their own format: not unified, but their files are checked

    def error(self, element, message):
        """An error at ``element``'s line, naming the element."""
        line = self.lines.get(id(element), self.line) if element is not None else self.line
        where = f"{element_label(element.tag)}: " if element is not None else ""
        self.errors.append(ParseError(line, where + message))

    def read(self):
        type_name = self.element.get("type", "")
        if type_name == "description":
            self.error(
                self.element,
                _("описание (вопрос типа «description») в банк не импортируется: здесь это не вопрос."),
            )
            return None
        if type_name not in TYPES:
            self.error(
                self.element,
                _(
                    "тип вопроса «%(type)s» не поддерживается; импортируются multichoice, truefalse, "
                    "shortanswer, numerical, matching и essay."
                )
                % {"type": type_name},
            )
            return None
        text = self.text_of(self.element.find("questiontext"), required=True)
        question = ParsedQuestion(
            kind=TYPES[type_name] or QuestionKind.SINGLE,
            text="",
            line=self.line or 0,
            title=_child_text(self.element, "name").strip(),
            id_number=_plain(self.element, "idnumber"),
            category=self.category,
            legal_norm=_plain(self.element, "antikor_legalnorm"),
            retired=_plain(self.element, "hidden") == "1",
        )
        explanation = self.text_of(self.element.find("generalfeedback"))
        self.read_points(question)
        question.tags = [
            (tag.findtext("text") or "").strip()
            for tag in self.element.findall("tags/tag")
            if (tag.findtext("text") or "").strip()
        ]
        late = getattr(self, "read_" + type_name)(question)
        if type_name in COMBINED_FEEDBACK_TYPES:
            late.append(self.read_combined_feedback(question))
        hints = self.read_hints()
        if text is None:
            return None
        question.text_format = self.unify_formats(text)
        question.text, question.explanation = text.text.strip(), explanation.text.strip()
        for finish in late:
            finish()
        question.hints = [
            ParsedHint(hint.text.strip(), hint.format, show_num_correct, clear_wrong, options)
            for hint, show_num_correct, clear_wrong, options in hints
        ]
        self.check_references(question)
        question.images = self.images
        return question

    # --- texts, formats and pictures

    def text_of(self, element, required=False):
        """A :class:`_Text` of an element with ``format`` and ``<text>`` (and maybe ``<file>``s)."""
        if element is None:
            if required:
                self.error(self.element, _("нет текста вопроса (<questiontext>)."))
                return None
            found = _Text("", None)
        else:
            name = element.get("format", "moodle_auto_format")
            if name not in FORMATS:
                self.error(
                    element,
                    _(
                        "неизвестный формат текста «%(format)s»: возможны html, moodle_auto_format, "
                        "plain_text и markdown."
                    )
                    % {"format": name},
                )
                name = "moodle_auto_format"
            found = _Text(element.findtext("text") or "", FORMATS[name])
            for file in element.findall("file"):
                self.read_file(file)
        self.texts.append(found)
        return found

    def unify_formats(self, question_text):
        """The format of the question's texts: the question text's, when every other non-empty text has it
        too; else they are all rewritten for HTML (or the auto-format) so they show the same."""
        texts = [item for item in self.texts if item.text.strip() and item is not question_text]
        own = question_text.format
        if all(item.format == own for item in texts):
            return own
        target = own if own in (TextFormat.HTML, TextFormat.MOODLE_AUTO) else TextFormat.HTML
        for item in [question_text, *texts]:
            item.text = richtext.convert(item.text, item.format, target)
        return target

    def read_file(self, file):
        name = (file.get("path") or "/").lstrip("/") + (file.get("name") or "")
        self.refused.add(name)
        if not _FILE_NAME.match(PurePosixPath(name).name or "") or ".." in name:
            self.error(file, _("неверное имя файла «%(name)s».") % {"name": name})
            return
        if file.get("encoding", "base64") != "base64":
            self.error(file, _("файл «%(name)s» не в кодировке base64.") % {"name": name})
            return
        try:
            data = base64.b64decode("".join((file.text or "").split()), validate=True)
        except (binascii.Error, ValueError):
            self.error(file, _("содержимое файла «%(name)s» не является base64.") % {"name": name})
            return
        problem = image_problem(data)
        if problem:
            self.error(file, _("файл «%(name)s»: %(problem)s") % {"name": name, "problem": problem})
            return
        if self.images.get(name, data) != data:
            self.error(file, _("в вопросе два разных файла с именем «%(name)s».") % {"name": name})
            return
        self.images[name] = data
        self.refused.discard(name)

    def check_references(self, question):
        """Every ``@@PLUGINFILE@@/name`` in the texts has its file; files no text refers to are dropped."""
        used = set()
        for item in [*self.texts, *self.hint_texts]:
            for reference in _REFERENCE.findall(item.text):
                name = unquote(reference)
                if name not in self.images and name not in self.refused:
                    self.error(
                        self.element,
                        _("текст ссылается на файл «%(name)s», но самого файла (<file>) в вопросе нет.")
                        % {"name": name},
                    )
                used.add(name)
        self.images = {name: data for name, data in self.images.items() if name in used}

    # --- numbers

    def decimal(self, element, value, message):
        number = parse_decimal(value)
        if number is None:
            self.error(element, message % {"value": value})
        return number

    def read_points(self, question):
        grade = self.element.find("defaultgrade")
        if grade is None:
            return
        points = parse_decimal(grade.text or "")
        if points is None or points <= 0:
            self.error(grade, points_error_message())
        else:
            question.points = (
                points.quantize(Decimal(1)) if points == points.to_integral() else points.normalize()
            )

    def fraction(self, answer):
        raw = answer.get("fraction", "0")
        number = self.decimal(
            answer, raw, _("доля «%(value)s» не является числом (Moodle пишет проценты: 100, 50, -33.33333).")
        )
        if number is None:
            return Decimal(0)
        return (number / 100).quantize(FRACTION_QUANTUM).normalize()

    def feedback(self, answer):
        return self.text_of(answer.find("feedback"))

    def read_combined_feedback(self, question):
        """Moodle's combined feedback (multichoice, matching): three texts in the question's format and
        ``<shownumcorrect/>``. Returns what sets them once the formats are settled."""
        texts = {tag: self.text_of(self.element.find(tag)) for tag in COMBINED_FEEDBACK}
        question.show_num_correct = self.element.find("shownumcorrect") is not None

        def finish():
            for tag, attribute in COMBINED_FEEDBACK.items():
                setattr(question, attribute, texts[tag].text.strip())

        return finish

    def read_hints(self):
        """``[(_Text, shownumcorrect, clearwrong, options)]`` of the ``<hint>`` elements, in order; a hint
        keeps its own format (it is stored and written back, not shown)."""
        hints = []
        for element in self.element.findall("hint"):
            before = len(self.texts)
            text = self.text_of(element)
            del self.texts[before:]  # not part of the format unification
            if text.format is None:
                text.format = TextFormat.HTML
            self.hint_texts.append(text)
            hints.append(
                (
                    text,
                    element.find("shownumcorrect") is not None,
                    element.find("clearwrong") is not None,
                    _plain(element, "options"),
                )
            )
        return hints

    # --- the types; each returns what must run after the formats are settled

    def read_multichoice(self, question):
        single = _plain(self.element, "single").casefold() in ("true", "1")
        question.kind = QuestionKind.SINGLE if single else QuestionKind.MULTIPLE
        read = [
            (self.text_of(answer), self.fraction(answer), self.feedback(answer))
            for answer in self.element.findall("answer")
        ]
        if not single:
            grading = _plain(self.element, "antikor_grading")
            question.multiple_grading = (
                MultipleGrading.ALL_OR_NOTHING
                if grading == MultipleGrading.ALL_OR_NOTHING
                else MultipleGrading.PARTIAL
            )

        def finish():
            question.choices = [
                ParsedChoice(text.text.strip(), fraction, feedback.text.strip())
                for text, fraction, feedback in read
            ]

        return [finish]

    def read_truefalse(self, question):
        answers = {}
        for answer in self.element.findall("answer"):
            value = (answer.findtext("text") or "").strip().casefold()
            if value not in ("true", "false"):
                self.error(answer, _("ответ «%(value)s»: нужен true или false.") % {"value": value})
                continue
            answers[value] = (self.fraction(answer), self.feedback(answer))
        if set(answers) != {"true", "false"}:
            self.error(self.element, _("нужны два ответа: true и false."))
            return []
        question.is_true = answers["true"][0] == 1

        def finish():
            question.feedback_true = answers["true"][1].text.strip()
            question.feedback_false = answers["false"][1].text.strip()

        return [finish]

    def read_shortanswer(self, question):
        question.case_sensitive = _plain(self.element, "usecase") == "1"
        question.loose_spelling = _plain(self.element, "antikor_loosespelling") == "1"
        read = [
            ((answer.findtext("text") or "").strip(), self.fraction(answer), self.feedback(answer))
            for answer in self.element.findall("answer")
        ]

        def finish():
            question.answers = [ParsedAnswer(text, fraction, fb.text.strip()) for text, fraction, fb in read]

        return [finish]

    def read_numerical(self, question):
        read = []
        for answer in self.element.findall("answer"):
            raw = (answer.findtext("text") or "").strip()
            value = None
            if raw != "*":
                value = self.decimal(answer, raw, _("ответ «%(value)s» не является числом."))
                if value is None:
                    continue
            tolerance_element = answer.find("tolerance")
            tolerance = Decimal(0)
            if tolerance_element is not None and (tolerance_element.text or "").strip():
                tolerance = self.decimal(
                    tolerance_element, tolerance_element.text, _("допуск «%(value)s» не является числом.")
                )
                if tolerance is None:
                    continue
            read.append((value, tolerance, self.fraction(answer), self.feedback(answer)))
        for unit in self.element.findall("units/unit"):
            if parse_decimal(unit.findtext("multiplier") or "") == 1:
                question.unit = (unit.findtext("unit_name") or "").strip()
                break

        def finish():
            question.numbers = [
                ParsedNumber(
                    None if value is None else value.normalize(),
                    tolerance.normalize(),
                    fraction,
                    fb.text.strip(),
                )
                for value, tolerance, fraction, fb in read
            ]

        return [finish]

    def read_matching(self, question):
        read = [
            (self.text_of(sub), (sub.findtext("answer/text") or "").strip())
            for sub in self.element.findall("subquestion")
        ]

        def finish():
            question.pairs = [(left.text.strip(), right) for left, right in read]

        return [finish]

    def read_essay(self, question):
        return []


def image_problem(data):
    """Why ``data`` cannot be a question's picture (a Russian phrase), or ``None``."""
    from PIL import Image

    if len(data) > QUESTION_IMAGE_MAX_BYTES:
        return _("изображение больше %(limit)s МБ.") % {"limit": QUESTION_IMAGE_MAX_BYTES // (1024 * 1024)}
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            width, height = image.size
            image.verify()
    except Exception:
        return _("это не изображение или файл повреждён.")
    if kind not in IMAGE_FORMATS:
        return _("изображения вида %(kind)s не принимаются; можно PNG, JPEG, GIF и WebP.") % {"kind": kind}
    if width * height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
        return _("изображение слишком большое (%(width)s × %(height)s точек).") % {
            "width": width,
            "height": height,
        }
    return None


# --- writing


def _clean(text):
    """Text XML 1.0 can hold (control characters other than tab and line breaks dropped)."""
    return _BAD_XML_CHARS.sub("", text or "")


def _sub(parent, tag, text=None, **attributes):
    element = ET.SubElement(
        parent, tag, {key: value for key, value in attributes.items() if value is not None}
    )
    if text is not None:
        element.text = _clean(text)
    return element


def _text_element(parent, tag, text, text_format, images, **attributes):
    """``<tag format="…"><text>…</text><file …/></tag>`` with the files this text refers to."""
    element = _sub(parent, tag, **attributes, format=FORMAT_NAMES[text_format])
    _sub(element, "text", text or "")
    for name in dict.fromkeys(unquote(ref) for ref in _REFERENCE.findall(text or "")):
        if name in images:
            path, _slash, base = name.rpartition("/")
            _sub(
                element,
                "file",
                base64.b64encode(images[name]).decode("ascii"),
                name=base,
                path="/" + (path + "/" if path else ""),
                encoding="base64",
            )
    return element


def _number(value):
    return format_decimal(value)


def to_moodle_xml(questions):
    """Moodle XML (UTF-8 bytes) of ``questions``: :func:`parse` reads it back into equal questions, and
    Moodle 4.x imports it with the same grading."""
    root = ET.Element("quiz")
    category = object()
    for question in questions:
        if question.category != category:
            category = question.category
            element = _sub(root, "question", type="category")
            _sub(_sub(element, "category"), "text", "$course$/top/" + (question.category or ""))
            _text_element(element, "info", "", TextFormat.MOODLE_AUTO, {})
            _sub(element, "idnumber", "")
        _write_question(root, question)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=False)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _write_question(root, question):
    kind = question.kind
    images = question.images
    fmt = question.text_format
    element = _sub(root, "question", type=TYPE_NAMES[kind])
    _sub(_sub(element, "name"), "text", question.title)
    _text_element(element, "questiontext", question.text, fmt, images)
    _text_element(element, "generalfeedback", question.explanation, fmt, images)
    _sub(element, "defaultgrade", _number(question.points))
    _sub(element, "penalty", "1" if kind == QuestionKind.TRUEFALSE else "0.3333333")
    _sub(element, "hidden", "1" if question.retired else "0")
    _sub(element, "idnumber", question.id_number)

    def answer(text, fraction, feedback, answer_format=fmt):
        """An ``<answer>``: its own text (with its pictures when it is shown) and its feedback."""
        node = _text_element(
            element,
            "answer",
            text,
            answer_format,
            images if answer_format == fmt else {},
            fraction=_number(fraction * 100),
        )
        _text_element(node, "feedback", feedback, fmt, images)
        return node

    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        _sub(element, "single", "true" if kind == QuestionKind.SINGLE else "false")
        _sub(element, "shuffleanswers", "true")
        _sub(element, "answernumbering", "abc")
        _sub(element, "showstandardinstruction", "0")
        _write_combined_feedback(element, question)
        for choice in question.choices:
            answer(choice.text, choice.fraction, choice.feedback)
        if kind == QuestionKind.MULTIPLE and question.multiple_grading == MultipleGrading.ALL_OR_NOTHING:
            _sub(element, "antikor_grading", str(MultipleGrading.ALL_OR_NOTHING))
    elif kind == QuestionKind.TRUEFALSE:
        answer("true", Decimal(int(bool(question.is_true))), question.feedback_true, TextFormat.MOODLE_AUTO)
        answer("false", Decimal(int(not question.is_true)), question.feedback_false, TextFormat.MOODLE_AUTO)
    elif kind == QuestionKind.SHORT:
        _sub(element, "usecase", "1" if question.case_sensitive else "0")
        for item in question.answers:
            answer(item.text, item.fraction, item.feedback, TextFormat.MOODLE_AUTO)
        if question.loose_spelling:
            _sub(element, "antikor_loosespelling", "1")
    elif kind == QuestionKind.NUMERIC:
        for number in question.numbers:
            node = answer(
                "*" if number.value is None else _number(number.value),
                number.fraction,
                number.feedback,
                TextFormat.MOODLE_AUTO,
            )
            _sub(node, "tolerance", _number(number.tolerance))
        if question.unit:
            unit = _sub(_sub(element, "units"), "unit")
            _sub(unit, "multiplier", "1")
            _sub(unit, "unit_name", question.unit)
        _sub(element, "unitgradingtype", "0")
        _sub(element, "unitpenalty", "0.1000000")
        _sub(element, "showunits", "3")
        _sub(element, "unitsleft", "0")
    elif kind == QuestionKind.MATCHING:
        _sub(element, "shuffleanswers", "true")
        _write_combined_feedback(element, question)
        for left, right in question.pairs:
            sub = _text_element(element, "subquestion", left, fmt, images)
            _sub(_sub(sub, "answer"), "text", right)
    elif kind == QuestionKind.ESSAY:
        _sub(element, "responseformat", "editor")
        _sub(element, "responserequired", "1")
        _sub(element, "responsefieldlines", "10")
        _sub(element, "attachments", "0")
        _sub(element, "attachmentsrequired", "0")
        _text_element(element, "graderinfo", "", fmt, {})
        _text_element(element, "responsetemplate", "", fmt, {})
    for hint in question.hints:
        node = _text_element(element, "hint", hint.text, hint.text_format, images)
        if hint.show_num_correct:
            _sub(node, "shownumcorrect")
        if hint.clear_wrong:
            _sub(node, "clearwrong")
        if hint.options:
            _sub(node, "options", hint.options)
    if question.legal_norm:
        _sub(element, "antikor_legalnorm", question.legal_norm)
    if question.tags:
        tags = _sub(element, "tags")
        for tag in question.tags:
            _sub(_sub(tags, "tag"), "text", tag)


def _write_combined_feedback(element, question):
    """The three combined feedback texts (always, empty or not, as Moodle writes them) and
    ``<shownumcorrect/>``."""
    for tag, attribute in COMBINED_FEEDBACK.items():
        _text_element(element, tag, getattr(question, attribute), question.text_format, question.images)
    if question.show_num_correct:
        _sub(element, "shownumcorrect")


def file_reference(name):
    """How a text refers to an embedded file called ``name``."""
    return richtext.PLUGINFILE + quote(name)
