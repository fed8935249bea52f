"""Sittings of a course's final quiz taken before sittings had contexts move into the course's context
("course:<id>"), so that the course keeps its results and its attempts count."""

from django.db import migrations


def final_quiz_contexts(apps, schema_editor):
    Sitting = apps.get_model("quizzes", "Sitting")
    Enrollment = apps.get_model("courses", "Enrollment")
    pairs = (
        Enrollment.objects.filter(course__final_quiz__isnull=False)
        .values_list("user_id", "course_id", "course__final_quiz_id")
        .order_by("user_id", "course_id")
        .distinct()
    )
    for user_id, course_id, quiz_id in pairs:
        # A person in two courses with the same final quiz: the first course takes the old sittings.
        Sitting.objects.filter(user_id=user_id, quiz_id=quiz_id, context="", campaign__isnull=True).update(
            context=f"course:{course_id}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_recertification"),
        ("quizzes", "0004_sitting_context"),
        # Follow-up sittings are filed under their event first, so that a follow-up on a course's
        # final quiz is not taken for the course's.
        ("events", "0004_follow_up_sitting_context"),
    ]

    operations = [migrations.RunPython(final_quiz_contexts, migrations.RunPython.noop, elidable=True)]
