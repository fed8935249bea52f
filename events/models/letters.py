"""Letters to municipalities («Письма муниципалитетам», issue 18): the authorized body sends a material of
the library (an information letter, methodological recommendations, a court-practice or legislation
review) to the anti-corruption coordinators of chosen municipalities; each recipient presses
«Ознакомлен»; managers see who has and has not, and remind the rest.

The recipients, acknowledgements and reminders are append-only (``people.append_only``): who got the
letter is fixed when it is sent, an acknowledgement is never withdrawn, a reminder is a fact. Rows leave
only with the whole letter through the retention rule (:mod:`events.letters.privacy`).

State changes go through :mod:`events.letters.services`; access through :mod:`events.letters.access`.
See ``docs/letters.md``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.append_only import AppendOnlyModel, AppendOnlyViolation

SUBJECT_MAX_LENGTH = 255
MESSAGE_MAX_LENGTH = 5000
LEGAL_NORM_MAX_LENGTH = 255


class LetterChanged(AppendOnlyViolation):
    """A recipient, acknowledgement or reminder of a letter is never changed or deleted."""


class LetterQuerySet(models.QuerySet):
    def sent_between(self, start, end):
        """Sent within ``[start, end)`` (aware datetimes)."""
        return self.filter(sent_at__gte=start, sent_at__lt=end)


class Letter(models.Model):
    material = models.ForeignKey(
        "cms.MaterialPage",
        verbose_name=_("материал"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.CharField(_("тема письма"), max_length=SUBJECT_MAX_LENGTH)
    message = models.TextField(_("сопроводительный текст"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    legal_norm = models.CharField(
        _("норма закона"),
        max_length=LEGAL_NORM_MAX_LENGTH,
        blank=True,
        help_text=_("Для письма об изменении закона, например «ст. 12 273-ФЗ»."),
    )
    all_municipalities = models.BooleanField(_("всем муниципальным образованиям"), default=False)
    municipalities = models.ManyToManyField(
        "people.Municipality",
        verbose_name=_("муниципальные образования"),
        blank=True,
        related_name="+",
        help_text=_("Вместе с поселениями в их составе."),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто отправил"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("отправлено"), default=timezone.now)
    recipient_count = models.PositiveIntegerField(_("получателей"), default=0)
    mailed_count = models.PositiveIntegerField(_("писем на почту"), default=0)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("письмо муниципалитетам")
        verbose_name_plural = _("письма муниципалитетам")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["sent_at"], name="letter_sent_at")]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("letters:status", args=[self.pk])


class LetterRecipient(AppendOnlyModel):
    """A coordinator the letter was sent to; the municipality and organization as they were then."""

    letter = models.ForeignKey(
        Letter, verbose_name=_("письмо"), on_delete=models.CASCADE, related_name="recipients"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("получатель"),
        on_delete=models.CASCADE,
        related_name="letters_received",
    )
    municipality = models.ForeignKey(
        "people.Municipality",
        verbose_name=_("муниципальное образование"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        "people.Organization",
        verbose_name=_("организация"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    mail = models.ForeignKey(
        "people.OutgoingMail",
        verbose_name=_("письмо на почту"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("отправлено"), default=timezone.now)

    changed_error = LetterChanged

    class Meta:
        verbose_name = _("получатель письма")
        verbose_name_plural = _("получатели писем")
        ordering = ["letter", "pk"]
        constraints = [models.UniqueConstraint(fields=["letter", "user"], name="letter_recipient_once")]
        indexes = [models.Index(fields=["user", "created_at"], name="letter_recipient_user")]

    def __str__(self):
        return f"{self.letter_id}: {self.user_id}"


class LetterAcknowledgement(AppendOnlyModel):
    """«Ознакомлен»: once per recipient, with the time it was pressed."""

    recipient = models.OneToOneField(
        LetterRecipient,
        verbose_name=_("получатель"),
        on_delete=models.CASCADE,
        related_name="acknowledgement",
    )
    acknowledged_at = models.DateTimeField(_("ознакомлен"), default=timezone.now)

    changed_error = LetterChanged

    class Meta:
        verbose_name = _("отметка об ознакомлении")
        verbose_name_plural = _("отметки об ознакомлении")

    def __str__(self):
        return f"{self.recipient_id}: {self.acknowledged_at:%Y-%m-%d %H:%M}"


class LetterReminder(AppendOnlyModel):
    """A manager reminded the recipients of their scope who had not acknowledged the letter."""

    letter = models.ForeignKey(
        Letter, verbose_name=_("письмо"), on_delete=models.CASCADE, related_name="reminders"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто напомнил"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    scope = models.CharField(_("границы доступа"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("время"), default=timezone.now)
    recipients = models.ManyToManyField(
        LetterRecipient,
        verbose_name=_("кому"),
        through="LetterReminderRecipient",
        related_name="reminders",
    )

    changed_error = LetterChanged

    class Meta:
        verbose_name = _("напоминание о письме")
        verbose_name_plural = _("напоминания о письмах")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.letter_id}: {self.created_at:%Y-%m-%d %H:%M}"


class LetterReminderRecipient(AppendOnlyModel):
    reminder = models.ForeignKey(LetterReminder, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(LetterRecipient, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("время"), default=timezone.now)

    changed_error = LetterChanged

    class Meta:
        verbose_name = _("кому напомнили")
        verbose_name_plural = _("кому напомнили")
        constraints = [
            models.UniqueConstraint(fields=["reminder", "recipient"], name="letter_reminder_recipient_once")
        ]
        indexes = [models.Index(fields=["recipient", "created_at"], name="letter_reminded_recipient")]
