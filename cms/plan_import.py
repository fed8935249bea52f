"""Importing a year's plan from a structured file: XLSX (the template) or JSON (``cms/data/plan_2024.json``).

Reading never stops at the first problem: every problem is reported with its place — «Лист
«Мероприятия», строка 12» in a workbook, ``sections[4].items[1].number`` in JSON — and a file with
any problem writes nothing. A file without problems is saved by :func:`cms.plan_loading.load_plan` in
one transaction (a check runs the same and rolls back), so the report of a check is exactly what the
import will do.

The workbook has two sheets (see :func:`write_template`):

* «План» — the plan's requisites, one per row: «Поле» | «Значение»;
* «Мероприятия» — the plan's table as in the decree: «N п/п» | «Наименование мероприятия» | «Сроки
  реализации» | «Ответственные исполнители»; a row numbered «5» (or «5.») is the heading of section 5
  with its title in the second column, a row numbered «5.2» is an item of section 5.

    report = read_plan_file("plan.xlsx", content)    # PlanFileReport: .data or .problems
    outcome = import_plan(report.data, dry_run=True)  # PlanImportOutcome, nothing saved
"""

import datetime
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import PurePath

import openpyxl
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from people.importing.archives import DamagedArchive, unpacked_size

from .models.plan import FIRST_PLAN_YEAR, LAST_PLAN_YEAR
from .plan_loading import load_plan
from .plan_seed import ParsedItem, ParsedPlan, ParsedSection
from .plan_years import continuation

MAX_FILE_BYTES = 2 * 1024 * 1024
# A plan's workbook unpacks to a few hundred kilobytes; anything far larger is a zip bomb, refused unread.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_ROWS = 2000
SUFFIXES = (".xlsx", ".json")
MAX_PROBLEMS = 200

PLAN_SHEET = "План"
ITEMS_SHEET = "Мероприятия"
HELP_SHEET = "Пояснения"

# (key, label in the «План» sheet, what to write)
REQUISITES = [
    ("title", "Название плана", "План противодействия коррупции … на 2026 год"),
    ("year", "Год", "2026"),
    ("act_kind", "Вид акта", "Постановление"),
    ("act_issuer", "Кем утверждён", "Губернатора Калужской области"),
    ("act_date", "Дата акта", "ДД.ММ.ГГГГ"),
    ("act_number", "Номер акта", "587"),
    ("act_title", "Название акта", "Об утверждении плана … на 2026 год"),
]
COLUMNS = [
    ("number", "N п/п", 10),
    ("title", "Наименование мероприятия", 70),
    ("deadline", "Сроки реализации", 30),
    ("executors", "Ответственные исполнители", 40),
]
# Headings people write instead of the decree's «N п/п».
NUMBER_ALIASES = {"№ п/п", "n", "№", "номер", "n п.п.", "№ п.п."}

SECTION_NUMBER_RE = re.compile(r"^(\d+)\.?$")
ITEM_NUMBER_RE = re.compile(r"^(\d+)\.(\d+)\.?$")
TITLE_YEAR_RE = re.compile(r"на (\d{4}) год")


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class PlanFileReport:
    """What a file holds: the plan data, or the problems that keep it from being imported."""

    data: ParsedPlan | None = None
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return self.data is not None and not self.problems


class _Collector:
    def __init__(self):
        self.problems = []

    def add(self, where, message):
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(where, message))


# --- common checks ------------------------------------------------------------------------------


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _year(value, where, problems):
    if isinstance(value, bool):
        value = None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or not FIRST_PLAN_YEAR <= value <= LAST_PLAN_YEAR:
        problems.add(
            where,
            _("год — целое число от %(first)s до %(last)s, а указано «%(value)s».")
            % {"first": FIRST_PLAN_YEAR, "last": LAST_PLAN_YEAR, "value": _text(value)},
        )
        return None
    return value


