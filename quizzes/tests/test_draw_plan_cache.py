"""A quiz's draw plan (fixed questions and draws) is read once per process and quiz version.

Other server processes see a change only through the quiz's ``updated_at`` (they read the quiz row
with the campaign on every start), so every change that alters the plan must bump it in the database.
"""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes.factories import make_category, make_quiz, make_single_choice, make_true_false
from quizzes.models import Quiz, QuizDraw, QuizQuestion
from quizzes.models import quizzes as quizzes_module
from quizzes.services import drawing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_caches():
    drawing.clear_cache()
    yield
    drawing.clear_cache()


def fresh(quiz):
    return Quiz.objects.get(pk=quiz.pk)


def plan_reads(quiz):
    """Statements reading the quiz's fixed questions or draws during one draw."""
    with CaptureQueriesContext(connection) as captured:
        drawing.draw_snapshots(quiz, rng=random.Random(1))
    return [
        q["sql"] for q in captured if '"quizzes_quizquestion"' in q["sql"] or '"quizzes_quizdraw"' in q["sql"]
    ]


def test_the_plan_is_read_once_per_quiz_version():
    quiz = fresh(make_quiz([make_single_choice(), make_true_false()]))
    assert len(plan_reads(quiz)) == 2
    assert plan_reads(fresh(quiz)) == []  # the same version, loaded again by the next request
    Quiz.objects.filter(pk=quiz.pk).update(title="Другое название")  # not a change of the version
    assert plan_reads(fresh(quiz)) == []


def bumped(quiz, change):
    """Did ``change()`` bump the quiz's version in the database (as other processes see it)?"""
    before = fresh(quiz).updated_at
    change()
    return fresh(quiz).updated_at > before


def test_every_change_of_the_plan_bumps_the_quiz_version():
    category = make_category()
    first, second = make_single_choice(category), make_true_false(category)
    spare = make_true_false(category)
    quiz = make_quiz([first, second])

    def retire():
        second.is_retired = True
        second.save()

    def edit_option():
        choice = first.choices.first()
        choice.text = "Исправлено"
        choice.save()

    def add_fixed():
        QuizQuestion.objects.create(quiz=quiz, question=spare, order=5)

    def add_draw():
        QuizDraw.objects.create(quiz=quiz, category=make_category(), count=1)

    assert bumped(quiz, retire)
    assert bumped(quiz, edit_option)
    assert bumped(quiz, add_fixed)
    assert bumped(quiz, lambda: QuizQuestion.objects.get(quiz=quiz, question=spare).delete())
    assert bumped(quiz, add_draw)
    assert bumped(quiz, lambda: quiz.draws.get().delete())
    unrelated = make_quiz([spare])
    assert not bumped(unrelated, lambda: first.save())  # only the quizzes the question is fixed in


def test_another_process_sees_a_retired_question_and_a_new_draw_at_once():
    category, pool = make_category(), make_category()
    kept, retired = make_single_choice(category), make_true_false(category)
    drawn = make_true_false(pool)
    quiz = make_quiz([kept, retired])
    old = fresh(quiz)
    old_plan = old.cached_draw_plan()
    assert [pk for pk, _updated in old.draw_question_versions(random.Random(1))] == [kept.pk, retired.pk]
    retired.is_retired = True
    retired.save()
    QuizDraw.objects.create(quiz=quiz, category=pool, count=1)
    quizzes_module._plans[(old.pk, old.updated_at)] = old_plan  # another process still holds it
    after = [pk for pk, _updated in fresh(quiz).draw_question_versions(random.Random(1))]
    assert after == [kept.pk, drawn.pk]


def test_a_question_edited_elsewhere_gets_its_new_version_into_new_sittings():
    question = make_single_choice(text="Старая формулировка")
    quiz = make_quiz([question])
    assert drawing.draw_snapshots(fresh(quiz))[0]["text"] == "Старая формулировка"
    question.text = "Новая формулировка"
    question.save()
    assert drawing.draw_snapshots(fresh(quiz))[0]["text"] == "Новая формулировка"


def test_bulk_changes_of_the_fixed_questions_bump_the_version_too():
    category = make_category()
    first, spare = make_single_choice(category), make_true_false(category)
    quiz = make_quiz([first])
    assert bumped(quiz, lambda: quiz.questions.add(spare, through_defaults={"order": 9}))
    assert bumped(quiz, lambda: quiz.questions.remove(spare))
    assert bumped(quiz, lambda: spare.quizzes.add(quiz, through_defaults={"order": 9}))
    assert bumped(quiz, lambda: quiz.questions.clear())
