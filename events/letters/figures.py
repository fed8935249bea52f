"""Counts of letters to municipalities, for the managers' pages and the plan report (methodological help
to municipalities). Everything goes through the viewer's Scope on the recipient's municipality when the
letter was sent; settlements are rolled up into their district.

``letters_with_counts(scope)`` is the managers' list (each letter with its recipients in the scope and how
many of them acknowledged); ``recipient_status(scope, letter)`` the rows of a letter's status page grouped
by district. ``letter_figures(scope, start, end)`` gives the totals and the rows per top-level municipality:
letters sent within the days ``start``..``end`` that reached the scope, their recipients, and how many
of those acknowledged by the day after ``end``. The plan report (item 1.3, ``reports.plan.figures``)
reads the same rows through :func:`sent_in` and :func:`acknowledged_by` to group them its own way (per
organization too).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from people.models import Municipality, name_sort_key

from ..models import LetterRecipient
from .access import letters_in, recipients_in


def period_bounds(start, end):
    return (
        timezone.make_aware(datetime.datetime.combine(start, datetime.time.min)),
        timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)),
    )


@dataclass
class LetterRow:
    key: object
    name: str
    letters: int = 0
    recipients: int = 0
    acknowledged: int = 0

    @property
    def waiting(self):
        return self.recipients - self.acknowledged


@dataclass
class LetterFigures:
    letters: int = 0
    recipients: int = 0
    acknowledged: int = 0
    by_municipality: list = field(default_factory=list)

    @property
    def waiting(self):
        return self.recipients - self.acknowledged


def acknowledged_by(end_at):
    """A condition on recipient rows: acknowledged before ``end_at`` (an aware datetime)."""
    return Q(acknowledgement__isnull=False, acknowledgement__acknowledged_at__lt=end_at)


def sent_in(scope, start, end):
    """Recipient rows (:class:`LetterRecipient`) of the scope of the letters sent within the days
    ``start``..``end``."""
    start_at, end_at = period_bounds(start, end)
    return recipients_in(scope).filter(letter__sent_at__gte=start_at, letter__sent_at__lt=end_at)


def letter_figures(scope, start, end):
    """Letters sent within ``start``..``end`` (dates) to the scope: totals and per top-level municipality."""
    _start_at, end_at = period_bounds(start, end)
    rows = sent_in(scope, start, end)
    totals = rows.aggregate(
        letters=Count("letter", distinct=True),
        recipients=Count("pk"),
        acknowledged=Count("pk", filter=acknowledged_by(end_at)),
    )
    per_district = {
        row["district"]: row
        for row in rows.annotate(district=Coalesce(F("municipality__parent_id"), F("municipality_id")))
        .values("district")
        .order_by()
        .annotate(
            letters=Count("letter", distinct=True),
            recipients=Count("pk"),
            acknowledged=Count("pk", filter=acknowledged_by(end_at)),
        )
    }
    ids = {m.parent_id or m.pk for m in scope.municipalities().only("pk", "parent_id")}
    municipalities = sorted(
        ((m.pk, str(m)) for m in Municipality.objects.filter(pk__in=ids)),
        key=lambda row: name_sort_key(row[1]),
    )
    by_municipality = [
        LetterRow(
            pk,
            name,
            per_district.get(pk, {}).get("letters", 0),
            per_district.get(pk, {}).get("recipients", 0),
            per_district.get(pk, {}).get("acknowledged", 0),
        )
        for pk, name in municipalities
    ]
    return LetterFigures(totals["letters"], totals["recipients"], totals["acknowledged"], by_municipality)


def acknowledgement_table(scope, letter):
    """Per top-level municipality of ``letter``'s recipients in ``scope``: recipients and acknowledged."""
    rows = (
        recipients_in(scope, letter)
        .annotate(district=Coalesce(F("municipality__parent_id"), F("municipality_id")))
        .values("district")
        .order_by()
        .annotate(recipients=Count("pk"), acknowledged=Count("pk", filter=Q(acknowledgement__isnull=False)))
    )
    counts = {row["district"]: row for row in rows}
    names = {m.pk: str(m) for m in Municipality.objects.filter(pk__in=[k for k in counts if k])}
    table = [
        LetterRow(key, names.get(key, "—"), 1, row["recipients"], row["acknowledged"])
        for key, row in counts.items()
    ]
    return sorted(table, key=lambda row: name_sort_key(row.name))


def _count_in(scope, condition=None):
    """Per letter (``OuterRef("pk")``): its recipients in ``scope`` meeting ``condition``, 0 for none."""
    rows = recipients_in(scope).filter(letter=OuterRef("pk"))
    if condition is not None:
        rows = rows.filter(condition)
    counted = rows.order_by().values("letter").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted), 0)


def letters_with_counts(scope):
    """The letters that reached ``scope``, newest first, each with ``in_scope`` (its recipients in the
    scope) and ``acknowledged`` (of those, how many pressed «Ознакомлен») — the one scope rule of
    :func:`~.access.recipients_in`."""
    return (
        letters_in(scope)
        .select_related("material")
        .annotate(
            in_scope=_count_in(scope),
            acknowledged=_count_in(scope, Q(acknowledgement__isnull=False)),
        )
        .order_by("-sent_at", "-pk")
    )


def acknowledgement_of(recipient):
    """The recipient row's :class:`~events.models.LetterAcknowledgement`, or ``None``."""
    try:
        return recipient.acknowledgement
    except LetterRecipient.acknowledgement.RelatedObjectDoesNotExist:
        return None


@dataclass
class RecipientStatus:
    groups: list  # (district's name, its recipient rows): waiting first, then by name
    total: int
    acknowledged: int

    @property
    def waiting(self):
        return self.total - self.acknowledged


def recipient_status(scope, letter):
    """The recipients of ``letter`` in ``scope`` grouped by top-level municipality (settlements within
    their district), each row with ``acknowledged_at``, ``reminder_count`` and ``last_reminded``."""
    rows = list(
        recipients_in(scope, letter)
        .select_related("user", "organization", "municipality__parent", "acknowledgement")
        .annotate(
            reminder_count=Count("reminders", distinct=True), last_reminded=Max("reminders__created_at")
        )
    )
    for row in rows:
        row.acknowledged_at = getattr(acknowledgement_of(row), "acknowledged_at", None)
        district = (
            row.municipality.parent if row.municipality and row.municipality.parent_id else row.municipality
        )
        row.district = str(district) if district else "—"
    rows.sort(key=lambda row: (row.district.lower(), row.acknowledged_at is not None, str(row.user).lower()))
    groups = {}
    for row in rows:
        groups.setdefault(row.district, []).append(row)
    acknowledged = sum(1 for row in rows if row.acknowledged_at is not None)
    return RecipientStatus(sorted(groups.items(), key=lambda item: item[0].lower()), len(rows), acknowledged)
