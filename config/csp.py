"""Content-Security-Policy on every response (django-csp; docs/security.md, "Content-Security-Policy").

The site's own pages get ``settings.CONTENT_SECURITY_POLICY``: scripts, styles and fonts from the site only,
no inline script or style at all. The exceptions, each narrower than turning the header off:

* The Wagtail and the Django admin still write inline scripts and styles (wagtail/wagtail#1288), so paths
  under ``CONTENT_SECURITY_POLICY_ADMIN["URL_PREFIXES"]`` get that setting's ``DIRECTIVES`` instead, which
  allow inline code but still load nothing from other sites, send forms nowhere else and cannot be framed
  by another site.
* Wagtail's previews render a page of the site through this middleware (a dummy request for the page's
  own URL) for the editor's preview panel, which frames it: a preview may be framed by the site itself.
  Everything else of the site's policy holds there too.
* The two error pages rendered without a request or the static files (400 and 500,
  ``templates/errors/standalone.html``) carry their few styles inline; that one ``<style>`` block is
  allowed by its hash on those responses only.
"""

from csp.constants import SELF
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.conf import settings

# sha256 of the <style> block of templates/errors/standalone.html, exactly as written between the tags.
# tests/security/test_content_security_policy.py recomputes it and says the new value after an edit.
STANDALONE_ERROR_STYLE = "'sha256-5VPFRG7hU09d1ibWsCB7dvECm5OqZBv8giqnkUAi+0I='"
STANDALONE_ERROR_STATUSES = (400, 500)


def is_admin_path(path):
    prefixes = settings.CONTENT_SECURITY_POLICY_ADMIN["URL_PREFIXES"]
    return path.startswith(tuple(prefixes))


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware with the admin policy and the error pages' style (see the module)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if parts.config is None and is_admin_path(request.path_info):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
            return parts
        if getattr(request, "is_preview", False):  # set by Wagtail's make_preview_request
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        if response.status_code in STANDALONE_ERROR_STATUSES:
            update = dict(parts.update or {})
            update["style-src"] = [*update.get("style-src", ()), STANDALONE_ERROR_STYLE]
            parts.update = update
        return parts
