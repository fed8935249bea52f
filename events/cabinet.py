"""The "Мои мероприятия" section of the personal cabinet (registered in ``EventsConfig.ready``)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Registration


def my_events_section(request):
    """Upcoming events the person is registered or waitlisted for; nothing when there are none."""
    if not request.user.is_authenticated:
        return None
    registrations = list(
        Registration.objects.active()
        .filter(user=request.user, event__live=True, event__end__gt=timezone.now())
        .select_related("event")
        .order_by("event__start")
    )
    if not registrations:
        return None
    return {
        "title": _("Мои мероприятия"),
        "template": "events/cabinet_section.html",
        "registrations": registrations,
    }
