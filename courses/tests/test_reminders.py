"""Notices of assigned courses — the assignment, before the due date, when overdue: in Russian, after
the commit, never twice, and listed in «Мой кабинет»."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone

from courses.factories import make_course
from courses.models import Assignment, Enrollment, Reminder
from courses.reminders import send_due_reminders
from courses.services import enrol
from courses.tasks import send_course_reminders
from people.audience import Audience
from people.factories import make_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
Kind = Reminder.Kind


def in_days(days):
    return TODAY + datetime.timedelta(days=days)


@pytest.fixture
def course():
    return make_course(title="Основы противодействия коррупции")


def assigned(course, due_date, *, enrolled_days_ago=30, **person_fields):
    """An assigned enrolment; by default long enough ago for its assignment notice to be past."""
    person = make_person(**person_fields)
    enrollment = enrol(person, course, Enrollment.Source.ASSIGNED, due_date=due_date)
    enrolled_at = timezone.now() - datetime.timedelta(days=enrolled_days_ago)
    Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=enrolled_at)
    enrollment.enrolled_at = enrolled_at
    return enrollment


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def run(today=TODAY):
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders(today)

    return run


def test_one_reminder_before_the_due_date_in_russian(course, send):
    enrollment = assigned(course, in_days(3), last_name="Сидорова", first_name="Анна")
    assigned(course, in_days(30))  # too early for a reminder

    assert send() == 1

    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == [enrollment.user.email]
    assert "Напоминание" in letter.subject and course.title in letter.subject
    assert "Здравствуйте, Сидорова Анна!" in letter.body
    assert f"{settings.SITE_URL}{course.url}" in letter.body  # the public address, not the Site's localhost
    assert formats.date_format(in_days(3), "j E Y") in letter.body
    reminder = Reminder.objects.get()
    assert (reminder.enrollment, reminder.kind, reminder.status) == (enrollment, Kind.BEFORE_DUE, "sent")
    assert reminder.sent_at is not None


def test_a_new_assignment_is_announced_once_with_its_due_date(course, send, client):
    enrollment = assigned(course, in_days(40), enrolled_days_ago=0, last_name="Сидорова", first_name="Анна")
    assigned(course, in_days(40), enrolled_days_ago=8)  # assigned before the notices' window
    self_enrolled = enrol(make_person(), course, Enrollment.Source.SELF, due_date=in_days(40))

    assert send() == 1
    assert send() == 0

    [letter] = mail.outbox
    assert letter.to == [enrollment.user.email]
    assert (
        letter.subject
        == f"Вам назначен курс «{course.title}»: пройти до {formats.date_format(in_days(40), 'j E Y')}"
    )
    assert "Здравствуйте, Сидорова Анна!" in letter.body
    assert f"{settings.SITE_URL}{course.url}" in letter.body
    assert [r.kind for r in Reminder.objects.all()] == [Kind.ASSIGNED]
    assert not Reminder.objects.filter(enrollment=self_enrolled).exists()

    client.force_login(enrollment.user)
    page = client.get(reverse("cabinet")).content.decode()
    notices = page[page.index("Уведомления") :]
    due = formats.date_format(in_days(40), "j E Y")
    assert f"Вам назначен курс «{course.title}», пройти его нужно до {due}." in notices
    assert f'href="{course.url}"' in notices


def test_the_cabinet_lists_course_and_campaign_notices_of_the_person_only_newest_first(course, send, client):
    person = make_person(email="")  # notices without a letter are listed too
    overdue = enrol(person, course, Enrollment.Source.ASSIGNED, due_date=in_days(-1))
    other = assigned(course, in_days(-1))
    assert send() == 1  # the other's overdue letter; the person has no address
    Reminder.objects.filter(enrollment=overdue, kind=Kind.ASSIGNED).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )

    client.force_login(person)
    page = client.get(reverse("cabinet")).content.decode()
    overdue_text = page.index(f"Срок прохождения курса «{course.title}» истёк")
    assigned_text = page.index(f"Вам назначен курс «{course.title}»")
    assert overdue_text < assigned_text  # newest first

    client.force_login(other.user)
    page = client.get(reverse("cabinet")).content.decode()
    assert "истёк" in page and "Вам назначен курс" not in page


def test_one_reminder_when_overdue(course, send):
    enrollment = assigned(course, in_days(-2))
    assert send() == 1
    assert [r.kind for r in Reminder.objects.filter(enrollment=enrollment)] == [Kind.OVERDUE]
    assert "истёк" in mail.outbox[0].subject
    assert formats.date_format(in_days(-2), "j E Y") in mail.outbox[0].body


def test_never_twice(course, send):
    enrollment = assigned(course, in_days(1))
    assert send() == 1
    assert send() == 0
    assert len(mail.outbox) == 1
    # When the date has passed, the overdue reminder follows — once.
    assert send(today=in_days(2)) == 1
    assert send(today=in_days(3)) == 0
    assert len(mail.outbox) == 2
    assert sorted(Reminder.objects.filter(enrollment=enrollment).values_list("kind", flat=True)) == [
        Kind.BEFORE_DUE,
        Kind.OVERDUE,
    ]


def test_a_reminder_claimed_by_another_run_is_not_sent_again(course, send):
    taken = assigned(course, in_days(2))
    free = assigned(course, in_days(2))
    # Another worker inserted its row first (and sends that letter itself).
    Reminder.objects.create(enrollment=taken, kind=Kind.BEFORE_DUE, due_date=taken.due_date)

    assert send() == 1

    assert [letter.to for letter in mail.outbox] == [[free.user.email]]
    assert Reminder.objects.filter(enrollment=taken).count() == 1


def test_nothing_for_completed_or_undated_enrolments(course, send):
    done = assigned(course, in_days(-5))
    done.completed_at = timezone.now()
    done.save()
    assigned(course, None)
    assert send() == 0
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_people_without_an_email_are_skipped_and_recorded(course, send):
    enrollment = assigned(course, in_days(-1), email="")
    assert send() == 0
    assert mail.outbox == []
    assert Reminder.objects.get(enrollment=enrollment).status == Reminder.Status.NO_EMAIL
    assert send() == 0  # not looked for again


def test_letters_go_only_after_the_commit(course, django_capture_on_commit_callbacks):
    assigned(course, in_days(2))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert send_due_reminders(TODAY) == 1
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after its own commit
        for callback in callbacks:
            callback()
    assert len(mail.outbox) == 1


def test_the_assignment_sets_how_early_to_remind(course, send):
    assigned(course, in_days(20))
    assert send() == 0
    Assignment.objects.create(
        course=course, audience=Audience.objects.create(), due_date=in_days(20), remind_days_before=21
    )
    assert send() == 1


def test_task_and_command(course, django_capture_on_commit_callbacks):
    assigned(course, in_days(1))
    assigned(make_course(), in_days(-1))
    with django_capture_on_commit_callbacks(execute=True):
        result = send_course_reminders.enqueue()
    assert result.return_value == 2
    assert len(mail.outbox) == 2

    assigned(course, in_days(-3))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--quiet")
    assert len(mail.outbox) == 3


def test_one_address_the_outbox_refuses_does_not_stop_the_others(course, send):
    broken = assigned(course, in_days(-1), email="не адрес")  # typed by hand in an HR roster
    fine = assigned(course, in_days(-1))
    send()
    assert Reminder.objects.get(enrollment=broken).status == Reminder.Status.FAILED
    assert Reminder.objects.get(enrollment=fine).status == Reminder.Status.SENT
    assert Reminder.objects.get(enrollment=fine).sent_at is not None
    assert [letter.to for letter in mail.outbox] == [[fine.user.email]]
