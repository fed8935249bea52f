"""``EMAIL_BACKEND``: Django's and Wagtail's mail (the admin's moderation notifications, its password
reset) joins the outbox instead of being sent during the request."""

from django.core.mail.backends.base import BaseEmailBackend

from .kinds import NOTIFICATION
from .services import Message, enqueue_many


def messages_from(email):
    """One outbox :class:`Message` per recipient of a Django ``EmailMessage``."""
    if email.attachments:
        raise ValueError("The outbox does not keep attachments; send a link instead.")
    html = ""
    for content, mimetype in getattr(email, "alternatives", None) or ():
        if mimetype == "text/html":
            html = content
    headers = {
        name: value for name, value in (email.extra_headers or {}).items() if name.lower() != "message-id"
    }
    return [
        Message(
            to=recipient,
            subject=email.subject,
            body=email.body,
            kind=NOTIFICATION,
            html=html,
            headers=headers,
            from_email=email.from_email or "",
        )
        for recipient in email.recipients()
    ]


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        messages = []
        try:
            for email in email_messages:
                messages += messages_from(email)
            enqueue_many(messages)
        except Exception:
            if not self.fail_silently:
                raise
            return 0
        return len(email_messages)
