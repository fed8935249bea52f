"""Applying assignments: enrol everybody an assignment's audience covers, in bulk.

An assignment enrols with source "assigned" and the person's due date. A person who is already
enrolled keeps the enrolment; as in :func:`courses.services.enrol`, it becomes "assigned" and keeps
the earlier due date. Applying again changes nothing.
"""

from django.db import transaction
from django.utils import timezone

from .models import Assignment, Enrollment

# User ids per query when applying to a list of people (well below every backend's parameter limit).
CHUNK = 900
WRITE_BATCH = 1000


def apply_assignment(assignment, today=None, user_ids=None):
    """Enrol the audience's members (or those of ``user_ids`` who are members); returns how many were new."""
    members = assignment.audience.members(today)
    if user_ids is not None:
        members = members.filter(pk__in=user_ids)
    hire_dates = dict(members.order_by().values_list("pk", "hire_date"))
    if not hire_dates:
        return 0
    course = assignment.course
    existing = Enrollment.objects.active().filter(course=course, user_id__in=members.order_by().values("pk"))
    updated = []
    for enrollment in existing.only("pk", "user_id", "source", "due_date"):
        due_date = assignment.due_date_for(hire_dates.pop(enrollment.user_id, None))
        if enrollment.make_assigned(due_date):
            updated.append(enrollment)
    now = timezone.now()
    new = [
        Enrollment(
            user_id=user_id,
            course=course,
            source=Enrollment.Source.ASSIGNED,
            due_date=assignment.due_date_for(hire_date),
            enrolled_at=now,
        )
        for user_id, hire_date in hire_dates.items()
    ]
    with transaction.atomic():
        if updated:
            Enrollment.objects.bulk_update(updated, ["source", "due_date"], batch_size=WRITE_BATCH)
        # A person enrolled in parallel (the partial unique constraint) is skipped, not an error.
        Enrollment.objects.bulk_create(new, batch_size=WRITE_BATCH, ignore_conflicts=True)
    return len(new)


def apply_assignments_for_people(user_ids, today=None):
    """Apply every active assignment to these people (new, or changed where audiences look)."""
    user_ids = sorted(set(user_ids))
    if not user_ids:
        return 0
    created = 0
    assignments = Assignment.objects.active().select_related("course", "audience")
    for assignment in assignments:
        for start in range(0, len(user_ids), CHUNK):
            created += apply_assignment(assignment, today=today, user_ids=user_ids[start : start + CHUNK])
    return created


def reapply_assignments(today=None):
    """Apply every active assignment again (nightly): people who newly match because time passed,
    e.g. whose hire date has come within a "hired within N days" window, are enrolled; everybody
    else is left as is. Returns how many were enrolled."""
    assignments = Assignment.objects.active().select_related("course", "audience").order_by("pk")
    return sum(apply_assignment(assignment, today=today) for assignment in assignments)
