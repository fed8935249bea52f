"""Wagtail's log of a letter (the admin's «Журнал действий»): sending and each reminder, with the
counts. The entry is titled with the letter's number, not with the people it reached."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SENT = "events.letter.send"
REMINDED = "events.letter.remind"


def title_of(letter):
    return gettext("Письмо муниципалитетам № %(number)s") % {"number": letter.pk}


def log(letter, action, user, data=None):
    from wagtail.models import ModelLogEntry

    return ModelLogEntry.objects.log_action(
        letter, action, user=user, title=title_of(letter), data=data or {}
    )


def entries_of(letter):
    from wagtail.models import ModelLogEntry

    return ModelLogEntry.objects.for_instance(letter).select_related("user").order_by("-timestamp", "-pk")


LOG_ACTIONS = {
    SENT: (_("Отправка письма муниципалитетам"), _("Письмо отправлено ответственным")),
    REMINDED: (_("Напоминание об ознакомлении с письмом"), _("Отправлено напоминание об ознакомлении")),
}


def register_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)
