"""Who may open a lesson's SCORM package: the rule of the lesson page itself.

* A learner: signed in, with an active enrolment in the course, the lesson live and public, and the
  package the one of the live lesson. Their run is recorded.
* Somebody who may edit the course (trainers, the reviewers of the authorized body): any state of the
  lesson, the package of the live lesson, of its latest revision, or any package uploaded for the
  course (a preview of a revision under review). Their run is not recorded unless they are enrolled and
  open the live lesson like a learner.
* Everybody else: "not found".
"""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import Enrollment, LessonPage, ScormPackage


@dataclass(frozen=True)
class PackageAccess:
    lesson: LessonPage
    package: ScormPackage
    enrollment: Enrollment | None  # set when the run is recorded (a learner on the live lesson)

    @property
    def records(self):
        return self.enrollment is not None


def package_access(user, lesson_pk, package_pk):
    """The :class:`PackageAccess` of ``user`` to a package in a lesson, or ``Http404``."""
    if not user.is_authenticated:
        raise Http404
    lesson = get_object_or_404(LessonPage, pk=lesson_pk)
    package = get_object_or_404(ScormPackage, pk=package_pk)
    course = lesson.get_parent().specific
    is_live_package = lesson.live and lesson.scorm_package_id == package.pk
    if is_live_package and LessonPage.objects.live().public().filter(pk=lesson.pk).exists():
        enrollment = Enrollment.objects.active().filter(user=user, course_id=course.pk).first()
        if enrollment is not None:
            return PackageAccess(lesson, package, enrollment)
    if course.may_edit(user):
        latest = lesson.get_latest_revision_as_object() if lesson.has_unpublished_changes else lesson
        if package.pk in (lesson.scorm_package_id, latest.scorm_package_id) or package.course_id == course.pk:
            return PackageAccess(lesson, package, None)
    raise Http404
