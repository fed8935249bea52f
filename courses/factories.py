"""Test data builders for courses (plain functions, no magic)."""

import itertools
from decimal import Decimal

from cms.models import HomePage

from .models import CourseIndexPage, CoursePage, LessonPage

_counter = itertools.count(1)


def make_course_index(home=None):
    home = home or HomePage.objects.first()
    index = CourseIndexPage.objects.child_of(home).first()
    if index is None:
        index = CourseIndexPage(title="Курсы", slug="courses")
        home.add_child(instance=index)
    return index


def make_course(index=None, lessons=0, **fields):
    """A live course page with ``lessons`` live lessons (returned as ``course, [lessons]`` when asked)."""
    n = next(_counter)
    index = index or make_course_index()
    fields.setdefault("title", f"Курс по противодействию коррупции {n}")
    fields.setdefault("slug", f"course-{n}")
    fields.setdefault("summary", "Основы антикоррупционного законодательства.")
    fields.setdefault("hours", Decimal("8"))
    course = CoursePage(**fields)
    index.add_child(instance=course)
    for _number in range(lessons):
        make_lesson(course)
    return course


def make_lesson(course, body=None, **fields):
    n = next(_counter)
    fields.setdefault("title", f"Урок {n}")
    fields.setdefault("slug", f"lesson-{n}")
    if body is None:
        body = [("paragraph", f"<p>Содержание урока {n}.</p>")]
    lesson = LessonPage(body=body, **fields)
    course.add_child(instance=lesson)
    return lesson
