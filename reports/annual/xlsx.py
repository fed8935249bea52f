"""The published annual report as an Excel workbook, from the same frozen snapshot as the DOCX.

* «Отчёт» — every item of the plan in the plan's order: section, number, wording, deadline, executors,
  the authorized body's text «Что сделано», and for the measured items what the platform measured
  (the frozen paragraphs with the figures), «Как считалось» and the link to the item's statistics;
* «Пункт 5.1», … — one sheet per measured item: the frozen paragraphs, the note and the link, the
  activities with their figures, the table by municipalities with its total row.

Every cell goes through :func:`people.spreadsheets.cell_value` (text never runs as a formula).
"""

import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from people.spreadsheets import cell_value

from ..exports.writers import sheet_title
from ..plan.report import activity_figures
from ..plan.xlsx_report import BOLD, WRAP, _append_table, _link
from .docx import _figures_table, rich_text_paragraphs
from .services import FrozenActivity, sections_with_texts

NOT_WRITTEN = "Сведения об исполнении не внесены."
COLUMNS = [
    # (label, width)
    ("Раздел", 30),
    ("Пункт", 8),
    ("Мероприятие плана", 60),
    ("Срок", 18),
    ("Исполнители", 30),
    ("Что сделано (текст уполномоченного органа)", 80),
    ("Измерено платформой", 80),
    ("Как считалось", 60),
    ("Подробно", 40),
]
MAIN_SHEET = "Отчёт"


def plain_text(html):
    """Rich text as lines of plain text, list items marked with «•»."""
    return "\n".join(f"• {text}" if is_item else text for text, is_item in rich_text_paragraphs(html))


def item_sheet_title(number):
    return sheet_title(_("Пункт %(number)s") % {"number": number})


def build_report_xlsx(page, snapshot):
    """The report's bytes (.xlsx) from the page's texts and the frozen ``snapshot``."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(MAIN_SHEET)
    plan = snapshot["plan"]
    computed = timezone.localtime(datetime.datetime.fromisoformat(snapshot["computed_at"]))
    sheet.append([cell_value(page.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in (
        _("План: %(title)s (%(act)s).") % {"title": plan["title"], "act": plan["act"]},
        _("Отчётный период: %(period)s.") % {"period": snapshot["period"]["text"]},
        _("Охват: %(scope)s.") % {"scope": snapshot["scope"]},
        _("Показатели платформы дистанционного обучения зафиксированы %(date)s.")
        % {"date": f"{computed:%d.%m.%Y %H:%M}"},
    ):
        sheet.append([cell_value(line)])
    sheet.append([])
    sheet.append([label for label, _width in COLUMNS])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
        cell.alignment = WRAP
    sheet.freeze_panes = f"C{sheet.max_row + 1}"
    for position, (_label, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(1, position).column_letter].width = width

    sections = sections_with_texts(page, snapshot)
    measured = []
    for section in sections:
        section_label = f"{section['number']}. {section['title']}"
        for item in section["items"]:
            row = [
                section_label,
                item["number"],
                item["title"],
                item["deadline"],
                item["executors"],
                plain_text(item["text"]) or NOT_WRITTEN,
                "\n".join(item.get("paragraphs", [])) if item["measured"] else "",
                item.get("note", "") if item["measured"] else "",
                item.get("url", "") if item["measured"] else "",
            ]
            sheet.append([cell_value(value) for value in row])
            for cell in sheet[sheet.max_row]:
                cell.alignment = WRAP
            if item["measured"]:
                _link(sheet.cell(sheet.max_row, len(COLUMNS)), item["url"])
                measured.append(item)

    for item in measured:
        _item_sheet(workbook.create_sheet(item_sheet_title(item["number"])), item)

    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _item_sheet(sheet, item):
    sheet.append([cell_value(f"{item['number']}. {item['title']}")])
    sheet["A1"].font = Font(bold=True, size=12)
    for text in item["paragraphs"]:
        sheet.append([cell_value(text)])
    sheet.append([_("Как считалось"), cell_value(item["note"])])
    sheet.append([_("Подробно"), cell_value(item["url"])])
    _link(sheet.cell(sheet.max_row, 2), item["url"])
    sheet.append([])
    activities = [FrozenActivity(data) for data in item["activities"]]
    if activities:
        sheet.append([_("Вид"), _("Название"), _("Дата, объём"), _("Показатели")])
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
        for activity in activities:
            figures = "; ".join(f"{name}: {value}" for name, value in activity_figures(activity))
            sheet.append(
                [cell_value(value) for value in (activity.kind, activity.title, activity.when, figures)]
            )
        sheet.append([])
    table = _figures_table(item["table"])
    if len(table.columns) > 1:
        _append_table(sheet, table)
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 50
