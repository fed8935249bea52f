"""The outbox table: one row per message and recipient, with what happened to it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingMailQuerySet(models.QuerySet):
    def due(self, now):
        """Waiting messages whose (next) attempt may be made now, most urgent and oldest first."""
        return self.filter(status=OutgoingMail.Status.WAITING, next_attempt_at__lte=now).order_by(
            "priority", "next_attempt_at", "pk"
        )

    def in_flight(self):
        return self.filter(status=OutgoingMail.Status.SENDING)


class OutgoingMail(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("в очереди")
        SENDING = "sending", _("отправляется")
        SENT = "sent", _("отправлено")
        FAILED = "failed", _("не отправлено")

    kind = models.CharField(_("вид письма"), max_length=64)
    recipient = models.CharField(_("получатель"), max_length=320)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кому (учётная запись)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outgoing_mail",
    )
    from_email = models.CharField(
        _("отправитель"), max_length=320, blank=True, help_text=_("Пусто — DEFAULT_FROM_EMAIL при отправке.")
    )
    subject = models.CharField(_("тема"), max_length=998)
    body = models.TextField(_("текст"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("заголовки"), default=dict, blank=True)
    priority = models.PositiveSmallIntegerField(_("очерёдность"), default=5)
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices, default=Status.WAITING)
    attempts = models.PositiveSmallIntegerField(_("попыток"), default=0)
    last_error = models.TextField(_("последняя ошибка"), blank=True)
    created_at = models.DateTimeField(_("поставлено в очередь"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("следующая попытка"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("последняя попытка"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("взято в отправку"), null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("исходящее письмо")
        verbose_name_plural = _("исходящие письма")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "priority", "next_attempt_at"], name="outgoingmail_due"),
            models.Index(fields=["last_attempt_at"], name="outgoingmail_last_attempt"),
            models.Index(fields=["created_at"], name="outgoingmail_created"),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"
