"""Wagtail's log of a consultation (the admin's «Журнал действий», like the rosters' history):
answers, closing by staff, publishing as a material and every opening of a thread or its attachment by
a manager who is not the asker. The entry's title is the question's number, never its text."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter

ANSWERED = "events.consultation.answer"
CLOSED = "events.consultation.close"
PUBLISHED = "events.consultation.publish"
VIEWED = "events.consultation.view"
ATTACHMENT_VIEWED = "events.consultation.view_attachment"


def title_of(consultation):
    return gettext("Консультация № %(number)s") % {"number": consultation.pk}


def log(consultation, action, user, data=None):
    from wagtail.models import ModelLogEntry

    return ModelLogEntry.objects.log_action(
        consultation, action, user=user, title=title_of(consultation), data=data or {}
    )


def entries_of(consultation):
    from wagtail.models import ModelLogEntry

    return (
        ModelLogEntry.objects.for_instance(consultation).select_related("user").order_by("-timestamp", "-pk")
    )


def register_log_actions(actions):
    """For the ``register_log_actions`` hook (events/wagtail_hooks.py)."""

    @actions.register_action(ANSWERED)
    class Answered(LogFormatter):
        label = _("Ответ на вопрос (консультация)")
        message = _("Дан ответ на вопрос")

    @actions.register_action(CLOSED)
    class Closed(LogFormatter):
        label = _("Вопрос закрыт (консультация)")
        message = _("Вопрос закрыт")

    @actions.register_action(PUBLISHED)
    class Published(LogFormatter):
        label = _("Публикация ответа в библиотеке материалов")
        message = _("Вопрос и ответ опубликованы в библиотеке материалов")

    @actions.register_action(VIEWED)
    class Viewed(LogFormatter):
        label = _("Просмотр вопроса менеджером")
        message = _("Менеджер открыл вопрос")

    @actions.register_action(ATTACHMENT_VIEWED)
    class AttachmentViewed(LogFormatter):
        label = _("Просмотр вложения менеджером")
        message = _("Менеджер открыл вложение к вопросу")
