"""Follow-up sittings taken before sittings had contexts move into their event's context
("event:<id>"), so that attempts are counted per event."""

from django.db import migrations


def follow_up_contexts(apps, schema_editor):
    FollowUpSitting = apps.get_model("events", "FollowUpSitting")
    Sitting = apps.get_model("quizzes", "Sitting")
    for sitting_id, event_id in FollowUpSitting.objects.values_list("sitting_id", "event_id").iterator():
        Sitting.objects.filter(pk=sitting_id, context="").update(context=f"event:{event_id}")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_event_follow_up_quiz"),
        ("quizzes", "0004_sitting_context"),
    ]

    operations = [migrations.RunPython(follow_up_contexts, migrations.RunPython.noop, elidable=True)]
