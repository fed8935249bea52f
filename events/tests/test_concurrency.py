"""Seats under concurrent requests (PostgreSQL only: SQLite serializes writers by itself)."""

import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from cms.models import HomePage
from events import services
from events.factories import make_event, make_event_index
from events.models import Registration
from people.factories import make_person

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]

Status = Registration.Status


@pytest.fixture
def index():
    """The events index; a transactional test before this one may have flushed the page tree."""
    home = HomePage.objects.first()
    if home is None:
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=HomePage(title="Антикор: обучение", slug="home"))
    return make_event_index(home)


def run_at_once(actions):
    barrier = threading.Barrier(len(actions))
    errors = []

    def worker(action):
        try:
            barrier.wait()
            action()
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_many_people_for_the_last_seats_at_once(index):
    event = make_event(index, capacity=3)
    people = [make_person() for _ in range(12)]
    run_at_once([lambda person=person: services.register(event, person) for person in people])
    registrations = Registration.objects.filter(event=event)
    assert registrations.filter(status=Status.REGISTERED).count() == 3
    positions = sorted(registrations.filter(status=Status.WAITLISTED).values_list("position", flat=True))
    assert positions == list(range(1, 10))


def test_cancellations_at_once_promote_each_waiting_person_once(index):
    event = make_event(index, capacity=4)
    people = [make_person() for _ in range(8)]
    registrations = [services.register(event, person) for person in people]
    run_at_once([lambda r=r: services.cancel(r) for r in registrations[:4]])
    statuses = dict(Registration.objects.filter(event=event).values_list("user", "status"))
    assert [statuses[p.pk] for p in people] == [Status.CANCELLED] * 4 + [Status.REGISTERED] * 4
