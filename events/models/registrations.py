"""A person's registration for an event, with a waiting list when the seats run out.

State changes go through :mod:`events.services` (``register``, ``cancel``), which lock the event row so
that seats are counted and handed out one request at a time.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RegistrationQuerySet(models.QuerySet):
    def registered(self):
        return self.filter(status=Registration.Status.REGISTERED)

    def waitlisted(self):
        """The waiting list, first in line first."""
        return self.filter(status=Registration.Status.WAITLISTED).order_by("position", "created", "pk")

    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("зарегистрирован")
        WAITLISTED = "waitlisted", _("в листе ожидания")
        CANCELLED = "cancelled", _("регистрация отменена")

    event = models.ForeignKey(
        "events.EventPage",
        verbose_name=_("мероприятие"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("участник"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    status = models.CharField(_("статус"), max_length=20, choices=Status.choices, default=Status.REGISTERED)
    created = models.DateTimeField(_("создана"), default=timezone.now)
    updated = models.DateTimeField(_("изменена"), default=timezone.now)
    position = models.PositiveIntegerField(
        _("номер в листе ожидания"),
        null=True,
        blank=True,
        help_text=_("Порядковый номер постановки в лист ожидания; первым получает место наименьший."),
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("регистрация на мероприятие")
        verbose_name_plural = _("регистрации на мероприятия")
        ordering = ["event", "created", "pk"]
        constraints = [
            models.UniqueConstraint("event", "user", name="registration_unique_event_user"),
        ]
        indexes = [models.Index(fields=["event", "status", "position"])]

    def __str__(self):
        return f"{self.user} — {self.event} ({self.get_status_display()})"

    @property
    def is_active(self):
        return self.status != self.Status.CANCELLED

    def waitlist_place(self):
        """1 for the first in line; None unless on the waiting list."""
        if self.status != self.Status.WAITLISTED:
            return None
        ahead = (
            Registration.objects.waitlisted()
            .filter(event_id=self.event_id)
            .filter(models.Q(position__lt=self.position) | models.Q(position=self.position, pk__lt=self.pk))
            .count()
        )
        return ahead + 1
