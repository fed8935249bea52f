"""Attendance of an event per municipality, personal check-ins and broadcast rooms together.

A person can be counted two ways: they checked in personally with the event's code, and the
coordinator of a broadcast room also named them among the room's participants. The totals here count
such a person once. For municipality *M*::

    personal(M) = people of M who checked in personally
    room(M)     = max(head_count, number of named participants) of M's room (0 without a room)
    overlap(M)  = named participants of M's room who also checked in personally
    total(M)    = personal(M) + room(M) - overlap(M)

``max`` because the head count includes the named people, and a coordinator who named more people
than they counted has under-counted. ``overlap`` is subtracted in the room's municipality even when
the person belongs to another one (a settlement's servant in the district's room), so each
municipality's total may shift by such people, but the sum over all municipalities never counts a
person twice. What cannot be seen is a person who checked in personally and sat in a room without
being named: the room's head count includes them. A person may be named in one room only (the room
form refuses a second one).

Everything is computed in the database with one query (correlated subqueries per municipality).
"""

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest

from people.models import Municipality

from .models import Attendance, BroadcastRoom

ParticipantLink = BroadcastRoom.participants.through


def _count(queryset, group_by):
    """A subquery counting the rows of ``queryset`` (filtered on one outer row), 0 when none."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def attendance_by_municipality(event, municipalities=None):
    """Municipalities that had anyone at ``event``, each annotated with the figures of the formula above.

    ``municipalities`` narrows the result (pass ``Scope.municipalities()`` for a manager). Each row
    has ``personal``, ``head_count``, ``named``, ``room_counted``, ``overlap`` and ``total``.
    """
    municipalities = Municipality.objects.all() if municipalities is None else municipalities
    room = BroadcastRoom.objects.filter(event=event, municipality=OuterRef("pk"))
    links = ParticipantLink.objects.filter(
        broadcastroom__event=event, broadcastroom__municipality=OuterRef("pk")
    )
    checked_in = Attendance.objects.filter(event=event, user=OuterRef("user"))

    personal = _count(
        Attendance.objects.filter(event=event, user__municipality=OuterRef("pk")), "user__municipality"
    )
    head_count = Coalesce(Subquery(room.values("head_count")[:1]), Value(0))
    named = _count(links, "broadcastroom__municipality")
    overlap = _count(links.filter(Exists(checked_in)), "broadcastroom__municipality")
    return (
        municipalities.annotate(
            personal=personal,
            has_room=Exists(room),
            head_count=head_count,
            named=named,
            overlap=overlap,
        )
        .annotate(room_counted=Greatest("head_count", "named"))
        .annotate(total=F("personal") + F("room_counted") - F("overlap"))
        .filter(Q(personal__gt=0) | Q(has_room=True))
        .order_by("name")
    )


def attendance_total(event):
    """Everyone at ``event`` counted once, people without a municipality (regional bodies) included.

    The same formula over the whole event: all personal check-ins, plus every room's
    ``max(head_count, named)``, minus the named participants who also checked in.
    """
    personal = Attendance.objects.filter(event=event).count()
    named = _count(ParticipantLink.objects.filter(broadcastroom=OuterRef("pk")), "broadcastroom")
    rooms = (
        BroadcastRoom.objects.filter(event=event)
        .annotate(named=named)
        .annotate(counted=Greatest("head_count", "named"))
        .aggregate(total=Coalesce(Sum("counted"), Value(0)))["total"]
    )
    overlap = (
        ParticipantLink.objects.filter(broadcastroom__event=event)
        .filter(Exists(Attendance.objects.filter(event=event, user=OuterRef("user"))))
        .count()
    )
    return personal + rooms - overlap


def attendance_summary(event, municipalities=None):
    """Rows per municipality and their sum; with no narrowing also people without a municipality."""
    rows = list(attendance_by_municipality(event, municipalities))
    summary = {"rows": rows, "without_municipality": None, "total": sum(row.total for row in rows)}
    if municipalities is None:
        summary["without_municipality"] = Attendance.objects.filter(
            event=event, user__municipality__isnull=True
        ).count()
        summary["total"] += summary["without_municipality"]
    return summary
