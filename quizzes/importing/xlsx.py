"""Our Excel template: one question per row under a header row (column titles in Russian, any case).

The columns are described in ``docs/import-questions.md`` and on the «Справка» sheet of the template that
:func:`write_template` writes. Errors carry the Excel row number.
"""

import io
import os
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from people.importing.archives import DamagedArchive, unpacked_size

from .decimals import FRACTION_QUANTUM, format_decimal, parse_decimal, parse_range, range_middle
from .decoding import normalize_newlines
from .parsed import (
    CHOICE_KINDS,
    MultipleGrading,
    ParsedAnswer,
    ParsedNumber,
    ParsedQuestion,
    ParseError,
    ParseResult,
    QuestionKind,
    category_levels,
    category_path,
    marked_choices,
)
from .validation import points_error_message, validate_question
from .vocabulary import (
    GRADING_NAMES,
    KIND_NAMES,
    comparison_key,
    grading_from_name,
    kind_from_name,
    truth_from_word,
)

SHEET_TITLE = "Вопросы"
HELP_SHEET_TITLE = "Справка"
# Rows of the template that offer the list of types in the «Тип» column.
TEMPLATE_ROWS = 1000
CORRECT_MARK = "*"
ARROWS = ("->", "→")
# A question bank unpacks to a few megabytes; anything far larger is a zip bomb, refused unread.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    help: str
    width: int = 20
    synonyms: tuple[str, ...] = ()
    required: bool = False

    def header_keys(self):
        return {comparison_key(self.title), *(comparison_key(s) for s in self.synonyms)}


COLUMNS = (
    Column(
        "kind",
        "Тип",
        gettext_lazy(
            "Один из типов: один ответ, несколько ответов, верно/неверно, короткий ответ, число, "
            "соответствие, эссе."
        ),
        width=20,
        synonyms=("Тип вопроса",),
        required=True,
    ),
    Column(
        "text", "Вопрос", gettext_lazy("Текст вопроса."), width=60, synonyms=("Текст вопроса",), required=True
    ),
    Column(
        "choices",
        "Варианты",
        gettext_lazy(
            "Для типов «один ответ» и «несколько ответов»: варианты, каждый с новой строки ячейки "
            "(Alt+Enter) или через «;». Правильные отмечаются звёздочкой в начале: «*Верный вариант»."
        ),
        width=50,
        synonyms=("Варианты ответа", "Варианты ответов"),
    ),
    Column(
        "answer",
        "Правильный ответ",
        gettext_lazy(
            "Для «верно/неверно» — «верно» или «неверно»; для «короткий ответ» — допустимые ответы "
            "через «;» (регистр, ё/е и лишние пробелы не важны); для «число» — число (например, 3,5) "
            "или диапазон «1..5»."
        ),
        width=30,
    ),
    Column(
        "tolerance",
        "Допуск",
        gettext_lazy("Для «число»: на сколько ответ может отличаться от правильного; по умолчанию 0."),
        width=10,
    ),
    Column("points", "Баллы", gettext_lazy("Положительное число; по умолчанию 1."), width=8),
    Column(
        "explanation",
        "Пояснение",
        gettext_lazy(
            "Что показать после ответа: разбор, ссылка на норму (в Moodle — общий отзыв к вопросу)."
        ),
        width=50,
        synonyms=("Общий отзыв", "Общий отзыв к вопросу"),
    ),
    Column(
        "legal_norm",
        "Норма права",
        gettext_lazy("Норма, которую проверяет вопрос, например «273-ФЗ, ст. 12.1»."),
        width=30,
        synonyms=("Норма",),
    ),
    Column(
        "category",
        "Категория",
        gettext_lazy(
            "Раздел банка вопросов; уровни через «/», например «Противодействие коррупции/Подарки»."
        ),
        width=35,
    ),
    Column(
        "pairs",
        "Пары",
        gettext_lazy(
            "Для «соответствие»: пары «левое -> правое», каждая с новой строки ячейки; не меньше двух."
        ),
        width=50,
    ),
    Column("title", "Название", gettext_lazy("Краткое название вопроса в банке (необязательно)."), width=25),
    Column(
        "grading",
        "Оценивание",
        gettext_lazy(
            "Для «несколько ответов»: «всё или ничего» (по умолчанию) или «частичное» (доля балла за каждый "
            "верный выбор, минус доля за неверный)."
        ),
        width=18,
    ),
    Column(
        "weights",
        "Веса",
        gettext_lazy(
            "Для «один ответ», «несколько ответов» и «короткий ответ» (необязательно): доля балла каждого "
            "варианта или ответа в процентах, как в Moodle, по порядку, через «;» или с новой строки ячейки: "
            "«100; 50; 0; -50». Сколько вариантов (ответов), столько и весов; звёздочки тогда не нужны. "
            "Короткий ответ с весом 0 — неверный ответ со своим отзывом."
        ),
        width=18,
        synonyms=("Веса вариантов", "Доли", "Доли баллов"),
    ),
    Column(
        "feedback",
        "Отзывы",
        gettext_lazy(
            "Необязательно: отзыв на каждый вариант (ответ) по порядку, каждый с новой строки ячейки или "
            "через «;»; пустая строка — вариант без отзыва. Для «верно/неверно» — отзыв на ответ «верно», "
            "затем на ответ «неверно»; для «число» — отзыв на правильный ответ."
        ),
        width=50,
        synonyms=("Отзывы на варианты", "Отзывы на ответы"),
    ),
    Column(
        "tags",
        "Метки",
        gettext_lazy("Необязательно: метки (теги) вопроса через «;» или с новой строки ячейки."),
        width=25,
        synonyms=("Теги",),
    ),
    Column(
        "id_number",
        "Идентификатор",
        gettext_lazy("Необязательно: идентификатор вопроса (в Moodle — «Идентификационный номер»)."),
        width=15,
        synonyms=("Идентификационный номер", "ID"),
    ),
)
# Numbering columns people like to add; their content is ignored.
IGNORED_HEADERS = {comparison_key(title) for title in ("№", "N", "№ п/п", "N п/п", "Номер")}

