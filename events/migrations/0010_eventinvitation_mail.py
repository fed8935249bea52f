# Event invitations keep their outbox letter (events/invitations.py, docs/events.md): the letter's fate
# («не отправлено») and «Отправить повторно» follow the link, not the letter's event header any more.

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery

MAIL_KIND = "event_invitation"
EVENT_HEADER = "X-Antikor-Event"  # what invitation letters carried before the link


def link_letters(apps, schema_editor):
    """Link each earlier invitation to its newest outbox letter, found as the pages found it before: a
    letter of the person with the event in its header, or (letters queued before the header) without
    the header, queued during the run that sent the invitation."""
    EventInvitation = apps.get_model("events", "EventInvitation")
    OutgoingMail = apps.get_model("people", "OutgoingMail")
    unlinked = EventInvitation.objects.filter(mail__isnull=True)
    for event_id in unlinked.values_list("event_id", flat=True).distinct().order_by():
        marked = Q(**{f"headers__{EVENT_HEADER}": str(event_id)})
        unmarked = ~Q(headers__has_key=EVENT_HEADER) & Q(
            created_at__gte=OuterRef("created_at"), created_at__lte=OuterRef("sent_at")
        )
        newest = (
            OutgoingMail.objects.filter(
                Q(kind=MAIL_KIND, person_id=OuterRef("user_id")) & (marked | unmarked)
            )
            .order_by("-created_at", "-pk")
            .values("pk")[:1]
        )
        unlinked.filter(event_id=event_id).update(mail=Subquery(newest))


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0009_contest"),
        ("people", "0008_audience_owner_municipality"),
    ]

    operations = [
        migrations.AddField(
            model_name="eventinvitation",
            name="mail",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="people.outgoingmail",
                verbose_name="письмо на почту",
            ),
        ),
        migrations.RunPython(link_letters, migrations.RunPython.noop, elidable=True),
    ]
