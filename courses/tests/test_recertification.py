"""Recertification: a certificate about to expire enrols its holder again, once, and the reminders follow."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import formats, timezone

from courses.factories import make_course, make_lesson
from courses.models import Certificate, Enrollment, Reminder
from courses.recertification import expiring_certificates, recertify
from courses.reminders import send_due_reminders
from courses.services import check_completion, enrol, final_quiz_context, mark_studied, start_final_quiz
from courses.tasks import recertify_expiring
from people.factories import make_person
from quizzes.exceptions import NoAttemptsLeft
from quizzes.services import finish_sitting, save_answer, start_sitting

from .conftest import take_quiz

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def complete(user, course, lessons):
    enrollment = enrol(user, course)
    for lesson in lessons:
        mark_studied(enrollment, lesson)
    take_quiz(user, course)
    assert check_completion(enrollment)
    enrollment.refresh_from_db()
    return enrollment


@pytest.fixture
def certified(servant, course_with_quiz):
    """The servant completed a course whose certificate is valid for 36 months."""
    course, lessons = course_with_quiz
    enrollment = complete(servant, course, lessons)
    return enrollment.certificate


def test_the_certificate_has_a_validity_period(certified):
    issued = certified.issued_on
    assert certified.valid_until == issued.replace(year=issued.year + 3)
    assert certified.course.recertify_days_before == 30


def test_due_within_the_courses_lead_time_only(certified):
    expiry = certified.valid_until
    assert list(expiring_certificates(expiry - 31 * DAY)) == []
    assert list(expiring_certificates(expiry - 30 * DAY)) == [certified]
    assert list(expiring_certificates(expiry + 10 * DAY)) == [certified]  # a missed run is caught up
    certified.course.recertify_days_before = 60
    certified.course.save_revision().publish()
    assert list(expiring_certificates(expiry - 45 * DAY)) == [certified]


def test_the_holder_is_enrolled_again_with_the_expiry_as_due_date(servant, certified):
    old = Enrollment.objects.get(certificate=certified)
    assert recertify(certified.valid_until - 30 * DAY) == 1

    old.refresh_from_db()
    assert not old.is_active  # kept for history
    renewal = Enrollment.objects.active().get(user=servant, course=certified.course)
    assert renewal.pk != old.pk
    assert renewal.source == Enrollment.Source.ASSIGNED
    assert renewal.due_date == certified.valid_until
    assert renewal.renews == certified
    assert renewal.completed_at is None
    assert renewal.progress() == (0, 2)


def test_never_twice(certified):
    today = certified.valid_until - 20 * DAY
    assert recertify(today) == 1
    assert recertify(today) == 0
    assert recertify(today + 5 * DAY) == 0
    assert Enrollment.objects.filter(renews=certified).count() == 1
    assert Enrollment.objects.filter(course=certified.course).count() == 2


def test_the_old_test_result_does_not_renew_the_certificate(servant, certified, course_with_quiz):
    course, lessons = course_with_quiz
    recertify(certified.valid_until - 30 * DAY)
    renewal = Enrollment.objects.active().get(user=servant, course=course)
    for lesson in lessons:
        mark_studied(renewal, lesson)
    renewal.refresh_from_db()
    assert renewal.completed_at is None  # the final test must be passed again

    take_quiz(servant, course)
    assert check_completion(renewal)
    renewal.refresh_from_db()
    new = renewal.certificate
    assert new is not None and new != certified
    assert new.valid_until > certified.valid_until
    # The renewed certificate is not due again, the new one not yet.
    assert list(expiring_certificates(certified.valid_until)) == []
    assert list(expiring_certificates(new.valid_until - 30 * DAY)) == [new]


def test_a_renewal_has_the_final_tests_attempts_afresh(servant, certified, course_with_quiz):
    """A final test with one attempt: used up for the first certificate, available for the renewal."""
    course, lessons = course_with_quiz
    course.final_quiz.attempts_allowed = 1
    course.final_quiz.save()
    with pytest.raises(NoAttemptsLeft):
        start_sitting(servant, course.final_quiz, context=final_quiz_context(course))
    recertify(certified.valid_until - 30 * DAY)
    renewal = Enrollment.objects.active().get(user=servant, course=course)
    for lesson in lessons:
        mark_studied(renewal, lesson)
    sitting = start_final_quiz(renewal)
    assert sitting.number == 2
    for seq, snapshot in enumerate(sitting.questions(), start=1):
        save_answer(sitting, snapshot["id"], {"value": snapshot["key"]["value"]}, seq)
    finish_sitting(sitting)
    assert check_completion(renewal)
    with pytest.raises(NoAttemptsLeft):  # one attempt per certificate, not more
        start_final_quiz(Enrollment.objects.get(pk=renewal.pk))


def test_a_person_already_studying_again_keeps_that_enrolment(servant, certified):
    old = Enrollment.objects.get(certificate=certified)
    Enrollment.objects.filter(pk=old.pk).update(is_active=False)
    again = enrol(servant, certified.course)
    assert recertify(certified.valid_until - 10 * DAY) == 1
    again.refresh_from_db()
    assert again.renews == certified
    assert again.source == Enrollment.Source.ASSIGNED
    assert again.due_date == certified.valid_until
    assert Enrollment.objects.active().filter(user=servant).count() == 1


def test_only_expiring_certificates_of_active_people_and_live_courses(servant, other_servant):
    forever = make_course(certificate_validity_months=None)
    lessons = [make_lesson(forever)]
    enrollment = enrol(other_servant, forever)
    mark_studied(enrollment, lessons[0])
    enrollment.refresh_from_db()
    assert enrollment.certificate.valid_until is None

    yearly = make_course(certificate_validity_months=12)
    yearly_lesson = make_lesson(yearly)
    left = make_person()
    for person in (servant, left):
        mark_studied(enrol(person, yearly), yearly_lesson)
    left.is_active = False
    left.save()
    far = timezone.localdate() + 400 * DAY
    assert {c.user for c in expiring_certificates(far)} == {servant}
    yearly.unpublish()
    assert list(expiring_certificates(far)) == []


def test_only_the_latest_certificate_of_a_course_is_renewed(servant, certified):
    newer = Certificate.objects.create(
        number="АК-2099-000001",
        user=servant,
        holder_name="Петров Павел Игоревич",
        course=certified.course,
        course_title=certified.course_title,
        hours=certified.hours,
        issued_at=certified.issued_at + DAY,
        valid_until=certified.valid_until + 365 * DAY,
    )
    assert list(expiring_certificates(certified.valid_until)) == []
    assert list(expiring_certificates(newer.valid_until)) == [newer]


def test_the_reminders_remind_of_the_renewal(servant, certified, django_capture_on_commit_callbacks):
    expiry = certified.valid_until
    recertify(expiry - 30 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(expiry - 5 * DAY) == 1
    [letter] = mail.outbox
    assert letter.to == [servant.email]
    assert certified.course.title in letter.body
    assert formats.date_format(expiry, "j E Y") in letter.body
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(expiry + DAY) == 1
    renewal = Enrollment.objects.get(renews=certified)
    assert set(renewal.reminders.values_list("kind", flat=True)) == {
        Reminder.Kind.BEFORE_DUE,
        Reminder.Kind.OVERDUE,
    }


def test_the_cabinet_says_it_is_a_recertification(client, servant, certified):
    recertify(certified.valid_until - 30 * DAY)
    client.force_login(servant)
    html = client.get("/cabinet/").content.decode()
    assert "Переаттестация" in html
    assert certified.number in html


def test_task_and_command(certified):
    Certificate.objects.filter(pk=certified.pk).update(valid_until=timezone.localdate() + 3 * DAY)
    assert recertify_expiring.enqueue().return_value == 1
    call_command("recertify", "--quiet")
    assert Enrollment.objects.filter(renews=certified).count() == 1


def test_the_command_reports_how_many(certified, capsys):
    Certificate.objects.filter(pk=certified.pk).update(valid_until=timezone.localdate() + 3 * DAY)
    call_command("recertify")
    assert "Записано на переаттестацию: 1" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("days", "text"),
    [(10, "Сертификат действителен до"), (-1, "Срок действия сертификата истёк")],
)
def test_the_verification_page_shows_the_validity(client, certified, days, text):
    valid_until = timezone.localdate() + days * DAY
    Certificate.objects.filter(pk=certified.pk).update(valid_until=valid_until)
    html = client.get(certified.get_verify_url()).content.decode()
    assert text in html
    assert formats.date_format(valid_until, "j E Y") in html