# One example row per type, in the order of KIND_NAMES: the template shows them and the tests read them.
EXAMPLES = (
    {
        "kind": KIND_NAMES[QuestionKind.SINGLE],
        "text": "В какой срок служащий уведомляет о получении подарка в связи с протокольным мероприятием, "
        "служебной командировкой или другим официальным мероприятием?",
        "choices": "*Не позднее трёх рабочих дней со дня получения подарка\n"
        "В течение десяти календарных дней\n"
        "До 30 апреля года, следующего за отчётным",
        "points": 1,
        "explanation": "Уведомление представляется не позднее трёх рабочих дней со дня получения подарка.",
        "legal_norm": "Постановление Правительства РФ от 09.01.2014 № 10, п. 5",
        "category": "Противодействие коррупции/Подарки",
        "feedback": "Верно.\nНет: срок короче.\nНет: это срок представления сведений о доходах.",
        "tags": "подарки; постановление 10",
        "id_number": "ПОД-1",
    },
    {
        "kind": KIND_NAMES[QuestionKind.MULTIPLE],
        "text": "Какие сведения гражданский служащий ежегодно представляет представителю нанимателя?",
        "choices": "*О своих доходах, об имуществе и обязательствах имущественного характера\n"
        "*О доходах, об имуществе и обязательствах имущественного характера супруги (супруга) "
        "и несовершеннолетних детей\n"
        "О доходах совершеннолетних братьев и сестёр",
        "points": 2,
        "legal_norm": "273-ФЗ, ст. 8",
        "category": "Противодействие коррупции/Сведения о доходах",
        "grading": GRADING_NAMES[MultipleGrading.PARTIAL],
        "weights": "50; 50; -100",
    },
    {
        "kind": KIND_NAMES[QuestionKind.TRUEFALSE],
        "text": "Сведения о доходах, об имуществе и обязательствах имущественного характера представляются "
        "ежегодно не позднее 30 апреля года, следующего за отчётным.",
        "answer": "верно",
        "points": 1,
        "legal_norm": "Указ Президента РФ от 18.05.2009 № 559, п. 3",
        "category": "Противодействие коррупции/Сведения о доходах",
    },
    {
        "kind": KIND_NAMES[QuestionKind.SHORT],
        "text": "Как называется ситуация, при которой личная заинтересованность служащего влияет или может "
        "повлиять на надлежащее, объективное и беспристрастное исполнение им должностных обязанностей?",
        "answer": "конфликт интересов; конфликтом интересов; коррупция",
        "weights": "100; 100; 0",
        "feedback": "Верно.\n\nНет: коррупция — другое понятие.",
        "points": 1,
        "legal_norm": "273-ФЗ, ст. 10",
        "category": "Противодействие коррупции/Конфликт интересов",
    },
    {
        "kind": KIND_NAMES[QuestionKind.NUMERIC],
        "text": "В каком году принят Федеральный закон № 273-ФЗ «О противодействии коррупции»?",
        "answer": 2008,
        "tolerance": 0,
        "points": 1,
        "legal_norm": "273-ФЗ",
        "category": "Противодействие коррупции",
    },
    {
        "kind": KIND_NAMES[QuestionKind.MATCHING],
        "text": "Соотнесите статьи Федерального закона № 273-ФЗ с их предметом.",
        "pairs": "Статья 8 -> Представление сведений о доходах\n"
        "Статья 9 -> Уведомление о склонении к коррупционным правонарушениям\n"
        "Статья 10 -> Понятие конфликта интересов",
        "points": 3,
        "legal_norm": "273-ФЗ",
        "category": "Противодействие коррупции",
    },
    {
        "kind": KIND_NAMES[QuestionKind.ESSAY],
        "text": "Опишите порядок действий гражданского служащего, которому стало известно о возможности "
        "возникновения у него конфликта интересов.",
        "points": 5,
        "explanation": "Служащий обязан уведомить об этом в установленном порядке, как только ему станет "
        "об этом известно.",
        "legal_norm": "273-ФЗ, ст. 11",
        "category": "Противодействие коррупции/Конфликт интересов",
        "title": "Действия при конфликте интересов",
    },
)


