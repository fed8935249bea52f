"""The read-only audit log of personal-data exports, for regional managers.

Allowed with ``reports.view_exportauditentry`` or ``people.view_region_statistics`` (regional managers).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import ExportAuditEntry

AUDIT_PERMISSIONS = ("reports.view_exportauditentry", "people.view_region_statistics")
ENTRIES_PER_PAGE = 100


def may_view_audit_log(user):
    return any(user.has_perm(permission) for permission in AUDIT_PERMISSIONS)


@login_required
@require_GET
def audit_log(request):
    if not may_view_audit_log(request.user):
        raise PermissionDenied
    entries = ExportAuditEntry.objects.select_related("user")
    if request.GET.get("user"):
        entries = entries.filter(username=request.GET["user"])
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reports/exports/audit_log.html", {"page": page, "query": query.urlencode()})
