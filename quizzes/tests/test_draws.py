"""A quiz's questions: fixed ones in order, random draws from categories, and clear errors."""

import random

import pytest

from quizzes.exceptions import NotEnoughQuestions, QuizEmpty
from quizzes.factories import make_category, make_quiz, make_single_choice, make_true_false

pytestmark = pytest.mark.django_db


def test_draws_take_the_asked_count_from_each_category():
    laws, gifts = make_category("Законодательство"), make_category("Подарки")
    law_qs = {make_true_false(laws).pk for _ in range(6)}
    gift_qs = {make_true_false(gifts).pk for _ in range(4)}
    quiz = make_quiz(draws=[(laws, 3), (gifts, 2)])
    for seed in range(5):
        drawn = [q.pk for q in quiz.draw_questions(rng=random.Random(seed))]
        assert len(drawn) == len(set(drawn)) == 5
        assert len(law_qs.intersection(drawn)) == 3
        assert len(gift_qs.intersection(drawn)) == 2


def test_subcategories_are_included_only_when_asked():
    topic = make_category()
    sub = make_category(parent=topic)
    own = make_true_false(topic)
    make_true_false(sub)
    only_own = make_quiz(draws=[(topic, 1, False)])
    assert [q.pk for q in only_own.draw_questions()] == [own.pk]
    with pytest.raises(NotEnoughQuestions):
        make_quiz(draws=[(topic, 2, False)]).draw_questions()
    assert len(make_quiz(draws=[(topic, 2, True)]).draw_questions()) == 2


def test_retired_questions_are_never_drawn():
    category = make_category()
    active = make_true_false(category)
    make_true_false(category, is_retired=True)
    quiz = make_quiz(draws=[(category, 1)])
    assert all([q.pk for q in quiz.draw_questions(rng=random.Random(s))] == [active.pk] for s in range(5))


def test_too_few_questions_fail_clearly_in_russian():
    category = make_category("Конфликт интересов")
    make_true_false(category)
    make_true_false(category)
    quiz = make_quiz(draws=[(category, 5)])
    with pytest.raises(NotEnoughQuestions) as error:
        quiz.draw_questions()
    message = str(error.value)
    assert "Конфликт интересов" in message
    assert "2" in message and "5" in message


def test_fixed_questions_come_first_in_order_and_are_not_drawn_twice():
    category = make_category()
    fixed = [make_single_choice(category), make_true_false(category)]
    others = {make_true_false(category).pk for _ in range(3)}
    quiz = make_quiz(fixed[::-1], draws=[(category, 3)])
    drawn = quiz.draw_questions()
    assert [q.pk for q in drawn[:2]] == [fixed[1].pk, fixed[0].pk]
    assert {q.pk for q in drawn[2:]} == others
    assert quiz.question_count == 5


def test_drawn_questions_are_real_subtypes_with_options_loaded(django_assert_max_num_queries):
    category = make_category()
    made = [make_single_choice(category), make_true_false(category)]
    quiz = make_quiz(made)
    with django_assert_max_num_queries(8):
        drawn = quiz.draw_questions()
        snapshots = [q.snapshot() for q in drawn]
    assert [type(q) for q in drawn] == [type(q) for q in made]
    assert len(snapshots[0]["options"]) == 3


def test_shuffle_questions_changes_the_order_between_sittings():
    questions = [make_true_false() for _ in range(10)]
    quiz = make_quiz(questions, shuffle_questions=True)
    orders = {tuple(q.pk for q in quiz.draw_questions(rng=random.Random(seed))) for seed in range(5)}
    assert len(orders) > 1
    assert all(sorted(order) == sorted(q.pk for q in questions) for order in orders)


def test_empty_quiz_is_an_error():
    with pytest.raises(QuizEmpty):
        make_quiz().draw_questions()
