"""The "Мои курсы" section of the personal cabinet (registered in ``CoursesConfig.ready``)."""

from django.utils.translation import gettext as _

from .progress import my_courses


def my_courses_section(request):
    """The "Мои курсы" section of the cabinet; nothing when the person has no courses."""
    if not request.user.is_authenticated:
        return None
    current, completed = my_courses(request.user)
    if not (current or completed):
        return None
    return {
        "title": _("Мои курсы"),
        "template": "courses/cabinet_section.html",
        "current": current,
        "completed": completed,
    }
