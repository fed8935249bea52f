"""Reminder emails: before an assigned course is due, and once it is overdue — each at most once.

A run first claims its reminders by inserting :class:`~courses.models.Reminder` rows (one per
enrolment and kind, guarded by a unique constraint, so of two parallel runs only one gets a row), and
sends the emails only after that transaction has committed. A person without an email address gets a
row marked as such, so the reminder is not looked for again.
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Assignment, Enrollment, Reminder
from .models.assignments import DEFAULT_REMIND_DAYS_BEFORE

logger = logging.getLogger(__name__)

Kind = Reminder.Kind
Status = Reminder.Status
WRITE_BATCH = 1000


def due_enrollments(kind, today):
    """Enrolments not completed, of active people, that should get a reminder of ``kind`` and have none."""
    enrollments = (
        Enrollment.objects.current()
        .filter(due_date__isnull=False, user__is_active=True)
        .exclude(reminders__kind=kind)
    )
    if kind == Kind.OVERDUE:
        return enrollments.filter(due_date__lt=today)
    # Before the due date: within the lead time of the course's assignments (the longest of them).
    days_by_course = Assignment.objects.remind_days_by_course()
    window = Q(due_date__gte=today) & ~Q(course_id__in=list(days_by_course))
    window &= Q(due_date__lte=today + datetime.timedelta(days=DEFAULT_REMIND_DAYS_BEFORE))
    by_days = {}
    for course_id, days in days_by_course.items():
        by_days.setdefault(days, []).append(course_id)
    for days, course_ids in by_days.items():
        window |= Q(
            course_id__in=course_ids,
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=days),
        )
    return enrollments.filter(window)


def claim_reminders(today):
    """Insert the reminder rows this run is responsible for; returns the run's batch id."""
    batch = uuid.uuid4()
    now = timezone.now()
    rows = []
    for kind in (Kind.OVERDUE, Kind.BEFORE_DUE):
        for pk, due_date, email in due_enrollments(kind, today).values_list("pk", "due_date", "user__email"):
            rows.append(
                Reminder(
                    enrollment_id=pk,
                    kind=kind,
                    due_date=due_date,
                    batch=batch,
                    created_at=now,
                    status=Status.PENDING if email else Status.NO_EMAIL,
                )
            )
    # A row another run inserted first wins; this run's row for it is dropped, not an error.
    Reminder.objects.bulk_create(rows, batch_size=WRITE_BATCH, ignore_conflicts=True)
    return batch


def send_due_reminders(today=None):
    """Claim and send today's reminders; returns how many emails are to be sent.

    Call outside a transaction (a task, a command); inside one, the emails go when it commits.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        batch = claim_reminders(today)
        count = Reminder.objects.filter(batch=batch, status=Status.PENDING).count()
    if count:
        transaction.on_commit(lambda: deliver(batch), robust=True)
    return count


def deliver(batch):
    """Send the pending reminders of a run and record what happened to each."""
    reminders = Reminder.objects.filter(batch=batch, status=Status.PENDING).select_related(
        "enrollment__user", "enrollment__course"
    )
    sent, failed = [], []
    connection = get_connection()
    with translation.override(settings.LANGUAGE_CODE):
        for reminder in reminders:
            try:
                message(reminder, connection).send()
            except Exception:  # one bad address must not stop the others
                logger.exception("Course reminder %s could not be sent", reminder.pk)
                failed.append(reminder.pk)
            else:
                sent.append(reminder.pk)
    Reminder.objects.filter(pk__in=sent).update(status=Status.SENT, sent_at=timezone.now())
    Reminder.objects.filter(pk__in=failed).update(status=Status.FAILED)
    return len(sent)


def message(reminder, connection=None):
    enrollment = reminder.enrollment
    course = enrollment.course
    context = {
        "person": enrollment.user,
        "course": course,
        "course_url": course_url(course),
        "due_date": enrollment.due_date,
        "reminder": reminder,
    }
    template = f"courses/email/reminder_{reminder.kind}"
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    return EmailMessage(subject, body, to=[enrollment.user.email], connection=connection)


def course_url(course):
    """The course page's full address (through the configured base URL if the page has no site)."""
    return course.get_full_url() or settings.WAGTAILADMIN_BASE_URL.rstrip("/") + (course.url_path or "/")
