"""Attendance per municipality: personal check-ins and broadcast rooms, nobody counted twice."""

import pytest
from django.core.exceptions import PermissionDenied

from events import services
from events.attendance import attendance_by_municipality, attendance_summary, attendance_total
from events.exceptions import NotABroadcast, ParticipantInAnotherRoom
from events.factories import make_event
from events.models import BroadcastRoom, EventPage
from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from people.models import Municipality
from people.scope import Scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    kaluga = make_municipality("Городской округ «Город Калуга»", kind=Municipality.Kind.URBAN_OKRUG)
    borovsk = make_municipality("Муниципальный район «Боровский район»")
    balabanovo = make_municipality(
        "Городское поселение «Город Балабаново»", kind=Municipality.Kind.URBAN_SETTLEMENT, parent=borovsk
    )
    obninsk = make_municipality("Городской округ «Город Обнинск»", kind=Municipality.Kind.URBAN_OKRUG)
    return {"kaluga": kaluga, "borovsk": borovsk, "balabanovo": balabanovo, "obninsk": obninsk}


@pytest.fixture
def event():
    return make_event(format=EventPage.Format.HYBRID)


@pytest.fixture
def coordinator():
    return make_regional_manager()


def people_of(municipality, count):
    organization = make_organization(municipality)
    return [make_person(organization) for _ in range(count)]


def check_in(event, *people):
    for person in people:
        services.check_in(event, person, event.check_in_code, now=event.start)


def figures(event, municipalities=None):
    return {
        row.name: (row.personal, row.room_counted, row.overlap, row.total)
        for row in attendance_by_municipality(event, municipalities)
    }


def test_personal_check_ins_are_counted_by_the_person_s_municipality(region, event):
    check_in(event, *people_of(region["kaluga"], 3), *people_of(region["obninsk"], 1))
    assert figures(event) == {
        region["kaluga"].name: (3, 0, 0, 3),
        region["obninsk"].name: (1, 0, 0, 1),
    }


def test_a_room_counts_its_head_count(region, event, coordinator):
    services.report_room(event, region["borovsk"], coordinator, head_count=10)
    assert figures(event) == {region["borovsk"].name: (0, 10, 0, 10)}


def test_named_participants_within_the_head_count_add_nothing(region, event, coordinator):
    services.report_room(
        event, region["borovsk"], coordinator, head_count=10, participants=people_of(region["borovsk"], 3)
    )
    assert figures(event) == {region["borovsk"].name: (0, 10, 0, 10)}


def test_more_named_than_counted_counts_the_named(region, event, coordinator):
    services.report_room(
        event, region["borovsk"], coordinator, head_count=2, participants=people_of(region["borovsk"], 4)
    )
    assert figures(event) == {region["borovsk"].name: (0, 4, 0, 4)}


def test_named_people_who_also_checked_in_are_counted_once(region, event, coordinator):
    named = people_of(region["kaluga"], 3)
    walk_in = people_of(region["kaluga"], 1)
    check_in(event, named[0], named[1], *walk_in)
    services.report_room(event, region["kaluga"], coordinator, head_count=10, participants=named)
    # 3 personal + 10 in the room - 2 of the room who also checked in
    assert figures(event) == {region["kaluga"].name: (3, 10, 2, 11)}
    assert attendance_total(event) == 11


def test_an_empty_head_count_with_named_people_who_all_checked_in(region, event, coordinator):
    named = people_of(region["obninsk"], 2)
    check_in(event, *named)
    services.report_room(event, region["obninsk"], coordinator, head_count=0, participants=named)
    assert figures(event) == {region["obninsk"].name: (2, 2, 2, 2)}


def test_a_settlement_servant_in_the_district_room_is_counted_once_overall(region, event, coordinator):
    settler = make_person(municipality=region["balabanovo"])
    check_in(event, settler)
    services.report_room(event, region["borovsk"], coordinator, head_count=5, participants=[settler])
    assert figures(event) == {
        region["borovsk"].name: (0, 5, 1, 4),
        region["balabanovo"].name: (1, 0, 0, 1),
    }
    assert attendance_total(event) == 5


