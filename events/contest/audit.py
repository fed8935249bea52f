"""Wagtail's log of a contest («Журнал действий»): organizers' downloads of works, consent forms and the
submissions' list, the places they set, the publication of the results, deleted unconfirmed entries,
resent confirmation letters and changes of the jury list."""

from django.utils.translation import gettext_lazy as _

DOWNLOADED = "events.contest.download"
EXPORTED = "events.contest.export"
PLACE = "events.contest.place"
PUBLISHED = "events.contest.publish"
DELETED = "events.contest.delete_contestant"
RESENT = "events.contest.resend_confirmation"
JURY = "events.contest.jury"


def log(contest, action, user, data=None):
    from wagtail.models import ModelLogEntry

    return ModelLogEntry.objects.log_action(contest, action, user=user, title=str(contest), data=data or {})


def entries_of(contest):
    from wagtail.models import ModelLogEntry

    return ModelLogEntry.objects.for_instance(contest).select_related("user").order_by("-timestamp", "-pk")


LOG_ACTIONS = {
    DOWNLOADED: (_("Конкурс: скачан файл участника"), _("Скачан файл участника конкурса")),
    EXPORTED: (_("Конкурс: выгружен список работ"), _("Выгружен список работ с участниками")),
    PLACE: (_("Конкурс: место работы"), _("Изменено место работы")),
    PUBLISHED: (_("Конкурс: итоги опубликованы"), _("Итоги конкурса опубликованы")),
    DELETED: (
        _("Конкурс: удалена неподтверждённая запись"),
        _("Удалена неподтверждённая запись участника"),
    ),
    RESENT: (
        _("Конкурс: письмо для подтверждения"),
        _("Участнику повторно отправлено письмо для подтверждения"),
    ),
    JURY: (_("Конкурс: состав жюри"), _("Изменён состав жюри")),
}


def register_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)
