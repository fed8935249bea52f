"""The person's own result sheet of a finished sitting (PDF), from the result page.

Only the owner gets it (anybody else: "not found"); it holds the person's own data only, so it is
a plain GET and not entered in the audit log of personal-data exports (like «Мои данные»).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from ..models import Sitting
from ..result_sheet import render_result_sheet, result_sheet


@login_required
@require_GET
def result_sheet_pdf(request, sitting_id):
    sitting = (
        Sitting.objects.filter(user=request.user, pk=sitting_id)
        .select_related("quiz", "campaign", "user__organization", "user__municipality")
        .first()
    )
    if sitting is None:
        raise Http404
    if sitting.state != Sitting.State.FINISHED:
        return redirect("quizzes:result", sitting.pk)  # it finishes a sitting whose time is up
    response = HttpResponse(render_result_sheet(result_sheet(sitting)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="result-{sitting.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
