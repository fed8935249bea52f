"""Export jobs (a table written to XLSX/CSV, in the background when long) and the export audit log."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.append_only import AppendOnlyModel, AppendOnlyViolation

from .exports.storage import export_storage


class ExportFormat(models.TextChoices):
    """Formats a report table is exported in."""

    XLSX = "xlsx", "XLSX"
    CSV = "csv", "CSV"


class FileFormat(models.TextChoices):
    """Formats of the files the audit log records: the tables' and the printed protocols (PDF)."""

    XLSX = "xlsx", "XLSX"
    CSV = "csv", "CSV"
    PDF = "pdf", "PDF"


def export_upload_to(job, filename):
    return f"{job.user_id}/{timezone.now():%Y/%m}/{filename}"


# Export files are kept this many days (setting REPORTS_EXPORT_RETENTION_DAYS), then purged.
DEFAULT_EXPORT_RETENTION_DAYS = 30
# A queued or running job this old is taken as failed (its worker died) and purged with its partial file.
EXPORT_STUCK_AFTER = timedelta(days=1)


def export_retention_days():
    """The retention of export files in days, read at use time."""
    return getattr(settings, "REPORTS_EXPORT_RETENTION_DAYS", DEFAULT_EXPORT_RETENTION_DAYS)


class ExportJobQuerySet(models.QuerySet):
    def of_user(self, user):
        return self.filter(user=user)

    def expired(self, now=None, days=None):
        """Jobs to purge: finished (done or failed) more than ``days`` (the retention) ago, by
        ``finished_at`` or else ``created_at``, and queued or running jobs stuck for over a day."""
        now = now or timezone.now()
        cutoff = now - timedelta(days=export_retention_days() if days is None else days)
        status = self.model.Status
        finished = models.Q(status__in=[status.DONE, status.FAILED]) & (
            models.Q(finished_at__lt=cutoff) | models.Q(finished_at__isnull=True, created_at__lt=cutoff)
        )
        stuck = models.Q(status__in=[status.QUEUED, status.RUNNING], created_at__lt=now - EXPORT_STUCK_AFTER)
        return self.filter(finished | stuck)


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        RUNNING = "running", _("выполняется")
        DONE = "done", _("готово")
        FAILED = "failed", _("ошибка")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("кто"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    table_key = models.CharField(_("таблица"), max_length=100)
    title = models.CharField(_("название"), max_length=500, blank=True)
    format = models.CharField(_("формат"), max_length=10, choices=ExportFormat.choices)
    request = models.JSONField(_("параметры"), default=dict, help_text=_("ReportRequest.as_dict()"))
    status = models.CharField(_("состояние"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("готовность, %"), default=0)
    row_count = models.PositiveIntegerField(_("строк"), null=True, blank=True)
    file = models.FileField(_("файл"), storage=export_storage, upload_to=export_upload_to, blank=True)
    created_at = models.DateTimeField(_("создано"), default=timezone.now)
    finished_at = models.DateTimeField(_("завершено"), null=True, blank=True)
    error = models.TextField(_("ошибка"), blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("выгрузка")
        verbose_name_plural = _("выгрузки")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.title or self.table_key} ({self.get_format_display()})"

    def get_absolute_url(self):
        return reverse("reports_exports:job", args=[self.pk])

    def get_download_url(self):
        return reverse("reports_exports:download", args=[self.pk])

    @property
    def is_done(self):
        return self.status == self.Status.DONE

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def set_progress(self, percent):
        """Write the progress at once (a poller in another process sees it while the job runs)."""
        self.progress = max(0, min(100, int(percent)))
        ExportJob.objects.filter(pk=self.pk).update(progress=self.progress)


class AuditLogChanged(AppendOnlyViolation):
    """The audit log is append-only: its entries are never changed or deleted."""


class ExportAuditEntry(AppendOnlyModel):
    """Who exported which personal data, when, and within which scope (append-only)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        on_delete=models.PROTECT,
        related_name="export_audit_entries",
    )
    username = models.CharField(_("имя пользователя"), max_length=150, help_text=_("Как на момент выгрузки."))
    created_at = models.DateTimeField(_("когда"), default=timezone.now, db_index=True)
    table_key = models.CharField(_("таблица"), max_length=100)
    table_title = models.CharField(_("название таблицы"), max_length=500)
    format = models.CharField(_("формат"), max_length=10, choices=FileFormat.choices)
    scope = models.CharField(_("границы доступа"), max_length=500)
    period = models.CharField(_("период"), max_length=100)
    params = models.JSONField(_("параметры"), default=dict)
    row_count = models.PositiveIntegerField(_("строк"))
    job = models.ForeignKey(
        ExportJob,
        verbose_name=_("выгрузка"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )

    changed_error = AuditLogChanged

    class Meta:
        verbose_name = _("запись журнала выгрузок")
        verbose_name_plural = _("журнал выгрузок персональных данных")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.username}: {self.table_title}"


# The annual plan report's page types (reports.annual).
from .annual.models import PlanReportIndexPage, PlanReportPage, PlanReportText  # noqa: E402, F401
