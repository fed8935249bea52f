"""Named errors of the testing engine. ``str(error)`` is a Russian message fit to show the person."""

from django.utils.translation import gettext_lazy as _

from people.append_only import AppendOnlyViolation


class QuizError(Exception):
    """Base of every testing error; carries a message for the person."""

    default_message = _("Ошибка тестирования.")

    def __init__(self, message=None):
        self.message = str(message if message is not None else self.default_message)
        super().__init__(self.message)


class InvalidAnswer(QuizError, ValueError):
    default_message = _("Ответ не распознан.")


class QuestionNotInSitting(QuizError):
    default_message = _("Этого вопроса нет в вашей попытке.")


class SittingExpired(QuizError):
    default_message = _("Время на прохождение теста истекло.")


class SittingFinished(QuizError):
    default_message = _("Попытка уже завершена.")


class SittingVoid(QuizError):
    default_message = _("Попытка аннулирована.")


class SittingInProgress(QuizError):
    default_message = _("Попытка ещё не завершена.")


class NoAttemptsLeft(QuizError):
    default_message = _("Все попытки прохождения теста использованы.")


class QuizClosed(QuizError):
    default_message = _("Тестирование уже закрыто.")


class QuizEmpty(QuizError):
    default_message = _("В тесте нет вопросов.")


class NotEnoughQuestions(QuizError):
    default_message = _("В категории недостаточно вопросов для теста.")


class GradingNotAllowed(QuizError):
    default_message = _("Этот ответ оценивается автоматически.")


class InvalidGrade(QuizError, ValueError):
    default_message = _("Оценка должна быть числом от 0 до 1.")


class CampaignNotOpen(QuizError):
    default_message = _("Тестирование сейчас не проводится.")


class NotInAudience(QuizError):
    default_message = _("Это тестирование назначено не вам.")


class OperationRefused(QuizError):
    """A manager's operation on a person's test that cannot be done now (the message says why)."""

    default_message = _("Эту операцию сейчас выполнить нельзя.")


class InvalidOperation(OperationRefused, ValueError):
    """A manager's operation with a bad value (points out of bounds, no reason, …)."""

    default_message = _("Неверное значение.")


class NotRegradable(OperationRefused):
    default_message = _("Этот ответ нельзя пересчитать автоматически.")


class RegradeOutdated(OperationRefused):
    default_message = _(
        "С момента проверки попытки или ключ изменились. Посмотрите список изменений ещё раз и примените его."
    )


class OperationLogChanged(AppendOnlyViolation):
    """The history of operations on people's tests is append-only: its entries are never changed."""
