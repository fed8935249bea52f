from decimal import Decimal

import pytest

from quizzes.importing.parsed import (
    ParsedAnswer,
    ParsedChoice,
    ParsedNumber,
    ParsedQuestion,
    ParseError,
    QuestionKind,
    marked_choices,
)
from quizzes.importing.validation import validate_question


def choice_question(*marked, kind=QuestionKind.SINGLE, **fields):
    return ParsedQuestion(
        kind=kind, text="Вопрос?", line=7, choices=marked_choices(kind, list(marked)), **fields
    )


VALID = [
    choice_question(("да", True), ("нет", False)),
    choice_question(("а", True), ("б", True), ("в", False), kind=QuestionKind.MULTIPLE),
    ParsedQuestion(kind=QuestionKind.TRUEFALSE, text="Верно?", is_true=False),
    ParsedQuestion(kind=QuestionKind.SHORT, text="Кто?", answers=[ParsedAnswer("служащий")]),
    # Moodle accepts case variants and repeats of a short answer (the first matching one counts).
    ParsedQuestion(
        kind=QuestionKind.SHORT,
        text="Кто?",
        answers=[
            ParsedAnswer("Служащий"),
            ParsedAnswer("служащий"),
            ParsedAnswer("работник", Decimal("0.5")),
        ],
    ),
    ParsedQuestion(kind=QuestionKind.NUMERIC, text="Год?", numbers=[ParsedNumber(Decimal(2008))]),
    # Several options for full or partial credit in single choice, as in Moodle.
    ParsedQuestion(
        kind=QuestionKind.SINGLE,
        text="Вопрос?",
        choices=[ParsedChoice("да", Decimal(1)), ParsedChoice("конечно", Decimal(1)), ParsedChoice("нет")],
    ),
    ParsedQuestion(kind=QuestionKind.MATCHING, text="Пары", pairs=[("а", "1"), ("б", "2"), ("", "3")]),
    ParsedQuestion(kind=QuestionKind.ESSAY, text="Опишите."),
]


@pytest.mark.parametrize("question", VALID, ids=lambda question: question.kind.value)
def test_valid_questions_pass(question):
    assert validate_question(question) == []


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (ParsedQuestion(kind=QuestionKind.ESSAY, text="  \n "), "Пустой текст вопроса."),
        (choice_question(("да", False), ("нет", False)), "Не отмечен ни один правильный вариант ответа."),
        (
            choice_question(("да", False), ("нет", False), kind=QuestionKind.MULTIPLE),
            "Не отмечен ни один правильный вариант ответа.",
        ),
        (choice_question(("Да", True), ("нет", False), ("ДА ", False)), "Вариант ответа «ДА» повторяется."),
        (choice_question(("всё", True), ("все", False)), "Вариант ответа «все» повторяется."),
        (choice_question(("да", True)), "Нужно не меньше двух вариантов ответа."),
        (choice_question(("да", True), (" ", False)), "Пустой вариант ответа."),
        (
            ParsedQuestion(
                kind=QuestionKind.SINGLE,
                text="Вопрос?",
                choices=[ParsedChoice("да", Decimal("0.5")), ParsedChoice("нет")],
            ),
            "Ни один вариант не даёт полного балла (100%): так в вопросе нельзя получить все баллы.",
        ),
        (
            ParsedQuestion(
                kind=QuestionKind.SINGLE,
                text="Вопрос?",
                choices=[ParsedChoice("да", Decimal(1)), ParsedChoice("нет", Decimal("-0.5"))],
            ),
            "Отрицательный вес варианта в вопросе с одним ответом не поддерживается: здесь вопрос "
            "не отнимает баллы у остального теста.",
        ),
        (
            ParsedQuestion(
                kind=QuestionKind.MULTIPLE,
                text="Вопрос?",
                choices=[ParsedChoice("а", Decimal("0.7")), ParsedChoice("б", Decimal("0.2"))],
            ),
            "Сумма весов правильных вариантов должна быть 100%, а здесь 90%.",
        ),
        (
            ParsedQuestion(kind=QuestionKind.ESSAY, text="Опишите.", points=Decimal(0)),
            "Баллы должны быть положительным числом.",
        ),
        (
            ParsedQuestion(kind=QuestionKind.ESSAY, text="Опишите.", points=Decimal("-1")),
            "Баллы должны быть положительным числом.",
        ),
        (
            ParsedQuestion(
                kind=QuestionKind.NUMERIC, text="Год?", numbers=[ParsedNumber(Decimal(1), Decimal(-1))]
            ),
            "Допуск не может быть отрицательным.",
        ),
        (
            ParsedQuestion(kind=QuestionKind.NUMERIC, text="Год?"),
            "Нет числового ответа, дающего полный балл (с весом 100%).",
        ),
        (
            ParsedQuestion(
                kind=QuestionKind.NUMERIC,
                text="Год?",
                numbers=[ParsedNumber(Decimal(1), fraction=Decimal("0.5"))],
            ),
            "Нет числового ответа, дающего полный балл (с весом 100%).",
        ),
        (
            ParsedQuestion(kind=QuestionKind.MATCHING, text="Пары", pairs=[("а", "1"), ("", "2")]),
            "В вопросе на соответствие нужно не меньше двух пар.",
        ),
        (
            ParsedQuestion(kind=QuestionKind.MATCHING, text="Пары", pairs=[("а", "1"), ("б", "")]),
            "У пары «б» пустая правая часть.",
        ),
        (
            ParsedQuestion(
                kind=QuestionKind.MATCHING, text="Пары", pairs=[("Статья 8", "1"), ("статья  8", "2")]
            ),
            "Левая часть пары «статья  8» повторяется.",
        ),
        (
            ParsedQuestion(kind=QuestionKind.TRUEFALSE, text="Верно?"),
            "Не указан правильный ответ: «верно» или «неверно».",
        ),
        (
            ParsedQuestion(kind=QuestionKind.SHORT, text="Кто?"),
            "Не указан ни один ответ, дающий полный балл (100%).",
        ),
        (
            ParsedQuestion(
                kind=QuestionKind.SHORT, text="Кто?", answers=[ParsedAnswer("служащий", Decimal("0.5"))]
            ),
            "Не указан ни один ответ, дающий полный балл (100%).",
        ),
        (
            ParsedQuestion(
                kind=QuestionKind.SHORT, text="Кто?", answers=[ParsedAnswer("служащий"), ParsedAnswer(" ")]
            ),
            "Пустой вариант ответа.",
        ),
    ],
)
def test_problems_are_reported_at_the_question_line(question, message):
    question.line = 7
    assert validate_question(question) == [ParseError(7, message)]


def test_every_problem_of_a_question_is_reported():
    question = ParsedQuestion(
        kind=QuestionKind.SINGLE,
        text="",
        points=Decimal(0),
        line=3,
        choices=[ParsedChoice("а"), ParsedChoice("а")],
    )
    assert [error.message for error in validate_question(question)] == [
        "Пустой текст вопроса.",
        "Баллы должны быть положительным числом.",
        "Вариант ответа «а» повторяется.",
        "Не отмечен ни один правильный вариант ответа.",
    ]


def test_error_reads_with_its_line():
    assert str(ParseError(12, "Пустой текст вопроса.")) == "Строка 12: Пустой текст вопроса."
    assert str(ParseError(None, "Файл повреждён.")) == "Файл повреждён."
