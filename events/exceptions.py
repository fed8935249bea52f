"""Named errors of events. ``str(error)`` is a Russian message fit to show the person."""

from django.utils.translation import gettext_lazy as _


class EventError(Exception):
    """Base of every event error; carries a message for the person."""

    default_message = _("Действие с мероприятием невозможно.")

    def __init__(self, message=None):
        self.message = str(message if message is not None else self.default_message)
        super().__init__(self.message)


class RegistrationClosed(EventError):
    default_message = _("Регистрация на это мероприятие закрыта.")


class RegistrationDeadlinePassed(EventError):
    default_message = _("Срок регистрации на мероприятие истёк.")


class EventAlreadyStarted(EventError):
    default_message = _("Мероприятие уже началось.")


class CheckInNotOpenYet(EventError):
    default_message = _("Отметиться можно не раньше чем за 30 минут до начала мероприятия.")


class CheckInClosed(EventError):
    default_message = _("Мероприятие завершилось, отметиться о присутствии уже нельзя.")


class InvalidCheckInCode(EventError):
    default_message = _("Неверный код присутствия. Проверьте код, который показывают организаторы.")


class NotABroadcast(EventError):
    default_message = _("Это мероприятие проходит только очно: залы трансляции для него не ведутся.")


class ParticipantInAnotherRoom(EventError):
    default_message = _("Участник уже указан в отчёте другого зала этого мероприятия.")


# --- the audience, invitations and feedback (issue 18) -------------------------------------------


class NotInAudience(EventError):
    default_message = _(
        "Регистрация на это мероприятие открыта только для его аудитории, а вы в неё не входите. "
        "Если это ошибка, обратитесь к организатору мероприятия."
    )


class NoAudience(EventError):
    default_message = _("У мероприятия не выбрана аудитория, приглашать некого.")


class InvitationsTooLate(EventError):
    default_message = _("Мероприятие уже началось: приглашения больше не рассылаются.")


class FeedbackNotOpenYet(EventError):
    default_message = _("Отзыв можно оставить после окончания мероприятия.")


class FeedbackClosed(EventError):
    default_message = _("Срок, в который можно было оставить отзыв о мероприятии, истёк.")


class FeedbackNotForYou(EventError):
    default_message = _(
        "Отзыв оставляют участники мероприятия: те, кто отметился о присутствии или назван в отчёте "
        "зала трансляции."
    )
