"""Enrolment, lesson progress, completion and certificates.

Every function is idempotent: enrolling, opening or marking a lesson again, or checking completion
twice, changes nothing the second time, and a course gives one certificate per enrolment.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from quizzes.contexts import COURSE, LESSON, context_key
from quizzes.models import Quiz, Sitting
from quizzes.services import start_sitting

from .blocks import quiz_ids_in
from .exceptions import (
    LessonNotInCourse,
    LessonsNotStudied,
    NoFinalQuiz,
    QuizNotInLesson,
    SelfEnrollmentClosed,
    StudiedByPackage,
)
from .models import Certificate, Enrollment, LessonProgress
from .models.certificates import add_months, format_number

_TRIES = 5


def enrol(user, course, source=Enrollment.Source.SELF, due_date=None, now=None):
    """The person's active enrolment in ``course``, created if there is none.

    Self-enrolment needs ``course.self_enrollment`` (else :class:`SelfEnrollmentClosed`). An
    assignment on top of an existing enrolment makes it "assigned" and keeps the earlier due date.
    """
    Source = Enrollment.Source
    existing = Enrollment.objects.active().filter(user=user, course=course).first()
    if existing is None and source == Source.SELF and not course.self_enrollment:
        raise SelfEnrollmentClosed
    if existing is None:
        try:
            with transaction.atomic():
                return Enrollment.objects.create(
                    user=user,
                    course=course,
                    source=source,
                    due_date=due_date,
                    enrolled_at=now or timezone.now(),
                )
        except IntegrityError:  # a parallel request enrolled the person first
            existing = Enrollment.objects.active().get(user=user, course=course)
    if source == Source.ASSIGNED:
        changed = existing.make_assigned(due_date)
        if changed:
            existing.save(update_fields=changed)
    return existing


def _check_lesson(enrollment, lesson):
    if not lesson.live or lesson.get_parent().pk != enrollment.course_id:
        raise LessonNotInCourse


def open_lesson(enrollment, lesson, now=None):
    """Record that the person opened a lesson (the first time counts)."""
    _check_lesson(enrollment, lesson)
    progress, _created = LessonProgress.objects.get_or_create(
        enrollment=enrollment, lesson=lesson, defaults={"opened_at": now or timezone.now()}
    )
    return progress


def mark_studied(enrollment, lesson, now=None, by_package=False):
    """ "Я изучил(а) урок": mark the lesson studied, then see whether the course is complete.

    A lesson with a SCORM package is studied when the package reports it completed
    (``courses.scorm.runtime``, ``by_package=True``), never by the button (:class:`StudiedByPackage`).
    """
    if lesson.scorm_package_id and not by_package:
        raise StudiedByPackage
    now = now or timezone.now()
    progress = open_lesson(enrollment, lesson, now=now)
    if progress.studied_at is None:
        LessonProgress.objects.filter(pk=progress.pk, studied_at__isnull=True).update(studied_at=now)
        progress.refresh_from_db(fields=["studied_at"])
    check_completion(enrollment, now=now)
    return progress


def all_lessons_studied(enrollment):
    studied, total = enrollment.progress()
    return studied == total


def final_result(enrollment):
    """The final quiz sitting that counts for this enrolment, or None.

    For a recertification only sittings finished since the re-enrolment count: the test passed
    for the expiring certificate does not renew it.
    """
    quiz = enrollment.course.final_quiz
    if quiz is None:
        return None
    context = final_quiz_context(enrollment.course)
    if not enrollment.is_renewal:
        return Sitting.objects.result_for(enrollment.user, quiz, context)
    sittings = Sitting.objects.finished().filter(
        user_id=enrollment.user_id, quiz=quiz, context=context, finished_at__gte=enrollment.enrolled_at
    )
    order = ["-finished_at", "-pk"]
    if quiz.grading_method == Quiz.GradingMethod.BEST:
        order.insert(0, "-percent")
    return sittings.order_by(*order).first()


def answerable_final_quizzes(user, now=None):
    """Ids of the final quizzes of the courses the person is taking that they can still start or resume
    (for :mod:`quizzes.answerable`: their questions' keys stay hidden meanwhile)."""
    ids = set()
    enrollments = Enrollment.objects.current().filter(user=user, course__final_quiz__isnull=False)
    for enrollment in enrollments.select_related("course__final_quiz"):
        quiz = enrollment.course.final_quiz
        sittings = Sitting.objects.in_context(user, quiz, final_quiz_context(enrollment.course))
        if enrollment.is_renewal:
            sittings = sittings.filter(started_at__gte=enrollment.enrolled_at)
        if (
            not quiz.attempts_allowed
            or sittings.in_progress().exists()
            or sittings.count() < quiz.attempts_allowed
        ):
            ids.add(quiz.pk)
    return ids


def final_quiz_passed(enrollment):
    if enrollment.course.final_quiz_id is None:
        return True
    result = final_result(enrollment)
    return bool(result and result.passed)


def is_complete(enrollment):
    """All live lessons studied and, if the course has a final quiz, the counted sitting passed.

    A course with neither lessons nor a final quiz has nothing to complete.
    """
    course = enrollment.course
    if course.final_quiz_id is None and not course.lessons().exists():
        return False
    return all_lessons_studied(enrollment) and final_quiz_passed(enrollment)


def check_completion(enrollment, now=None):
    """Mark the enrolment completed and issue the certificate, once. Returns True when complete."""
    if enrollment.completed_at is not None:
        return True
    if not is_complete(enrollment):
        return False
    now = now or timezone.now()
    with transaction.atomic():
        locked = Enrollment.objects.select_for_update().select_related("course", "user").get(pk=enrollment.pk)
        if locked.completed_at is None:
            locked.completed_at = now
            if locked.course.issues_certificate and locked.certificate_id is None:
                locked.certificate = issue_certificate(
                    locked.user, locked.course, now=now, renews=locked.renews
                )
            locked.save(update_fields=["completed_at", "certificate"])
    enrollment.completed_at, enrollment.certificate = locked.completed_at, locked.certificate
    return True


def issue_certificate(user, course, now=None, renews=None):
    """A new certificate with the next number of the year and a random verification code.

    Its validity counts from the issue date; a renewal taken before the old certificate ran out
    counts from the old expiry date, so renewing early loses nothing.
    """
    now = now or timezone.now()
    issued_on = timezone.localdate(now)
    valid_until = None
    if course.certificate_validity_months:
        start = issued_on
        if renews is not None and renews.valid_until and renews.valid_until > issued_on:
            start = renews.valid_until
        valid_until = add_months(start, course.certificate_validity_months)
    for _try in range(_TRIES):
        sequence = Certificate.objects.last_sequence(issued_on.year) + 1
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    number=format_number(issued_on.year, sequence),
                    user=user,
                    holder_name=user.get_full_name() or user.username,
                    course=course,
                    course_title=course.title,
                    hours=course.hours,
                    issued_at=now,
                    valid_until=valid_until,
                )
        except IntegrityError:
            continue  # the number was taken by a parallel issue: look again
    raise IntegrityError("Could not find a free certificate number.")


