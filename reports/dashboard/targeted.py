"""Seminars for a defined audience on the dashboard (issue 18): expected against attended per event.

The events with an audience (``EventPage.audience``) that start in the period, each with the figures
of :func:`events.targeting.audience_attendance` within the manager's scope: a municipal manager sees
the people of their municipality only (an event with nobody of it expected or present is left out).
"""

from events.models import EventPage
from events.targeting import audience_attendance

from .figures import bounds


def targeted_events(scope, period):
    """``[AudienceAttendance]`` of the live events with an audience starting in ``period``, by start."""
    start, end = bounds(period)
    events = (
        EventPage.objects.live()
        .filter(audience__isnull=False, start__gte=start, start__lt=end)
        .select_related("audience")
        .order_by("start", "pk")
    )
    found = []
    for event in events:
        summary = audience_attendance(event, scope)
        if summary is not None and not summary.is_empty:
            found.append(summary)
    return found
