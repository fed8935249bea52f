"""«Мой кабинет»: invitations to events not yet registered for, and feedback after events (issue 18).

Registered in ``EventsConfig.ready`` as two sections of their own, after «Мои мероприятия».
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from . import feedback
from .models import EventPage, Registration


def invitations_section(request):
    """Upcoming events the person is invited to and not registered for, each with its register button."""
    user = request.user
    if not user.is_authenticated:
        return None
    now = timezone.now()
    active = Registration.objects.active().filter(user=user).values("event_id")
    events = list(
        EventPage.objects.live()
        .filter(invitations__user=user, end__gt=now)
        .exclude(pk__in=active)
        .distinct()
        .order_by("start")
    )
    if not events:
        return None
    for event in events:
        event.open_to_me = event.accepts_registrations(now) and event.admits(user)
    return {
        "title": _("Приглашения на мероприятия"),
        "template": "events/cabinet_invitations.html",
        "events": events,
    }


def feedback_section(request):
    """Ended events where the person may leave (or change) feedback, most recent first."""
    user = request.user
    if not user.is_authenticated:
        return None
    events = feedback.waiting_for(user)
    if not events:
        return None
    return {
        "title": _("Отзывы о мероприятиях"),
        "template": "events/cabinet_feedback.html",
        "events": events,
        "closes": {event.pk: feedback.closes_at(event) for event in events},
    }
