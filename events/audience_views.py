"""Pages of an event's audience (issue 18): the organizer's invitations, the feedback form after the
event and its results.

* invitations — the event's organizers only (:meth:`EventPage.can_organize`); anybody else: "not found";
* feedback — the participants (:mod:`events.feedback`); anybody else, or before the end, or after the
  feedback time: 403 with the reason in Russian; a form with mistakes: 400 with its errors;
* feedback results — organizers (every answer) and managers (the people of their scope); anybody
  else: "not found". Never with names.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import feedback as event_feedback
from . import invitations
from .exceptions import EventError
from .targeting import audience_attendance
from .views import get_event_or_404


@login_required
@require_http_methods(["GET", "POST"])
def invitations_page(request, pk):
    """The audience, how many are expected, invited and whose letters failed; the buttons that invite
    the rest (POST) and send the failed letters again (POST ``action=resend``)."""
    event = get_event_or_404(pk)
    if not invitations.may_invite(event, request.user):
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action", "send")
        if action not in ("send", "resend"):
            messages.error(request, _("Неизвестное действие: обновите страницу и нажмите кнопку ещё раз."))
            context = _invitations_context(event, request.user)
            return render(request, "events/invitations.html", context, status=400)
        try:
            if action == "resend":
                count = invitations.resend_failed(event, request.user)  # may_invite checked above
            else:
                count = invitations.send_invitations(event, request.user)
        except EventError as error:
            messages.error(request, error.message)
            context = _invitations_context(event, request.user)
            return render(request, "events/invitations.html", context, status=409)
        if action == "resend":
            if count:
                messages.success(
                    request,
                    _("Письма с приглашением отправлены повторно, получателей: %(count)s.")
                    % {"count": count},
                )
            else:
                messages.info(
                    request, _("Повторно отправлять нечего: недоставленных писем с приглашением нет.")
                )
        elif count:
            messages.success(
                request,
                _("Приглашения разосланы, получателей: %(count)s. Каждому — письмо и уведомление в кабинете.")
                % {"count": count},
            )
        else:
            messages.info(request, _("Новых приглашений нет: все ожидаемые участники уже приглашены."))
        return redirect("events:invitations", pk=event.pk)
    return render(request, "events/invitations.html", _invitations_context(event, request.user))


def _invitations_context(event, user):
    scope = event.attendance_scope(user)
    return {
        "page": event,
        "counts": invitations.invitation_counts(event, scope) if event.audience_id else None,
        "too_late": event.has_started(),
    }


def _refused(request, event, error):
    return render(
        request, "events/feedback_refused.html", {"page": event, "message": error.message}, status=403
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback_page(request, pk):
    """The participant's feedback: three ratings and a comment, changeable until the form closes."""
    event = get_event_or_404(pk)
    try:
        event_feedback.check_may_give(event, request.user)
    except EventError as error:
        return _refused(request, event, error)
    given = event_feedback.feedback_of(event, request.user)
    form = event_feedback.FeedbackForm.for_feedback(given, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            event_feedback.save_feedback(event, request.user, form.cleaned_data)
        except EventError as error:
            return _refused(request, event, error)
        messages.success(request, _("Спасибо! Ваш отзыв о мероприятии сохранён."))
        return redirect("events:feedback", pk=event.pk)
    context = {
        "page": event,
        "form": form,
        "given": given,
        "closes_at": event_feedback.closes_at(event),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "events/feedback_form.html", context, status=status)


@login_required
@require_GET
def feedback_results(request, pk):
    """Averages, distributions and comments without names, within what the person may see."""
    event = get_event_or_404(pk)
    scope = event.attendance_scope(request.user)
    if scope.is_empty:
        raise Http404
    context = {
        "page": event,
        "results": event_feedback.results(event, scope),
        "is_organizer": event.can_organize(request.user),
        "audience_attendance": audience_attendance(event, scope),
        "feedback_days": event_feedback.FEEDBACK_DAYS,
    }
    return render(request, "events/feedback_results.html", context)
