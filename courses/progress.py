"""What a course or lesson page shows to the person looking at it, and their "Мои курсы".

Everything here is about the requesting person only: their own enrolment and progress.
"""

from django.utils import timezone

from . import services
from .models import Enrollment
from .scorm.player import player_context, results_by_lesson


def enrollment_of(user, course):
    if not user.is_authenticated:
        return None
    return Enrollment.objects.active().filter(user=user, course=course).select_related("certificate").first()


def course_context(course, user):
    """Lessons with the person's progress, where to continue, the final quiz and the certificate.

    Opening the course page also picks up a final quiz finished on the test page.
    """
    enrollment = enrollment_of(user, course)
    lessons = list(course.lessons())
    studied = set()
    context = {
        "enrollment": enrollment,
        "can_enrol": user.is_authenticated and enrollment is None and course.self_enrollment,
        "final_result": None,
        "next_lesson": None,
        "all_studied": False,
    }
    if enrollment is not None:
        services.check_completion(enrollment)
        studied = enrollment.studied_lesson_ids()
        context["next_lesson"] = next((lesson for lesson in lessons if lesson.pk not in studied), None)
        context["all_studied"] = context["next_lesson"] is None
        context["final_result"] = services.final_result(enrollment)
    results = results_by_lesson(enrollment, lessons)
    for lesson in lessons:  # the person's SCORM result, shown next to the lesson
        lesson.scorm_result = results.get(lesson.pk)
    context["lessons"] = [(lesson, lesson.pk in studied) for lesson in lessons]
    context["studied_count"] = len(studied & {lesson.pk for lesson in lessons})
    context["lesson_count"] = len(lessons)
    return context


def lesson_context(lesson, request, preview=False):
    """The lesson body only for the enrolled (and for editors and previews); opening is recorded."""
    user = request.user
    course = lesson.get_parent().specific
    enrollment = enrollment_of(user, course)
    progress = None
    if enrollment is not None and not preview and lesson.live:
        progress = services.open_lesson(enrollment, lesson)
    siblings = list(course.lessons())
    position = next((i for i, other in enumerate(siblings) if other.pk == lesson.pk), None)
    previous_lesson = next_lesson = None
    if position is not None:
        previous_lesson = siblings[position - 1] if position > 0 else None
        next_lesson = siblings[position + 1] if position + 1 < len(siblings) else None
    return {
        "course": course,
        "enrollment": enrollment,
        "progress": progress,
        "can_see_body": preview or enrollment is not None or course.may_edit(user),
        "can_enrol": user.is_authenticated and enrollment is None and course.self_enrollment,
        "previous_lesson": previous_lesson,
        "next_lesson": next_lesson,
        "lesson_number": None if position is None else position + 1,
        "lesson_count": len(siblings),
        "scorm": player_context(lesson, enrollment, preview=preview),
    }


def my_courses(user, today=None):
    """The person's active enrolments split into current and completed, each with its progress."""
    today = today or timezone.localdate()
    enrollments = list(
        Enrollment.objects.active()
        .filter(user=user, course__live=True)
        .select_related("course", "certificate", "renews")
    )
    for enrollment in enrollments:
        services.check_completion(enrollment)
    current, completed = [], []
    for enrollment in enrollments:
        studied, total = enrollment.progress()
        entry = {
            "enrollment": enrollment,
            "course": enrollment.course,
            "studied": studied,
            "total": total,
            "percent": round(studied * 100 / total) if total else 0,
            "overdue": enrollment.is_overdue(today),
        }
        (completed if enrollment.is_completed else current).append(entry)
    current.sort(key=lambda entry: (entry["enrollment"].due_date is None, entry["enrollment"].due_date))
    return current, completed