def parse(source):
    """Read a filled template (a path, bytes or a binary file object) into a :class:`ParseResult`."""
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    elif isinstance(source, str | os.PathLike):
        with open(source, "rb") as file:
            source = io.BytesIO(file.read())
    try:
        too_big = unpacked_size(source) > MAX_UNPACKED_BYTES
    except DamagedArchive:
        return _unreadable()
    if too_big:
        return ParseResult(errors=[ParseError(None, _("Книга Excel слишком велика в распакованном виде."))])
    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl fails in many ways on a damaged or foreign file; all mean the same here
        return _unreadable()
    try:
        sheet = workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else workbook.worksheets[0]
        return _Reader().read(_rows(sheet))
    except _DamagedSheet:
        return _unreadable()
    finally:
        workbook.close()


class _DamagedSheet(Exception):
    pass


def _rows(sheet):
    """``(Excel row number, cell values)`` for each row; a sheet openpyxl cannot read raises _DamagedSheet."""
    rows = sheet.iter_rows()
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except Exception as error:  # the XML of the sheet is broken somewhere further on
            raise _DamagedSheet from error
        yield _row_number(cells), [cell.value for cell in cells]


def _unreadable():
    return ParseResult(
        errors=[
            ParseError(
                None,
                _(
                    "Не удалось прочитать файл как книгу Excel (.xlsx): "
                    "он повреждён или это файл другого формата."
                ),
            )
        ]
    )


