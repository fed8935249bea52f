"""Registration, the waiting list, check-in and broadcast-room reports, with their emails.

Seats are handed out under a row lock on the event (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite
serializes writers anyway), so two people can never take the last seat at once and the waiting list
is promoted strictly in the order people joined it. Emails are sent by a background task after the
transaction commits.
"""

from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django_tasks import task

from people.links import public_page_url, public_url
from people.mail import enqueue, register_kind
from people.scope import Scope

from . import live
from .exceptions import (
    CheckInClosed,
    CheckInNotOpenYet,
    EventAlreadyStarted,
    InvalidCheckInCode,
    NotABroadcast,
    NotInAudience,
    ParticipantInAnotherRoom,
    RegistrationClosed,
    RegistrationDeadlinePassed,
)
from .models import Attendance, BroadcastRoom, EventPage, Registration
from .models.attendance import MAX_HEAD_COUNT

Status = Registration.Status


def _locked(event):
    """The event re-read with its row locked until the end of the transaction."""
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)


def _check_accepts_registrations(event, now):
    if not event.registration_open:
        raise RegistrationClosed
    if event.has_started(now):
        raise EventAlreadyStarted
    if event.registration_deadline is not None and now > event.registration_deadline:
        raise RegistrationDeadlinePassed


def _check_admits(event, user):
    """Registration limited to the audience: anybody outside it is refused, whatever the page showed."""
    if not event.admits(user):
        raise NotInAudience


def _fill_seats(event, now):
    """Move people from the waiting list to free seats, first in line first. Call with the event locked."""
    waiting = event.registrations.waitlisted()
    if event.capacity is not None:
        free = event.capacity - event.registrations.registered().count()
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = Status.REGISTERED
        registration.updated = now
        registration.save(update_fields=["status", "updated"])
    return promoted


def _notify(registration, kind):
    transaction.on_commit(partial(send_registration_email.enqueue, registration.pk, str(kind)))


def register(event, user, now=None):
    """Register ``user`` for ``event``: a seat if one is free, otherwise a place on the waiting list.

    Registering again returns the existing registration (a cancelled one is renewed). Raises
    :class:`RegistrationClosed`, :class:`EventAlreadyStarted`, :class:`RegistrationDeadlinePassed`, or
    :class:`NotInAudience` when registration is limited to the event's audience and ``user`` is outside.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(event)
        registration = Registration.objects.filter(event=event, user=user).first()
        if registration is not None and registration.is_active:
            return registration
        _check_accepts_registrations(event, now)
        _check_admits(event, user)
        promoted = _fill_seats(event, now)
        if event.capacity is None or event.registrations.registered().count() < event.capacity:
            status, position = Status.REGISTERED, None
        else:
            last = event.registrations.aggregate(last=Max("position"))["last"] or 0
            status, position = Status.WAITLISTED, last + 1
        if registration is None:
            registration = Registration(event=event, user=user, created=now)
        registration.status, registration.position, registration.updated = status, position, now
        registration.save()
        for other in promoted:
            _notify(other, "promoted")
        _notify(registration, status)
    return registration


def cancel(registration, now=None):
    """Cancel a registration and give the freed seat to the first person on the waiting list.

    Cancelling twice is harmless. Raises :class:`EventAlreadyStarted` once the event has begun.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(registration.event)
        registration = Registration.objects.get(pk=registration.pk)
        if not registration.is_active:
            return registration
        if event.has_started(now):
            raise EventAlreadyStarted
        registration.status, registration.updated = Status.CANCELLED, now
        registration.save(update_fields=["status", "updated"])
        promoted = _fill_seats(event, now)
        _notify(registration, Status.CANCELLED)
        for other in promoted:
            _notify(other, "promoted")
    return registration


