"""Follow-up sittings taken before sittings had contexts move into their event's context
("event:<id>"), so that attempts are counted per event. One UPDATE."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Cast, Concat


def follow_up_contexts(apps, schema_editor):
    FollowUpSitting = apps.get_model("events", "FollowUpSitting")
    Sitting = apps.get_model("quizzes", "Sitting")
    event = FollowUpSitting.objects.filter(sitting_id=OuterRef("pk")).values("event_id")[:1]
    Sitting.objects.filter(context="", pk__in=FollowUpSitting.objects.values("sitting_id")).update(
        context=Concat(models.Value("event:"), Cast(Subquery(event), models.CharField()))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_event_follow_up_quiz"),
        ("quizzes", "0004_sitting_context"),
    ]

    operations = [migrations.RunPython(follow_up_contexts, migrations.RunPython.noop, elidable=True)]
