"""The demo builder: the seminars of 2017–2018 and an upcoming one, idempotent."""

import io

import pytest
from django.utils import timezone

from events.attendance import attendance_total
from events.demo import BROADCAST_SLUG, MOSCOW, build_demo_events
from events.models import Attendance, BroadcastRoom, EventIndexPage, EventPage, Registration
from people.demo import registered_builders
from people.factories import make_municipality, make_person
from people.models import Municipality

pytestmark = pytest.mark.django_db


def test_builder_is_registered_for_demo_data():
    assert build_demo_events in registered_builders()


def test_builds_the_seminars_and_rooms_once():
    districts = [make_municipality(f"Муниципальный район «Район {n}»") for n in range(3)]
    make_municipality(
        "Сельское поселение «Село»", kind=Municipality.Kind.RURAL_SETTLEMENT, parent=districts[0]
    )
    for district in districts:
        for n in range(4):
            make_person(municipality=district, username=f"demo-{district.pk}-{n}")
    for n in range(3):
        make_person(username=f"servant{n:05d}")

    out = io.StringIO()
    build_demo_events(out, {})
    assert "создано 5" in out.getvalue()
    assert EventIndexPage.objects.count() == 1
    events = {event.slug: event for event in EventPage.objects.live()}
    assert len(events) == 5

    broadcast = events[BROADCAST_SLUG]
    assert broadcast.title.startswith(
        "Семинар с муниципальными служащими по вопросам противодействия коррупции"
    )
    assert broadcast.has_broadcast
    assert broadcast.start.astimezone(MOSCOW).strftime("%Y-%m") == "2017-04"
    organizations = {speaker.organization for speaker in broadcast.speakers.all()}
    assert "Управление Федеральной антимонопольной службы по Калужской области" in organizations
    assert "Прокуратура Калужской области" in organizations
    # Rooms in districts only (not in settlements), some people named and also checked in.
    assert set(BroadcastRoom.objects.values_list("municipality", flat=True)) == {d.pk for d in districts}
    assert Attendance.objects.filter(event=broadcast).exists()
    heads = sum(BroadcastRoom.objects.values_list("head_count", flat=True))
    assert attendance_total(broadcast) == heads

    december = next(
        e for e in events.values() if e.start.astimezone(MOSCOW).date().isoformat() == "2017-12-07"
    )
    assert "Международному дню борьбы с коррупцией" in december.title

    upcoming = [e for e in events.values() if e.end > timezone.now()]
    assert len(upcoming) == 1 and upcoming[0].accepts_registrations()
    assert Registration.objects.filter(event=upcoming[0]).count() == 3

    snapshot = (
        EventPage.objects.count(),
        BroadcastRoom.objects.count(),
        Attendance.objects.count(),
        Registration.objects.count(),
    )
    again = io.StringIO()
    build_demo_events(again, {})
    assert "создано 0, уже были 5" in again.getvalue()
    assert snapshot == (
        EventPage.objects.count(),
        BroadcastRoom.objects.count(),
        Attendance.objects.count(),
        Registration.objects.count(),
    )


def test_without_municipalities_there_are_no_rooms():
    build_demo_events(io.StringIO(), {})
    assert EventPage.objects.count() == 5
    assert not BroadcastRoom.objects.exists()
