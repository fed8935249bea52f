"""Exports of report tables (XLSX/CSV), the user's export jobs, and the plan-execution report.

Managers only (``people.view_municipality_statistics``, a non-empty scope); anybody else gets 403. The
table is rebuilt here or in the task from a :class:`ReportRequest`, whose scope is always the user's
own: a municipality or organization outside it is "not found". A job is seen only by its owner.
"""

import os

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cms.models import Plan
from people.scope import Scope

from ..models import ExportFormat, ExportJob, export_retention_days
from ..period import Period
from ..plan.docx_report import build_docx
from ..plan.report import build_plan_report
from ..plan.xlsx_report import build_xlsx
from ..tables import ReportRequest, table_spec
from . import services
from .writers import CONTENT_TYPES

STATISTICS_PERMISSION = "people.view_municipality_statistics"
# Query parameters of the export itself; every other one is passed to the table builder.
OWN_PARAMS = {"format", "year", "start", "end", "background"}
JOBS_SHOWN = 50
REPORT_FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", build_docx),
    "xlsx": (CONTENT_TYPES["xlsx"], build_xlsx),
}


def manager_scope(request):
    if not request.user.has_perm(STATISTICS_PERMISSION):
        raise PermissionDenied
    scope = Scope.for_user(request.user)
    if scope.is_empty:
        raise PermissionDenied
    return scope


def attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def export(request, key):
    """``?format=xlsx|csv`` plus the period and the table's parameters; long tables become a job.

    POST with the CSRF token only: an export writes the audit log and may start a job, so a link or
    an image on another site must not be able to trigger one."""
    scope = manager_scope(request)
    spec = table_spec(key)
    fmt = request.GET.get("format", ExportFormat.XLSX)
    if fmt not in ExportFormat.values:
        return HttpResponseBadRequest(_("Неизвестный формат выгрузки."))
    params = {name: value for name, value in request.GET.items() if name not in OWN_PARAMS}
    try:
        report_request = ReportRequest.from_http(request, params)
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    services.check_params(scope, params)
    if services.needs_background(spec) or request.GET.get("background"):
        job = services.start_job(report_request, key, fmt)
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse(job_payload(job), status=202)
        return redirect("reports_exports:jobs")
    content, filename, _table = services.export_now(report_request, key, fmt)
    return attachment(content, CONTENT_TYPES[fmt], filename)


def get_own_job_or_404(request, pk):
    try:
        return ExportJob.objects.of_user(request.user).get(pk=pk)
    except ExportJob.DoesNotExist:
        raise Http404 from None


def job_payload(job):
    return {
        "id": job.pk,
        "title": job.title,
        "format": job.format,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "progress": job.progress,
        "finished": job.is_finished,
        "error": job.error,
        "download_url": job.get_download_url() if job.is_done else None,
    }


@login_required
@require_GET
def jobs(request):
    own = ExportJob.objects.of_user(request.user)[:JOBS_SHOWN]
    return render(
        request, "reports/exports/jobs.html", {"jobs": own, "retention_days": export_retention_days()}
    )


@login_required
@require_GET
def job(request, pk):
    return JsonResponse(job_payload(get_own_job_or_404(request, pk)))


@login_required
@require_GET
def download(request, pk):
    job = get_own_job_or_404(request, pk)
    if not job.is_done or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=os.path.basename(job.file.name),
        content_type=CONTENT_TYPES[job.format],
    )


@login_required
@require_GET
def plan_report(request):
    """The page to choose a plan and a period; with ``format=docx|xlsx`` the document itself."""
    scope = manager_scope(request)
    plans = list(Plan.objects.order_by("-year"))
    fmt = request.GET.get("format")
    context = {"plans": plans, "formats": list(REPORT_FORMATS), "scope": scope}
    if not fmt:
        return render(request, "reports/plan/report_form.html", context)
    if fmt not in REPORT_FORMATS:
        return HttpResponseBadRequest(_("Неизвестный формат отчёта."))
    try:
        plan = Plan.objects.get(year=int(request.GET.get("plan", "")))
    except (Plan.DoesNotExist, ValueError, OverflowError):  # SQLite: a number past 64 bits
        raise Http404 from None
    period_params = (
        request.GET if any(request.GET.get(k) for k in ("year", "start", "end")) else {"year": str(plan.year)}
    )
    try:
        period = Period.from_params(period_params)
    except ValueError as error:
        context["error"] = str(error)
        return render(request, "reports/plan/report_form.html", context, status=400)
    report = build_plan_report(plan, period, scope, scope.description())
    content_type, build = REPORT_FORMATS[fmt]
    filename = f"plan-{plan.year}-report-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}"
    return attachment(build(report), content_type, filename)
