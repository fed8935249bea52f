"""Notices of assigned courses: the assignment itself, a reminder before the course is due, and
another once it is overdue — each at most once, by mail and in «Мой кабинет».

A run first claims its reminders by inserting :class:`~courses.models.Reminder` rows (one per
enrolment and kind, guarded by a unique constraint, so of two parallel runs only one gets a row), and
hands the letters to the outbox (:mod:`people.mail`, which sends them in the background, throttled and
retried) only after that transaction has committed; a reminder's status "sent" means its letter is in
the outbox. A person without an email address gets a row marked as such, so the reminder is not looked
for again.
"""

import datetime
import logging
import uuid

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.links import public_page_url, public_url
from people.mail import Message, enqueue_pending, register_kind
from people.mail.kinds import BULK
from people.notices import Notice

from .models import Assignment, Enrollment, Reminder
from .models.assignments import DEFAULT_REMIND_DAYS_BEFORE

logger = logging.getLogger(__name__)

Kind = Reminder.Kind
Status = Reminder.Status
WRITE_BATCH = 1000
# An assignment is announced when the next run after it finds it, within this many days.
ASSIGNED_NOTICE_DAYS = 7
# Kinds of mail in the outbox (people.mail), registered in CoursesConfig.ready.
MAIL_KINDS = {
    Kind.ASSIGNED: ("course_assigned", gettext_lazy("Курсы: назначение")),
    Kind.BEFORE_DUE: ("course_reminder_before_due", gettext_lazy("Курсы: напоминание о сроке")),
    Kind.OVERDUE: ("course_reminder_overdue", gettext_lazy("Курсы: срок истёк")),
}


def register_mail_kinds():
    for order, (code, label) in enumerate(MAIL_KINDS.values()):
        register_kind(code, label, priority=BULK, order=400 + order)


def due_enrollments(kind, today):
    """Enrolments not completed, of active people, that should get a reminder of ``kind`` and have none."""
    enrollments = (
        Enrollment.objects.current()
        .filter(due_date__isnull=False, user__is_active=True)
        .exclude(reminders__kind=kind)
    )
    if kind == Kind.ASSIGNED:
        # Assigned lately: enrolments from before this notice existed (or long ago) are not announced.
        since = today - datetime.timedelta(days=ASSIGNED_NOTICE_DAYS)
        return enrollments.filter(source=Enrollment.Source.ASSIGNED, enrolled_at__date__gte=since)
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
    for kind in (Kind.ASSIGNED, Kind.OVERDUE, Kind.BEFORE_DUE):
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
    """Hand the pending reminders of a run to the outbox and record it on each."""
    reminders = Reminder.objects.filter(batch=batch, status=Status.PENDING).select_related(
        "enrollment__user", "enrollment__course"
    )
    return enqueue_pending(reminders, message, "Course reminder")


def message(reminder):
    """The reminder's letter as an outbox :class:`~people.mail.Message`."""
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
    return Message(
        to=enrollment.user.email,
        subject=subject,
        body=body,
        kind=MAIL_KINDS[reminder.kind][0],
        person=enrollment.user,
    )


NOTICE_TEXTS = {
    Kind.ASSIGNED: gettext_lazy("Вам назначен курс «%(title)s», пройти его нужно до %(date)s."),
    Kind.BEFORE_DUE: gettext_lazy("Курс «%(title)s» нужно пройти до %(date)s, а он ещё не завершён."),
    Kind.OVERDUE: gettext_lazy("Срок прохождения курса «%(title)s» истёк %(date)s."),
}


def notice_text(reminder):
    return NOTICE_TEXTS[reminder.kind] % {
        "title": reminder.enrollment.course.title,
        "date": formats.date_format(reminder.due_date, "j E Y"),
    }


def my_notices(user, limit):
    """The person's course notices for «Мой кабинет» (a source of :mod:`people.notices`), newest first."""
    reminders = (
        Reminder.objects.filter(enrollment__user=user)
        .select_related("enrollment__course")
        .order_by("-created_at", "-pk")[:limit]
    )
    return [
        Notice(
            created_at=reminder.created_at,
            text=notice_text(reminder),
            url=reminder.enrollment.course.url or "",
            link_text=_("Открыть курс"),
        )
        for reminder in reminders
    ]


def course_url(course):
    """The course page's full public address (SITE_URL)."""
    return public_page_url(course) or public_url(course.url_path or "/")
