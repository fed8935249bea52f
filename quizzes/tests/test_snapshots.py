"""Snapshots freeze a question into a sitting; the public payload tells the browser nothing secret."""

import random

import pytest

from people.factories import make_person
from quizzes.factories import (
    correct_answer,
    make_essay,
    make_matching,
    make_multiple_choice,
    make_numeric,
    make_quiz,
    make_short_text,
    make_single_choice,
    make_true_false,
)
from quizzes.models import Choice, Question
from quizzes.services import finish_sitting, save_answer, start_sitting

pytestmark = pytest.mark.django_db

SECRET_WORDS = ("correct", "accept", "explanation", "answer", "key", "legal", "value", "tolerance", "grading")


def all_types():
    return [
        make_single_choice(explanation="Потому что так в законе."),
        make_multiple_choice(explanation="См. ст. 12."),
        make_true_false(),
        make_short_text(accepted=["уведомление"]),
        make_numeric(value="30", tolerance="1", unit="дней"),
        make_matching(distractors=["лишнее"]),
        make_essay(),
    ]


def walk_keys(data):
    if isinstance(data, dict):
        for key, value in data.items():
            yield str(key)
            yield from walk_keys(value)
    elif isinstance(data, list):
        for item in data:
            yield from walk_keys(item)


def walk_strings(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from walk_strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from walk_strings(item)
    elif isinstance(data, str):
        yield data


@pytest.mark.parametrize("index", range(7))
def test_public_payload_has_no_correctness_keys(index):
    question = all_types()[index]
    payload = question.public_payload()
    leaked = [key for key in walk_keys(payload) if any(word in key.lower() for word in SECRET_WORDS)]
    assert leaked == []
    assert payload["type"] == question.kind
    assert payload["text"] == question.text


def test_public_payload_does_not_carry_secret_texts():
    short = make_short_text(accepted=["уникальный-ответ-42"])
    explained = make_single_choice(explanation="уникальное-пояснение-17")
    assert "уникальный-ответ-42" not in list(walk_strings(short.public_payload()))
    assert "уникальное-пояснение-17" not in list(walk_strings(explained.public_payload()))


def test_the_snapshot_alone_scores_the_answer():
    for question in all_types():
        snapshot = question.snapshot()
        expected = None if question.needs_manual_grading else 1
        assert question.score(correct_answer(snapshot)) == expected


def test_sitting_keeps_the_question_as_it_was():
    person = make_person()
    question = make_single_choice(text="Старый текст", points=2)
    quiz = make_quiz([question])
    sitting = start_sitting(person, quiz)
    old_right = next(c for c in question.choices.all() if c.is_correct)
    old_wrong = next(c for c in question.choices.all() if not c.is_correct)

    # The trainer rewrites the question during the sitting: new text, points, and the right answer moves.
    Question.objects.filter(pk=question.pk).update(text="Новый текст", points=5)
    Choice.objects.filter(pk=old_right.pk).update(fraction=0, text="Теперь неверно")
    Choice.objects.filter(pk=old_wrong.pk).update(fraction=1)

    sitting.refresh_from_db()
    shown = sitting.public_questions()[0]
    assert shown["text"] == "Старый текст"
    assert {o["text"] for o in shown["options"]} >= {old_right.text}

    shown_right = next(o["id"] for o in sitting.questions()[0]["options"] if o["pk"] == old_right.pk)
    save_answer(sitting, question.pk, {"choice": shown_right}, seq=1)
    finish_sitting(sitting)
    sitting.refresh_from_db()
    assert sitting.max_score == 2
    assert sitting.score == 2
    assert sitting.passed is True


def test_options_are_shuffled_per_sitting_when_asked():
    question = make_single_choice(correct="А", wrong=[f"Вариант {n}" for n in range(12)])
    original = [c.pk for c in question.choices.all()]
    quiz = make_quiz([question], shuffle_options=True, attempts_allowed=0)
    orders = set()
    for seed in range(5):
        sitting = start_sitting(make_person(), quiz, rng=random.Random(seed))
        order = [o["pk"] for o in sitting.questions()[0]["options"]]
        assert sorted(order) == sorted(original)
        orders.add(tuple(order))
    assert len(orders) > 1


def test_options_keep_their_order_when_not_shuffled():
    question = make_single_choice(correct="А", wrong=["Б", "В", "Г"])
    quiz = make_quiz([question], shuffle_options=False)
    sitting = start_sitting(make_person(), quiz)
    assert [o["text"] for o in sitting.public_questions()[0]["options"]] == ["А", "Б", "В", "Г"]
