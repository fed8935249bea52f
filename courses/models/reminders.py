"""Notices about assigned courses — the assignment, its due date coming, the due date passed — by mail
and in «Мой кабинет»; a row per enrolment and kind, so none is ever given twice."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("курс назначен")
        BEFORE_DUE = "before_due", _("срок подходит")
        OVERDUE = "overdue", _("срок истёк")

    class Status(models.TextChoices):
        PENDING = "pending", _("ожидает отправки")
        SENT = "sent", _("отправлено")
        NO_EMAIL = "no_email", _("нет адреса электронной почты")
        FAILED = "failed", _("не удалось отправить")

    enrollment = models.ForeignKey(
        "courses.Enrollment",
        verbose_name=_("запись на курс"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("состояние"), max_length=20, choices=Status.choices, default=Status.PENDING)
    due_date = models.DateField(_("срок на момент напоминания"))
    created_at = models.DateTimeField(_("создано"), default=timezone.now)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True)
    # The run that created the row: a run sends only what it created itself.
    batch = models.UUIDField(editable=False, default=uuid.uuid4, db_index=True)

    class Meta:
        verbose_name = _("напоминание")
        verbose_name_plural = _("напоминания")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint("enrollment", "kind", name="reminder_once_per_enrollment_kind")
        ]

    def __str__(self):
        return f"{self.enrollment} — {self.get_kind_display()}"
