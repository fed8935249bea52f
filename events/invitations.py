"""Invitations of an event's audience (issue 18): a letter through the outbox and a notice in «Мой кабинет».

The organizer presses «Разослать приглашения» on the event's invitations page. The run first claims its
invitations by inserting :class:`~events.models.EventInvitation` rows — one per event and person,
guarded by a unique constraint, so a person is never invited twice to the same event, however often
the button is pressed or by whom — and hands the letters to the outbox (:mod:`people.mail`) only after
that transaction has committed, as the campaigns' notices do (:mod:`quizzes.notices`). A person
without an e-mail address gets the row too (marked as such): it is shown in «Мой кабинет».

Who is invited: the expected participants (the audience's active members, leavers excluded) not
invited yet. Each run is written to the event page's history in Wagtail (its «История»): who sent,
when, how many people.

**Letters that did not go.** An invitation's letter failed when it could not be queued (the row's status
«письмо не поставлено в очередь») or when the outbox gave it up (the invitation's letter, its ``mail``
link to :mod:`people.mail`'s outbox set when the letter is queued, is «не отправлено»). The page counts
them and «Отправить повторно» sends each a new letter (:func:`resend_failed`), which becomes the
invitation's letter; once a letter is queued again it is no longer failed, so pressing twice sends
nothing more.
"""

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import LogFormatter
from wagtail.log_actions import log as log_action

from people.links import public_page_url, public_url
from people.mail import Message, enqueue_pending, letter_text, register_kind
from people.mail.kinds import BULK
from people.mail.models import OutgoingMail
from people.notices import Notice

from .exceptions import InvitationsTooLate, NoAudience
from .models import EventInvitation, EventPage

Status = EventInvitation.Status
MAIL_KIND = "event_invitation"
SENT_ACTION = "events.invitations_sent"
RESENT_ACTION = "events.invitations_resent"
WRITE_BATCH = 1000


def register_mail_kind():
    register_kind(MAIL_KIND, gettext_lazy("Мероприятия: приглашение"), priority=BULK, order=310)


def _when(moment):
    return formats.date_format(timezone.localtime(moment), "j E Y, H:i")


def invitation_text(event):
    return _("Приглашаем вас на мероприятие «%(title)s» (%(when)s). Зарегистрируйтесь на его странице.") % {
        "title": event.title,
        "when": _when(event.start),
    }


def may_invite(event, user):
    """Organizers of the event (the role «Организаторы мероприятий» and regional managers)."""
    return user.is_authenticated and event.can_organize(user)


def to_invite(event):
    """Expected participants not invited yet."""
    return event.expected_participants().exclude(pk__in=event.invitations.values("user_id"))


def failed_invitations(event, scope=None):
    """Invitations of ``event`` to people still expected whose letter failed: it could not be queued,
    or the outbox gave it up. Narrowed to ``scope`` (a :class:`people.scope.Scope`)."""
    invitations = event.invitations.filter(user__in=event.expected_participants()).filter(
        Q(status=Status.FAILED) | Q(status=Status.SENT, mail__status=OutgoingMail.Status.FAILED)
    )
    return scope.filter(invitations, "user__municipality") if scope is not None else invitations


def invitation_counts(event, scope=None):
    """What the invitations page shows before and after a run."""
    expected = event.expected_participants()
    invitations = event.invitations.all()
    waiting = to_invite(event)
    return {
        "expected": expected.count(),
        "invited": invitations.count(),
        "to_invite": waiting.count(),
        "to_invite_without_email": waiting.filter(email="").count(),
        "without_email": invitations.filter(status=Status.NO_EMAIL).count(),
        "failed": failed_invitations(event, scope).count(),
    }


def send_invitations(event, actor, now=None):
    """Invite every expected participant of ``event`` who has not been invited yet; returns how many
    were invited now (0 when everybody already was).

    Raises :class:`PermissionDenied` for anybody but the event's organizers, :class:`NoAudience`
    without an audience and :class:`InvitationsTooLate` once the event has started. Call outside a
    transaction (a view); inside one, the letters go when it commits.
    """
    now = now or timezone.now()
    if not may_invite(event, actor):
        raise PermissionDenied
    if event.audience_id is None:
        raise NoAudience
    if event.has_started(now):
        raise InvitationsTooLate
    batch = uuid.uuid4()
    with transaction.atomic():
        EventPage.objects.select_for_update(of=("self",)).filter(pk=event.pk).exists()  # one run at a time
        with translation.override(settings.LANGUAGE_CODE):
            text = invitation_text(event)
        rows = [
            EventInvitation(
                event=event,
                user_id=pk,
                invited_by=actor,
                batch=batch,
                created_at=now,
                status=Status.PENDING if email else Status.NO_EMAIL,
            )
            for pk, email in to_invite(event).values_list("pk", "email")
        ]
        # A row another run inserted first wins; this run's row for that person is dropped.
        EventInvitation.objects.bulk_create(rows, batch_size=WRITE_BATCH, ignore_conflicts=True)
        count = EventInvitation.objects.filter(batch=batch).count()
        if count:
            log_action(
                instance=event,
                action=SENT_ACTION,
                user=actor,
                data={
                    "count": count,
                    "without_email": EventInvitation.objects.filter(
                        batch=batch, status=Status.NO_EMAIL
                    ).count(),
                    "audience": str(event.audience),
                    "text": text,
                },
            )
        if EventInvitation.objects.filter(batch=batch, status=Status.PENDING).exists():
            transaction.on_commit(lambda: deliver(batch), robust=True)
    return count


