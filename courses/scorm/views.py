"""The SCORM pages of a lesson: the package's own files and the person's run-time data (JSON).

Both follow the lesson page's access rule (:mod:`courses.scorm.access`); anybody else gets the login
page or "not found". The package's files are third-party HTML with inline scripts: they are served
with their own Content-Security-Policy (``settings.CONTENT_SECURITY_POLICY_SCORM``: inline code
allowed, everything from the site only, sandboxed, framed by the site only), ``nosniff`` and a content
type from a fixed table; the lesson page that frames them keeps the strict policy.
"""

import json
from functools import wraps

from csp.decorators import csp
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods

from . import files, runtime
from .access import package_access
from .errors import RuntimeDataError


def _scorm_policy(view):
    """django-csp's per-response policy (``@csp``), read from the settings when the view is called."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        policy = settings.CONTENT_SECURITY_POLICY_SCORM["DIRECTIVES"]
        return csp(policy)(view)(request, *args, **kwargs)

    return wrapped


@login_required
@require_http_methods(["GET", "HEAD"])
@xframe_options_sameorigin
@_scorm_policy
def package_file(request, pk, package_pk, path):
    """One file of the package (no folder listing; nothing outside the package's folder)."""
    access = package_access(request.user, pk, package_pk)
    found = files.find_file(access.package, path)
    if found is None:
        raise Http404
    response = FileResponse(found.open("rb"), content_type=files.content_type(found.name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Referrer-Policy"] = "same-origin"
    return response


def _error(message, status=400):
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def package_runtime(request, pk, package_pk):
    """GET: the data model a launch starts from. POST (JSON, with the CSRF token): a commit."""
    access = package_access(request.user, pk, package_pk)
    if request.method == "GET":
        return JsonResponse(runtime.launch_state(access), json_dumps_params={"ensure_ascii": False})
    if not access.records:
        return _error(_("Предпросмотр урока: результаты не сохраняются."), status=403)
    if request.content_type != "application/json":
        return _error(_("Ожидались данные в формате JSON."))
    if len(request.body) > runtime.MAX_BODY_BYTES:
        return _error(_("Пакет передал слишком много данных."))
    try:
        data = json.loads(request.body.decode("utf-8"))
        record = runtime.commit(access, data)
    except (ValueError, RecursionError):  # bad UTF-8, bad JSON, a number too long to convert
        return _error(_("Данные не являются корректным JSON."))
    except RuntimeDataError as error:
        return _error(error.message)
    return JsonResponse(
        {
            "saved": True,
            "completed": record.is_completed,
            "status": str(record.status_label()),
            "score": str(record.score_label()),
        },
        json_dumps_params={"ensure_ascii": False},
    )