def _date(value, where, problems):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for parse in (datetime.date.fromisoformat, lambda s: datetime.datetime.strptime(s, "%d.%m.%Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    problems.add(where, _("дата — ДД.ММ.ГГГГ (или ГГГГ-ММ-ДД), а указано «%(value)s».") % {"value": text})
    return None


def _requisites(values, places, problems):
    """``ParsedPlan`` without sections from ``{key: raw value}``; ``places[key]`` names where it is."""
    head = {}
    for key, label, _example in REQUISITES:
        raw = values.get(key)
        where = places.get(key, "")
        if raw is None or _text(raw) == "":
            problems.add(where, _("не заполнено поле «%(field)s».") % {"field": label})
            head[key] = None
        elif key == "year":
            head[key] = _year(raw, where, problems)
        elif key == "act_date":
            head[key] = _date(raw, where, problems)
        else:
            head[key] = _text(raw)
    if head["year"] and head["title"]:
        mentioned = TITLE_YEAR_RE.search(head["title"])
        if mentioned and int(mentioned[1]) != head["year"]:
            problems.add(
                places.get("title", ""),
                _("в названии плана — %(title_year)s год, а в поле «Год» — %(year)s.")
                % {"title_year": mentioned[1], "year": head["year"]},
            )
    return ParsedPlan(**head)


@dataclass
class _Row:
    where: str
    number: object
    title: str = ""
    deadline: str = ""
    executors: str = ""


def _number_text(value, where, problems):
    """The «N п/п» cell as text; Excel turns «5.1» into a number or (Russian settings) a date."""
    if isinstance(value, datetime.date | datetime.datetime):
        problems.add(
            where,
            _(
                "номер превратился в дату (%(date)s): задайте столбцу «N п/п» текстовый формат и введите "
                "номер заново."
            )
            % {"date": f"{value:%d.%m.%Y}"},
        )
        return None
    return _text(value)


def _assemble(plan, rows, problems):
    """Sections and items from rows (a section heading, then its items), every problem with its place."""
    sections = {}
    items = {}
    current = None
    for row in rows:
        number = _number_text(row.number, row.where, problems)
        if number is None:
            continue
        section_match = SECTION_NUMBER_RE.match(number)
        item_match = ITEM_NUMBER_RE.match(number)
        if section_match:
            section_number = int(section_match[1])
            if row.deadline or row.executors:
                problems.add(
                    row.where,
                    _(
                        "«%(number)s» — номер раздела, но заполнены сроки или исполнители. Мероприятие "
                        "пишется с номером раздела: «%(number)s.1»."
                    )
                    % {"number": section_number},
                )
            if not row.title:
                problems.add(row.where, _("у раздела %(number)s нет названия.") % {"number": section_number})
            if section_number in sections:
                problems.add(
                    row.where,
                    _("раздел %(number)s повторяется (уже был: %(first)s).")
                    % {"number": section_number, "first": sections[section_number][0]},
                )
                current = None
                continue
            current = ParsedSection(section_number, row.title)
            sections[section_number] = (row.where, current)
            continue
        if not item_match:
            problems.add(
                row.where,
                _("номер «%(number)s» не похож ни на раздел («5»), ни на мероприятие («5.2»).")
                % {"number": number},
            )
            continue
        item_number = f"{int(item_match[1])}.{int(item_match[2])}"
        if current is None:
            problems.add(
                row.where,
                _("мероприятие %(number)s стоит до заголовка своего раздела.") % {"number": item_number},
            )
            continue
        if int(item_match[1]) != current.number:
            problems.add(
                row.where,
                _(
                    "мероприятие %(number)s стоит в разделе %(section)s: номер мероприятия начинается с "
                    "номера его раздела."
                )
                % {"number": item_number, "section": current.number},
            )
            continue
        if item_number in items:
            hint = ""
            if isinstance(row.number, float):
                hint = " " + _(
                    "Возможно, Excel превратил номер вида «5.10» в число 5.1: задайте столбцу «N п/п» "
                    "текстовый формат."
                )
            problems.add(
                row.where,
                _("мероприятие %(number)s повторяется (уже было: %(first)s).")
                % {"number": item_number, "first": items[item_number]}
                + hint,
            )
            continue
        items[item_number] = row.where
        missing = [
            label
            for key, label in (
                ("title", _("наименование")),
                ("deadline", _("сроки реализации")),
                ("executors", _("ответственные исполнители")),
            )
            if not getattr(row, key)
        ]
        if missing:
            problems.add(
                row.where,
                _("у мероприятия %(number)s не заполнено: %(fields)s.")
                % {"number": item_number, "fields": ", ".join(missing)},
            )
        current.items.append(ParsedItem(item_number, row.title, row.deadline, row.executors))
    if not sections:
        problems.add("", _("В плане нет ни одного раздела."))
    for section_number, (where, section) in sections.items():
        if not section.items:
            problems.add(where, _("в разделе %(number)s нет мероприятий.") % {"number": section_number})
    plan.sections = [section for _where, section in sections.values()]
    return plan


# --- XLSX ---------------------------------------------------------------------------------------


def _normalized(heading):
    return " ".join(_text(heading).casefold().replace("ё", "е").split())


def _column_of(heading):
    text = _normalized(heading)
    for key, label, _width in COLUMNS:
        if text == _normalized(label):
            return key
    if text in NUMBER_ALIASES:
        return "number"
    return None


def _sheet_rows(sheet):
    for row_number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if row_number > MAX_ROWS + 1:
            raise _TooManyRows
        yield row_number, values


class _TooManyRows(Exception):
    pass


def read_plan_xlsx(content):
    problems = _Collector()
    source = io.BytesIO(content)
    try:
        too_big = unpacked_size(source) > MAX_UNPACKED_BYTES
    except DamagedArchive:
        return PlanFileReport(problems=[Problem("", _("Файл не читается как книга Excel (XLSX)."))])
    if too_big:
        return PlanFileReport(problems=[Problem("", _("Книга Excel слишком велика в распакованном виде."))])
    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl fails in many ways on a damaged or foreign file; all mean the same here
        return PlanFileReport(problems=[Problem("", _("Файл не читается как книга Excel (XLSX)."))])
    try:
        missing = [name for name in (PLAN_SHEET, ITEMS_SHEET) if name not in workbook.sheetnames]
        if missing:
            return PlanFileReport(
                problems=[
                    Problem(
                        "",
                        _("В книге нет листа «%(sheet)s». Возьмите за основу шаблон со страницы импорта.")
                        % {"sheet": name},
                    )
                    for name in missing
                ]
            )
        try:
            plan = _read_plan_sheet(workbook[PLAN_SHEET], problems)
            rows = _read_items_sheet(workbook[ITEMS_SHEET], problems)
        except _TooManyRows:
            return PlanFileReport(
                problems=[Problem("", _("В листе больше %(rows)s строк — это не план.") % {"rows": MAX_ROWS})]
            )
    except Exception:  # a damaged sheet inside a readable archive
        return PlanFileReport(problems=[Problem("", _("Файл не читается как книга Excel (XLSX)."))])
    finally:
        workbook.close()
    if rows is not None:
        _assemble(plan, rows, problems)
    return PlanFileReport(data=plan, problems=problems.problems)


def _where(sheet, row_number):
    return _("Лист «%(sheet)s», строка %(row)s") % {"sheet": sheet, "row": row_number}


def _read_plan_sheet(sheet, problems):
    labels = {_normalized(label): key for key, label, _example in REQUISITES}
    labels[_normalized("Кем утвержден")] = "act_issuer"
    values, places = {}, {}
    for row_number, row in _sheet_rows(sheet):
        if not row or _text(row[0]) == "":
            continue
        key = labels.get(_normalized(row[0]))
        if key is None:
            continue  # the heading row «Поле | Значение» or a note
        if key in values:
            problems.add(
                _where(PLAN_SHEET, row_number), _("поле «%(field)s» повторяется.") % {"field": row[0]}
            )
            continue
        values[key] = row[1] if len(row) > 1 else None
        places[key] = _where(PLAN_SHEET, row_number)
    for key, label, _example in REQUISITES:
        places.setdefault(
            key, _("Лист «%(sheet)s», поле «%(field)s»") % {"sheet": PLAN_SHEET, "field": label}
        )
    return _requisites(values, places, problems)


def _read_items_sheet(sheet, problems):
    header, columns, rows = None, {}, []
    for row_number, row in _sheet_rows(sheet):
        cells = list(row or ())
        if not any(_text(cell) for cell in cells):
            continue
        if header is None:
            header = row_number
            for position, cell in enumerate(cells):
                key = _column_of(cell)
                if key and key not in columns:
                    columns[key] = position
            missing = [label for key, label, _width in COLUMNS if key not in columns]
            if missing:
                problems.add(
                    _where(ITEMS_SHEET, row_number),
                    _("в первой строке нет столбцов: %(columns)s. Нужны: %(all)s.")
                    % {
                        "columns": ", ".join(f"«{label}»" for label in missing),
                        "all": ", ".join(f"«{label}»" for _key, label, _width in COLUMNS),
                    },
                )
                return None
            continue

        def cell(key, cells=cells):
            position = columns[key]
            return cells[position] if position < len(cells) else None

        rows.append(
            _Row(
                where=_where(ITEMS_SHEET, row_number),
                number=cell("number"),
                title=_text(cell("title")),
                deadline=_text(cell("deadline")),
                executors=_text(cell("executors")),
            )
        )
    if header is None:
        problems.add(_("Лист «%(sheet)s»") % {"sheet": ITEMS_SHEET}, _("лист пуст."))
        return None
    return rows


def write_plan_xlsx(target, data=None):
    """The import workbook: ``data`` (a :class:`ParsedPlan`) filled in, or an empty template with an
    example. ``target`` is a path or a binary file."""
    workbook = openpyxl.Workbook()
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")

    head = workbook.active
    head.title = PLAN_SHEET
    head.append([_("Поле"), _("Значение")])
    for key, label, example in REQUISITES:
        value = getattr(data, key) if data else example
        head.append([label, value])
        if key == "act_date" and data:
            head.cell(row=head.max_row, column=2).number_format = "DD.MM.YYYY"
    head.column_dimensions["A"].width = 20
    head.column_dimensions["B"].width = 100
    for cell in head[1]:
        cell.font, cell.fill = header_font, header_fill

    sheet = workbook.create_sheet(ITEMS_SHEET)
    sheet.append([label for _key, label, _width in COLUMNS])
    if data:
        for section in data.sections:
            sheet.append([f"{section.number}.", section.title, None, None])
            for item in section.items:
                sheet.append([item.number, item.title, item.deadline, item.executors])
    else:
        sheet.append(["1.", _("Название раздела"), None, None])
        sheet.append(["1.1", _("Наименование мероприятия"), _("в течение года"), _("Исполнитель")])
        sheet.append(["1.2", _("Наименование мероприятия"), _("ежеквартально"), _("Исполнитель")])
    for position, (_key, _label, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
        sheet.cell(row=1, column=position).font = header_font
        sheet.cell(row=1, column=position).fill = header_fill
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    # «N п/п» as text, so that Excel keeps «5.10» and never makes «5.1» a number or a date.
    for row_number in range(1, max(sheet.max_row, 500) + 1):
        sheet.cell(row=row_number, column=1).number_format = "@"
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(HELP_SHEET)
    for line in HELP_LINES:
        notes.append([str(line)])
    notes.column_dimensions["A"].width = 120

    workbook.save(target)


HELP_LINES = [
    gettext_lazy(
        "Лист «План» — реквизиты плана, по одному в строке: «Название плана», «Год», «Вид акта», "
        "«Кем утверждён», «Дата акта» (ДД.ММ.ГГГГ), «Номер акта», «Название акта». Все обязательны."
    ),
    gettext_lazy(
        "Лист «Мероприятия» — таблица плана, как в постановлении. Первая строка — заголовки столбцов: "
        "«N п/п», «Наименование мероприятия», «Сроки реализации», «Ответственные исполнители»."
    ),
    gettext_lazy(
        "Строка с номером «5.» (или «5») — заголовок раздела 5: его название во втором столбце, "
        "остальные пусты."
    ),
    gettext_lazy(
        "Строка с номером «5.2» — мероприятие раздела 5: все четыре столбца заполнены. Мероприятия идут "
        "после заголовка своего раздела; номера не повторяются."
    ),
    gettext_lazy("Столбец «N п/п» — текстовый: иначе Excel превращает «5.10» в число 5.1, а «5.1» — в дату."),
    gettext_lazy(
        "Мероприятия, номер которых сохранился с предыдущего плана, продолжают его мероприятия: привязанные "
        "к ним курсы, мероприятия, тестирования и материалы учитываются в отчёте нового года."
    ),
    gettext_lazy(
        "Повторная загрузка плана того же года обновляет его: мероприятия находятся по номеру; пропавшие "
        "из файла не удаляются, а перечисляются в отчёте."
    ),
]


# --- JSON ---------------------------------------------------------------------------------------


def read_plan_json_data(content):
    """The plan of a JSON file shaped like ``cms/data/plan_2024.json`` (see docs/plans.md)."""
    problems = _Collector()
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return PlanFileReport(problems=[Problem("", _("Файл JSON должен быть в кодировке UTF-8."))])
    except json.JSONDecodeError as error:
        return PlanFileReport(
            problems=[
                Problem(
                    _("строка %(line)s, позиция %(column)s") % {"line": error.lineno, "column": error.colno},
                    _("это не JSON: %(error)s.") % {"error": error.msg},
                )
            ]
        )
    if not isinstance(data, dict) or not isinstance(data.get("plan"), dict):
        return PlanFileReport(
            problems=[Problem("plan", _("в файле нет объекта «plan» с реквизитами плана."))]
        )
    head = data["plan"]
    plan = _requisites(
        {key: head.get(key) for key, _label, _example in REQUISITES},
        {key: f"plan.{key}" for key, _label, _example in REQUISITES},
        problems,
    )
    sections = data.get("sections")
    if not isinstance(sections, list):
        problems.add("sections", _("нужен список разделов «sections»."))
        return PlanFileReport(data=plan, problems=problems.problems)
    if len(sections) > MAX_ROWS:
        return PlanFileReport(problems=[Problem("sections", _("слишком много разделов — это не план."))])
    rows = []
    for s, section in enumerate(sections):
        where = f"sections[{s}]"
        if not isinstance(section, dict):
            problems.add(where, _("раздел — объект с полями number, title, items."))
            continue
        rows.append(_Row(f"{where}.number", _json_number(section.get("number")), _text(section.get("title"))))
        items = section.get("items")
        if not isinstance(items, list):
            problems.add(f"{where}.items", _("нужен список мероприятий раздела."))
            continue
        if len(items) > MAX_ROWS:
            return PlanFileReport(problems=[Problem(where, _("слишком много мероприятий — это не план."))])
        for i, item in enumerate(items):
            item_where = f"{where}.items[{i}]"
            if not isinstance(item, dict):
                problems.add(
                    item_where, _("мероприятие — объект с полями number, title, deadline, executors.")
                )
                continue
            rows.append(
                _Row(
                    f"{item_where}.number",
                    _json_number(item.get("number")),
                    _text(item.get("title")),
                    _text(item.get("deadline")),
                    _text(item.get("executors")),
                )
            )
    _assemble(plan, rows, problems)
    return PlanFileReport(data=plan, problems=problems.problems)


def _json_number(value):
    # Section numbers are numbers in JSON (5), item numbers strings ("5.2"); a float would lose «5.10».
    if isinstance(value, bool) or value is None:
        return ""
    return str(value)


# --- the file and the import -----------------------------------------------------------------------


def read_plan_file(name, content):
    """:class:`PlanFileReport` of an uploaded file, by its name's suffix (``.xlsx`` or ``.json``)."""
    suffix = PurePath(name or "").suffix.casefold()
    if suffix not in SUFFIXES:
        return PlanFileReport(problems=[Problem("", _("Загрузите файл XLSX или JSON."))])
    if not content:
        return PlanFileReport(problems=[Problem("", _("Файл пуст."))])
    if len(content) > MAX_FILE_BYTES:
        return PlanFileReport(
            problems=[Problem("", _("Файл больше %(size)s.") % {"size": filesizeformat(MAX_FILE_BYTES)})]
        )
    if suffix == ".xlsx":
        return read_plan_xlsx(content)
    return read_plan_json_data(content)


@dataclass
class PlanImportOutcome:
    data: ParsedPlan
    dry_run: bool
    lines: list  # the load's summary in Russian
    continuation: list  # what the plan keeps of the previous one, in Russian
    replaces: bool  # a plan of that year was in the registry already
    plan: object = None  # the saved Plan (None on a check)


def import_plan(data, dry_run=False):
    """Save ``data`` (a checked :class:`ParsedPlan`) as the plan of its year, all or nothing; with
    ``dry_run`` do the same and roll it back. Raises PlanDataError on data that contradicts itself."""
    from .models import Plan

    replaces = Plan.objects.filter(year=data.year).exists()
    with transaction.atomic():
        result = load_plan(data)
        lines = result.summary_lines()
        kept = continuation(data).summary_lines()
        if dry_run:
            transaction.set_rollback(True)
    return PlanImportOutcome(
        data=data,
        dry_run=dry_run,
        lines=lines,
        continuation=kept,
        replaces=replaces,
        plan=None if dry_run else result.plan,
    )
