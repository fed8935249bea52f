"""The record of mass messages: the message and its recipients, written once (append-only)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..append_only import AppendOnlyModel, AppendOnlyViolation

SUBJECT_MAX = 200
BODY_MAX = 5000


class BroadcastChanged(AppendOnlyViolation):
    """Mass messages are a record: never changed or deleted once sent."""


class Broadcast(AppendOnlyModel):
    created_at = models.DateTimeField(_("когда"), default=timezone.now, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("кто"), on_delete=models.PROTECT, related_name="+"
    )
    author_name = models.CharField(_("кто (как на момент рассылки)"), max_length=300)
    scope = models.CharField(_("границы доступа"), max_length=500)
    criteria = models.JSONField(
        _("кому"), default=list, help_text=_("Условия отбора получателей словами: пары «условие — значение».")
    )
    subject = models.CharField(_("тема"), max_length=SUBJECT_MAX)
    body = models.TextField(_("текст"), max_length=BODY_MAX)
    link_url = models.CharField(_("ссылка"), max_length=500, blank=True)
    link_text = models.CharField(_("текст ссылки"), max_length=200, blank=True)
    recipient_count = models.PositiveIntegerField(_("получателей"))
    mailed_count = models.PositiveIntegerField(_("писем"))

    changed_error = BroadcastChanged

    class Meta:
        verbose_name = _("рассылка")
        verbose_name_plural = _("рассылки")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.author_name}: {self.subject}"


class BroadcastRecipient(AppendOnlyModel):
    broadcast = models.ForeignKey(
        Broadcast, verbose_name=_("рассылка"), on_delete=models.CASCADE, related_name="recipients"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("получатель"),
        on_delete=models.CASCADE,
        related_name="broadcasts_received",
    )
    mail = models.ForeignKey(
        "people.OutgoingMail",
        verbose_name=_("письмо"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Пусто — у получателя нет адреса электронной почты: он видит сообщение в личном кабинете."
        ),
    )

    changed_error = BroadcastChanged

    class Meta:
        verbose_name = _("получатель рассылки")
        verbose_name_plural = _("получатели рассылки")
        constraints = [models.UniqueConstraint("broadcast", "user", name="broadcastrecipient_once")]
        indexes = [models.Index(fields=["user", "broadcast"], name="broadcastrecipient_user")]

    def __str__(self):
        return f"{self.user}: {self.broadcast.subject}"
