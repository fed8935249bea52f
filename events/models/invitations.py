"""Invitations of an event's audience (issue 18): one row per event and person, never two.

The organizer sends them from the event's invitations page (:mod:`events.invitations`). Whoever inserts
the row first is the one run that sends the letter (a unique constraint), so nobody is invited twice to
the same event; the row also keeps whether the letter went to the outbox (and which outbox letter it is),
and it is the notice shown in
«Мой кабинет» (people without an e-mail address see it there only).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventInvitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("письмо ожидает очереди")
        SENT = "sent", _("письмо в очереди")
        NO_EMAIL = "no_email", _("нет адреса электронной почты")
        FAILED = "failed", _("письмо не поставлено в очередь")

    event = models.ForeignKey(
        "events.EventPage",
        verbose_name=_("мероприятие"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("приглашённый"),
        on_delete=models.CASCADE,
        related_name="event_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто пригласил"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("письмо"), max_length=16, choices=Status.choices, default=Status.PENDING)
    batch = models.UUIDField(editable=False)
    created_at = models.DateTimeField(_("приглашён"), default=timezone.now)
    sent_at = models.DateTimeField(_("письмо поставлено в очередь"), null=True, blank=True)
    # The newest letter queued for the invitation (a letter sent again replaces it): its fate in the outbox.
    mail = models.ForeignKey(
        "people.OutgoingMail",
        verbose_name=_("письмо на почту"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("приглашение на мероприятие")
        verbose_name_plural = _("приглашения на мероприятия")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint("event", "user", name="eventinvitation_once_per_person"),
        ]
        indexes = [models.Index(fields=["user", "created_at"], name="eventinvitation_user_created")]

    def __str__(self):
        return f"{self.user} → {self.event}"
