from .certificates import Certificate
from .learning import Enrollment, LessonProgress
from .pages import CourseIndexPage, CoursePage, LessonPage

__all__ = ["Certificate", "CourseIndexPage", "CoursePage", "Enrollment", "LessonPage", "LessonProgress"]
