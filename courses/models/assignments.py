"""Assignments: a course given to an audience with a due date (fixed, or so many days after hire)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Reminder lead time for enrolments no active assignment speaks for (the field's default).
DEFAULT_REMIND_DAYS_BEFORE = 7


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def remind_days_by_course(self):
        """``{course_id: days}``: the longest reminder lead time of each course's active assignments."""
        rows = self.active().values("course_id").annotate(days=models.Max("remind_days_before"))
        return {row["course_id"]: row["days"] for row in rows.order_by()}


class Assignment(models.Model):
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("курс"), on_delete=models.CASCADE, related_name="assignments"
    )
    audience = models.ForeignKey(
        "people.Audience",
        verbose_name=_("аудитория"),
        on_delete=models.PROTECT,
        related_name="course_assignments",
        help_text=_("Кому назначен курс. Новые люди, подходящие под правило, записываются автоматически."),
    )
    due_date = models.DateField(_("пройти до"), null=True, blank=True)
    due_days_after_hire = models.PositiveIntegerField(
        _("пройти в течение N дней после поступления на службу"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Для людей без даты поступления срок считается от даты назначения."),
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("напомнить за N дней до срока"), default=DEFAULT_REMIND_DAYS_BEFORE
    )
    is_active = models.BooleanField(
        _("действует"), default=True, help_text=_("Недействующее назначение никого не записывает.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("создал"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("создано"), default=timezone.now, editable=False)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("назначение курса")
        verbose_name_plural = _("назначения курсов")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(due_date__isnull=False, due_days_after_hire__isnull=True)
                    | Q(due_date__isnull=True, due_days_after_hire__isnull=False)
                ),
                name="assignment_one_kind_of_due_date",
            ),
        ]

    def __str__(self):
        return _("%(course)s — %(audience)s") % {"course": self.course, "audience": self.audience}

    def clean(self):
        if (self.due_date is None) == (self.due_days_after_hire is None):
            message = _("Укажите либо дату, до которой нужно пройти курс, либо число дней после поступления.")
            raise ValidationError({"due_date": message, "due_days_after_hire": message})

    def due_date_for(self, hire_date):
        """The person's due date: the fixed one, or ``due_days_after_hire`` after the hire date
        (after the assignment's own date for people without one)."""
        if self.due_date is not None:
            return self.due_date
        start = hire_date or timezone.localdate(self.created_at)
        return start + datetime.timedelta(days=self.due_days_after_hire)
