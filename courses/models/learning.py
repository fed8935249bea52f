"""Who learns what: enrolments in courses and the progress through their lessons."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EnrollmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def current(self):
        """Active and not completed yet."""
        return self.active().filter(completed_at__isnull=True)

    def completed(self):
        return self.active().filter(completed_at__isnull=False)

    def for_final_quiz(self, quiz_id):
        return self.current().filter(course__final_quiz_id=quiz_id)


class Enrollment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("записался сам")
        ASSIGNED = "assigned", _("назначен")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("слушатель"),
        on_delete=models.CASCADE,
        related_name="enrollments",
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("курс"), on_delete=models.CASCADE, related_name="enrollments"
    )
    source = models.CharField(_("основание"), max_length=20, choices=Source.choices, default=Source.SELF)
    enrolled_at = models.DateTimeField(_("записан"), default=timezone.now)
    due_date = models.DateField(_("пройти до"), null=True, blank=True)
    completed_at = models.DateTimeField(_("курс завершён"), null=True, blank=True)
    certificate = models.ForeignKey(
        "courses.Certificate",
        verbose_name=_("сертификат"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    renews = models.OneToOneField(
        "courses.Certificate",
        verbose_name=_("переаттестация по сертификату"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewal",
        help_text=_("Сертификат, срок которого истекает: запись для его продления (одна на сертификат)."),
    )
    is_active = models.BooleanField(
        _("действует"),
        default=True,
        help_text=_("Прежние записи (например, до переаттестации) не действуют."),
    )

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("запись на курс")
        verbose_name_plural = _("записи на курсы")
        ordering = ["-enrolled_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "user", "course", condition=Q(is_active=True), name="enrollment_one_active_per_user_course"
            ),
        ]
        indexes = [models.Index(fields=["course", "completed_at"], name="enrollment_course_completed")]

    def __str__(self):
        return f"{self.user} — {self.course}"

    @property
    def is_completed(self):
        return self.completed_at is not None

    def make_assigned(self, due_date=None):
        """Turn this enrolment into an assigned one, keeping the earlier due date; returns the changed
        field names (unsaved). An assignment never loosens a deadline the person already has."""
        changed = []
        if self.source != self.Source.ASSIGNED:
            self.source = self.Source.ASSIGNED
            changed.append("source")
        if due_date is not None and (self.due_date is None or due_date < self.due_date):
            self.due_date = due_date
            changed.append("due_date")
        return changed

    @property
    def is_renewal(self):
        return self.renews_id is not None

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return not self.is_completed and self.due_date is not None and self.due_date < today

    def studied_lesson_ids(self):
        return set(self.lesson_progress.filter(studied_at__isnull=False).values_list("lesson_id", flat=True))

    def next_lesson(self, lessons=None):
        """The first live lesson not studied yet (where "Продолжить" leads), or None."""
        lessons = list(self.course.lessons() if lessons is None else lessons)
        studied = self.studied_lesson_ids()
        return next((lesson for lesson in lessons if lesson.pk not in studied), None)

    def progress(self):
        """``(studied, total)`` over the course's live lessons."""
        lesson_ids = list(self.course.lessons().values_list("pk", flat=True))
        studied = self.lesson_progress.filter(lesson_id__in=lesson_ids, studied_at__isnull=False).count()
        return studied, len(lesson_ids)

    def progress_percent(self):
        studied, total = self.progress()
        return round(studied * 100 / total) if total else (100 if self.is_completed else 0)


class LessonProgress(models.Model):
    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("запись на курс"), on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", verbose_name=_("урок"), on_delete=models.CASCADE, related_name="progress"
    )
    opened_at = models.DateTimeField(_("открыт"), default=timezone.now)
    studied_at = models.DateTimeField(_("изучен"), null=True, blank=True)

    class Meta:
        verbose_name = _("изучение урока")
        verbose_name_plural = _("изучение уроков")
        ordering = ["enrollment", "opened_at"]
        constraints = [
            models.UniqueConstraint("enrollment", "lesson", name="lessonprogress_unique_enrollment_lesson")
        ]

    def __str__(self):
        return f"{self.enrollment} — {self.lesson}"

    @property
    def is_studied(self):
        return self.studied_at is not None
