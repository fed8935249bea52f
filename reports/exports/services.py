"""Running an export: small tables are written at once, long (personal) ones by a background job.

Every export of a table that names people is written to the audit log (who, when, which table,
within which scope, with which parameters, how many rows). A job keeps only plain values
(:meth:`ReportRequest.as_dict`): the table is built again in the task from the user's id, so the scope
is always the user's own at the time of the export.
"""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import Organization
from people.personal_exports import PersonalExport, record_export
from people.scope import Scope

from ..dashboard.slices import NO_ORGANIZATION, REGIONAL
from ..models import ExportJob
from ..tables import ReportRequest, table_spec
from .audit import readable_params
from .writers import write_table

logger = logging.getLogger(__name__)

# Parameters that name a part of the region; out of scope they are "not found" before any job starts.
SCOPED_PARAMS = ("municipality", "organization")
# Share of a job's progress taken by building the table (the rest is writing the file).
BUILD_SHARE = 30


def check_params(scope, params):
    """404 for a municipality or organization outside ``scope`` (URL tampering)."""
    municipality, organization = params.get("municipality"), params.get("organization")
    if municipality == REGIONAL:  # the regional bodies: only a regional manager sees them
        if not scope.everything:
            raise Http404
    elif municipality:
        scope.get_municipality_or_404(municipality)
    if organization and organization != NO_ORGANIZATION:
        try:
            scope.organizations().get(pk=params["organization"])
        except (Organization.DoesNotExist, ValueError, TypeError):
            raise Http404 from None


def is_personal(spec, table=None):
    return spec.personal or bool(table is not None and table.personal)


def needs_background(spec):
    """Tables naming people may be long (thousands of rows): they go through a job."""
    return spec.personal


def filename_for(key, fmt, period):
    return f"{key}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}"


def audit(report_request, spec, table, fmt, job=None):
    user = report_request.user
    record_export(
        PersonalExport(
            user=user,
            key=spec.key,
            title=str(table.title or spec.title),
            format=fmt,
            scope=Scope.for_user(user).description(),
            period=str(report_request.period),
            params=readable_params(report_request.params),
            row_count=len(table.rows),
            job=job,
        )
    )


def export_now(report_request, key, fmt):
    """``(content, filename, table)`` of a table written at once; personal tables are audited."""
    spec = table_spec(key)
    table = spec.build(report_request)
    content = write_table(table, fmt)
    if is_personal(spec, table):
        audit(report_request, spec, table, fmt)
    return content, filename_for(key, fmt, report_request.period), table


def start_job(report_request, key, fmt):
    """Create a job and queue the task once the job is committed; returns the job."""
    from ..tasks import run_export

    spec = table_spec(key)
    job = ExportJob.objects.create(
        user_id=report_request.user_id,
        table_key=key,
        title=str(spec.title),
        format=fmt,
        request=report_request.as_dict(),
    )
    transaction.on_commit(lambda: run_export.enqueue(job.pk))
    return job


def run_job(job_id):
    """Build the table, write the file with progress, audit personal data; returns the job."""
    job = ExportJob.objects.get(pk=job_id)
    if job.is_finished:
        return job
    job.status = ExportJob.Status.RUNNING
    job.progress = 0
    job.save(update_fields=["status", "progress"])
    try:
        report_request = ReportRequest.from_dict(job.request)
        spec = table_spec(job.table_key)
        table = spec.build(report_request)
        job.set_progress(BUILD_SHARE)

        def progress(done, total):
            job.set_progress(BUILD_SHARE + (100 - BUILD_SHARE - 1) * done // max(total, 1))

        content = write_table(table, job.format, progress)
        with transaction.atomic():
            job.file.save(
                filename_for(job.table_key, job.format, report_request.period), ContentFile(content)
            )
            job.row_count = len(table.rows)
            job.status = ExportJob.Status.DONE
            job.progress = 100
            job.finished_at = timezone.now()
            job.save()
            if is_personal(spec, table):
                audit(report_request, spec, table, job.format, job)
    except Http404:
        _fail(job, _("Таблица недоступна: нет такой таблицы или она вне ваших полномочий."))
    except Exception as error:
        logger.exception("export job %s failed", job.pk)
        _fail(job, _("Не удалось подготовить файл: %(error)s") % {"error": error})
    return job


def _fail(job, message):
    job.status = ExportJob.Status.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
