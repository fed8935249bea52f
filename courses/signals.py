"""Receivers of the courses app.

A final quiz passed on the test page completes the course at once (after the commit). The course
and cabinet pages also check completion when they are opened, so nothing is lost if a sitting is
finished some other way (a trainer grading an essay, the overdue sweep).

New people, and people whose audience fields changed (``people.events.people_changed``), are
enrolled in the courses that active assignments give them.
"""

from django.db import transaction
from django.db.models.signals import post_save

from people.events import people_changed
from quizzes.models import Sitting

from . import services
from .assignments import apply_assignments_for_people
from .models import Enrollment


def complete_courses_of(user_id, quiz_id):
    for enrollment in (
        Enrollment.objects.for_final_quiz(quiz_id).filter(user_id=user_id).select_related("course")
    ):
        services.check_completion(enrollment)


def sitting_saved(sender, instance, created, update_fields=None, **kwargs):
    if instance.state != Sitting.State.FINISHED or not instance.passed:
        return
    if update_fields is not None and "state" not in update_fields and "passed" not in update_fields:
        return
    user_id, quiz_id = instance.user_id, instance.quiz_id
    transaction.on_commit(lambda: complete_courses_of(user_id, quiz_id), robust=True)


def people_changed_received(sender, user_ids, **kwargs):
    apply_assignments_for_people(user_ids)


def connect():
    post_save.connect(sitting_saved, sender=Sitting, dispatch_uid="courses_sitting_saved_completion")
    people_changed.connect(people_changed_received, dispatch_uid="courses_people_changed_assignments")
