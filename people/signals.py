from django.db.models.signals import post_migrate
from django.dispatch import receiver

from .roles import ensure_roles


@receiver(post_migrate)
def create_role_groups(sender, **kwargs):
    # post_migrate fires once per app; permissions of later apps appear as they are migrated,
    # so the groups are brought up to date each time (cheap and idempotent).
    ensure_roles()
