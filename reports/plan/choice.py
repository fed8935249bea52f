"""Which plan and period a plan-execution report covers, from the report page's query.

* ``plan`` (a year) chooses a plan; without ``year``/``start``/``end`` the period is then that plan's year;
* without ``plan`` the period comes from ``year`` or ``start``/``end`` (the current year by default) and
  the plan is the plan of the year the period starts in: the report for year Y uses Y's plan.

A year without a plan is not a report of zeros: the choice carries a Russian message naming the years
that have a plan, and the 4xx status the page answers with.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from cms.models import Plan

from ..period import Period


@dataclass
class PlanChoice:
    plan: Plan | None
    period: Period | None
    error: str = ""
    status: int = 200
    years: tuple = ()  # the years that have a plan, latest first

    @property
    def ok(self):
        return self.plan is not None and self.period is not None


def _missing(year, years):
    message = _("Плана противодействия коррупции на %(year)s год в реестре нет.") % {"year": year}
    if years:
        message += " " + _("Отчёт можно составить по плану на %(years)s год.") % {
            "years": ", ".join(str(y) for y in years)
        }
    else:
        message += " " + _("В реестре пока нет ни одного плана.")
    return message


def choose_plan(params):
    """:class:`PlanChoice` for a query dict (``plan``, ``year``, ``start``, ``end``)."""
    years = tuple(Plan.objects.order_by("-year").values_list("year", flat=True))
    has_period = any(params.get(key) for key in ("year", "start", "end"))
    plan = None
    wanted = params.get("plan")
    if wanted:
        try:
            plan = Plan.objects.get(year=int(wanted))
        except (Plan.DoesNotExist, ValueError, OverflowError):  # SQLite: a number past 64 bits
            return PlanChoice(None, None, _missing(wanted, years), 404, years)
    try:
        period = Period.from_params(params if has_period or plan is None else {"year": str(plan.year)})
    except ValueError as error:
        return PlanChoice(plan, None, str(error), 400, years)
    if plan is None:
        plan = Plan.objects.filter(year=period.start.year).first()
        if plan is None:
            return PlanChoice(None, period, _missing(period.start.year, years), 404, years)
    return PlanChoice(plan, period, years=years)
