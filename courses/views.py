"""Actions around course pages (the pages themselves are served by Wagtail) and certificates.

Courses and lessons are found among live, public pages only; a certificate download is its owner's
only. Anything else is "not found".
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quizzes.exceptions import QuizError
from quizzes.models import Quiz

from . import certificates, services, verification
from .exceptions import CourseError
from .models import Certificate, CoursePage, Enrollment, LessonPage


def get_course_or_404(pk):
    return get_object_or_404(CoursePage.objects.live().public(), pk=pk)


def get_lesson_or_404(pk):
    return get_object_or_404(LessonPage.objects.live().public(), pk=pk)


def my_enrollment_or_404(user, course):
    return get_object_or_404(Enrollment.objects.active(), user=user, course=course)


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request, pk):
    """POST enrols the person; a GET (the way back from the login page) just returns to the course."""
    course = get_course_or_404(pk)
    if request.method == "POST":
        try:
            services.enrol(request.user, course, Enrollment.Source.SELF)
        except CourseError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Вы записаны на курс."))
    return redirect(course.get_url(request))


@login_required
@require_POST
def mark_studied(request, pk):
    """ "Я изучил(а) урок": then on to the next lesson, or back to the course when it was the last."""
    lesson = get_lesson_or_404(pk)
    course = lesson.get_parent().specific
    enrollment = my_enrollment_or_404(request.user, course)
    try:
        services.mark_studied(enrollment, lesson)
    except CourseError as error:
        messages.error(request, error.message)
        return redirect(lesson.get_url(request))
    if enrollment.is_completed:
        messages.success(request, _("Курс завершён. Поздравляем!"))
        return redirect(course.get_url(request))
    next_lesson = enrollment.next_lesson()
    if next_lesson is None:
        messages.success(request, _("Все уроки изучены."))
        return redirect(course.get_url(request))
    return redirect(next_lesson.get_url(request))


def _to_sitting(request, start, back_url):
    try:
        sitting = start()
    except (CourseError, QuizError) as error:
        messages.error(request, error.message)
        return redirect(back_url)
    return redirect("quizzes:take", sitting.pk)


@login_required
@require_POST
def start_final_quiz(request, pk):
    """Start or resume the final quiz and open the test page."""
    course = get_course_or_404(pk)
    enrollment = my_enrollment_or_404(request.user, course)
    if course.final_quiz_id is None:
        raise Http404
    return _to_sitting(request, lambda: services.start_final_quiz(enrollment), course.get_url(request))


@login_required
@require_POST
def start_practice_quiz(request, pk, quiz_pk):
    """Start or resume a "Проверь себя" quiz of a lesson (only a quiz the lesson refers to)."""
    lesson = get_lesson_or_404(pk)
    course = lesson.get_parent().specific
    enrollment = my_enrollment_or_404(request.user, course)
    quiz = get_object_or_404(Quiz, pk=quiz_pk)
    try:
        services.check_practice_quiz(lesson, quiz)
    except CourseError:
        raise Http404 from None
    return _to_sitting(
        request, lambda: services.start_practice_quiz(enrollment, lesson, quiz), lesson.get_url(request)
    )


def _download(request, number, render, content_type, extension):
    certificate = get_object_or_404(Certificate, number=number, user=request.user)
    response = HttpResponse(render(certificate), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.pk}.{extension}"'
    response["Cache-Control"] = "private"
    return response


@login_required
@require_GET
def certificate_png(request, number):
    return _download(request, number, certificates.render_png, "image/png", "png")


@login_required
@require_GET
def certificate_pdf(request, number):
    return _download(request, number, certificates.render_pdf, "application/pdf", "pdf")


def _verification_page(request, result, status):
    context = {"result": result, "issuer": settings.CERTIFICATE_ISSUER}
    response = render(request, "courses/certificate_verify.html", context, status=status)
    response["Cache-Control"] = "no-store"  # a lookup, not a page to keep
    return response


def _answer(request, result):
    """The certificate, on its own address when the code was typed differently; otherwise «не найден»
    (404) with the reason the text cannot be a code, if it cannot."""
    if not result.found:
        return _verification_page(request, result, 404)
    if not result.is_canonical():
        return redirect(result.certificate.get_verify_url())
    return _verification_page(request, result, 200)


@require_GET
def verify_form(request):
    """Public: the form where a certificate's code is typed (``?code=…``)."""
    if "code" not in request.GET:
        return _verification_page(request, None, 200)
    result = verification.verify(request.GET["code"])
    if result.found:
        return redirect(result.certificate.get_verify_url())
    return _verification_page(request, result, 404 if result.typed else 400)


@require_GET
def verify_certificate(request, code):
    """Public: anyone with the code sees whose certificate it is and for what; a wrong code is 404."""
    return _answer(request, verification.verify(code))
