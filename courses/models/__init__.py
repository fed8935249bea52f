from .assignments import Assignment
from .certificates import Certificate
from .learning import Enrollment, LessonProgress
from .pages import CourseIndexPage, CoursePage, LessonPage
from .reminders import Reminder

__all__ = [
    "Assignment",
    "Certificate",
    "CourseIndexPage",
    "CoursePage",
    "Enrollment",
    "LessonPage",
    "LessonProgress",
    "Reminder",
]
