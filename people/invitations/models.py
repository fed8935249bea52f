"""The record of invitations (who invited whom, how and when) and the one-time codes they carry."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InvitationQuerySet(models.QuerySet):
    def usable_codes(self, now=None):
        """Codes not used, not replaced by newer ones and not expired."""
        return self.filter(
            channel=Invitation.Channel.CODE,
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now or timezone.now(),
        )


class Invitation(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("письмо со ссылкой")
        CODE = "code", _("код для печати")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кого пригласили"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    channel = models.CharField(_("как"), max_length=8, choices=Channel.choices)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто пригласил"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_by_name = models.CharField(
        _("кто пригласил (как был записан)"), max_length=300, help_text=_("«система» для команды.")
    )
    created_at = models.DateTimeField(_("когда"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("действует до"))
    mail = models.ForeignKey(
        "people.OutgoingMail",
        verbose_name=_("письмо"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    code_hash = models.CharField(_("код (хеш)"), max_length=64, blank=True, editable=False)
    used_at = models.DateTimeField(_("код использован"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("код заменён новым"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("приглашение")
        verbose_name_plural = _("приглашения")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "channel", "created_at"], name="invitation_person")]

    def __str__(self):
        return f"{self.person} — {self.get_channel_display()}, {self.created_at:%d.%m.%Y %H:%M}"
