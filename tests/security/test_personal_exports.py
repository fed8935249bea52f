"""Every file that names people goes through one audited path (people.personal_exports): the
overdue-courses CSV and an event's attendance workbook are entered in the audit log like the report
tables, with readable parameters, and only by POST (a link or an image elsewhere cannot trigger one).
The access walk (test_access_walk.py) checks that no other URL hands out such a file unlogged."""

import datetime

import pytest
from django.utils import timezone

from courses.factories import make_course
from courses.models import Enrollment
from courses.services import enrol
from events.factories import make_event, make_organizer
from events.models import Attendance
from people.factories import make_municipal_manager, make_municipality, make_organization, make_person
from reports.models import ExportAuditEntry

pytestmark = pytest.mark.django_db

OBNINSK = "Городской округ «Город Обнинск»"


@pytest.fixture
def obninsk():
    municipality = make_municipality(OBNINSK)
    organization = make_organization(municipality)
    people = [make_person(organization, last_name=f"Обнинцев{n}") for n in range(3)]
    stranger = make_person(make_organization(make_municipality("Город Калуга")))
    return {"municipality": municipality, "people": people, "stranger": stranger}


def test_the_overdue_list_is_audited_with_names_of_its_filters(client, obninsk):
    course = make_course(title="Конфликт интересов")
    for person in [*obninsk["people"][:2], obninsk["stranger"]]:
        enrol(
            person,
            course,
            Enrollment.Source.ASSIGNED,
            due_date=timezone.localdate() - datetime.timedelta(days=3),
        )
    manager = make_municipal_manager(obninsk["municipality"])
    client.force_login(manager)
    url = "/courses/manage/overdue.csv"
    assert client.get(url).status_code == 405
    assert not ExportAuditEntry.objects.exists()
    response = client.post(f"{url}?course={course.pk}&municipality={obninsk['municipality'].pk}")
    assert response.status_code == 200
    entry = ExportAuditEntry.objects.get()
    assert (entry.user, entry.table_key, entry.format, entry.row_count) == (
        manager,
        "overdue_courses",
        "csv",
        2,
    )
    assert entry.table_title == "Просроченные назначенные курсы"
    assert entry.scope == OBNINSK
    assert entry.params == {"Курс": "Конфликт интересов", "Муниципальное образование": OBNINSK}


def test_the_attendance_workbook_is_audited_within_the_viewers_scope(client, obninsk):
    event = make_event(title="Семинар для муниципальных служащих")
    for person in [*obninsk["people"], obninsk["stranger"]]:
        Attendance.objects.create(event=event, user=person)
    url = f"/events/{event.pk}/attendance.xlsx"
    manager = make_municipal_manager(obninsk["municipality"])
    client.force_login(manager)
    assert client.get(url).status_code == 405
    assert not ExportAuditEntry.objects.exists()
    assert client.post(url).status_code == 200
    organizer = make_organizer()
    client.force_login(organizer)
    assert client.post(url).status_code == 200
    mine, theirs = ExportAuditEntry.objects.order_by("pk")
    assert (mine.user, mine.table_key, mine.format, mine.row_count) == (
        manager,
        "event_attendance",
        "xlsx",
        3,
    )
    assert mine.scope == OBNINSK
    assert mine.params == {"Мероприятие": "Семинар для муниципальных служащих"}
    assert mine.table_title == "Посещаемость: Семинар для муниципальных служащих"
    assert (theirs.user, theirs.row_count, theirs.scope) == (organizer, 4, "вся область")


def test_nobody_gets_the_files_from_a_link_and_outsiders_leave_no_entry(client, obninsk):
    event = make_event()
    client.force_login(obninsk["people"][0])
    assert client.post(f"/events/{event.pk}/attendance.xlsx").status_code == 404
    assert client.post("/courses/manage/overdue.csv").status_code == 403
    assert not ExportAuditEntry.objects.exists()
