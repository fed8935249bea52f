"""Counts of consultations for the managers' overview and the plan report (item 1.3).

A question counts where it was asked from: its municipality (settlements rolled up into their
district), taken from the asker's profile when asking. Everything goes through the viewer's Scope.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from people.models import Municipality, name_sort_key

from ..models import Consultation, ConsultationTopic


def period_bounds(start, end):
    """Aware datetimes ``[start, end)`` covering the days ``start``..``end`` in the site's time zone."""
    return (
        timezone.make_aware(datetime.datetime.combine(start, datetime.time.min)),
        timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)),
    )


def in_scope(scope):
    return scope.filter(Consultation.objects.all(), "municipality")


def asked_in(scope, start, end):
    """Questions of the scope asked within the days ``start``..``end``."""
    return in_scope(scope).asked_between(*period_bounds(start, end))


def district():
    return Coalesce(F("municipality__parent_id"), F("municipality_id"))


@dataclass
class CountRow:
    key: object
    name: str
    asked: int = 0
    answered: int = 0
    open: int = 0
    overdue: int = 0


@dataclass
class Overview:
    by_municipality: list = field(default_factory=list)
    by_topic: list = field(default_factory=list)
    total: CountRow = None


def _counts(queryset, key, today):
    return {
        row["row_key"]: row
        for row in queryset.annotate(row_key=key)
        .values("row_key")
        .order_by()
        .annotate(
            asked=Count("pk"),
            answered=Count("pk", filter=Q(first_answered_at__isnull=False)),
            open=Count("pk", filter=Q(state=Consultation.State.OPEN)),
            overdue=Count("pk", filter=Q(state=Consultation.State.OPEN, due_on__lt=today)),
        )
    }


def _row(key, name, counts):
    values = counts.get(key, {})
    return CountRow(key, name, *(values.get(name, 0) for name in ("asked", "answered", "open", "overdue")))


def overview(scope, start, end, today=None, no_municipality_label=""):
    """Counts per top-level municipality and per topic of the questions asked in the period."""
    today = today or timezone.localdate()
    questions = asked_in(scope, start, end)
    per_municipality = _counts(questions, district(), today)
    per_topic = _counts(questions, F("topic_id"), today)
    ids = {m.parent_id or m.pk for m in scope.municipalities().only("pk", "parent_id")}
    municipalities = sorted(
        ((m.pk, str(m)) for m in Municipality.objects.filter(pk__in=ids)),
        key=lambda row: name_sort_key(row[1]),
    )
    rows = [_row(pk, name, per_municipality) for pk, name in municipalities]
    if scope.everything:
        rows.append(_row(None, str(no_municipality_label), per_municipality))
    topics = [_row(topic.pk, topic.name, per_topic) for topic in ConsultationTopic.objects.all()]
    total = CountRow(None, "")
    for row in rows:
        for name in ("asked", "answered", "open", "overdue"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return Overview(rows, topics, total)
