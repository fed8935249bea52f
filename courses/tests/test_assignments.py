"""Assignments enrol their audience with the right due dates, once, and pick up people who come later."""

import datetime
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.assignments import apply_assignment, apply_assignments_for_people
from courses.factories import make_course
from courses.models import Assignment, Enrollment
from courses.services import enrol
from people.audience import Audience
from people.factories import make_municipality, make_organization, make_person, make_regional_manager
from people.importing import import_people
from people.models import Municipality, User
from people.roles import Role
from people.tests.test_import_service import person_row, write_csv

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def course():
    return make_course(self_enrollment=False, is_mandatory=True)


@pytest.fixture
def newcomers_audience():
    return Audience.objects.create(title="Впервые поступившие", hired_within_days=90)


def enrolments(course):
    return {e.user_id: e for e in Enrollment.objects.active().filter(course=course)}


def test_exactly_one_kind_of_due_date(course, newcomers_audience):
    for both_or_neither in ({"due_date": TODAY, "due_days_after_hire": 30}, {}):
        assignment = Assignment(course=course, audience=newcomers_audience, **both_or_neither)
        with pytest.raises(ValidationError):
            assignment.full_clean()
    Assignment(course=course, audience=newcomers_audience, due_days_after_hire=30).full_clean()
    with pytest.raises(IntegrityError):
        Assignment.objects.create(course=course, audience=newcomers_audience)


def test_newly_hired_rule_enrols_the_newcomers_with_due_dates_after_hire(course, newcomers_audience):
    recent = make_person(hire_date=days_ago(10))
    older = make_person(hire_date=days_ago(80))
    veteran = make_person(hire_date=days_ago(2000))
    make_person(hire_date=days_ago(5), is_active=False)
    assignment = Assignment.objects.create(course=course, audience=newcomers_audience, due_days_after_hire=30)

    assert apply_assignment(assignment) == 2

    found = enrolments(course)
    assert set(found) == {recent.pk, older.pk}
    assert found[recent.pk].due_date == recent.hire_date + datetime.timedelta(days=30)
    assert found[older.pk].due_date == older.hire_date + datetime.timedelta(days=30)
    assert all(e.source == Enrollment.Source.ASSIGNED for e in found.values())
    assert veteran.pk not in found


def test_fixed_due_date_and_people_without_hire_date(course):
    district = make_municipality()
    organization = make_organization(district)
    with_date = make_person(organization, hire_date=days_ago(400))
    without_date = make_person(organization)
    audience = Audience.objects.create()
    audience.municipalities.add(district)

    fixed = Assignment.objects.create(
        course=course, audience=audience, due_date=TODAY + datetime.timedelta(days=60)
    )
    assert apply_assignment(fixed) == 2
    assert {e.due_date for e in enrolments(course).values()} == {fixed.due_date}

    other_course = make_course()
    created = timezone.now() - datetime.timedelta(days=3)
    after_hire = Assignment.objects.create(
        course=other_course, audience=audience, due_days_after_hire=45, created_at=created
    )
    apply_assignment(after_hire)
    found = enrolments(other_course)
    assert found[with_date.pk].due_date == with_date.hire_date + datetime.timedelta(days=45)
    assert found[without_date.pk].due_date == timezone.localdate(created) + datetime.timedelta(days=45)


def test_applying_twice_creates_nothing_new(course, newcomers_audience):
    make_person(hire_date=days_ago(3))
    make_person(hire_date=days_ago(4))
    assignment = Assignment.objects.create(course=course, audience=newcomers_audience, due_days_after_hire=30)
    assert apply_assignment(assignment) == 2
    assert apply_assignment(assignment) == 0
    assert Enrollment.objects.filter(course=course).count() == 2


def test_an_earlier_enrolment_becomes_assigned_and_keeps_the_earlier_due_date(newcomers_audience):
    course = make_course()
    self_enrolled = make_person(hire_date=days_ago(3))
    early = make_person(hire_date=days_ago(3))
    enrol(self_enrolled, course)
    enrol(early, course, Enrollment.Source.ASSIGNED, due_date=TODAY)
    assignment = Assignment.objects.create(course=course, audience=newcomers_audience, due_days_after_hire=30)

    assert apply_assignment(assignment) == 0

    found = enrolments(course)
    assert found[self_enrolled.pk].source == Enrollment.Source.ASSIGNED
    assert found[self_enrolled.pk].due_date == days_ago(3) + datetime.timedelta(days=30)
    assert found[early.pk].due_date == TODAY


def test_a_person_created_later_is_enrolled_on_save(
    course, newcomers_audience, django_capture_on_commit_callbacks
):
    Assignment.objects.create(course=course, audience=newcomers_audience, due_days_after_hire=30)
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = make_person(hire_date=days_ago(1))
        veteran = make_person(hire_date=days_ago(1000))
    found = enrolments(course)
    assert set(found) == {newcomer.pk}
    assert found[newcomer.pk].due_date == newcomer.hire_date + datetime.timedelta(days=30)
    assert veteran.pk not in found


