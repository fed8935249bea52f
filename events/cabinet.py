"""The "Мои мероприятия" section of the personal cabinet (registered in ``EventsConfig.ready``)."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.notices import Notice

from .models import EventPage, Registration


def follow_ups_of(user, now=None):
    """The follow-up quizzes of the ended events the person attended, as they see them."""
    now = now or timezone.now()
    follow_ups = (event.follow_up_for(user, now) for event in EventPage.objects.with_follow_up_for(user, now))
    return [follow_up for follow_up in follow_ups if follow_up is not None]


def pending_follow_ups(user, now=None):
    """Follow-up quizzes of ended events the person attended that still wait for them."""
    return [follow_up for follow_up in follow_ups_of(user, now) if follow_up.is_pending]


def answerable_follow_up_quizzes(user, now=None):
    """Ids of the follow-up quizzes the person can still start or resume (for
    :mod:`quizzes.answerable`: their questions' keys stay hidden meanwhile)."""
    return {follow_up.quiz.pk for follow_up in follow_ups_of(user, now) if follow_up.can_start}


def my_events_section(request):
    """Upcoming events the person is registered or waitlisted for, and follow-up quizzes to take;
    nothing when there are neither."""
    if not request.user.is_authenticated:
        return None
    now = timezone.now()
    registrations = list(
        Registration.objects.active()
        .filter(user=request.user, event__live=True, event__end__gt=now)
        .select_related("event")
        .order_by("event__start")
    )
    follow_ups = pending_follow_ups(request.user, now)
    if not registrations and not follow_ups:
        return None
    return {
        "title": _("Мои мероприятия"),
        "template": "events/cabinet_section_follow_up.html",
        "registrations": registrations,
        "follow_ups": follow_ups,
    }


REGISTRATION_NOTICES = {
    Registration.Status.REGISTERED: gettext_lazy(
        "Вы зарегистрированы на мероприятие «%(title)s» (%(when)s)."
    ),
    Registration.Status.WAITLISTED: gettext_lazy("Вы в листе ожидания мероприятия «%(title)s» (%(when)s)."),
    Registration.Status.CANCELLED: gettext_lazy(
        "Регистрация на мероприятие «%(title)s» (%(when)s) отменена."
    ),
}


def my_notices(user, limit):
    """The state of the person's registrations for events still ahead, as of its last change, for
    «Мой кабинет» (a source of :mod:`people.notices`), newest first; the letters of each change went
    by mail."""
    registrations = (
        Registration.objects.filter(user=user, event__live=True, event__end__gt=timezone.now())
        .select_related("event")
        .order_by("-updated", "-pk")[:limit]
    )
    return [
        Notice(
            created_at=registration.updated,
            text=REGISTRATION_NOTICES[registration.status]
            % {
                "title": registration.event.title,
                "when": formats.date_format(timezone.localtime(registration.event.start), "j E Y, H:i"),
            },
            url=registration.event.url or "",
            link_text=_("Страница мероприятия"),
        )
        for registration in registrations
    ]
