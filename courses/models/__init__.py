from .assignments import Assignment
from .certificates import Certificate
from .learning import Enrollment, LessonProgress
from .pages import CourseIndexPage, CoursePage, LessonPage
from .reminders import Reminder
from .review import CourseReviewLesson
from .scorm import ScormPackage, ScormRecord

__all__ = [
    "Assignment",
    "Certificate",
    "CourseIndexPage",
    "CoursePage",
    "CourseReviewLesson",
    "Enrollment",
    "LessonPage",
    "LessonProgress",
    "Reminder",
    "ScormPackage",
    "ScormRecord",
]
