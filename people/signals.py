from django.db import transaction
from django.db.models.signals import post_migrate, post_save, pre_save
from django.dispatch import receiver

from .events import AUDIENCE_FIELDS, people_changed, touches_audience
from .models import User
from .roles import ensure_roles


@receiver(post_migrate)
def create_role_groups(sender, **kwargs):
    # post_migrate fires once per app; permissions of later apps appear as they are migrated,
    # so the groups are brought up to date each time (cheap and idempotent).
    ensure_roles()


# --- People whom an audience may newly include: tell the other apps (see people.events). -------------


@receiver(pre_save, sender=User, dispatch_uid="people_remember_audience_fields")
def remember_audience_fields(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before saving an existing person, fetch what audiences look at (one small query)."""
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not touches_audience(update_fields):
        return  # e.g. last_login on every sign-in
    instance._audience_fields_before = (
        User.objects.filter(pk=instance.pk).values_list(*AUDIENCE_FIELDS).first()
    )


@receiver(post_save, sender=User, dispatch_uid="people_announce_audience_change")
def announce_audience_change(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = instance.__dict__.pop("_audience_fields_before", None)
    if not created:
        after = tuple(getattr(instance, name) for name in AUDIENCE_FIELDS)
        if before is None or before == after:
            return
    user_ids = [instance.pk]
    transaction.on_commit(lambda: people_changed.send(sender=User, user_ids=user_ids), robust=True)
