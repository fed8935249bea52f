"""SCORM packages in lessons and what each person's run of a package recorded.

A package is immutable: every upload is a new :class:`ScormPackage` unpacked into its own folder under
``settings.SCORM_ROOT`` (``courses/scorm/packages.py``); a lesson points at the one its revision uses, so a
draft with a new package leaves the live lesson's package as it is. A :class:`ScormRecord` is one
person's state in one package of one lesson, per enrolment (a recertification starts afresh, as lessons
do): status, score, where to resume, time spent (``courses/scorm/runtime.py``, docs/scorm.md).
"""

import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ScormPackage(models.Model):
    class Version(models.TextChoices):
        SCORM_12 = "1.2", "SCORM 1.2"
        SCORM_2004 = "2004", "SCORM 2004"

    key = models.UUIDField(_("папка"), default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("курс"),
        on_delete=models.CASCADE,
        related_name="scorm_packages",
        help_text=_("Курс, для урока которого пакет загружен."),
    )
    version = models.CharField(_("версия SCORM"), max_length=4, choices=Version.choices)
    title = models.CharField(_("название в манифесте"), max_length=255, blank=True)
    launch = models.CharField(_("файл запуска"), max_length=2000)
    original_name = models.CharField(_("загруженный файл"), max_length=255, blank=True)
    file_count = models.PositiveIntegerField(_("файлов"), default=0)
    unpacked_size = models.PositiveBigIntegerField(_("объём, байт"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("загрузил"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("загружен"), default=timezone.now)

    class Meta:
        verbose_name = _("SCORM-пакет")
        verbose_name_plural = _("SCORM-пакеты")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.title or self.original_name or str(self.key)

    @property
    def folder(self):
        """Where the package is unpacked (private storage, never served by the web server itself)."""
        return Path(settings.SCORM_ROOT) / self.key.hex

    @property
    def is_2004(self):
        return self.version == self.Version.SCORM_2004


@receiver(post_delete, sender=ScormPackage, dispatch_uid="courses.scorm_package_files")
def remove_unpacked_files(sender, instance, **kwargs):
    """A deleted package (its course deleted, say) takes its unpacked files with it, once committed."""
    folder = instance.folder
    transaction.on_commit(lambda: shutil.rmtree(folder, ignore_errors=True))


class ScormRecord(models.Model):
    enrollment = models.ForeignKey(
        "courses.Enrollment",
        verbose_name=_("запись на курс"),
        on_delete=models.CASCADE,
        related_name="scorm_records",
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", verbose_name=_("урок"), on_delete=models.CASCADE, related_name="scorm_records"
    )
    package = models.ForeignKey(
        ScormPackage, verbose_name=_("SCORM-пакет"), on_delete=models.CASCADE, related_name="records"
    )
    # SCORM 1.2: cmi.core.lesson_status; SCORM 2004: cmi.completion_status and cmi.success_status.
    lesson_status = models.CharField(_("статус (SCORM 1.2)"), max_length=20, blank=True)
    completion_status = models.CharField(_("завершённость (SCORM 2004)"), max_length=20, blank=True)
    success_status = models.CharField(_("успешность (SCORM 2004)"), max_length=20, blank=True)
    score_raw = models.FloatField(_("баллы"), null=True, blank=True)
    score_min = models.FloatField(_("минимум баллов"), null=True, blank=True)
    score_max = models.FloatField(_("максимум баллов"), null=True, blank=True)
    score_scaled = models.FloatField(_("доля баллов (SCORM 2004)"), null=True, blank=True)
    location = models.CharField(_("место в уроке"), max_length=1000, blank=True)
    suspend_data = models.TextField(_("данные для продолжения"), blank=True)
    exit = models.CharField(_("выход"), max_length=20, blank=True)
    total_seconds = models.PositiveIntegerField(
        _("время в прошлых сеансах, с"), default=0, help_text=_("Без текущего (последнего) сеанса.")
    )
    session_key = models.CharField(_("последний сеанс"), max_length=64, blank=True)
    session_seconds = models.PositiveIntegerField(_("время последнего сеанса, с"), default=0)
    started_at = models.DateTimeField(_("начат"), default=timezone.now)
    updated_at = models.DateTimeField(_("обновлён"), default=timezone.now)
    completed_at = models.DateTimeField(_("пройден"), null=True, blank=True)

    class Meta:
        verbose_name = _("прохождение SCORM-пакета")
        verbose_name_plural = _("прохождения SCORM-пакетов")
        ordering = ["enrollment", "started_at"]
        constraints = [
            models.UniqueConstraint(
                "enrollment", "lesson", "package", name="scormrecord_unique_enrollment_lesson_package"
            )
        ]

    def __str__(self):
        return f"{self.enrollment} — {self.lesson}"

    @property
    def time_spent_seconds(self):
        return self.total_seconds + self.session_seconds

    @property
    def is_completed(self):
        return self.completed_at is not None

    # --- as the person sees it -----------------------------------------------------------------------

    STATUS_LABELS = {
        "not attempted": _("не начат"),
        "browsed": _("просмотрен"),
        "incomplete": _("не завершён"),
        "failed": _("не сдан"),
        "completed": _("пройден"),
        "passed": _("сдан"),
        "unknown": _("не начат"),
    }

    def status_label(self):
        if self.package.version == ScormPackage.Version.SCORM_12:
            return self.STATUS_LABELS.get(self.lesson_status or "not attempted", self.lesson_status)
        if self.success_status == "passed":
            return self.STATUS_LABELS["passed"]
        if self.success_status == "failed":
            return self.STATUS_LABELS["failed"]
        return self.STATUS_LABELS.get(self.completion_status or "not attempted", self.completion_status)

    def score_label(self):
        """«80 из 100 (80 %)», «90 %» (a 2004 scaled score alone) or "" without a score."""
        if self.score_raw is None and self.score_scaled is None:
            return ""
        if self.score_raw is None:
            return f"{round(self.score_scaled * 100)} %"
        number = lambda value: f"{value:g}".replace(".", ",")  # noqa: E731
        high = 100 if self.score_max is None else self.score_max
        low = 0 if self.score_min is None else self.score_min
        text = _("%(raw)s из %(max)s") % {"raw": number(self.score_raw), "max": number(high)}
        if high > low and (high, low) != (100, 0):
            text += f" ({round((self.score_raw - low) * 100 / (high - low))} %)"
        return text

    def time_label(self):
        minutes = round(self.time_spent_seconds / 60)
        hours, minutes = divmod(minutes, 60)
        return _("%(hours)d ч %(minutes)02d мин") % {"hours": hours, "minutes": minutes}
