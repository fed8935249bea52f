"""The outbox: every message the platform sends is queued here and delivered in the background.

* :func:`enqueue` (and :func:`enqueue_many`) store a message as an :class:`OutgoingMail` in the
  caller's transaction and ask the task worker to deliver after the commit;
* Django's and Wagtail's own mail (the admin's notifications) reaches the same queue through
  ``EMAIL_BACKEND = "people.mail.backends.OutboxBackend"``;
* :func:`deliver_due` sends what is due through ``EMAIL_DELIVERY_BACKEND`` (SMTP in production), at
  most ``MAIL_RATE_PER_MINUTE`` a minute, retrying with a growing pause up to ``MAIL_MAX_ATTEMPTS``;
  the task ``people.tasks.send_mail_queue`` and ``manage.py send_mail_queue`` run it;
* kinds of mail are registered with :func:`register_kind` (other apps in ``AppConfig.ready``), so
  the managers' page names them in Russian.
"""

from .kinds import Kind, kind_label, register_kind, registered_kinds
from .letters import letter_text
from .services import (
    Message,
    deliver_due,
    enqueue,
    enqueue_many,
    enqueue_pending,
    request_delivery,
    retry_failed,
)

__all__ = [
    "Kind",
    "Message",
    "deliver_due",
    "enqueue",
    "enqueue_many",
    "enqueue_pending",
    "kind_label",
    "letter_text",
    "register_kind",
    "registered_kinds",
    "request_delivery",
    "retry_failed",
]
