"""A final quiz passed on the test page completes the course at once (after the commit).

The course and cabinet pages also check completion when they are opened, so nothing is lost if a
sitting is finished some other way (a trainer grading an essay, the overdue sweep).
"""

from django.db import transaction
from django.db.models.signals import post_save

from quizzes.models import Sitting

from . import services
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


def connect():
    post_save.connect(sitting_saved, sender=Sitting, dispatch_uid="courses_sitting_saved_completion")
