"""Plan-item tables (registered with reports.tables.register_table).

* ``plan_items`` — one row per measured item (1.3, 5.1–5.9) of a plan with its totals (param ``plan``:
  the plan's year; without it, the plan of the period's year);
* ``plan_item`` — one item per municipality, or per organization of one municipality
  (params ``plan``, ``item`` e.g. "5.2", optional ``municipality``);
* ``plan_activities`` — the courses, events, campaigns and materials linked to the items, with their
  figures
  (params ``plan``, optional ``item``).

A municipality outside the user's scope, an unknown plan or item: 404.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..tables import Column, Table, register_table
from .figures import activity_rows, get_item_or_404, get_plan_or_404, item_figures, section_items
from .report import figures_table


@register_table("plan_items", gettext_lazy("Выполнение плана: пункты 1.3, 5.1–5.9"))
def plan_items_table(request):
    scope = request.scope
    plan = get_plan_or_404(request.params.get("plan"), request.period)
    rows = []
    for item in section_items(plan):
        figures = item_figures(item, scope, request.period)
        total = figures.total.values
        rows.append(
            {
                "number": item.number,
                "title": item.title,
                "courses": len(figures.activities.courses),
                "events": len(figures.activities.events),
                "campaigns": len(figures.activities.campaigns),
                "materials": len(figures.activities.materials),
                "target": total.get("target"),
                "trained": total.get("trained"),
                "completed": total.get("completed"),
                "event_participants": total.get("event_participants"),
                "tested": total.get("tested"),
            }
        )
    columns = [
        Column("number", _("Пункт")),
        Column("title", _("Мероприятие плана")),
        Column("courses", _("Курсов"), numeric=True),
        Column("events", _("Проведено мероприятий"), numeric=True),
        Column("campaigns", _("Тестирований"), numeric=True),
        Column("materials", _("Материалов"), numeric=True),
        Column("target", _("Целевая группа, чел."), numeric=True),
        Column("trained", _("Из них обучены, чел."), numeric=True),
        Column("completed", _("Завершили курсы, чел."), numeric=True),
        Column("event_participants", _("Участников мероприятий"), numeric=True),
        Column("tested", _("Прошли тестирование, чел."), numeric=True),
    ]
    return Table(
        title=_("Выполнение плана %(year)s, %(period)s") % {"year": plan.year, "period": request.period},
        columns=columns,
        rows=rows,
    )


@register_table("plan_item", gettext_lazy("Мероприятие плана по муниципальным образованиям"))
def plan_item_table(request):
    scope = request.scope
    plan = get_plan_or_404(request.params.get("plan"), request.period)
    item = get_item_or_404(plan, request.params.get("item", ""))
    municipality = None
    if request.params.get("municipality"):
        municipality = scope.get_municipality_or_404(request.params["municipality"])
    figures = item_figures(item, scope, request.period, municipality)
    title = f"{item.number}. {item.title}"
    if municipality is not None:
        title = f"{title} — {municipality}"
    return figures_table(figures, title)


@register_table(
    "plan_activities", gettext_lazy("Курсы, мероприятия, тестирования и материалы по пунктам плана")
)
def plan_activities_table(request):
    scope = request.scope
    plan = get_plan_or_404(request.params.get("plan"), request.period)
    if request.params.get("item"):
        items = [get_item_or_404(plan, request.params["item"])]
    else:
        items = section_items(plan)
    rows = []
    for item in items:
        figures = item_figures(item, scope, request.period)
        if not figures.activities:
            continue
        for activity in activity_rows(figures, scope):
            figures_of = activity.figures
            rows.append(
                {
                    "item": item.number,
                    "kind": activity.kind,
                    "title": activity.title,
                    "when": activity.when,
                    "people": figures_of.get(
                        "completed", figures_of.get("participants", figures_of.get("finished"))
                    ),
                    "passed": figures_of.get("passed"),
                    "enrolled": figures_of.get("enrolled", figures_of.get("expected")),
                }
            )
    columns = [
        Column("item", _("Пункт")),
        Column("kind", _("Вид")),
        Column("title", _("Название")),
        Column("when", _("Дата, объём")),
        Column("enrolled", _("Записано / ожидалось, чел."), numeric=True),
        Column("people", _("Завершили / участвовали, чел."), numeric=True),
        Column("passed", _("Сдали тест, чел."), numeric=True),
    ]
    return Table(
        title=_("Курсы, мероприятия, тестирования и материалы по плану %(year)s, %(period)s")
        % {"year": plan.year, "period": request.period},
        columns=columns,
        rows=rows,
    )
