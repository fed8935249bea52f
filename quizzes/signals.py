"""Signal receivers of remote testing: tell the live monitor when a campaign's sitting starts or ends."""

from django.db import transaction
from django.db.models.signals import post_save

from .models import Sitting
from .monitor import notify_campaign_changed


def sitting_saved(sender, instance, created, update_fields=None, **kwargs):
    """A campaign sitting was created or changed state: notify after the commit (cheap, no query)."""
    if instance.campaign_id is None:
        return
    if not created and update_fields is not None and "state" not in update_fields:
        return
    campaign_id = instance.campaign_id
    transaction.on_commit(lambda: notify_campaign_changed(campaign_id), robust=True)


def connect():
    post_save.connect(sitting_saved, sender=Sitting, dispatch_uid="quizzes_sitting_saved_monitor")
