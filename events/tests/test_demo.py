"""The demo builder: the seminars of 2017–2018 and an upcoming one, idempotent."""

import io

import pytest
from django.utils import timezone

from events.attendance import attendance_total
from events.demo import BROADCAST_SLUG, MOSCOW, TARGETED_SLUG, build_demo_events
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
    events = {event.slug: event for event in EventPage.objects.live().exclude(slug=TARGETED_SLUG)}
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
    assert EventPage.objects.count() == 6  # the five of the report and the seminar for HR services
    assert not BroadcastRoom.objects.exists()


def test_a_seminar_for_hr_services_with_its_audience_once():
    """Issue 18: a targeted seminar held a week ago, with invitations, registrations, check-ins and
    feedback; a rerun adds nothing."""
    from events.models import EventFeedback, EventInvitation

    town = make_municipality("Городской округ «Город Обнинск»")
    hr_people = [make_person(municipality=town, is_hr_service=True, username=f"hr{n}") for n in range(12)]
    make_person(municipality=town, username="not-hr")
    out = io.StringIO()
    build_demo_events(out, {})
    event = EventPage.objects.get(slug=TARGETED_SLUG)
    assert event.registration_limited and event.has_ended()
    assert set(event.expected_participants()) == set(hr_people)
    assert set(EventInvitation.objects.filter(event=event).values_list("user", flat=True)) == {
        person.pk for person in hr_people
    }
    assert 0 < Registration.objects.filter(event=event).count() <= 12
    assert (
        0 < Attendance.objects.filter(event=event).count() <= Registration.objects.filter(event=event).count()
    )
    assert EventFeedback.objects.filter(event=event).exists()
    assert "Семинар для аудитории" in out.getvalue()
    counts = (
        EventInvitation.objects.count(),
        Registration.objects.count(),
        Attendance.objects.count(),
        EventFeedback.objects.count(),
    )
    build_demo_events(io.StringIO(), {})
    assert counts == (
        EventInvitation.objects.count(),
        Registration.objects.count(),
        Attendance.objects.count(),
        EventFeedback.objects.count(),
    )
