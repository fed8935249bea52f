"""Drafting and publishing the annual plan report.

* :func:`prefill_texts` — a new draft gets one text per item of its plan: the generated paragraphs
  (:func:`reports.plan.wording.item_paragraphs`) for the items the platform measures, empty for the
  others (the authorized body writes them);
* :func:`compute_snapshot` — every section and item of the plan, and for the measured items their
  figures, activities, per-municipality table, «Как считалось» and link, as plain JSON data;
* :func:`publish_report` (on ``page_published``) — freezes the snapshot on the first publication
  (later publications, e.g. a corrected text, keep it: the published figures never change) and
  generates the DOCX (:mod:`.docx`) and the XLSX (:mod:`.xlsx`) from it and the published texts, both
  attached as Wagtail documents.
"""

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Collection

from people.scope import Scope

from ..period import Period
from ..plan.figures import item_figures, section_items
from ..plan.report import build_plan_report
from ..plan.wording import item_paragraphs


def region_scope():
    """The report is the authorized body's: the whole region."""
    return Scope(None, everything=True)


def paragraphs_html(paragraphs):
    return "".join(f"<p>{escape(str(text))}</p>" for text in paragraphs)


def prefill_texts(page):
    """Give ``page`` (unsaved, with its plan) a text for every item of the plan, in the plan's order.

    Texts the page has already (written in the form that creates the page) are kept as they are."""
    from .models import PlanReportText

    plan, period, scope = page.plan, page.period, region_scope()
    measured = {item.pk: item for item in section_items(plan)}
    written, extra = {}, []
    for text in page.texts.all():
        if text.item_id in written:
            extra.append(text)
        else:
            written[text.item_id] = text
    texts = []
    for item in plan_items(plan):
        text = written.pop(item.pk, None)
        if text is None:
            value = ""
            if item.pk in measured:
                value = paragraphs_html(item_paragraphs(item_figures(item, scope, period)))
            text = PlanReportText(item=item, text=value)
        text.sort_order = len(texts)
        texts.append(text)
    # Texts of another plan's items or a second text of an item (refused by the form's checks when
    # written in the admin) are kept, not dropped silently.
    texts.extend([*written.values(), *extra])
    page.texts = texts


def plan_items(plan):
    from cms.models import PlanItem

    return list(PlanItem.objects.filter(section__plan=plan).order_by("section__number", "position"))


def _activity(activity):
    return {
        "kind": str(activity.kind),
        "title": activity.title,
        "when": activity.when,
        "figures": dict(activity.figures),
        "is_material": activity.is_material,
    }


def _table(table):
    return {
        "title": str(table.title),
        "columns": [[column.key, str(column.label), column.numeric] for column in table.columns],
        "rows": table.rows,
        "footer": table.footer,
    }


def compute_snapshot(plan, period, now=None):
    """The whole plan with the figures of its measured items for ``period``, as JSON-ready data."""
    scope = region_scope()
    report = build_plan_report(plan, period, scope, scope.description())
    measured = {section.item.pk: section for section in report.sections}
    sections = []
    for plan_section in plan.sections.order_by("number"):
        items = []
        for item in plan_section.items.order_by("position"):
            entry = {
                "id": item.pk,
                "number": item.number,
                "title": item.title,
                "deadline": item.deadline,
                "executors": item.executors,
                "measured": item.pk in measured,
            }
            section = measured.get(item.pk)
            if section is not None:
                entry.update(
                    paragraphs=[str(text) for text in section.paragraphs],
                    activities=[_activity(activity) for activity in section.activities],
                    table=_table(section.table),
                    note=str(section.note),
                    url=section.url,
                )
            items.append(entry)
        sections.append({"number": plan_section.number, "title": plan_section.title, "items": items})
    return {
        "computed_at": (now or timezone.now()).isoformat(),
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "text": str(period)},
        "scope": str(scope.description()),
        "plan": {"year": plan.year, "title": plan.title, "act": plan.act_reference},
        "sections": sections,
    }


