"""The manager dashboard pages (mounted at /reports/): the region, a municipality, an organization.

Only users with ``people.view_municipality_statistics`` and a non-empty scope get in (anybody else:
403, anonymous: the login page). Every figure comes from the registered tables of
:mod:`reports.dashboard.tables`, the same ones the exports write; a municipality or organization
outside the scope is "not found" there.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from people.personal_exports import PersonalExport, record_export
from people.training_record import training_record, training_record_workbook

from ..access import statistics_scope
from ..exports.writers import CONTENT_TYPES
from ..period import Period
from ..tables import ReportRequest, table_spec
from . import charts, sorting, targeted, timeline
from .slices import REGIONAL, Grouping, Slice, municipality_param, organization_param
from .tables import organization_name

PEOPLE_PER_PAGE = 100


def _report_request(request, params):
    """The report request of the page and the period error to show (bad input: the current year)."""
    try:
        return ReportRequest.from_http(request, params), None
    except ValueError as error:
        return ReportRequest(request.user.pk, Period.current_year(), dict(params)), str(error)


def period_query(period):
    """The query string that selects ``period`` (``year=`` for a calendar year)."""
    query = QueryDict(mutable=True)
    if period == Period.year(period.start.year):
        query["year"] = str(period.start.year)
    else:
        query.update(period.as_params())
    return query


def export_links(key, period, params):
    """Links to the XLSX and CSV exports of table ``key`` ([] until the exports are mounted)."""
    try:
        url = reverse("reports_exports:export", args=[key])
    except NoReverseMatch:
        return []
    links = []
    for file_format, label in (("xlsx", "XLSX"), ("csv", "CSV")):
        query = period_query(period)
        query["format"] = file_format
        for name, value in params.items():
            query[name] = value
        links.append({"label": label, "url": f"{url}?{query.urlencode()}"})
    return links


def table_context(request, key, params, link=None, per_page=None):
    """Build table ``key`` for the request and everything its template needs: ``(context, table, report)``."""
    scope = statistics_scope(request)
    report, period_error = _report_request(request, params)
    table = table_spec(key).build(report)
    sort = request.GET.get("sort", "name")
    rows = sorting.sorted_rows(table, sort)
    page = None
    if per_page:
        page = Paginator(rows, per_page).get_page(request.GET.get("page"))
        rows = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    today = timezone.localdate()
    context = {
        "scope": scope,
        "table": table,
        "rows": [{"row": row, "values": table.values(row)[1:], "url": link and link(row)} for row in rows],
        "footer": table.values(table.footer)[1:] if table.footer else None,
        "columns": sorting.header(table, query, sort),
        "page": page,
        "query": query.urlencode(),
        "period": report.period,
        "period_error": period_error,
        "period_query": period_query(report.period).urlencode(),
        "years": list(range(today.year + 1, today.year - 6, -1)),
        "exports": export_links(key, report.period, params),
    }
    return context, table, report


def _status(context):
    return 400 if context["period_error"] else 200


@login_required
@require_GET
def dashboard(request):
    """The region (or a municipal manager's own municipality): the table per municipality and charts."""

    def link(row):
        return reverse("reports:municipality", args=[REGIONAL if row["id"] is None else row["id"]])

    context, table, report = table_context(request, "municipalities", {}, link)
    rows = sorting.sorted_rows(table, "name")
    months = timeline.monthly(Slice(context["scope"], Grouping.DISTRICT), report.period)
    context.update(
        {
            "bar_charts": [
                charts.bar_chart(rows, "trained", _("Обучено (завершили курс), чел."), link=link),
                charts.bar_chart(
                    rows, "participation", _("Участие в тестировании, %"), maximum=100, link=link
                ),
                charts.bar_chart(rows, "attended", _("Присутствовали на семинарах"), link=link),
            ],
            "month_chart": charts.month_chart(months, timeline.SERIES, _("Участие по месяцам")),
            "months": months,
            "series": timeline.SERIES,
            "targeted_events": targeted.targeted_events(context["scope"], report.period),
        }
    )
    return render(request, "reports/dashboard/index.html", context, status=_status(context))


def _municipality_heading(municipality):
    return _("Областные органы") if municipality == REGIONAL else str(municipality)


@login_required
@require_GET
def municipality(request, municipality):
    """One municipality (with its settlements) or the regional bodies: the table per organization."""
    scope = statistics_scope(request)
    chosen = municipality_param(scope, municipality)

    def link(row):
        return reverse(
            "reports:organization", args=[municipality, "none" if row["id"] is None else row["id"]]
        )

    context, _table, _report = table_context(request, "organizations", {"municipality": municipality}, link)
    context.update(
        {
            "municipality": chosen,
            "municipality_value": municipality,
            "heading": _municipality_heading(chosen),
            "people_url": reverse("reports:municipality_people", args=[municipality]),
        }
    )
    return render(request, "reports/dashboard/organizations.html", context, status=_status(context))


@login_required
@require_GET
def people(request, municipality, organization=None):
    """People of one organization of a municipality (``none``: without one), or of the whole one."""
    scope = statistics_scope(request)
    chosen = municipality_param(scope, municipality)
    params = {"municipality": municipality}
    heading = _municipality_heading(chosen)
    if organization is not None:
        params["organization"] = organization
        heading = organization_name(organization_param(scope, organization, chosen))

    def link(row):
        return reverse("reports:person", args=[row["id"]])

    context, _table, _report = table_context(request, "people", params, link, per_page=PEOPLE_PER_PAGE)
    context.update(
        {
            "municipality": chosen,
            "municipality_heading": _municipality_heading(chosen),
            "municipality_url": reverse("reports:municipality", args=[municipality]),
            "heading": heading,
            "whole_municipality": organization is None,
        }
    )
    return render(request, "reports/dashboard/people.html", context, status=_status(context))


def _person_in_scope(request, pk):
    scope = statistics_scope(request)
    return scope, scope.get_person_or_404(pk)


@login_required
@require_GET
def person(request, pk):
    """One person's training record (:mod:`people.training_record`), within the manager's scope:
    anybody else is "not found"; printable."""
    _scope, person = _person_in_scope(request, pk)
    municipality = person.municipality
    top = municipality.parent if municipality is not None and municipality.parent_id else municipality
    return render(
        request,
        "reports/dashboard/person.html",
        {
            "person": person,
            "person_name": person.get_full_name() or person.username,
            "sheets": training_record(person),
            "now": timezone.now(),
            "municipality_name": top.name if top else _("Областные органы"),
            "municipality_url": reverse("reports:municipality", args=[top.pk if top else REGIONAL]),
        },
    )


@login_required
@require_POST
def person_xlsx(request, pk):
    """The training record as a workbook, entered in the audit log of personal-data exports."""
    scope, person = _person_in_scope(request, pk)
    content, rows = training_record_workbook(person)
    name = person.get_full_name() or person.username
    record_export(
        PersonalExport(
            user=request.user,
            key="person_record",
            title=_("Учётная карточка обучения: %(name)s") % {"name": name},
            format="xlsx",
            scope=scope.description(),
            period=timezone.localdate().strftime("%d.%m.%Y"),
            params={_("Слушатель"): name},
            row_count=rows,
        )
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="training-record-{person.pk}.xlsx"'
    return response
