"""Participation over time: per month of the period, what people of a slice finished.

Three series, one GROUP BY query each: test sittings finished in campaigns, courses completed, and
personal check-ins at events.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from courses.models import Enrollment
from events.models import Attendance
from quizzes.models import Sitting

from ..period import Period
from .figures import bounds

SERIES = [
    ("tests", _("Завершили тест")),
    ("courses", _("Завершили курс")),
    ("seminars", _("Отметились на семинаре")),
]
MAX_MONTHS = 36


@dataclass
class Month:
    start: datetime.date
    values: dict


def months_of(period):
    """First days of the months the period touches (at most the last MAX_MONTHS)."""
    months = []
    day = period.start.replace(day=1)
    while day <= period.end:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months[-MAX_MONTHS:]


def _per_month(queryset, field, months):
    """``{month: count}`` in one query: a conditional count per month (plain comparisons, which use
    indexes and need no per-row date function, unlike truncating every row to its month)."""
    aggregates = {}
    for number, month in enumerate(months):
        start, end = _month_bounds(month)
        aggregates[f"m{number}"] = Count("pk", filter=Q(**{f"{field}__gte": start, f"{field}__lt": end}))
    counts = queryset.order_by().aggregate(**aggregates) if aggregates else {}
    return {month: counts[f"m{number}"] or 0 for number, month in enumerate(months)}


def _month_bounds(month):
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return bounds(Period(month, following - datetime.timedelta(days=1)))


def monthly(slice_, period):
    """A :class:`Month` per month of the period with ``{series: count}``."""
    start, end = bounds(period)
    months = months_of(period)
    counts = {
        "tests": _per_month(
            slice_.narrow(
                Sitting.objects.finished().filter(
                    campaign__isnull=False, finished_at__gte=start, finished_at__lt=end
                ),
                "user__",
            ),
            "finished_at",
            months,
        ),
        "courses": _per_month(
            slice_.narrow(
                Enrollment.objects.active().filter(completed_at__gte=start, completed_at__lt=end), "user__"
            ),
            "completed_at",
            months,
        ),
        "seminars": _per_month(
            slice_.narrow(
                Attendance.objects.filter(checked_in_at__gte=start, checked_in_at__lt=end), "user__"
            ),
            "checked_in_at",
            months,
        ),
    }
    return [Month(month, {key: counts[key][month] for key, _label in SERIES}) for month in months]
