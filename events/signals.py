"""When an editor publishes an event with more seats, people on the waiting list move up at once."""

from wagtail.signals import page_published

from .models import EventPage
from .services import promote_waitlisted


def fill_seats_on_publish(sender, instance, **kwargs):
    promote_waitlisted(instance)


def connect():
    page_published.connect(
        fill_seats_on_publish, sender=EventPage, dispatch_uid="events_fill_seats_on_publish"
    )
