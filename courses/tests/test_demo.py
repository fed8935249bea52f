"""The demo course builder: one course, four lessons and a SCORM lesson, a final quiz, the demo servant
enrolled; twice safe."""

import io

import pytest

from courses.demo import COURSE_TITLE, build_demo_courses
from courses.models import CoursePage, Enrollment, LessonPage
from people.demo import registered_builders
from people.factories import make_person
from quizzes.models import Question, Quiz

pytestmark = pytest.mark.django_db


def test_builder_is_registered_for_demo_data():
    assert build_demo_courses in registered_builders()


def test_builds_the_course_once():
    servant = make_person(username="servant")
    build_demo_courses(io.StringIO(), {})
    build_demo_courses(io.StringIO(), {})

    course = CoursePage.objects.live().get()
    assert course.title == COURSE_TITLE
    assert LessonPage.objects.live().child_of(course).count() == 5  # the last one a SCORM package
    quiz = course.final_quiz
    assert 8 <= quiz.quiz_questions.count() <= 10
    types = {type(question) for question in Question.objects.filter(quizzes=quiz)}
    assert len(types) >= 5
    assert quiz.questions.first().category.name == "Основы противодействия коррупции"
    assert Quiz.objects.count() == 2  # final and practice
    enrollment = Enrollment.objects.get(user=servant)
    assert enrollment.course == course
    assert enrollment.due_date is not None