def resend_failed(event, actor, now=None):
    """Send a new letter for each invitation of ``event`` whose letter failed (:func:`failed_invitations`,
    within the organizer's scope); returns how many letters go. An invitee who has no e-mail address
    any more is marked so instead. Raises as :func:`send_invitations`. Pressing again sends nothing
    more: a letter queued again is no longer failed."""
    now = now or timezone.now()
    if not may_invite(event, actor):
        raise PermissionDenied
    if event.audience_id is None:
        raise NoAudience
    if event.has_started(now):
        raise InvitationsTooLate
    with transaction.atomic():
        EventPage.objects.select_for_update(of=("self",)).filter(pk=event.pk).exists()  # one run at a time
        rows = list(failed_invitations(event, event.attendance_scope(actor)).values_list("pk", "user__email"))
        resent = [pk for pk, email in rows if email]
        without_email = [pk for pk, email in rows if not email]
        EventInvitation.objects.filter(pk__in=without_email).update(status=Status.NO_EMAIL)
        EventInvitation.objects.filter(pk__in=resent).update(status=Status.PENDING)
        if rows:
            log_action(
                instance=event,
                action=RESENT_ACTION,
                user=actor,
                data={"count": len(resent), "without_email": len(without_email)},
            )
        if resent:
            transaction.on_commit(lambda: deliver_invitations(resent), robust=True)
    return len(resent)


def deliver(batch):
    """Hand the pending invitations of a run to the outbox and record it on each."""
    return _deliver(EventInvitation.objects.filter(batch=batch))


def deliver_invitations(pks):
    """Hand the pending invitations ``pks`` (letters sent again) to the outbox."""
    return _deliver(EventInvitation.objects.filter(pk__in=pks))


def _deliver(invitations):
    pending = invitations.filter(status=Status.PENDING).select_related("user", "event")
    return enqueue_pending(pending, message, "Event invitation", mail_field="mail")


def event_url(event):
    return public_page_url(event) or public_url("/")


def message(invitation):
    """The invitation's letter as an outbox :class:`~people.mail.Message`."""
    person, event = invitation.user, invitation.event
    details = [_("Когда: %(when)s (время московское).") % {"when": _when(event.start)}]
    if event.venue:
        details.append(_("Где: %(venue)s.") % {"venue": event.venue})
    if event.audience_text:
        details.append(_("Для кого: %(whom)s") % {"whom": event.audience_text})
    link = _("Страница мероприятия и регистрация (после входа на сайт):")
    body = letter_text(person, invitation_text(event), "\n".join(details), f"{link}\n{event_url(event)}")
    return Message(
        to=person.email,
        subject=_("Приглашение на мероприятие «%(title)s»") % {"title": event.title},
        body=body,
        kind=MAIL_KIND,
        person=person,
    )


def my_notices(user, limit=20):
    """The person's invitations to events still ahead (not started: the notice asks to register), for
    «Мой кабинет» (a source of :mod:`people.notices`), newest first."""
    rows = (
        EventInvitation.objects.filter(user=user, event__live=True, event__start__gt=timezone.now())
        .select_related("event")
        .order_by("-created_at", "-pk")[:limit]
    )
    return [
        Notice(
            created_at=row.created_at,
            text=invitation_text(row.event),
            url=row.event.url or "",
            link_text=_("Страница мероприятия"),
        )
        for row in rows
    ]


def register_log_actions(actions):
    """For the ``register_log_actions`` hook (events/wagtail_hooks.py)."""

    @actions.register_action(SENT_ACTION)
    class InvitationsSent(LogFormatter):
        label = gettext_lazy("Рассылка приглашений аудитории")

        def format_message(self, log_entry):
            data = log_entry.data
            return _(
                "Приглашения разосланы, получателей: %(count)s "
                "(аудитория «%(audience)s»; без почты: %(none)s)."
            ) % {
                "count": data.get("count", 0),
                "audience": data.get("audience", ""),
                "none": data.get("without_email", 0),
            }

    @actions.register_action(RESENT_ACTION)
    class InvitationsResent(LogFormatter):
        label = gettext_lazy("Повторная отправка приглашений")

        def format_message(self, log_entry):
            data = log_entry.data
            return _(
                "Приглашения, письма которых не дошли, отправлены повторно, получателей: %(count)s "
                "(без почты: %(none)s)."
            ) % {"count": data.get("count", 0), "none": data.get("without_email", 0)}
