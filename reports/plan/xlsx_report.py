"""The plan-execution report as an Excel workbook (openpyxl): a summary sheet and a sheet per item."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ..exports.writers import cell_value, sheet_title
from .report import activity_figures

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _append_table(sheet, table):
    sheet.append([str(column.label) for column in table.columns])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for row in table.rows:
        sheet.append([cell_value(value) for value in table.values(row)])
    if table.footer:
        sheet.append([cell_value(value) for value in table.values(table.footer)])
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD


def _link(cell, url):
    if url:
        cell.hyperlink = url
        cell.style = "Hyperlink"


def build_xlsx(report):
    """The report's bytes (.xlsx)."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = sheet_title(_("Сводка"))
    summary.append([report.title])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([_("План: %(title)s") % {"title": report.plan.title}])
    summary.append([_("Отчётный период: %(period)s") % {"period": report.period}])
    if report.scope_text:
        summary.append([_("Охват: %(scope)s") % {"scope": report.scope_text}])
    summary.append([])
    summary.append([_("Пункт"), _("Мероприятие плана"), _("Что сделано"), _("Как считалось"), _("Подробно")])
    for cell in summary[summary.max_row]:
        cell.font = BOLD
    for section in report.sections:
        summary.append(
            [
                section.item.number,
                section.item.title,
                "\n".join(section.paragraphs),
                section.note,
                section.url,
            ]
        )
        for cell in summary[summary.max_row]:
            cell.alignment = WRAP
        _link(summary.cell(summary.max_row, 5), section.url)
    summary.column_dimensions["B"].width = 60
    summary.column_dimensions["C"].width = 100
    summary.column_dimensions["D"].width = 80
    summary.column_dimensions["E"].width = 40

    for section in report.sections:
        sheet = workbook.create_sheet(sheet_title(_("Пункт %(number)s") % {"number": section.item.number}))
        sheet.append([section.heading])
        sheet["A1"].font = Font(bold=True, size=12)
        for text in section.paragraphs:
            sheet.append([text])
        sheet.append([_("Как считалось"), section.note])
        sheet.append([_("Подробно"), section.url])
        _link(sheet.cell(sheet.max_row, 2), section.url)
        sheet.append([])
        if section.activities:
            sheet.append([_("Вид"), _("Название"), _("Дата, объём"), _("Показатели")])
            for cell in sheet[sheet.max_row]:
                cell.font = BOLD
            for activity in section.activities:
                figures = "; ".join(f"{name}: {value}" for name, value in activity_figures(activity))
                sheet.append([str(activity.kind), activity.title, activity.when, figures])
            sheet.append([])
        _append_table(sheet, section.table)
        sheet.column_dimensions["A"].width = 40
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