def test_other_events_do_not_leak_in(region, event, coordinator):
    other = make_event(format=EventPage.Format.ONLINE, start=event.start)
    person = people_of(region["kaluga"], 1)[0]
    check_in(other, person)
    services.report_room(other, region["kaluga"], coordinator, head_count=7, participants=[person])
    services.report_room(event, region["kaluga"], coordinator, head_count=3, participants=[person])
    assert figures(event) == {region["kaluga"].name: (0, 3, 0, 3)}
    assert figures(other) == {region["kaluga"].name: (1, 7, 1, 7)}


def test_summary_adds_people_without_a_municipality_and_matches_the_total(region, event, coordinator):
    regional = make_person(make_organization(None))
    kaluga_people = people_of(region["kaluga"], 2)
    check_in(event, regional, *kaluga_people)
    services.report_room(event, region["kaluga"], coordinator, head_count=6, participants=kaluga_people[:1])
    services.report_room(event, region["borovsk"], coordinator, head_count=4)
    summary = attendance_summary(event)
    assert summary["without_municipality"] == 1
    # Калуга: 2 + 6 - 1 = 7; Боровский район: 4; regional body: 1
    assert summary["total"] == 12 == attendance_total(event)


def test_summary_narrowed_to_a_manager_s_scope(region, event, coordinator):
    check_in(event, *people_of(region["kaluga"], 2), *people_of(region["balabanovo"], 1))
    services.report_room(event, region["borovsk"], coordinator, head_count=4)
    manager = make_municipal_manager(region["borovsk"])
    summary = attendance_summary(event, Scope.for_user(manager).municipalities())
    assert {row.name: row.total for row in summary["rows"]} == {
        region["borovsk"].name: 4,
        region["balabanovo"].name: 1,
    }
    assert summary["without_municipality"] is None
    assert summary["total"] == 5


def test_updating_a_room_report_replaces_count_and_names(region, event, coordinator):
    first_names = people_of(region["kaluga"], 3)
    services.report_room(
        event, region["kaluga"], coordinator, head_count=20, room="Зал 1", participants=first_names
    )
    report = services.report_room(
        event, region["kaluga"], coordinator, head_count=12, room="Зал 2", participants=first_names[:1]
    )
    assert BroadcastRoom.objects.filter(event=event).count() == 1
    report.refresh_from_db()
    assert (report.head_count, report.room) == (12, "Зал 2")
    assert list(report.participants.all()) == first_names[:1]
    assert figures(event) == {region["kaluga"].name: (0, 12, 0, 12)}


def test_a_person_is_named_in_one_room_only(region, event, coordinator):
    person = make_person(municipality=region["balabanovo"])
    services.report_room(event, region["balabanovo"], coordinator, head_count=3, participants=[person])
    with pytest.raises(ParticipantInAnotherRoom) as error:
        services.report_room(event, region["borovsk"], coordinator, head_count=3, participants=[person])
    assert str(person) in str(error.value)
    # The same room may be reported again with the same person.
    services.report_room(event, region["balabanovo"], coordinator, head_count=4, participants=[person])


def test_rooms_only_for_broadcasts(region, coordinator):
    in_person = make_event(format=EventPage.Format.IN_PERSON)
    with pytest.raises(NotABroadcast):
        services.report_room(in_person, region["kaluga"], coordinator, head_count=3)


def test_a_municipal_manager_reports_only_within_their_municipality(region, event):
    manager = make_municipal_manager(region["borovsk"])
    services.report_room(event, region["borovsk"], manager, head_count=3)
    services.report_room(event, region["balabanovo"], manager, head_count=2)
    with pytest.raises(PermissionDenied):
        services.report_room(event, region["kaluga"], manager, head_count=3)
    with pytest.raises(PermissionDenied):
        services.report_room(
            event, region["kaluga"], make_person(municipality=region["kaluga"]), head_count=3
        )
    assert set(BroadcastRoom.objects.values_list("municipality__name", flat=True)) == {
        region["borovsk"].name,
        region["balabanovo"].name,
    }


def test_per_municipality_figures_come_from_one_query(region, event, coordinator, django_assert_num_queries):
    check_in(event, *people_of(region["kaluga"], 2))
    services.report_room(
        event, region["borovsk"], coordinator, head_count=4, participants=people_of(region["borovsk"], 1)
    )
    with django_assert_num_queries(1):
        assert len(figures(event)) == 2
