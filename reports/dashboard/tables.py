"""Dashboard tables (registered with reports.tables.register_table).

The dashboard pages and the exports build the same :class:`~reports.tables.Table` from a
:class:`~reports.tables.ReportRequest`: the scope comes from the requesting user, the period and the
drill-down from the request's parameters (``municipality``: an id or ``regional``; ``organization``:
an id or ``none``). An id outside the scope, or an organization outside the chosen municipality, is
"not found". Rows carry ``id`` (the group key, used for links) besides the columns.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.models import Organization, User, name_sort_key
from quizzes.analytics.participation import NO_MUNICIPALITY
from quizzes.analytics.participation import NO_ORGANIZATION as NO_ORGANIZATION_LABEL

from ..tables import Column, ReportRequest, Table, register_table
from . import figures
from .slices import REGIONAL, Grouping, Slice, municipality_param, organization_param

COUNTS = [
    ("people", gettext_lazy("Людей")),
    ("enrolled", gettext_lazy("Записей на курсы")),
    ("completed", gettext_lazy("Курсов завершено")),
    ("trained", gettext_lazy("Обучено, чел.")),
    ("overdue", gettext_lazy("Просрочено назначений")),
    ("expected", gettext_lazy("Ожидалось в тестированиях")),
    ("started", gettext_lazy("Начали тест")),
    ("finished", gettext_lazy("Завершили тест")),
    ("passed", gettext_lazy("Сдали тест")),
    ("average", gettext_lazy("Средний результат, %")),
    ("participation", gettext_lazy("Участие в тестировании, %")),
    ("personal", gettext_lazy("Семинары: лично")),
    ("rooms", gettext_lazy("Семинары: в залах трансляции")),
    ("attended", gettext_lazy("Семинары: всего")),
]
SUMMED = ["people", "enrolled", "completed", "trained", "overdue", "expected", "started", "finished"]
SUMMED += ["passed", "personal", "rooms", "attended"]


def _columns(first, *, extra=(), skip=()):
    columns = [Column("name", str(first)), *extra]
    columns += [Column(key, str(label), numeric=True) for key, label in COUNTS if key not in skip]
    return columns


def _slice(request, grouping):
    """The slice of a report request: its user's scope narrowed by the request's parameters
    (``organization`` only for the people table: the others group by it or above it)."""
    scope = request.scope
    if scope.is_empty:
        raise PermissionDenied
    municipality = municipality_param(scope, request.params.get("municipality"))
    organization = organization_param(scope, request.params.get("organization"), municipality)
    return Slice(scope, grouping, municipality, organization if grouping == Grouping.PERSON else None)


def collect(slice_, period):
    """``{group_key: {figure: value}}`` with every figure of the dashboard (a fixed number of queries)."""
    merged = {}
    parts = [
        figures.people(slice_),
        figures.courses(slice_, period),
        figures.campaigns(slice_, figures.campaigns_in(period)),
        figures.attendance(slice_, period),
    ]
    for part in parts:
        for key, values in part.items():
            merged.setdefault(key, {}).update(values)
    return merged


def _row(key, name, values):
    row = {"id": key, "name": name}
    for column, _label in COUNTS:
        row[column] = values.get(column, 0)
    row["average"] = figures.average(values)
    row["participation"] = figures.percent(row["finished"], row["expected"])
    row["percent_sum"] = values.get("percent_sum", 0)
    row["percent_count"] = values.get("percent_count", 0)
    return row


def total(rows):
    footer = {"name": _("Итого")}
    for key in [*SUMMED, "percent_sum", "percent_count"]:
        footer[key] = sum(row.get(key) or 0 for row in rows)
    footer["average"] = figures.average(footer)
    footer["participation"] = figures.percent(footer["finished"], footer["expected"])
    return footer


def _by_name(rows):
    return sorted(rows, key=lambda row: (row["id"] is None, name_sort_key(row["name"])))


@register_table("municipalities", gettext_lazy("Сводка по муниципальным образованиям"))
def municipalities_table(request: ReportRequest) -> Table:
    slice_ = _slice(request, Grouping.DISTRICT)
    merged = collect(slice_, request.period)
    scope = slice_.scope
    in_scope = scope.municipalities().in_bulk()
    names = {pk: str(m) for pk, m in in_scope.items()}
    names[None] = str(NO_MUNICIPALITY)
    # Every municipality of the table's level shows, with zeros when nothing happened there.
    for pk, municipality in in_scope.items():
        top_level = municipality.parent_id is None or pk in scope.municipality_ids
        chosen = slice_.municipality
        if top_level and (chosen is None or (chosen != REGIONAL and chosen.pk == pk)):
            merged.setdefault(pk, {})
    rows = _by_name(_row(key, names.get(key, ""), values) for key, values in merged.items())
    return Table(
        title=str(_("Сводка по муниципальным образованиям")),
        columns=_columns(_("Муниципальное образование")),
        rows=rows,
        footer=total(rows),
    )


@register_table("organizations", gettext_lazy("Сводка по организациям"))
def organizations_table(request: ReportRequest) -> Table:
    slice_ = _slice(request, Grouping.ORGANIZATION)
    merged = collect(slice_, request.period)
    # Every organization of the municipality shows, with zeros when nothing happened there.
    organizations = slice_.narrow(Organization.objects.all()).select_related("municipality")
    names = {}
    for organization in organizations:
        names[organization.pk] = (str(organization), str(organization.municipality or ""))
        merged.setdefault(organization.pk, {})
    names[None] = (str(NO_ORGANIZATION_LABEL), "")
    rows = []
    for key, values in merged.items():
        name, municipality = names.get(key, ("", ""))
        row = _row(key, name, values)
        row["municipality"] = municipality
        rows.append(row)
    rows = _by_name(rows)
    return Table(
        title=str(_("Сводка по организациям")),
        columns=_columns(
            _("Организация"), extra=[Column("municipality", str(_("Муниципальное образование")))]
        ),
        rows=rows,
        footer=total(rows),
    )


@register_table("people", gettext_lazy("Слушатели"), personal=True)
def people_table(request: ReportRequest) -> Table:
    slice_ = _slice(request, Grouping.PERSON)
    merged = collect(slice_, request.period)
    people = slice_.narrow(User.objects.all()).values_list(
        "pk",
        "last_name",
        "first_name",
        "patronymic",
        "username",
        "is_active",
        "position",
        "organization__name",
        "organization__short_name",
    )
    rows = []
    for pk, last, first, patronymic, username, active, position, org_name, org_short in people:
        values = merged.get(pk)
        if values is None and not active:
            continue
        row = _row(pk, " ".join(p for p in (last, first, patronymic) if p) or username, values or {})
        row["position"] = position
        row["organization"] = org_short or org_name or ""
        rows.append(row)
    rows = _by_name(rows)
    return Table(
        title=str(_("Слушатели")),
        columns=_columns(
            _("ФИО"),
            extra=[
                Column("organization", str(_("Организация"))),
                Column("position", str(_("Должность"))),
            ],
            skip=("people", "trained", "participation"),
        ),
        rows=rows,
        footer=total(rows),
        personal=True,
    )


def organization_name(organization):
    """The heading of an organization parameter (an Organization or "none")."""
    if isinstance(organization, Organization):
        return str(organization)
    return str(NO_ORGANIZATION_LABEL)
