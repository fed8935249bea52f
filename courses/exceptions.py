"""Named errors of courses. ``str(error)`` is a Russian message fit to show the person."""

from django.utils.translation import gettext_lazy as _


class CourseError(Exception):
    """Base of every course error; carries a message for the person."""

    default_message = _("Действие с курсом невозможно.")

    def __init__(self, message=None):
        self.message = str(message if message is not None else self.default_message)
        super().__init__(self.message)


class SelfEnrollmentClosed(CourseError):
    default_message = _("Самостоятельная запись на этот курс закрыта: курс назначает кадровая служба.")


class NotEnrolled(CourseError):
    default_message = _("Вы не записаны на этот курс.")


class LessonNotInCourse(CourseError):
    default_message = _("Этот урок не относится к курсу.")


class LessonsNotStudied(CourseError):
    default_message = _("Итоговый тест откроется, когда все уроки курса будут изучены.")


class NoFinalQuiz(CourseError):
    default_message = _("В этом курсе нет итогового теста.")


class QuizNotInLesson(CourseError):
    default_message = _("Этого теста нет в уроке.")


class StudiedByPackage(CourseError):
    default_message = _(
        "Этот урок — интерактивный (SCORM): он засчитывается, когда вы пройдёте его до конца в окне урока."
    )
