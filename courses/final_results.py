"""What the result page of a course's final test says about the course (a note of
:mod:`quizzes.result_notes`, registered in ``CoursesConfig.ready``): the course completed and the
certificate it earned, or what is still missing."""

from django.utils.translation import gettext as _

from quizzes.contexts import COURSE
from quizzes.result_notes import ResultNote

from .models import Enrollment
from .services import check_completion


def final_quiz_notes(sitting):
    kind, _sep, pk = (sitting.context or "").partition(":")
    if kind != COURSE or not pk.isdigit() or not sitting.passed:
        return []
    enrollment = (
        Enrollment.objects.active()
        .filter(user_id=sitting.user_id, course_id=int(pk))
        .select_related("course", "certificate")
        .order_by("-enrolled_at", "-pk")
        .first()
    )
    if enrollment is None:
        return []
    course = enrollment.course
    if not check_completion(enrollment):  # as the course page does: nothing waits for the commit hook
        return [
            ResultNote(
                _("Итоговый тест сдан. Курс «%(title)s» будет завершён, когда будут изучены все уроки.")
                % {"title": course.title},
                course.url or "",
                _("К курсу"),
            )
        ]
    certificate = enrollment.certificate
    if certificate is None:
        return [
            ResultNote(
                _("Курс «%(title)s» завершён.") % {"title": course.title}, course.url or "", _("К курсу")
            )
        ]
    return [
        ResultNote(
            _("Курс «%(title)s» завершён. Сертификат № %(number)s.")
            % {"title": course.title, "number": certificate.number},
            certificate.get_pdf_url(),
            _("Скачать сертификат (PDF)"),
        )
    ]
