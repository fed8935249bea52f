"""Wagtail's log of a consultation (the admin's «Журнал действий», like the rosters' history):
answers, closing by staff, publishing as a material and every opening of a thread or its attachment by
a manager who is not the asker. The entry's title is the question's number, never its text."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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


# Each action's label (in the log's filter) and message (in the log).
LOG_ACTIONS = {
    ANSWERED: (_("Ответ на вопрос (консультация)"), _("Дан ответ на вопрос")),
    CLOSED: (_("Вопрос закрыт (консультация)"), _("Вопрос закрыт")),
    PUBLISHED: (
        _("Публикация ответа в библиотеке материалов"),
        _("Вопрос и ответ опубликованы в библиотеке материалов"),
    ),
    VIEWED: (_("Просмотр вопроса менеджером"), _("Менеджер открыл вопрос")),
    ATTACHMENT_VIEWED: (_("Просмотр вложения менеджером"), _("Менеджер открыл вложение к вопросу")),
}


def register_log_actions(actions):
    """For the ``register_log_actions`` hook (events/wagtail_hooks.py): Wagtail makes a plain
    ``LogFormatter`` of each label and message."""
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)
