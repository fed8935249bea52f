import pytest

from courses.factories import make_course, make_lesson
from courses.services import final_quiz_context
from people.factories import make_person
from quizzes.factories import make_quiz, make_true_false
from quizzes.services import finish_sitting, save_answer, start_sitting


@pytest.fixture
def servant():
    return make_person(last_name="Петров", first_name="Павел", patronymic="Игоревич")


@pytest.fixture
def other_servant():
    return make_person()


@pytest.fixture
def final_quiz():
    return make_quiz([make_true_false(value=True)], pass_mark=100, attempts_allowed=0)


@pytest.fixture
def course_with_quiz(final_quiz):
    course = make_course(final_quiz=final_quiz, certificate_validity_months=36)
    lessons = [make_lesson(course), make_lesson(course)]
    return course, lessons


def take_quiz(user, course, right=True):
    """Start, answer every (true/false) question and finish a sitting of the course's final quiz."""
    sitting = start_sitting(user, course.final_quiz, context=final_quiz_context(course))
    for seq, snapshot in enumerate(sitting.questions(), start=1):
        value = snapshot["key"]["value"] if right else not snapshot["key"]["value"]
        save_answer(sitting, snapshot["id"], {"value": value}, seq)
    return finish_sitting(sitting)
