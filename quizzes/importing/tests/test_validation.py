from decimal import Decimal

import pytest

from quizzes.importing.parsed import ParsedChoice, ParsedQuestion, ParseError, QuestionKind, marked_choices
from quizzes.importing.validation import validate_question


def choice_question(*marked, kind=QuestionKind.SINGLE, **fields):
    return ParsedQuestion(
        kind=kind, text="Вопрос?", line=7, choices=marked_choices(kind, list(marked)), **fields
    )


VALID = [
    choice_question(("да", True), ("нет", False)),
    choice_question(("а", True), ("б", True), ("в", False), kind=QuestionKind.MULTIPLE),
    ParsedQuestion(kind=QuestionKind.TRUEFALSE, text="Верно?", is_true=False),
    ParsedQuestion(kind=QuestionKind.SHORT, text="Кто?", accepted=["служащий"]),
    ParsedQuestion(
        kind=QuestionKind.NUMERIC, text="Год?", numeric_answer=Decimal(2008), tolerance=Decimal(0)
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
            choice_question(("да", True), ("конечно", True), ("нет", False)),
            "В вопросе с одним правильным ответом отмечено несколько правильных вариантов; "
            "для такого вопроса выберите тип «несколько ответов».",
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
                kind=QuestionKind.NUMERIC, text="Год?", numeric_answer=Decimal(1), tolerance=Decimal(-1)
            ),
            "Допуск не может быть отрицательным.",
        ),
        (ParsedQuestion(kind=QuestionKind.NUMERIC, text="Год?"), "Не указан правильный числовой ответ."),
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
        (ParsedQuestion(kind=QuestionKind.SHORT, text="Кто?"), "Не указан ни один правильный ответ."),
        (
            ParsedQuestion(kind=QuestionKind.SHORT, text="Кто?", accepted=["Служащий", "служащий"]),
            "Правильный ответ «служащий» повторяется.",
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
        choices=[ParsedChoice("а", False), ParsedChoice("а", False)],
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