def _row_number(cells):
    """The Excel row of a row of read-only cells, ``None`` for a row with no cells at all."""
    for cell in cells:
        if getattr(cell, "row", None) is not None:
            return cell.row
    return None


def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "верно" if value else "неверно"
    if isinstance(value, int | float | Decimal):
        number = parse_decimal(value)
        return format_decimal(number) if number is not None else str(value)
    return normalize_newlines(str(value)).strip()


def _items(value):
    """Items of a cell: one per line of the cell, or separated by «;» when the cell is one line."""
    text = _text(value)
    parts = text.split("\n") if "\n" in text else text.split(";")
    return [part.strip() for part in parts if part.strip()]


def _feedback_items(value):
    """Texts of a «Отзывы» cell in order: one per line of the cell, or separated by «;» when the cell is
    one line; an empty one (an empty line, «;;») is an option without feedback. Trailing empties go."""
    text = _text(value)
    parts = [part.strip() for part in (text.split("\n") if "\n" in text else text.split(";"))]
    while parts and not parts[-1]:
        parts.pop()
    return parts


class _Reader:
    def __init__(self):
        self.result = ParseResult()
        self.columns = None  # position → Column key

    def read(self, rows):
        header_line = None
        for number, values in rows:
            if all(_is_blank(value) for value in values):
                continue
            if self.columns is None:
                header_line = number
                if not self.read_header(values, number):
                    return self.result
                continue
            self.read_row(values, number)
        if header_line is None:
            self.result.errors.append(ParseError(1, _("Файл пуст: нет строки заголовков.")))
        return self.result

    def read_header(self, values, number):
        by_title = {key: column for column in COLUMNS for key in column.header_keys()}
        columns = {}
        errors = []
        for position, value in enumerate(values):
            title = _text(value)
            if not title or comparison_key(title) in IGNORED_HEADERS:
                continue
            column = by_title.get(comparison_key(title.rstrip("*:").strip()))
            if column is None:
                errors.append(
                    _("Неизвестный столбец «%(title)s». Допустимые столбцы: %(titles)s.")
                    % {"title": title, "titles": ", ".join(c.title for c in COLUMNS)}
                )
            elif column.key in columns.values():
                errors.append(_("Столбец «%(title)s» повторяется.") % {"title": column.title})
            else:
                columns[position] = column.key
        for column in COLUMNS:
            if column.required and column.key not in columns.values():
                errors.append(_("Нет обязательного столбца «%(title)s».") % {"title": column.title})
        self.result.errors.extend(ParseError(number, message) for message in errors)
        self.columns = columns
        return not errors

    def read_row(self, values, number):
        cells = {key: values[position] for position, key in self.columns.items() if position < len(values)}
        errors = []
        kind_name = _text(cells.get("kind"))
        kind = kind_from_name(kind_name)
        if kind is None:
            if kind_name:
                message = _("Неизвестный тип вопроса «%(kind)s». Допустимые типы: %(kinds)s.") % {
                    "kind": kind_name,
                    "kinds": ", ".join(KIND_NAMES.values()),
                }
            else:
                message = _("Не указан тип вопроса.")
            self.result.errors.append(ParseError(number, message))
            return
        question = ParsedQuestion(
            kind=kind,
            text=_text(cells.get("text")),
            explanation=_text(cells.get("explanation")),
            legal_norm=" ".join(_text(cells.get("legal_norm")).split()),
            line=number,
            title=_text(cells.get("title")),
            id_number=_text(cells.get("id_number")),
            tags=list(dict.fromkeys(_items(cells.get("tags")))),
            category=category_path(category_levels(_text(cells.get("category")))) or None,
        )
        if not _is_blank(cells.get("points")):
            points = parse_decimal(cells["points"])
            if points is None or points <= 0:
                errors.append(points_error_message())
            else:
                question.points = points
        errors.extend(self.read_answers(question, cells))
        if not errors:
            errors.extend(self.read_weights_and_feedback(question, cells))
        if errors:
            self.result.errors.extend(ParseError(number, message) for message in errors)
            return
        problems = validate_question(question)
        self.result.errors.extend(problems)
        if not problems:
            self.result.questions.append(question)

    def read_answers(self, question, cells):
        """Fill the kind-specific fields; yields messages for values that cannot be read."""
        kind = question.kind
        grading = _text(cells.get("grading"))
        if grading and kind != QuestionKind.MULTIPLE:
            yield _("Способ оценивания задаётся только для вопросов с несколькими правильными ответами.")
        if kind in CHOICE_KINDS:
            marked = []
            for item in _items(cells.get("choices")):
                is_correct = item.startswith(CORRECT_MARK)
                marked.append((item.removeprefix(CORRECT_MARK).strip(), is_correct))
            question.choices = marked_choices(kind, marked)
            if kind == QuestionKind.SINGLE and sum(is_correct for _text, is_correct in marked) > 1:
                # In the template «один ответ» with two marks is a slip, not Moodle's "either is right".
                yield _(
                    "В вопросе с одним правильным ответом отмечено несколько правильных вариантов; "
                    "для такого вопроса выберите тип «несколько ответов»."
                )
        if kind == QuestionKind.MULTIPLE:
            question.multiple_grading = (
                grading_from_name(grading) if grading else MultipleGrading.ALL_OR_NOTHING
            )
            if question.multiple_grading is None:
                yield _(
                    "Способ оценивания «%(value)s» неизвестен: укажите «частичное» или «всё или ничего»."
                ) % {"value": grading}
        elif kind == QuestionKind.TRUEFALSE:
            answer = cells.get("answer")
            if not _is_blank(answer):
                question.is_true = answer if isinstance(answer, bool) else truth_from_word(_text(answer))
                if question.is_true is None:
                    yield _("Правильный ответ «%(value)s» не понят: укажите «верно» или «неверно».") % {
                        "value": _text(answer)
                    }
        elif kind == QuestionKind.SHORT:
            # Our template's rule for short answers: case, «ё»/«е» and extra spaces are not told apart.
            question.answers = [ParsedAnswer(text) for text in _items(cells.get("answer"))]
            question.loose_spelling = True
        elif kind == QuestionKind.NUMERIC:
            yield from self.read_number(question, cells)
        elif kind == QuestionKind.MATCHING:
            yield from self.read_pairs(question, cells)

    def read_weights_and_feedback(self, question, cells):
        """The «Веса» and «Отзывы» columns, matched to the options (answers) in order; yields messages."""
        kind = question.kind
        weights_cell, feedback_cell = cells.get("weights"), cells.get("feedback")
        items = question.choices if kind in CHOICE_KINDS else question.answers
        if not _is_blank(weights_cell):
            if kind not in (*CHOICE_KINDS, QuestionKind.SHORT):
                yield _(
                    "Веса задаются только для вопросов «один ответ», «несколько ответов» и «короткий ответ»."
                )
                return
            weights = []
            for raw in _items(weights_cell):
                weight = parse_decimal(raw.removesuffix("%").strip())
                if weight is None or not -100 <= weight <= 100:
                    yield _("Вес «%(value)s» должен быть числом от -100 до 100 (процент балла).") % {
                        "value": raw
                    }
                    return
                weights.append((weight / 100).quantize(FRACTION_QUANTUM).normalize())
            if len(weights) != len(items):
                yield _("Весов %(weights)s, а вариантов (ответов) %(items)s: нужен вес для каждого.") % {
                    "weights": len(weights),
                    "items": len(items),
                }
                return
            for item, weight in zip(items, weights, strict=True):
                item.fraction = weight
        if _is_blank(feedback_cell):
            return
        texts = _feedback_items(feedback_cell)
        if kind == QuestionKind.TRUEFALSE:
            targets = 2
        elif kind == QuestionKind.NUMERIC:
            targets = len(question.numbers)
        elif kind in (*CHOICE_KINDS, QuestionKind.SHORT):
            targets = len(items)
        else:
            yield _("Отзывы на ответы не задаются для вопросов «соответствие» и «эссе».")
            return
        if len(texts) > targets:
            yield _("Отзывов %(texts)s, а вариантов (ответов) %(items)s.") % {
                "texts": len(texts),
                "items": targets,
            }
            return
        texts += [""] * (targets - len(texts))
        if kind == QuestionKind.TRUEFALSE:
            question.feedback_true, question.feedback_false = texts
        else:
            for item, text in zip(
                question.numbers if kind == QuestionKind.NUMERIC else items, texts, strict=True
            ):
                item.feedback = text

    def read_number(self, question, cells):
        answer, tolerance = cells.get("answer"), cells.get("tolerance")
        margin = Decimal(0)
        if not _is_blank(tolerance):
            margin = parse_decimal(tolerance)
            if margin is None:
                yield _("Допуск «%(value)s» не является числом.") % {"value": _text(tolerance)}
                return
        if _is_blank(answer):
            return
        bounds = parse_range(_text(answer))
        if bounds is not None:
            if not _is_blank(tolerance):
                yield _("Укажите либо диапазон в столбце «Правильный ответ», либо допуск, но не оба.")
            elif bounds[0] > bounds[1]:
                yield _("В диапазоне «%(range)s» начало больше конца.") % {"range": _text(answer)}
            else:
                question.numbers = [ParsedNumber(*range_middle(*bounds))]
            return
        value = parse_decimal(answer)
        if value is None:
            yield _("Правильный ответ «%(value)s» не является числом.") % {"value": _text(answer)}
        else:
            question.numbers = [ParsedNumber(value, margin)]

    def read_pairs(self, question, cells):
        for item in _items(cells.get("pairs")):
            arrow = next((arrow for arrow in ARROWS if arrow in item), None)
            if arrow is None:
                yield _("Пара «%(text)s» должна иметь вид «левое -> правое».") % {"text": item}
                continue
            left, _arrow, right = item.partition(arrow)
            question.pairs.append((left.strip(), right.strip()))