def promote_waitlisted(event, now=None):
    """Fill seats freed by a larger capacity (after an editor publishes the page); returns who moved up."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(event)
        if event.has_started(now):
            return []
        promoted = _fill_seats(event, now)
        for registration in promoted:
            _notify(registration, "promoted")
    return promoted


def check_in(event, user, code, now=None):
    """Mark ``user`` present with the event's code, from 30 minutes before the start to the end.

    Checking in again returns the first check-in. Raises :class:`CheckInNotOpenYet`,
    :class:`CheckInClosed` or :class:`InvalidCheckInCode`.
    """
    now = now or timezone.now()
    if now < event.check_in_opens_at:
        raise CheckInNotOpenYet
    if now > event.end:
        raise CheckInClosed
    if not event.check_in_code_matches(code):
        raise InvalidCheckInCode
    attendance, created = Attendance.objects.get_or_create(
        event=event, user=user, defaults={"method": Attendance.Method.CODE, "checked_in_at": now}
    )
    if created:
        live.notify_attendance_changed(event.pk)
    return attendance


def report_room(event, municipality, coordinator, head_count, room="", participants=(), now=None):
    """Create or replace the broadcast-room report of ``municipality`` for ``event``.

    The coordinator must have the municipality in their scope (its municipal manager, or a regional
    manager): anything else is :class:`PermissionDenied`. A person may be named in one room only.
    """
    if not event.has_broadcast:
        raise NotABroadcast
    if not Scope.for_user(coordinator).covers_municipality(municipality):
        raise PermissionDenied
    if (
        isinstance(head_count, bool)
        or not isinstance(head_count, int)
        or not 0 <= head_count <= MAX_HEAD_COUNT
    ):
        raise ValueError(f"a room's head count is 0..{MAX_HEAD_COUNT}, not {head_count!r}")
    participants = list(participants)
    elsewhere = BroadcastRoom.participants.through.objects.filter(
        broadcastroom__event=event, user__in=participants
    ).exclude(broadcastroom__municipality=municipality)
    taken = sorted(str(link.user) for link in elsewhere.select_related("user"))
    if taken:
        raise ParticipantInAnotherRoom(
            _("Уже указаны в отчёте другого зала: %(names)s.") % {"names": ", ".join(taken)}
        )
    with transaction.atomic():
        report, _created = BroadcastRoom.objects.update_or_create(
            event=event,
            municipality=municipality,
            defaults={
                "coordinator": coordinator,
                "room": room,
                "head_count": head_count,
                "reported_at": now or timezone.now(),
            },
        )
        report.participants.set(participants)
        live.notify_attendance_changed(event.pk)
    return report


# --- email ---------------------------------------------------------------------------------------

EMAIL_SUBJECTS = {
    Status.REGISTERED: gettext_noop("Вы зарегистрированы на мероприятие «%(title)s»"),
    Status.WAITLISTED: gettext_noop("Вы в листе ожидания мероприятия «%(title)s»"),
    "promoted": gettext_noop("Для вас освободилось место: «%(title)s»"),
    Status.CANCELLED: gettext_noop("Регистрация на мероприятие «%(title)s» отменена"),
}


# Kinds of mail in the outbox (people.mail), registered in EventsConfig.ready.
MAIL_KINDS = {
    Status.REGISTERED: ("event_registered", gettext_lazy("Мероприятия: регистрация")),
    Status.WAITLISTED: ("event_waitlisted", gettext_lazy("Мероприятия: лист ожидания")),
    "promoted": ("event_promoted", gettext_lazy("Мероприятия: освободилось место")),
    Status.CANCELLED: ("event_cancelled", gettext_lazy("Мероприятия: регистрация отменена")),
}


def register_mail_kinds():
    for order, (code, label) in enumerate(MAIL_KINDS.values()):
        register_kind(code, label, order=300 + order)


@task()
def send_registration_email(registration_id, kind):
    """Tell the person what happened to their registration (the letter goes into the outbox).

    ``kind`` is a registration status or ``"promoted"`` and names the body template.
    """
    registration = Registration.objects.select_related("user", "event").filter(pk=registration_id).first()
    if registration is None or not registration.user.email:
        return False
    event = registration.event
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "person": registration.user,
            "event": event,
            "registration": registration,
            "event_url": public_page_url(event) or public_url("/"),
            "ics_url": public_url(reverse("events:event_ics", args=[event.pk])),
        }
        subject = _(EMAIL_SUBJECTS[kind]) % {"title": event.title}
        body = render_to_string(f"events/email/{kind}.txt", context)
    enqueue(
        to=registration.user.email,
        subject=subject,
        body=body,
        kind=MAIL_KINDS[kind][0],
        person=registration.user,
    )
    return True
