"""Exports of report tables (XLSX/CSV), the user's export jobs, and the plan-execution report.

Managers only (``people.view_municipality_statistics``, a non-empty scope); anybody else gets 403. The
table is rebuilt here or in the task from a :class:`ReportRequest`, whose scope is always the user's
own: a municipality or organization outside it is "not found". A job is seen only by its owner.
"""

import os

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cms.models import Plan
from cms.plan_admin import can_manage_plans

from ..access import statistics_scope
from ..models import ExportFormat, ExportJob, export_retention_days
from ..period import Period
from ..plan.choice import choose_plan
from ..plan.docx_report import build_docx
from ..plan.report import build_plan_report, item_notes
from ..plan.xlsx_report import build_xlsx
from ..tables import ReportRequest, table_spec
from . import services
from .writers import CONTENT_TYPES

# Query parameters of the export itself; every other one is passed to the table builder.
OWN_PARAMS = {"format", "year", "start", "end", "background"}
JOBS_SHOWN = 50
REPORT_FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", build_docx),
    "xlsx": (CONTENT_TYPES["xlsx"], build_xlsx),
}


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
    scope = statistics_scope(request)
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
    """The page to choose a plan and a period; with ``format=docx|xlsx`` the document itself.

    The report for year Y uses Y's plan (:mod:`reports.plan.choice`); a year without a plan is said so
    (404 for a document), with the years that have one."""
    scope = statistics_scope(request)
    fmt = request.GET.get("format")
    choice = choose_plan(request.GET)
    context = {
        "plans": list(Plan.objects.order_by("-year")),
        "formats": list(REPORT_FORMATS),
        "scope": scope,
        "choice": choice,
        "form_year": request.GET.get("year")
        or ("" if request.GET.get("start") else Period.current_year().start.year),
        "can_manage_plans": can_manage_plans(request.user),
    }
    if not fmt:
        context["item_notes"] = item_notes(choice.plan, choice.period) if choice.ok else []
        return render(request, "reports/plan/report_form.html", context)
    if fmt not in REPORT_FORMATS:
        return HttpResponseBadRequest(_("Неизвестный формат отчёта."))
    if not choice.ok:
        context["error"] = choice.error
        return render(request, "reports/plan/report_form.html", context, status=choice.status)
    plan, period = choice.plan, choice.period
    report = build_plan_report(plan, period, scope, scope.description())
    content_type, build = REPORT_FORMATS[fmt]
    filename = f"plan-{plan.year}-report-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}"
    return attachment(build(report), content_type, filename)
