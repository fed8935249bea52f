"""The plan-execution report as a Word document (python-docx)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from people.spreadsheets import csv_value


def _table(document, table):
    rows = [*table.rows, *([table.footer] if table.footer else [])]
    grid = document.add_table(rows=1 + len(rows), cols=len(table.columns))
    grid.style = "Table Grid"
    for cell, column in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = str(column.label)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for index, row in enumerate(rows, start=1):
        is_footer = table.footer is not None and row is table.footer
        for cell, column, value in zip(grid.rows[index].cells, table.columns, table.values(row), strict=True):
            cell.text = csv_value(value)
            paragraph = cell.paragraphs[0]
            if column.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if is_footer:
                for run in paragraph.runs:
                    run.bold = True
    return grid


def build_docx(report):
    """The report's bytes (.docx)."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)

    document.add_heading(report.title, level=0)
    plan = report.plan
    document.add_paragraph(_("План: %(title)s (%(act)s).") % {"title": plan.title, "act": plan.act_reference})
    document.add_paragraph(_("Отчётный период: %(period)s.") % {"period": report.period})
    if report.scope_text:
        document.add_paragraph(_("Охват: %(scope)s.") % {"scope": report.scope_text})
    document.add_paragraph(
        _("Сформировано %(date)s по данным платформы дистанционного обучения.")
        % {"date": f"{timezone.localtime():%d.%m.%Y %H:%M}"}
    )

    for section in report.sections:
        document.add_heading(section.heading, level=1)
        for text in section.paragraphs:
            document.add_paragraph(text)
        if section.activities:
            document.add_paragraph(_("Проведённые мероприятия:"))
            for activity in section.activities:
                figures = "; ".join(f"{name}: {value}" for name, value in activity_figures(activity))
                document.add_paragraph(
                    f"{activity.kind} «{activity.title}», {activity.when}"
                    + (f" — {figures}" if figures else ""),
                    style="List Bullet",
                )
        if len(section.table.columns) > 1:
            document.add_paragraph(_("Показатели по муниципальным образованиям:"))
            _table(document, section.table)

    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


ACTIVITY_FIGURE_LABELS = {
    "enrolled": gettext_lazy("записано"),
    "completed": gettext_lazy("завершили"),
    "participants": gettext_lazy("участников"),
    "municipalities": gettext_lazy("муниципальных образований"),
    "expected": gettext_lazy("ожидалось"),
    "finished": gettext_lazy("прошли тестирование"),
    "passed": gettext_lazy("успешно"),
}


def activity_figures(activity):
    """``[(label, value)]`` of a linked course, event or campaign."""
    return [(str(ACTIVITY_FIGURE_LABELS[key]), value) for key, value in activity.figures.items()]
