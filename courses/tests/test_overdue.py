"""The overdue list for managers: scoped, filtered, exported; per-course counts from the database."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from courses.factories import make_course
from courses.models import Enrollment
from courses.services import enrol
from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from people.models import Municipality
from people.roles import Role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
URL = "/courses/manage/overdue/"
CSV_URL = "/courses/manage/overdue.csv"


def assigned(person, course, days):
    return enrol(person, course, Enrollment.Source.ASSIGNED, due_date=TODAY + datetime.timedelta(days=days))


@pytest.fixture
def region():
    obninsk = make_municipality("Городской округ «Город Обнинск»", kind=Municipality.Kind.URBAN_OKRUG)
    kaluga = make_municipality("Городской округ «Город Калуга»", kind=Municipality.Kind.URBAN_OKRUG)
    district = make_municipality("Муниципальный район «Козельский район»")
    settlement = make_municipality(
        "Городское поселение «Город Козельск»", kind=Municipality.Kind.URBAN_SETTLEMENT, parent=district
    )
    course = make_course(title="Конфликт интересов")
    other_course = make_course(title="Закупки без коррупции")
    people = {
        "obninsk_late": make_person(make_organization(obninsk), last_name="Обнинцев"),
        "obninsk_on_time": make_person(make_organization(obninsk), last_name="Своевременный"),
        "obninsk_done": make_person(make_organization(obninsk), last_name="Завершивший"),
        "kaluga_late": make_person(make_organization(kaluga), last_name="Калужанин"),
        "settler_late": make_person(municipality=settlement, last_name="Козельчанин"),
    }
    assigned(people["obninsk_late"], course, -5)
    assigned(people["obninsk_late"], other_course, -1)
    assigned(people["obninsk_on_time"], course, 10)
    done = assigned(people["obninsk_done"], course, -3)
    done.completed_at = timezone.now()
    done.save()
    assigned(people["kaluga_late"], course, -2)
    assigned(people["settler_late"], course, -7)
    return {
        "obninsk": obninsk,
        "kaluga": kaluga,
        "district": district,
        "course": course,
        "other_course": other_course,
        **people,
    }


def names(response):
    return {enrollment.user.last_name for enrollment in response.context["page"].object_list}


def test_only_managers_get_in(client, region):
    for role in (Role.SERVANT, Role.TRAINER):
        client.force_login(make_person(municipality=region["obninsk"], role=role))
        assert client.get(URL).status_code == 403
        assert client.post(CSV_URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302  # to the login page


def test_regional_manager_sees_every_overdue_enrolment(client, region):
    client.force_login(make_regional_manager())
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == {"Обнинцев", "Калужанин", "Козельчанин"}
    assert response.context["page"].paginator.count == 4  # Обнинцев is late in two courses
    assert "Своевременный" not in response.content.decode()


def test_obninsk_manager_sees_no_kaluga_people(client, region):
    client.force_login(make_municipal_manager(region["obninsk"]))
    response = client.get(URL)
    assert names(response) == {"Обнинцев"}
    html = response.content.decode()
    assert "Калужанин" not in html and "Козельчанин" not in html
    # Tampering with the filter: another municipality is "not found", never its people.
    assert client.get(URL, {"municipality": region["kaluga"].pk}).status_code == 404
    assert client.post(f"{CSV_URL}?municipality={region['kaluga'].pk}").status_code == 404
    assert client.get(URL, {"municipality": "x"}).status_code == 404
    # A course filter narrows within the scope only.
    response = client.get(URL, {"course": region["course"].pk})
    assert [e.user.last_name for e in response.context["page"].object_list] == ["Обнинцев"]


def test_district_manager_sees_its_settlements(client, region):
    client.force_login(make_municipal_manager(region["district"]))
    assert names(client.get(URL)) == {"Козельчанин"}


def test_filters(client, region):
    client.force_login(make_regional_manager())
    response = client.get(URL, {"course": region["other_course"].pk})
    assert [e.course_id for e in response.context["page"].object_list] == [region["other_course"].pk]
    assert names(client.get(URL, {"municipality": region["district"].pk})) == {"Козельчанин"}
    assert client.get(URL, {"course": 999999}).status_code == 404


def test_csv_export_is_scoped(client, region):
    client.force_login(make_municipal_manager(region["obninsk"]))
    response = client.post(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "ФИО"
    assert sorted((row[4], row[6]) for row in rows[1:]) == [
        ("Закупки без коррупции", "1"),
        ("Конфликт интересов", "5"),
    ]
    assert all("Обнинцев" in row[0] for row in rows[1:])


def test_counts_per_course(client, region):
    client.force_login(make_regional_manager())
    counts = {row["course__title"]: row for row in client.get(URL).context["counts"]}
    conflict = counts["Конфликт интересов"]
    assert (conflict["enrolled"], conflict["completed"], conflict["overdue"]) == (5, 1, 3)
    assert (counts["Закупки без коррупции"]["enrolled"], counts["Закупки без коррупции"]["overdue"]) == (1, 1)

    client.force_login(make_municipal_manager(region["obninsk"]))
    counts = {row["course__title"]: row for row in client.get(URL).context["counts"]}
    conflict = counts["Конфликт интересов"]
    assert (conflict["enrolled"], conflict["completed"], conflict["overdue"]) == (3, 1, 1)


def test_a_name_from_the_roster_never_runs_as_a_formula_in_the_csv(client, region):
    late = region["obninsk_late"]
    late.last_name, late.first_name = "=1+2", "@SUM(A1)"
    late.save()
    client.force_login(make_municipal_manager(region["obninsk"]))
    rows = list(csv.reader(io.StringIO(client.post(CSV_URL).content.decode("utf-8-sig")), delimiter=";"))
    assert all(not cell.startswith(("=", "@", "+", "-")) for row in rows for cell in row)
    assert any(row[0].startswith("'=1+2") for row in rows[1:])