def test_inactive_assignments_enrol_nobody(course, newcomers_audience, django_capture_on_commit_callbacks):
    Assignment.objects.create(
        course=course, audience=newcomers_audience, due_days_after_hire=30, is_active=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        make_person(hire_date=days_ago(1))
    assert not enrolments(course)


def test_a_changed_hire_date_enrols_when_the_person_newly_matches(
    course, newcomers_audience, django_capture_on_commit_callbacks
):
    person = make_person(hire_date=days_ago(1000))
    Assignment.objects.create(course=course, audience=newcomers_audience, due_days_after_hire=30)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        person.position = "Ведущий специалист"
        person.save()
    assert callbacks == []  # nothing an audience looks at changed
    assert not enrolments(course)

    with django_capture_on_commit_callbacks(execute=True):
        person.hire_date = days_ago(2)
        person.save()
    assert enrolments(course)[person.pk].due_date == days_ago(2) + datetime.timedelta(days=30)


def test_a_sign_in_does_not_look_at_audiences(django_capture_on_commit_callbacks):
    person = make_person(hire_date=days_ago(2))
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as callbacks:
        person.last_login = timezone.now()
        person.save(update_fields=["last_login"])
    assert len(queries) == 1 and callbacks == []


def test_people_imported_later_are_enrolled(tmp_path, course, django_capture_on_commit_callbacks):
    district = make_municipality("Муниципальный район «Бабынинский район»", short_name="Бабынинский район")
    make_organization(district, "Администрация муниципального района «Бабынинский район»")
    other = make_municipality(
        "Городской округ «Город Калуга»", kind=Municipality.Kind.URBAN_OKRUG, short_name="Город Калуга"
    )
    make_organization(other, "Городская Управа города Калуги")
    audience = Audience.objects.create(procurement_only=True)
    audience.municipalities.add(district)
    assignment = Assignment.objects.create(
        course=course, audience=audience, due_date=TODAY + datetime.timedelta(days=30)
    )
    rows = [
        person_row(email="buyer@example.org", number="1", procurement="да"),
        person_row(email="clerk@example.org", number="2", procurement="нет"),
        person_row(
            email="kaluga@example.org",
            number="3",
            municipality="Город Калуга",
            organization="Городская Управа города Калуги",
            procurement="да",
        ),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        report = import_people(write_csv(tmp_path / "roster.csv", rows))
    assert report.saved, report.errors
    buyer = User.objects.get(email="buyer@example.org")
    assert set(enrolments(course)) == {buyer.pk}
    assert enrolments(course)[buyer.pk].due_date == assignment.due_date

    # The next import gives the clerk procurement duties: the update enrols the clerk too.
    rows[1] = person_row(email="clerk@example.org", number="2", procurement="да")
    with django_capture_on_commit_callbacks(execute=True):
        assert import_people(write_csv(tmp_path / "roster2.csv", rows)).saved
    clerk = User.objects.get(email="clerk@example.org")
    assert set(enrolments(course)) == {buyer.pk, clerk.pk}


def test_apply_assignments_for_people_only_touches_those_people(course, newcomers_audience):
    first = make_person(hire_date=days_ago(1))
    second = make_person(hire_date=days_ago(1))
    Assignment.objects.create(course=course, audience=newcomers_audience, due_days_after_hire=30)
    assert apply_assignments_for_people([first.pk]) == 1
    assert set(enrolments(course)) == {first.pk}
    assert apply_assignments_for_people([first.pk, second.pk]) == 1


def test_three_thousand_people_are_enrolled_quickly(course):
    district = make_municipality()
    organization = make_organization(district)
    User.objects.bulk_create(
        [
            User(
                username=f"bulk{n}",
                last_name=f"Сидоров{n}",
                organization=organization,
                municipality=district,
                hire_date=days_ago(n % 300),
            )
            for n in range(3000)
        ]
    )
    audience = Audience.objects.create()
    audience.municipalities.add(district)
    assignment = Assignment.objects.create(course=course, audience=audience, due_days_after_hire=60)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        created = apply_assignment(assignment)
    elapsed = time.perf_counter() - started
    assert created == 3000
    assert Enrollment.objects.filter(course=course).count() == 3000
    assert len(queries) < 60  # SQLite inserts about 120 rows per statement; never a query per person
    assert elapsed < 3, elapsed
    print(f"apply_assignment: 3000 people in {elapsed:.2f} s, {len(queries)} queries")


def test_a_regional_manager_creates_an_assignment_in_the_admin_and_it_applies(
    client, course, newcomers_audience, django_capture_on_commit_callbacks
):
    newcomer = make_person(hire_date=days_ago(5))
    manager = make_regional_manager()
    client.force_login(manager)
    assert client.get("/admin/courses/assignments/new/").status_code == 200
    data = {
        "course": course.pk,
        "audience": newcomers_audience.pk,
        "due_date": "",
        "due_days_after_hire": "30",
        "remind_days_before": "7",
        "is_active": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/courses/assignments/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assignment = Assignment.objects.get()
    assert assignment.created_by == manager
    assert course.title in client.get("/admin/courses/assignments/").content.decode()
    assert enrolments(course)[newcomer.pk].due_date == days_ago(5) + datetime.timedelta(days=30)

    # Both kinds of due date at once: the form says so and nothing is saved.
    response = client.post("/admin/courses/assignments/new/", {**data, "due_date": "2030-01-01"})
    assert response.status_code == 200
    assert Assignment.objects.count() == 1


def test_servants_and_trainers_have_no_assignment_admin(client):
    # (a municipal manager with no municipality of their own: people/tests/test_municipal_ownership.py)
    for role in (Role.SERVANT, Role.TRAINER, Role.MUNICIPAL_MANAGER):
        client.force_login(make_person(role=role))
        response = client.get("/admin/courses/assignments/new/")
        assert response.status_code in (302, 403), role
