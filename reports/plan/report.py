"""The plan-execution report: for a plan and a period, one section per item 5.1–5.9 with what was
done (text generated from the data), the figures, the linked activities and a per-municipality table.
The DOCX and XLSX builders (:mod:`.docx`, :mod:`.xlsx`) only lay this out.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..tables import Column, Table
from .figures import COLUMN_LABELS, activity_rows, item_figures, section_items
from .wording import item_paragraphs


@dataclass
class ReportSection:
    figures: object
    paragraphs: list
    activities: list
    table: Table

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
        return _("Отчёт о выполнении мероприятий раздела 5 плана противодействия коррупции")


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
            )
        )
    return PlanReport(plan, period, scope_text, sections)