def sections_with_texts(page, snapshot):
    """``[{number, title, items: [{…snapshot entry…, text}]}]`` for the page and the documents: the
    snapshot's items (or, before publication, the plan's) with the page's text of each."""
    texts = {text.item_id: text.text for text in page.texts.all()}
    if snapshot is None:
        snapshot_sections = [
            {
                "number": section.number,
                "title": section.title,
                "items": [
                    {
                        "id": item.pk,
                        "number": item.number,
                        "title": item.title,
                        "deadline": item.deadline,
                        "executors": item.executors,
                        "measured": False,
                    }
                    for item in section.items.order_by("position")
                ],
            }
            for section in page.plan.sections.order_by("number")
        ]
    else:
        snapshot_sections = snapshot["sections"]
    return [
        {**section, "items": [_with_text(item, texts.get(item["id"], "")) for item in section["items"]]}
        for section in snapshot_sections
    ]


class FrozenActivity:
    """A frozen activity, shaped as :func:`reports.plan.report.activity_text` reads it."""

    def __init__(self, data):
        self.kind, self.title, self.when = data["kind"], data["title"], data["when"]
        self.figures, self.is_material = data["figures"], data["is_material"]


def _with_text(item, text):
    from ..plan.report import activity_text

    entry = {**item, "text": text}
    if item.get("measured"):
        table = item["table"]
        keys = [column[0] for column in table["columns"]]
        entry["grid"] = {
            "header": [column[1] for column in table["columns"]],
            "numeric": [column[2] for column in table["columns"]],
            "rows": [[row.get(key) for key in keys] for row in table["rows"]],
            "footer": [table["footer"].get(key) for key in keys] if table["footer"] else None,
        }
        entry["activity_lines"] = [activity_text(FrozenActivity(data)) for data in item["activities"]]
    return entry


def document_filename(page, extension="docx"):
    return f"otchet-ob-ispolnenii-plana-{page.plan.year}.{extension}"


def _attach(title, filename, content):
    """``content`` as a public Wagtail document (root collection)."""
    document = get_document_model()(title=title, collection=Collection.get_first_root_node())
    document.file.save(filename, ContentFile(content), save=False)
    document._set_document_file_metadata()  # size and hash, as the admin upload form does
    document.save()
    return document


def publish_report(page):
    """Freeze the figures (once) and attach a fresh DOCX and XLSX of the published ``page``: both from
    the frozen snapshot and the published texts."""
    from .docx import build_report_docx
    from .models import PlanReportPage
    from .xlsx import build_report_xlsx

    now = timezone.now()
    snapshot = page.figures
    frozen_at = page.figures_frozen_at
    if snapshot is None:
        snapshot = compute_snapshot(page.plan, page.period, now)
        frozen_at = now
    title = _("Отчёт об исполнении плана противодействия коррупции за %(year)s год") % {
        "year": page.plan.year
    }
    document = _attach(title, document_filename(page), build_report_docx(page, snapshot))
    spreadsheet = _attach(
        _("%(title)s (таблицы XLSX)") % {"title": title},
        document_filename(page, "xlsx"),
        build_report_xlsx(page, snapshot),
    )
    previous = {page.document_id, page.spreadsheet_id} - {None}
    PlanReportPage.objects.filter(pk=page.pk).update(
        figures=snapshot, figures_frozen_at=frozen_at, document=document, spreadsheet=spreadsheet
    )
    page.figures, page.figures_frozen_at = snapshot, frozen_at
    page.document, page.spreadsheet = document, spreadsheet
    previous -= {document.pk, spreadsheet.pk}
    if previous:
        get_document_model().objects.filter(pk__in=previous).delete()
    return document


def report_period(snapshot):
    import datetime

    return Period(
        datetime.date.fromisoformat(snapshot["period"]["start"]),
        datetime.date.fromisoformat(snapshot["period"]["end"]),
    )