def start_final_quiz(enrollment, now=None):
    """Start or resume the sitting of the course's final quiz (outside any campaign).

    Raises :class:`NoFinalQuiz`, :class:`LessonsNotStudied` and the quiz engine's ``QuizError``s.
    """
    quiz = enrollment.course.final_quiz
    if quiz is None:
        raise NoFinalQuiz
    if not all_lessons_studied(enrollment):
        raise LessonsNotStudied
    # A renewal (recertification) has the quiz's attempts afresh: the old ones were for the old
    # certificate.
    since = enrollment.enrolled_at if enrollment.renews_id else None
    return start_sitting(
        enrollment.user, quiz, context=final_quiz_context(enrollment.course), now=now, attempts_since=since
    )


def check_practice_quiz(lesson, quiz):
    """Raise :class:`QuizNotInLesson` unless a "Проверь себя" block of the lesson refers to ``quiz``."""
    if quiz.pk not in quiz_ids_in(lesson.body):
        raise QuizNotInLesson


def start_practice_quiz(enrollment, lesson, quiz, now=None):
    """Start or resume a "Проверь себя" quiz of a lesson; only quizzes the lesson refers to."""
    _check_lesson(enrollment, lesson)
    check_practice_quiz(lesson, quiz)
    return start_sitting(enrollment.user, quiz, context=practice_context(lesson), now=now)


def final_quiz_context(course):
    """The sitting context of a course's final quiz: its attempts and result belong to the course."""
    return context_key(COURSE, course.pk)


def practice_context(lesson):
    """The sitting context of a lesson's «Проверь себя» blocks."""
    return context_key(LESSON, lesson.pk)
