"""The plan-execution report: for a plan and a period, one section per measured item (1.3, 5.1–5.9)
with what was done (text generated from the data), how it was counted (a note and a link to the
item's dashboard page), the figures, the linked activities and a per-municipality table.
The DOCX and XLSX builders (:mod:`.docx_report`, :mod:`.xlsx_report`) only lay this out.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..tables import Column, Table
from .figures import COLUMN_LABELS, activity_rows, item_figures, section_items
from .links import item_path, item_url, period_query
from .wording import how_counted, item_paragraphs


@dataclass
class ReportSection:
    figures: object
    paragraphs: list
    activities: list
    table: Table
    note: str = ""  # «Как считалось»
    url: str = ""  # the item's dashboard page for the period (absolute)

    @property
    def item(self):
        return self.figures.item

    @property
    def heading(self):
        return f"{self.item.number}. {self.item.title}"


@dataclass
class PlanReport:
    plan: object
    period: object
    scope_text: str
    sections: list

    @property
    def title(self):
        return _("Отчёт о выполнении мероприятий плана противодействия коррупции (пункты 1.3, 5.1–5.9)")


def figures_table(figures, title=None):
    """The rows of :class:`ItemFigures` as a :class:`Table` (municipalities or organizations)."""
    first = _("Организация") if figures.by_organization else _("Муниципальное образование")
    columns = [Column("name", first)] + [
        Column(key, str(COLUMN_LABELS[key]), numeric=True) for key in figures.columns
    ]
    return Table(
        title=title or f"{figures.item.number}. {figures.item.title}",
        columns=columns,
        rows=[row.as_row() for row in figures.rows],
        footer=figures.total.as_row(),
    )


@dataclass
class ItemNote:
    item: object
    note: str
    url: str  # absolute, as in the documents
    path: str  # the same page on this site, for the report page


def item_notes(plan, period):
    """«Как считалось» and the dashboard link of every measured item, without computing figures (the
    report page shows them before the document is made)."""
    return [
        ItemNote(
            item,
            how_counted(item, period),
            item_url(item, period),
            f"{item_path(item)}?{period_query(period)}",
        )
        for item in section_items(plan)
    ]


def build_plan_report(plan, period, scope, scope_text=""):
    sections = []
    for item in section_items(plan):
        figures = item_figures(item, scope, period)
        sections.append(
            ReportSection(
                figures=figures,
                paragraphs=item_paragraphs(figures),
                activities=activity_rows(figures, scope),
                table=figures_table(figures),
                note=how_counted(item, period),
                url=item_url(item, period),
            )
        )
    return PlanReport(plan, period, scope_text, sections)


ACTIVITY_FIGURE_LABELS = {
    "enrolled": gettext_lazy("записано"),
    "completed": gettext_lazy("завершили"),
    "participants": gettext_lazy("участников"),
    "municipalities": gettext_lazy("муниципальных образований"),
    "expected": gettext_lazy("ожидалось"),
    "attended_expected": gettext_lazy("из них пришли"),
    "finished": gettext_lazy("прошли тестирование"),
    "passed": gettext_lazy("успешно"),
    "asked": gettext_lazy("поступило вопросов"),
    "answered": gettext_lazy("дан ответ"),
    "letters": gettext_lazy("писем"),
    "recipients": gettext_lazy("получателей"),
    "acknowledged": gettext_lazy("ознакомились"),
}


def activity_figures(activity):
    """``[(label, value)]`` of a linked course, event or campaign."""
    return [(str(ACTIVITY_FIGURE_LABELS[key]), value) for key, value in activity.figures.items()]


def activity_text(activity):
    """«Семинар «…», 14.03.2024 — участников: 12; муниципальных образований: 3»."""
    figures = "; ".join(f"{name}: {value}" for name, value in activity_figures(activity))
    return f"{activity.kind} «{activity.title}», {activity.when}" + (f" — {figures}" if figures else "")
