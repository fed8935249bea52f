"""Notices of a test campaign to its audience: the opening, a reminder before the close, the result.

One row per campaign, person and kind (a unique constraint): whoever inserts it first is the one run
that sends it, so a notice is never given twice. The row keeps the notice's text for «Мой кабинет»
(people without an e-mail address see it there only) and whether its letter went to the outbox.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .campaigns import TestCampaign


class CampaignNotice(models.Model):
    class Kind(models.TextChoices):
        OPENING = "opening", _("об открытии")
        REMINDER = "reminder", _("напоминание")
        RESULT = "result", _("результат")

    class Status(models.TextChoices):
        PENDING = "pending", _("письмо ожидает очереди")
        SENT = "sent", _("письмо в очереди")
        NO_EMAIL = "no_email", _("нет адреса электронной почты")
        FAILED = "failed", _("письмо не поставлено в очередь")

    campaign = models.ForeignKey(
        TestCampaign, verbose_name=_("тестирование"), on_delete=models.CASCADE, related_name="notices"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("слушатель"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("вид уведомления"), max_length=16, choices=Kind.choices)
    sitting = models.ForeignKey(
        "quizzes.Sitting",
        verbose_name=_("попытка"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("текст"))
    status = models.CharField(_("письмо"), max_length=16, choices=Status.choices, default=Status.PENDING)
    batch = models.UUIDField(editable=False)
    created_at = models.DateTimeField(_("создано"), default=timezone.now)
    sent_at = models.DateTimeField(_("письмо поставлено в очередь"), null=True, blank=True)

    class Meta:
        verbose_name = _("уведомление о тестировании")
        verbose_name_plural = _("уведомления о тестировании")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint("campaign", "user", "kind", name="campaignnotice_once_per_person"),
        ]
        indexes = [models.Index(fields=["user", "created_at"], name="campaignnotice_user_created")]

    def __str__(self):
        return f"{self.user}: {self.text}"
