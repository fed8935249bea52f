"""Recertification: a certificate with a validity period is renewed by taking the course again.

Every day (``manage.py recertify``, the task ``courses.tasks.recertify_expiring``) people whose
certificate expires within the course's ``recertify_days_before`` days are enrolled again: the
completed enrolment is retired (``is_active=False``, kept for history) and a new "assigned" one is
opened with the due date = the expiry date. The new enrolment points at the certificate it renews
(``Enrollment.renews``, one-to-one), so a certificate is renewed once, never twice, even by two
parallel runs. The ordinary reminders then remind of the due date and of the overdue course.

Only a person's latest certificate of a course is renewed, only for live courses, only for active people.
"""

import datetime
import functools
import operator

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .models import Certificate, CoursePage, Enrollment


def expiring_certificates(today=None):
    """Certificates due for renewal today: expiring within the course's lead time (or expired), not
    renewed yet, the newest of the person's certificates of that course."""
    today = today or timezone.localdate()
    newer = Certificate.objects.filter(
        user=OuterRef("user"), course=OuterRef("course"), issued_at__gt=OuterRef("issued_at")
    )
    candidates = (
        Certificate.objects.filter(valid_until__isnull=False, user__is_active=True, renewal__isnull=True)
        .exclude(Exists(newer))
        .select_related("course", "user")
    )
    courses = CoursePage.objects.live().filter(pk__in=candidates.values("course_id")).order_by()
    windows = [
        Q(course_id=course_id, valid_until__lte=today + datetime.timedelta(days=days))
        for course_id, days in courses.values_list("pk", "recertify_days_before")
    ]
    if not windows:
        return Certificate.objects.none()
    return candidates.filter(functools.reduce(operator.or_, windows)).order_by("valid_until", "pk")


def renew(certificate, now=None):
    """Enrol the holder again for ``certificate``'s renewal; returns the enrolment, or None when the
    certificate is renewed already (by this run or a parallel one)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            active = (
                Enrollment.objects.active()
                .select_for_update()
                .filter(user_id=certificate.user_id, course_id=certificate.course_id)
                .first()
            )
            if active is not None and active.completed_at is None and active.renews_id is None:
                # Already studying the course again: that enrolment is the renewal.
                changed = active.make_assigned(certificate.valid_until)
                active.renews = certificate
                active.save(update_fields=[*changed, "renews"])
                return active
            if active is not None and active.completed_at is None:
                return None  # renewing another certificate of the course
            if active is not None:
                active.is_active = False
                active.save(update_fields=["is_active"])
            return Enrollment.objects.create(
                user_id=certificate.user_id,
                course_id=certificate.course_id,
                source=Enrollment.Source.ASSIGNED,
                due_date=certificate.valid_until,
                enrolled_at=now,
                renews=certificate,
            )
    except IntegrityError:  # a parallel run renewed it first
        return None


def recertify(today=None, now=None):
    """Re-enrol everybody whose certificate is due for renewal; returns how many were enrolled."""
    renewed = 0
    for certificate in expiring_certificates(today):
        if renew(certificate, now=now) is not None:
            renewed += 1
    return renewed
