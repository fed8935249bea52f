"""Actions around event pages (the pages themselves are served by Wagtail).

Every view finds the event among live, public pages only; anything else, and anything outside the
person's scope, is "not found".
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from people.models import User
from people.scope import Scope

from . import ics, live, services
from .attendance import attendance_summary
from .exceptions import EventError, NotInAudience
from .forms import CheckInForm, RoomReportForm
from .models import BroadcastRoom, EventPage, Registration
from .targeting import audience_attendance

UPCOMING_FEED_LIMIT = 200


def get_event_or_404(pk):
    return get_object_or_404(EventPage.objects.live().public(), pk=pk)


def registration_message(registration):
    if registration.status == Registration.Status.WAITLISTED:
        return _("Все места заняты: вы в листе ожидания, ваш номер в очереди — %(place)s.") % {
            "place": registration.waitlist_place()
        }
    if registration.user.email:
        return _("Вы зарегистрированы на мероприятие. Подтверждение отправлено на вашу почту.")
    return _("Вы зарегистрированы на мероприятие.")


@login_required
@require_http_methods(["GET", "POST"])
def register(request, pk):
    """POST registers; a GET (the way back from the login page) just returns to the event."""
    event = get_event_or_404(pk)
    if request.method == "POST":
        try:
            registration = services.register(event, request.user)
        except NotInAudience as error:
            # Refused outright (403), not a passing state of the event: a form sent past the page.
            context = {"page": event, "message": error.message}
            return render(request, "events/registration_refused.html", context, status=403)
        except EventError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, registration_message(registration))
    return redirect(event.get_url(request))


@login_required
@require_POST
def cancel(request, pk):
    event = get_event_or_404(pk)
    registration = get_object_or_404(Registration, event=event, user=request.user)
    try:
        services.cancel(registration)
    except EventError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Регистрация отменена."))
    return redirect(event.get_url(request))


@login_required
@require_POST
def check_in(request, pk):
    event = get_event_or_404(pk)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Введите код присутствия."))
    else:
        try:
            services.check_in(event, request.user, form.cleaned_data["code"])
        except EventError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Вы отмечены как присутствующий на мероприятии."))
    back = request.POST.get("next")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect(event.get_url(request))


@login_required
@require_GET
def stream(request, pk):
    """The online participant's page: the broadcast link, the check-in code while it is open, the live
    attendance counter and the Q&A queue (a plain form here; ``events/live.js`` makes it live)."""
    event = get_event_or_404(pk)
    if not event.has_broadcast:
        raise Http404
    access = live.LiveAccess.for_user(request.user, event)
    if access is None:
        messages.info(request, _("Страница трансляции доступна зарегистрированным участникам."))
        return redirect(event.get_url(request))
    context = {
        "page": event,
        "check_in_form": CheckInForm(),
        **event.visitor_context(request.user),
        **live.page_context(access),
    }
    return render(request, "events/stream.html", context)


# --- live Q&A without WebSocket: plain forms, then back to the stream page --------------------------


def _live_access_or_404(request, pk):
    """Outsiders get "not found", like for any event they take no part in."""
    access = live.LiveAccess.for_user(request.user, get_event_or_404(pk))
    if access is None:
        raise Http404
    return access


def _back_to_questions(request, event):
    if event.has_broadcast:
        return redirect(reverse("events:stream", args=[event.pk]) + "#questions")
    return redirect(event.get_url(request))


def _live_action(request, pk, action, done_message):
    access = _live_access_or_404(request, pk)
    try:
        action(access)
    except live.LiveError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done_message)
    return _back_to_questions(request, access.event)


@login_required
@require_POST
def ask_question(request, pk):
    return _live_action(
        request,
        pk,
        lambda access: live.ask(access.event, request.user, request.POST.get("text")),
        _("Вопрос отправлен."),
    )


@login_required
@require_POST
def upvote_question(request, pk, question_pk):
    return _live_action(
        request,
        pk,
        lambda access: live.upvote(access.event, request.user, question_pk),
        _("Ваш голос учтён."),
    )


@login_required
@require_POST
def moderate_question(request, pk, question_pk):
    state = request.POST.get("state")
    return _live_action(
        request,
        pk,
        lambda access: live.moderate(access.event, request.user, question_pk, state),
        _("Состояние вопроса изменено."),
    )


def _calendar_response(text, filename):
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def event_ics(request, pk):
    event = get_event_or_404(pk)
    return _calendar_response(ics.calendar([event], event.title, request=request), f"event-{event.pk}.ics")


@require_GET
def upcoming_ics(request):
    events = EventPage.objects.live().public().upcoming(timezone.now())[:UPCOMING_FEED_LIMIT]
    return _calendar_response(
        ics.calendar(events, _("Мероприятия: антикоррупционное обучение"), request=request), "events.ics"
    )


@login_required
@require_GET
def attendance(request, pk):
    """Registrations, attendance per municipality and room reports, within what the person may see."""
    event = get_event_or_404(pk)
    scope = event.attendance_scope(request.user)
    if scope.is_empty:
        raise Http404
    municipalities = None if scope.everything else scope.municipalities()
    own_scope = Scope.for_user(request.user)
    registrations = scope.filter(
        event.registrations.select_related("user__municipality", "user__organization"), "user__municipality"
    ).order_by("status", "position", "user__last_name", "user__first_name")
    context = {
        "page": event,
        "summary": attendance_summary(event, municipalities),
        "registrations": registrations,
        "rooms": scope.filter(BroadcastRoom.objects.for_event(event), "municipality"),
        "is_organizer": event.can_organize(request.user),
        "report_municipalities": own_scope.municipalities() if event.has_broadcast else [],
        "audience_attendance": audience_attendance(event, scope),
    }
    return render(request, "events/attendance.html", context)


@login_required
@require_GET
def choose_room(request, pk):
    """The municipality picker on the attendance page leads here."""
    event = get_event_or_404(pk)
    municipality = Scope.for_user(request.user).get_municipality_or_404(request.GET.get("municipality"))
    return redirect("events:room_report", pk=event.pk, municipality_pk=municipality.pk)


@login_required
@require_http_methods(["GET", "POST"])
def room_report(request, pk, municipality_pk):
    """A coordinator reports the room of a municipality in their scope; it replaces any earlier report."""
    event = get_event_or_404(pk)
    if not event.has_broadcast:
        raise Http404
    scope = Scope.for_user(request.user)
    municipality = scope.get_municipality_or_404(municipality_pk)
    report = BroadcastRoom.objects.filter(event=event, municipality=municipality).first()
    people = scope.people(User.objects.active().in_municipalities([municipality.pk]))
    initial = {}
    if report:
        initial = {
            "room": report.room,
            "head_count": report.head_count,
            "participants": report.participants.all(),
        }
    data = request.POST if request.method == "POST" else None
    form = RoomReportForm(data, initial=initial, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_room(
                event,
                municipality,
                request.user,
                head_count=form.cleaned_data["head_count"],
                room=form.cleaned_data["room"],
                participants=form.cleaned_data["participants"],
            )
        except EventError as error:
            form.add_error("participants", error.message)
        else:
            messages.success(
                request,
                _("Отчёт о зале трансляции (%(municipality)s) сохранён.") % {"municipality": municipality},
            )
            return redirect("events:attendance", pk=event.pk)
    context = {"page": event, "municipality": municipality, "report": report, "form": form}
    return render(request, "events/room_report.html", context)


@login_required
@require_POST
def attendance_xlsx(request, pk):
    """The attendance page as an XLSX workbook, within the same scope (see :mod:`events.exports`).

    POST with the CSRF token: the download is entered in the audit log of personal-data exports."""
    from . import exports

    event = get_event_or_404(pk)
    response = HttpResponse(exports.attendance_xlsx(event, request.user), content_type=exports.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(event)}"'
    return response