def write_template(target):
    """Write the empty template with one example row per type to ``target`` (a path or a binary file)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([column.title for column in COLUMNS])
    for example in EXAMPLES:
        sheet.append([example.get(column.key) for column in COLUMNS])

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    for position, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = column.width
        header = sheet.cell(row=1, column=position)
        header.font, header.fill, header.alignment = header_font, header_fill, wrap
        for row in range(2, len(EXAMPLES) + 2):
            sheet.cell(row=row, column=position).alignment = wrap
    sheet.freeze_panes = "A2"

    kinds = DataValidation(
        type="list",
        formula1='"' + ",".join(KIND_NAMES.values()) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=str(_("Тип вопроса")),
        error=str(_("Выберите тип из списка.")),
    )
    sheet.add_data_validation(kinds)
    kind_letter = get_column_letter(next(i for i, c in enumerate(COLUMNS, start=1) if c.key == "kind"))
    kinds.add(f"{kind_letter}2:{kind_letter}{TEMPLATE_ROWS}")

    help_sheet = workbook.create_sheet(HELP_SHEET_TITLE)
    help_sheet.append([str(_("Столбец")), str(_("Обязательный")), str(_("Что писать"))])
    for column in COLUMNS:
        help_sheet.append([column.title, str(_("да")) if column.required else "", str(column.help)])
    help_sheet.append([])
    help_sheet.append(
        [
            str(
                _(
                    "Строки-примеры на листе «Вопросы» замените своими вопросами. "
                    "Пустые строки пропускаются; ошибки показываются с номером строки Excel."
                )
            )
        ]
    )
    for letter, width in zip("ABC", (20, 14, 100), strict=True):
        help_sheet.column_dimensions[letter].width = width
    for cell in help_sheet[1]:
        cell.font = header_font
    for row in help_sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    workbook.save(target)
