"""Attendance of an event's audience: expected participants against those who came, per municipality.

For an event with an audience (issue 18), per top-level municipality (a settlement's people count in
their district, as on the dashboard) and, for the whole region, the regional bodies::

    expected   = active members of the audience (leavers excluded, as for campaigns)
    registered = of the expected, those with a seat (not the waiting list, not cancelled)
    attended   = of the expected, those checked in personally or named in a broadcast room's report
    others     = people known by name to have attended who are not in the audience

Only people known by name can be matched against the audience: a broadcast room's unnamed heads are
not (they are in the event's total on the attendance page). Everything is narrowed to the viewer's
scope: a municipal manager sees the rows of their municipality only.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from people.models import Municipality, User, name_sort_key
from quizzes.analytics.sittings import district

from .models import Attendance, BroadcastRoom

ONE_DECIMAL = Decimal("0.1")
REGIONAL_BODIES = _("Областные органы")
FIGURES = ("expected", "registered", "attended", "others")


def percent(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def present_condition(event, prefix=""):
    """People checked in personally at ``event`` or named among a broadcast room's participants."""
    links = BroadcastRoom.participants.through.objects.filter(broadcastroom__event=event)
    return Q(**{f"{prefix}pk__in": Attendance.objects.filter(event=event).values("user_id")}) | Q(
        **{f"{prefix}pk__in": links.values("user_id")}
    )


@dataclass
class Row:
    key: int | None
    name: str
    expected: int = 0
    registered: int = 0
    attended: int = 0
    others: int = 0

    @property
    def attended_percent(self):
        return percent(self.attended, self.expected)


@dataclass
class AudienceAttendance:
    event: object
    rows: list = field(default_factory=list)
    total: Row = None

    @property
    def is_empty(self):
        return not self.total.expected and not self.total.others


def audience_attendance(event, scope):
    """:class:`AudienceAttendance` of ``event`` within ``scope``; None when the event has no audience."""
    if event.audience_id is None:
        return None
    expected = scope.people(event.expected_participants())
    present = present_condition(event)
    registered = Q(pk__in=event.registrations.registered().values("user_id"))
    rows = {}
    grouped = (
        expected.annotate(row_key=district())
        .values("row_key")
        .annotate(
            expected=Count("pk"),
            registered=Count("pk", filter=registered),
            attended=Count("pk", filter=present),
        )
        .order_by()
    )
    for values in grouped:
        rows[values.pop("row_key")] = values
    others = (
        scope.people(User.objects.filter(present))
        .exclude(pk__in=expected.values("pk"))
        .annotate(row_key=district())
        .values("row_key")
        .annotate(others=Count("pk"))
        .order_by()
    )
    for values in others:
        rows.setdefault(values["row_key"], {})["others"] = values["others"]
    names = {pk: str(m) for pk, m in Municipality.objects.in_bulk([key for key in rows if key]).items()}
    result = [
        Row(key, names.get(key, "") if key is not None else str(REGIONAL_BODIES), **values)
        for key, values in rows.items()
    ]
    result.sort(key=lambda row: (row.key is None, name_sort_key(row.name)))
    total = Row(None, "")
    for row in result:
        for name in FIGURES:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return AudienceAttendance(event, result, total)
