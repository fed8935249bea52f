"""The XLSX template's columns for Moodle's per-answer weights and feedback, general feedback, tags and
id number (issue 16); a template from before them still imports."""

from decimal import Decimal

import openpyxl
import pytest

from quizzes.importing import xlsx
from quizzes.importing.parsed import QuestionKind

from .conftest import errors_as_pairs

HEADER = ["Тип", "Вопрос", "Варианты", "Правильный ответ", "Веса", "Отзывы", "Общий отзыв", "Метки", "ID"]


def workbook(path, rows, header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_the_template_has_the_new_columns_and_its_examples_use_them(sample):
    titles = [column.title for column in xlsx.COLUMNS]
    for title in ("Веса", "Отзывы", "Метки", "Идентификатор"):
        assert title in titles
    sheet = openpyxl.load_workbook(sample("template.xlsx"))[xlsx.SHEET_TITLE]
    assert [cell.value for cell in sheet[1]] == titles
    by_kind = {question.kind: question for question in xlsx.parse(sample("template.xlsx")).questions}
    single = by_kind[QuestionKind.SINGLE]
    assert [choice.feedback for choice in single.choices] == [
        "Верно.",
        "Нет: срок короче.",
        "Нет: это срок представления сведений о доходах.",
    ]
    assert (single.tags, single.id_number) == (["подарки", "постановление 10"], "ПОД-1")
    multiple = by_kind[QuestionKind.MULTIPLE]
    assert [choice.fraction for choice in multiple.choices] == [Decimal("0.5"), Decimal("0.5"), Decimal(-1)]
    short = by_kind[QuestionKind.SHORT]
    assert [(a.text, a.fraction, a.feedback) for a in short.answers] == [
        ("конфликт интересов", 1, "Верно."),
        ("конфликтом интересов", 1, ""),
        ("коррупция", 0, "Нет: коррупция — другое понятие."),
    ]


def test_a_template_from_before_the_new_columns_still_imports(sample):
    result = xlsx.parse(sample("template_before_weights.xlsx"))
    assert result.errors == []
    by_kind = {question.kind: question for question in result.questions}
    assert len(by_kind) == 7
    assert [choice.is_correct for choice in by_kind[QuestionKind.SINGLE].choices] == [True, False, False]
    assert by_kind[QuestionKind.SINGLE].tags == [] and by_kind[QuestionKind.SINGLE].id_number == ""


def test_weights_feedback_general_feedback_tags_and_id_are_read(tmp_path):
    path = workbook(
        tmp_path / "moodle_columns.xlsx",
        [
            [
                "один ответ",
                "Срок уведомления о подарке?",
                "Три рабочих дня\nПять рабочих дней\nМесяц",
                None,
                "100\n50%\n0",
                "Верно.\n\nНет.",
                "Постановление № 10, п. 5.",
                "подарки; сроки; подарки",
                "ПОД-7",
            ],
            ["верно / неверно", "Подарок можно оставить себе.", None, "неверно", None, "Нет.;Верно."],
            ["число", "Год принятия 273-ФЗ?", None, "2008", None, "Верно: 25.12.2008."],
        ],
    )
    result = xlsx.parse(path)
    assert result.errors == []
    single, truefalse, numeric = result.questions
    assert [(c.text, c.fraction, c.feedback) for c in single.choices] == [
        ("Три рабочих дня", 1, "Верно."),
        ("Пять рабочих дней", Decimal("0.5"), ""),
        ("Месяц", 0, "Нет."),
    ]
    assert single.explanation == "Постановление № 10, п. 5."
    assert (single.tags, single.id_number) == (["подарки", "сроки"], "ПОД-7")
    assert (truefalse.feedback_true, truefalse.feedback_false) == ("Нет.", "Верно.")
    assert numeric.numbers[0].feedback == "Верно: 25.12.2008."


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            ["один ответ", "Вопрос?", "А; Б; В", None, "100; 0"],
            "Весов 2, а вариантов (ответов) 3: нужен вес для каждого.",
        ),
        (
            ["один ответ", "Вопрос?", "А; Б", None, "100; много"],
            "Вес «много» должен быть числом от -100 до 100 (процент балла).",
        ),
        (
            ["короткий ответ", "Вопрос?", None, "да", "150"],
            "Вес «150» должен быть числом от -100 до 100 (процент балла).",
        ),
        (
            ["один ответ", "Вопрос?", "*А; Б", None, None, "Да; Нет; Лишний"],
            "Отзывов 3, а вариантов (ответов) 2.",
        ),
        (
            ["соответствие", "Вопрос?", None, None, "100"],
            "Веса задаются только для вопросов «один ответ», «несколько ответов» и «короткий ответ».",
        ),
        (
            ["эссе", "Вопрос?", None, None, None, "Отзыв"],
            "Отзывы на ответы не задаются для вопросов «соответствие» и «эссе».",
        ),
        (
            ["один ответ", "Вопрос?", "А; Б", None, "50; 50"],
            "Ни один вариант не даёт полного балла (100%): так в вопросе нельзя получить все баллы.",
        ),
    ],
)
def test_bad_weights_and_feedback_are_errors_at_their_row(tmp_path, row, message):
    path = workbook(tmp_path / "bad.xlsx", [["один ответ", "Верный вопрос?", "*А; Б"], row])
    result = xlsx.parse(path)
    assert errors_as_pairs(result) == [(3, message)]
    assert len(result.questions) == 1
