"""The nightly re-apply of assignments: people whom only the calendar brings into an audience."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.assignments import reapply_assignments
from courses.factories import make_course
from courses.models import Assignment, Enrollment
from courses.tasks import reapply_course_assignments
from people.audience import Audience
from people.factories import make_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def assignment():
    return Assignment.objects.create(
        course=make_course(self_enrollment=False, is_mandatory=True),
        audience=Audience.objects.create(title="Впервые поступившие", hired_within_days=90),
        due_days_after_hire=30,
    )


def enrolled(assignment):
    return dict(
        Enrollment.objects.active().filter(course=assignment.course).values_list("user_id", "due_date")
    )


def test_a_hire_date_that_comes_enrols_the_person_that_night(assignment):
    starts_monday = make_person(hire_date=TODAY + 3 * DAY)  # imported before the first day at work
    assert reapply_assignments(TODAY) == 0
    assert enrolled(assignment) == {}

    assert reapply_assignments(TODAY + 3 * DAY) == 1
    assert enrolled(assignment) == {starts_monday.pk: TODAY + 33 * DAY}


def test_running_again_changes_nothing(assignment):
    person = make_person(hire_date=TODAY - 10 * DAY)
    assert reapply_assignments(TODAY) == 1
    assert reapply_assignments(TODAY) == 0
    assert reapply_assignments(TODAY + DAY) == 0
    assert enrolled(assignment) == {person.pk: TODAY + 20 * DAY}
    assert Enrollment.objects.count() == 1


def test_people_who_left_the_window_keep_their_enrolment(assignment):
    person = make_person(hire_date=TODAY - 80 * DAY)
    reapply_assignments(TODAY)
    assert reapply_assignments(TODAY + 30 * DAY) == 0  # out of the 90-day window now
    assert person.pk in enrolled(assignment)


def test_inactive_assignments_enrol_nobody(assignment):
    Assignment.objects.filter(pk=assignment.pk).update(is_active=False)
    make_person(hire_date=TODAY - DAY)
    assert reapply_assignments(TODAY) == 0
    assert enrolled(assignment) == {}


def test_every_active_assignment_is_applied(assignment):
    other = Assignment.objects.create(
        course=make_course(), audience=assignment.audience, due_date=TODAY + 60 * DAY
    )
    person = make_person(hire_date=TODAY - DAY)
    assert reapply_assignments(TODAY) == 2
    assert enrolled(other) == {person.pk: TODAY + 60 * DAY}


def test_task_and_command(assignment, capsys):
    make_person(hire_date=TODAY - DAY)
    assert reapply_course_assignments.enqueue().return_value == 1
    make_person(hire_date=TODAY - 2 * DAY)
    call_command("apply_assignments")
    assert "Записано новых слушателей по назначениям: 1" in capsys.readouterr().out
    assert len(enrolled(assignment)) == 2
