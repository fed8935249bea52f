"""Manager pages of remote testing: campaign results, drill-down, item analysis, weak topics, monitor.

Only municipal and regional managers get in (anybody else: 403); every figure is scoped to what the
manager may see, and a campaign, municipality or organization outside that scope is "not found".
The views only pick objects and parameters; the figures come from :mod:`quizzes.analytics`.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from people.models import Organization
from people.roles import roles_of
from people.scope import Scope
from people.spreadsheets import csv_bytes

from . import analytics
from .monitor import MANAGER_ROLES, MonitorView
from .services import catch_up
from .services.operations import may_regrade

PEOPLE_PER_PAGE = 100
WEAKEST_TOPICS = 5

COLUMNS = [
    ("name", gettext_lazy("Наименование")),
    ("expected", gettext_lazy("Ожидалось")),
    ("started", gettext_lazy("Начали")),
    ("finished", gettext_lazy("Завершили")),
    ("passed", gettext_lazy("Сдали")),
    ("average", gettext_lazy("Средний результат, %")),
    ("participation", gettext_lazy("Участие, %")),
]


def manager_scope(request):
    """The scope of a manager; anybody else is refused (403). Sittings left past their deadline are
    finished first, so every figure of these pages counts them as finished whether or not the
    periodic job has run."""
    if not roles_of(request.user) & MANAGER_ROLES:
        raise PermissionDenied
    scope = Scope.for_user(request.user)
    if scope.is_empty:
        raise PermissionDenied
    catch_up()
    return scope


def get_organization_or_404(scope, pk):
    try:
        return scope.organizations().select_related("municipality").get(pk=pk)
    except (Organization.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def sort_param(request, default="name"):
    sort = request.GET.get("sort", default)
    return sort if sort.lstrip("-") in analytics.SORT_FIELDS else default


def sort_columns(request, sort, first_label):
    """Table headers with links that sort by the column (again: the other way round)."""
    columns = []
    for name, label in COLUMNS:
        current = sort.lstrip("-") == name
        descending = sort.startswith("-")
        target = name if not current or descending else f"-{name}"
        query = request.GET.copy()
        query["sort"] = target
        query.pop("page", None)
        columns.append(
            {
                "name": name,
                "label": first_label if name == "name" else label,
                "url": f"?{query.urlencode()}",
                "aria_sort": ("descending" if descending else "ascending") if current else None,
            }
        )
    return columns


def _campaign_context(scope, campaign, active):
    return {
        "campaign": campaign,
        "scope": scope,
        "active": active,
        "now": timezone.now(),
        "may_regrade": may_regrade(scope.user),
    }


@login_required
@require_GET
def campaign_list(request):
    scope = manager_scope(request)
    return render(
        request,
        "quizzes/manage/campaign_list.html",
        {"campaigns": analytics.visible_campaigns(scope), "scope": scope, "now": timezone.now()},
    )


@login_required
@require_GET
def campaign_results(request, pk):
    scope = manager_scope(request)
    campaign = analytics.get_campaign_or_404(scope, pk)
    rows = analytics.by_municipality(campaign, scope)
    sort = sort_param(request)
    return render(
        request,
        "quizzes/manage/results.html",
        {
            **_campaign_context(scope, campaign, "results"),
            "rows": analytics.sort_rows(rows, sort),
            "total": analytics.total_row(rows),
            "columns": sort_columns(request, sort, _("Муниципальное образование")),
        },
    )


@login_required
@require_GET
def campaign_organizations(request, pk, municipality_pk=None):
    """Per organization: all in scope, or those of one municipality (the drill-down)."""
    scope = manager_scope(request)
    campaign = analytics.get_campaign_or_404(scope, pk)
    municipality = None if municipality_pk is None else scope.get_municipality_or_404(municipality_pk)
    rows = analytics.by_organization(campaign, scope, municipality)
    sort = sort_param(request)
    return render(
        request,
        "quizzes/manage/organizations.html",
        {
            **_campaign_context(scope, campaign, "organizations"),
            "municipality": municipality,
            "rows": analytics.sort_rows(rows, sort),
            "total": analytics.total_row(rows),
            "columns": sort_columns(request, sort, _("Организация")),
        },
    )


@login_required
@require_GET
def campaign_people(request, pk, municipality_pk=None, organization_pk=None):
    scope = manager_scope(request)
    campaign = analytics.get_campaign_or_404(scope, pk)
    municipality = None if municipality_pk is None else scope.get_municipality_or_404(municipality_pk)
    organization = None if organization_pk is None else get_organization_or_404(scope, organization_pk)
    people = analytics.participants(campaign, scope, municipality=municipality, organization=organization)
    sort = request.GET.get("sort", "name")
    if sort == "-result":
        people = people.order_by(F("result_percent").desc(nulls_last=True), "last_name", "pk")
    elif sort == "result":
        people = people.order_by(F("result_percent").asc(nulls_last=True), "last_name", "pk")
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    for person in page.object_list:
        person.state = analytics.state_of(person)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "quizzes/manage/people.html",
        {
            **_campaign_context(scope, campaign, "people"),
            "municipality": municipality,
            "organization": organization,
            "page": page,
            "sort": sort,
            "query": query.urlencode(),
        },
    )


@login_required
@require_GET
def item_analysis(request, pk):
    scope = manager_scope(request)
    campaign = analytics.get_campaign_or_404(scope, pk)
    items = analytics.item_analysis(campaign, scope)
    sort = request.GET.get("sort", "facility")
    if sort in ("facility", "-facility", "discrimination", "-discrimination"):
        name = sort.lstrip("-")
        present = [item for item in items if getattr(item, name) is not None]
        missing = [item for item in items if getattr(item, name) is None]
        items = sorted(present, key=lambda item: getattr(item, name), reverse=sort.startswith("-")) + missing
    return render(
        request,
        "quizzes/manage/items.html",
        {**_campaign_context(scope, campaign, "items"), "items": items, "sort": sort},
    )


@login_required
@require_GET
def weak_topics(request, pk):
    scope = manager_scope(request)
    campaign = analytics.get_campaign_or_404(scope, pk)
    table = analytics.topic_table(campaign, scope)
    return render(
        request,
        "quizzes/manage/topics.html",
        {
            **_campaign_context(scope, campaign, "topics"),
            "table": table,
            "weakest": table.rows[:WEAKEST_TOPICS],
        },
    )


@login_required
@require_GET
def export_municipalities(request, pk):
    """The per-municipality table as CSV (UTF-8 with BOM, semicolons: opens as is in Excel).

    Counts per municipality, nobody named: not a personal-data export, so a plain GET, not audited."""
    scope = manager_scope(request)
    campaign = analytics.get_campaign_or_404(scope, pk)
    rows = analytics.sort_rows(analytics.by_municipality(campaign, scope), sort_param(request))
    header = [_("Муниципальное образование"), *(label for _name, label in COLUMNS[1:])]
    table = [
        [
            row.name,
            row.expected,
            row.started,
            row.finished,
            row.passed,
            None if row.average is None else number_format(row.average, 1),
            None if row.participation is None else number_format(row.participation, 1),
        ]
        for row in [*rows, analytics.total_row(rows)]
    ]
    response = HttpResponse(csv_bytes(header, table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-municipalities.csv"'
    return response


@login_required
@require_GET
def monitor(request, pk):
    """The live monitor; the numbers are rendered here and refreshed over a WebSocket by monitor.js."""
    scope = manager_scope(request)
    campaign = analytics.get_campaign_or_404(scope, pk)
    view = MonitorView(campaign, scope)
    expected = {row.key: row.expected for row in analytics.by_municipality(campaign, scope)}
    rows = view.rows(analytics.live_counters(campaign.pk))
    for row in rows:
        if row["key"] == "total":
            row["expected"] = sum(expected.values())
        else:
            row["expected"] = expected.get(None if row["key"] == "none" else int(row["key"]), 0)
    return render(
        request,
        "quizzes/manage/monitor.html",
        {
            **_campaign_context(scope, campaign, "monitor"),
            "rows": rows,
            "socket_path": f"/ws/tests/campaigns/{campaign.pk}/monitor/",
        },
    )
