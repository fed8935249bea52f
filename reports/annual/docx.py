"""The published annual report as a Word document: every section and item of the plan, the text the
authorized body approved, and for the measured items the frozen figures with «Как считалось»."""

import datetime
import io
from html.parser import HTMLParser

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Pt

from ..plan.docx_report import _hyperlink, _table
from ..plan.report import activity_text
from ..tables import Column, Table
from .services import FrozenActivity, sections_with_texts

BLOCKS = {"p", "li", "h2", "h3", "h4", "h5", "h6", "div", "blockquote"}


class _Paragraphs(HTMLParser):
    """Rich text → ``[(text, is_list_item)]``, one entry per block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.parts, self.in_list_item = [], [], False

    def flush(self):
        text = " ".join("".join(self.parts).split())
        if text:
            self.blocks.append((text, self.in_list_item))
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.flush()
            self.in_list_item = tag == "li"
        elif tag == "br":
            self.flush()

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.flush()
            self.in_list_item = False

    def handle_data(self, data):
        self.parts.append(data)


def rich_text_paragraphs(html):
    parser = _Paragraphs()
    parser.feed(html or "")
    parser.close()
    parser.flush()
    return parser.blocks


def _figures_table(data):
    return Table(
        title=data["title"],
        columns=[Column(key, label, numeric) for key, label, numeric in data["columns"]],
        rows=data["rows"],
        footer=data["footer"],
    )


def build_report_docx(page, snapshot):
    """The report's bytes (.docx) from the page's texts and the frozen ``snapshot``."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)

    plan = snapshot["plan"]
    document.add_heading(page.title, level=0)
    document.add_paragraph(_("План: %(title)s (%(act)s).") % {"title": plan["title"], "act": plan["act"]})
    document.add_paragraph(_("Отчётный период: %(period)s.") % {"period": snapshot["period"]["text"]})
    computed = timezone.localtime(datetime.datetime.fromisoformat(snapshot["computed_at"]))
    document.add_paragraph(
        _("Показатели платформы дистанционного обучения зафиксированы %(date)s.")
        % {"date": f"{computed:%d.%m.%Y %H:%M}"}
    )
    for text, is_item in rich_text_paragraphs(page.intro):
        document.add_paragraph(text, style="List Bullet" if is_item else None)

    for section in sections_with_texts(page, snapshot):
        document.add_heading(f"{section['number']}. {section['title']}", level=1)
        for item in section["items"]:
            document.add_heading(f"{item['number']}. {item['title']}", level=2)
            document.add_paragraph(
                _("Срок: %(deadline)s. Исполнители: %(executors)s.")
                % {"deadline": item["deadline"], "executors": item["executors"]}
            ).runs[0].italic = True
            written = rich_text_paragraphs(item["text"])
            if not written:
                written = [(_("Сведения об исполнении не внесены."), False)]
            for text, is_item in written:
                document.add_paragraph(text, style="List Bullet" if is_item else None)
            if item["measured"]:
                _measured(document, item)

    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def _measured(document, item):
    activities = [FrozenActivity(data) for data in item["activities"]]
    if activities:
        if any(activity.is_material for activity in activities):
            document.add_paragraph(_("Проведённые мероприятия и размещённые материалы:"))
        else:
            document.add_paragraph(_("Проведённые мероприятия:"))
        for activity in activities:
            document.add_paragraph(activity_text(activity), style="List Bullet")
    table = _figures_table(item["table"])
    if len(table.columns) > 1:
        document.add_paragraph(_("Показатели по муниципальным образованиям:"))
        _table(document, table)
    note = document.add_paragraph()
    note.add_run(_("Как считалось: ")).italic = True
    note.add_run(item["note"]).italic = True
    if item["url"]:
        link = document.add_paragraph(_("Подробно на странице статистики: "))
        _hyperlink(link, item["url"], item["url"])
