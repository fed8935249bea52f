"""The printable protocol of a campaign per municipality (PDF), for municipal and regional managers.

A protocol names people, so it is handed out like every such file: by POST with the CSRF token, and
entered in the audit log of personal-data exports (:func:`people.personal_exports.record_export`)
with the campaign and the municipality by name. A municipality outside the manager's scope, or a
campaign they do not see, is "not found"; the regional bodies are the regional managers' only.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from people.personal_exports import PersonalExport, record_export

from . import analytics
from .manage_views import manager_scope
from .protocol import campaign_period, campaign_protocol, protocol_title, render_protocol


def _protocol_response(request, campaign, scope, municipality, filename):
    protocol = campaign_protocol(campaign, scope, municipality)
    content = render_protocol(protocol)
    record_export(
        PersonalExport(
            user=request.user,
            key="campaign_protocol",
            title=protocol_title(protocol.place),
            format="pdf",
            scope=scope.description(),
            period=campaign_period(campaign),
            params={_("Тестирование"): campaign.title, _("Муниципальное образование"): protocol.place},
            row_count=len(protocol.rows),
        )
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def municipality_protocol(request, pk, municipality_pk):
    scope = manager_scope(request)
    campaign = analytics.get_campaign_or_404(scope, pk)
    municipality = scope.get_municipality_or_404(municipality_pk)
    return _protocol_response(
        request, campaign, scope, municipality, f"protocol-{campaign.pk}-{municipality.pk}.pdf"
    )


@login_required
@require_POST
def regional_protocol(request, pk):
    """The protocol of the people without a municipality (the regional bodies): regional managers."""
    scope = manager_scope(request)
    campaign = analytics.get_campaign_or_404(scope, pk)
    if not scope.everything:
        raise Http404
    return _protocol_response(request, campaign, scope, None, f"protocol-{campaign.pk}-regional.pdf")
