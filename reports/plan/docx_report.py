"""The plan-execution report as a Word document (python-docx)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from people.spreadsheets import csv_value

from .report import activity_figures, activity_text

__all__ = ["activity_figures", "build_docx"]


def _hyperlink(paragraph, url, text):
    """Append a clickable link to ``paragraph`` (python-docx has no API for it)."""
    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "0563C1")
    properties.extend([style, color, underline])
    run.append(properties)
    text_element = OxmlElement("w:t")
    text_element.text = text
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


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
            if any(activity.is_material for activity in section.activities):
                document.add_paragraph(_("Проведённые мероприятия и размещённые материалы:"))
            else:
                document.add_paragraph(_("Проведённые мероприятия:"))
            for activity in section.activities:
                document.add_paragraph(activity_text(activity), style="List Bullet")
        if len(section.table.columns) > 1:
            document.add_paragraph(_("Показатели по муниципальным образованиям:"))
            _table(document, section.table)
        note = document.add_paragraph()
        note.add_run(_("Как считалось: ")).italic = True
        note.add_run(section.note).italic = True
        if section.url:
            link = document.add_paragraph(_("Подробно на странице статистики: "))
            _hyperlink(link, section.url, section.url)

    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()
