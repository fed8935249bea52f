"""Test data builders for events (plain functions, no magic)."""

import datetime
import itertools

from django.utils import timezone

from cms.models import HomePage
from cms.moderation import ensure_moderation
from people.factories import make_person
from people.roles import Role

from .models import EventIndexPage, EventPage

_counter = itertools.count(1)


def make_event_index(home=None):
    home = home or HomePage.objects.first()
    index = EventIndexPage.objects.child_of(home).first()
    if index is None:
        index = EventIndexPage(title="Семинары и мероприятия", slug="events")
        home.add_child(instance=index)
    return index


def make_event(index=None, start=None, duration=datetime.timedelta(hours=2), **fields):
    """A live event page; by default a week from now, two hours long, without a seat limit."""
    n = next(_counter)
    index = index or make_event_index()
    start = start or timezone.now() + datetime.timedelta(days=7)
    fields.setdefault("title", f"Семинар по вопросам противодействия коррупции {n}")
    fields.setdefault("slug", f"seminar-{n}")
    event = EventPage(start=start, end=start + duration, **fields)
    index.add_child(instance=event)
    return event


def make_organizer(**fields):
    """A person with the role «Организаторы мероприятий»: sees every event's people, moderates."""
    return make_person(role=Role.ORGANIZER, **fields)


def make_writing_trainer(**fields):
    """A trainer with the real page rights of trainers (add + change under the events index)."""
    make_event_index()
    ensure_moderation()
    return make_person(role=Role.TRAINER, **fields)
