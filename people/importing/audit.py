"""The admin log of an import's deactivations and reactivations (Wagtail's «Журнал действий»).

Each switched person gets a log entry on their account naming the file; the entries of one import share
a UUID, so the log answers "who was deactivated by which import". The two actions are registered with
Wagtail here; this module is imported by the import service, which ``people/wagtail_hooks.py`` loads
with the admin page.
"""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.models import ModelLogEntry

from people.models import User

DEACTIVATED = "people.import.deactivate"
REACTIVATED = "people.import.reactivate"
WRITE_BATCH = 500


@hooks.register("register_log_actions")
def register_import_log_actions(actions):
    @actions.register_action(DEACTIVATED)
    class Deactivated(LogFormatter):
        label = _("Деактивация по кадровому списку")

        def format_message(self, log_entry):
            data = log_entry.data
            return gettext(
                "Учётная запись деактивирована: человека нет в полном кадровом списке «%(file)s» "
                "(%(organization)s)"
            ) % {"file": data.get("file", ""), "organization": data.get("organization", "")}

    @actions.register_action(REACTIVATED)
    class Reactivated(LogFormatter):
        label = _("Восстановление по кадровому списку")

        def format_message(self, log_entry):
            message = gettext(
                "Учётная запись снова активна: человек есть в полном кадровом списке «%(file)s»"
            )
            return message % {"file": log_entry.data.get("file", "")}


def log_activity(plan, *, user, filename, now=None):
    """Log entries for the plan's leavers and returners (call inside the import's transaction)."""
    content_type = ContentType.objects.get_for_model(User)
    now = now or timezone.now()
    import_id = uuid.uuid4()
    acting = user if user is not None and user.is_authenticated else None
    entries = [
        ModelLogEntry(
            content_type=content_type,
            object_id=str(person.pk),
            label=person.name,
            action=action,
            data={"file": filename, "organization": person.organization, "import": str(import_id)},
            timestamp=now,
            uuid=import_id,
            user=acting,
            content_changed=True,
        )
        for action, people in ((DEACTIVATED, plan.leavers), (REACTIVATED, plan.returners))
        for person in people
    ]
    ModelLogEntry.objects.bulk_create(entries, batch_size=WRITE_BATCH)
    return import_id
