"""What a lesson page needs to show its SCORM package: the addresses the player script uses and the
person's recorded result."""

from django.urls import reverse

from ..models import ScormRecord


def player_context(lesson, enrollment, preview=False):
    """None for a lesson without a package; else the package, the launch and runtime addresses, whether
    the run is recorded and the person's record (None before the first commit)."""
    package = lesson.scorm_package if lesson.scorm_package_id else None
    if package is None:
        return None
    if lesson.pk is None:  # a new lesson's preview: the files have no address before it is saved
        return {"package": package, "unsaved": True}
    records = enrollment is not None and not preview and lesson.live
    record = None
    if enrollment is not None:
        record = ScormRecord.objects.filter(enrollment=enrollment, lesson=lesson, package=package).first()
    kwargs = {"pk": lesson.pk, "package_pk": package.pk}
    launch = reverse("courses:scorm_file", kwargs={**kwargs, "path": "PATH"}).removesuffix("PATH")
    return {
        "package": package,
        "unsaved": False,
        "records": records,
        "record": record,
        "launch_url": launch + package.launch,
        "runtime_url": reverse("courses:scorm_runtime", kwargs=kwargs),
    }


def results_by_lesson(enrollment, lessons):
    """The person's SCORM records for the given lessons' current packages, by lesson id."""
    if enrollment is None:
        return {}
    packages = {lesson.pk: lesson.scorm_package_id for lesson in lessons if lesson.scorm_package_id}
    if not packages:
        return {}
    records = ScormRecord.objects.filter(
        enrollment=enrollment, lesson_id__in=packages, package_id__in=set(packages.values())
    ).select_related("package")
    return {record.lesson_id: record for record in records if packages[record.lesson_id] == record.package_id}
