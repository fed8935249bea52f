"""Admin shortcuts: from an event page in the Wagtail admin to its participants, attendance and live Q&A."""

from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from quizzes.answerable import sharing_warnings

from .consultations import admin as consultations_admin  # noqa: F401  (topics, menu, log actions)
from .contest import admin as contest_admin  # noqa: F401  (the contest snippet, menu, log actions)
from .letters import admin as letters_admin  # noqa: F401  (menu, the material's button, log actions)
from .models import EventPage


def _attendance_button(page, user, priority):
    """Only for people who see somebody there: organizers, managers (a trainer writing the page does not)."""
    if page.live and page.specific_class is EventPage and not page.specific.attendance_scope(user).is_empty:
        yield Button(
            _("Участники и посещаемость"),
            reverse("events:attendance", args=[page.pk]),
            icon_name="group",
            priority=priority,
        )


def _live_button(page, user, priority):
    """Moderators open the stream page of an online or hybrid event to run its live Q&A."""
    if (
        page.live
        and page.specific_class is EventPage
        and page.specific.has_broadcast
        and page.specific.can_organize(user)
    ):
        yield Button(
            _("Вопросы участников (модерация)"),
            reverse("events:stream", args=[page.pk]),
            icon_name="help",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def attendance_header_button(page, user, view_name, next_url=None):
    yield from _attendance_button(page, user, priority=80)
    yield from _live_button(page, user, priority=81)


@hooks.register("register_page_listing_more_buttons")
def attendance_listing_button(page, user, next_url=None):
    yield from _attendance_button(page, user, priority=70)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_follow_up_on_campaign_questions(request, page):
    """A follow-up quiz that shares questions with a campaign: the trainer is told that its review will
    hide those questions while the campaign runs (``quizzes.answerable``)."""
    if isinstance(page, EventPage) and page.follow_up_quiz_id:
        for warning in sharing_warnings(page.follow_up_quiz, gettext("по итогам мероприятия")):
            messages.warning(request, warning)


@hooks.register("register_log_actions")
def register_invitation_log_actions(actions):
    """Invitations sent to an event's audience, in the event page's history (events.invitations)."""
    from .invitations import register_log_actions

    register_log_actions(actions)
