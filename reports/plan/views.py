"""The dashboard page of a plan item: how it is counted, its figures per municipality (per organization
for one municipality) and its activities, for a period. The plan report links here for each item.

Managers only, within their scope (403 for anybody else); an unknown plan or item, or a municipality
outside the scope: 404.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ..access import statistics_scope
from ..dashboard.views import table_context
from .figures import activity_rows, get_item_or_404, get_plan_or_404, item_figures
from .links import item_path
from .report import activity_text
from .wording import how_counted


@login_required
@require_GET
def plan_item(request, year, number, municipality=None):
    scope = statistics_scope(request)
    plan = get_plan_or_404(year)
    item = get_item_or_404(plan, number)
    chosen = scope.get_municipality_or_404(municipality) if municipality is not None else None
    params = {"plan": str(plan.year), "item": item.number}
    if chosen is not None:
        params["municipality"] = str(chosen.pk)

    def link(row):
        return None if row["key"] is None else item_path(item, row["key"])

    context, _table, report = table_context(request, "plan_item", params, None if chosen else link)
    figures = item_figures(item, scope, report.period, chosen)
    context.update(
        {
            "plan": plan,
            "item": item,
            "municipality": chosen,
            "item_url": item_path(item),
            "note": how_counted(item, report.period),
            "activities": [activity_text(activity) for activity in activity_rows(figures, scope)],
            "report_url": reverse("reports_exports:plan_report"),
        }
    )
    status = 400 if context["period_error"] else 200
    return render(request, "reports/plan/item.html", context, status=status)
