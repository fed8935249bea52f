"""GIFT read with Moodle 4.5's meaning (docs.moodle.org «GIFT format», qformat_gift), on Russian banks."""

from decimal import Decimal

import pytest

from quizzes.importing import gift
from quizzes.importing.parsed import (
    MultipleGrading,
    ParsedAnswer,
    ParsedChoice,
    ParsedNumber,
    QuestionKind,
    TextFormat,
)

from .conftest import errors_as_pairs


def one(text):
    result = gift.parse(text)
    assert result.errors == [], result.errors
    [question] = result.questions
    return question


def test_name_format_answer_feedback_and_general_feedback():
    question = one(
        "::Понятие коррупции::[html]Что <b>прямо</b> названо коррупцией?{\n"
        "\t=Коммерческий подкуп#Верно.\n"
        "\t~Прогул#Это дисциплинарный проступок.\n"
        "\t####Статья 1 Федерального закона № 273-ФЗ.\n"
        "}"
    )
    assert question.title == "Понятие коррупции"
    assert question.text_format == TextFormat.HTML
    assert question.text == "Что <b>прямо</b> названо коррупцией?"
    assert question.choices == [
        ParsedChoice("Коммерческий подкуп", Decimal(1), "Верно."),
        ParsedChoice("Прогул", Decimal(0), "Это дисциплинарный проступок."),
    ]
    assert question.explanation == "Статья 1 Федерального закона № 273-ФЗ."


@pytest.mark.parametrize(
    ("marker", "text_format"),
    [
        ("[html]", TextFormat.HTML),
        ("[markdown]", TextFormat.MARKDOWN),
        ("[plain]", TextFormat.PLAIN),
        ("[moodle]", TextFormat.MOODLE_AUTO),
        ("", TextFormat.MOODLE_AUTO),  # Moodle's default
    ],
)
def test_format_markers(marker, text_format):
    question = one(f"{marker}Подарок сдаётся по **акту**.{{T}}")
    assert (question.text_format, question.text) == (text_format, "Подарок сдаётся по **акту**.")


def test_a_different_format_marker_on_an_answer_is_refused_with_its_line():
    result = gift.parse("[html]Кто?{\n=[markdown]**Служащий**\n~Никто\n}")
    assert errors_as_pairs(result) == [
        (
            2,
            "Формат «[markdown]» у ответа или отзыва отличается от формата текста вопроса; "
            "здесь у всех текстов вопроса один формат.",
        )
    ]


def test_true_false_feedbacks_in_moodles_order():
    statement = one(
        "Подарок можно выкупить.{T#Неверно: выкупить можно.#Верно.####Постановление № 10, п. 12.}"
    )
    assert (statement.is_true, statement.feedback_true, statement.feedback_false) == (
        True,
        "Верно.",
        "Неверно: выкупить можно.",
    )
    assert statement.explanation == "Постановление № 10, п. 12."
    false = one("Срок — один месяц.{FALSE#Неверно: два месяца.#Верно.}")
    assert (false.is_true, false.feedback_true, false.feedback_false) == (
        False,
        "Неверно: два месяца.",
        "Верно.",
    )


def test_true_false_words_are_case_sensitive_as_in_moodle():
    question = one("Ответ?{true}")
    assert question.kind == QuestionKind.SHORT and question.accepted == ["true"]


def test_weights_on_tilde_options_make_a_weighted_multiple_answer_question():
    question = one(
        "О чьих доходах представляются сведения?{\n"
        "\t~%70%О своих\n\t~%30%О доходах супруги (супруга)\n"
        "\t~%-100%О доходах родителей\n\t~О доходах соседей\n}"
    )
    assert question.kind == QuestionKind.MULTIPLE
    assert question.multiple_grading == MultipleGrading.PARTIAL
    assert [choice.fraction for choice in question.choices] == [
        Decimal("0.7"),
        Decimal("0.3"),
        Decimal(-1),
        Decimal(0),
    ]


def test_partial_weights_next_to_equals_and_two_equals_stay_single_choice():
    question = one("Кто вправе?{=Руководитель =Заместитель ~%50%Кадровик ~Водитель}")
    assert question.kind == QuestionKind.SINGLE
    assert [choice.fraction for choice in question.choices] == [1, 1, Decimal("0.5"), 0]


def test_weight_after_equals_in_a_choice_question_is_refused():
    result = gift.parse("Кто?\n{=%50%Кадровик\n~Водитель}")
    assert errors_as_pairs(result) == [
        (
            2,
            "Вес после «=» в вопросе с выбором Moodle не читает: он сочтёт вариант полностью верным, "
            "а «%…%» — частью текста. Для частичного балла пишите «~%50%вариант».",
        )
    ]


def test_short_answers_with_partial_credit_and_case_variants():
    question = one("Ситуация называется конфликтом {=интересов =Интересов =%50%интереса#Почти.}.")
    assert question.kind == QuestionKind.SHORT
    assert question.text == "Ситуация называется конфликтом _____."
    assert question.answers == [
        ParsedAnswer("интересов"),
        ParsedAnswer("Интересов"),
        ParsedAnswer("интереса", Decimal("0.5"), "Почти."),
    ]
    assert (question.case_sensitive, question.loose_spelling) == (False, False)


def test_numeric_answers_with_partial_credit_ranges_and_other_feedback():
    question = one("В каком году родился Грант?{#\n=1822:0#Верно.\n=%50%1822:2#Близко.\n~#Нет.\n}")
    assert question.numbers == [
        ParsedNumber(Decimal(1822), Decimal(0), Decimal(1), "Верно."),
        ParsedNumber(Decimal(1822), Decimal(2), Decimal("0.5"), "Близко."),
        ParsedNumber(None, Decimal(0), Decimal(0), "Нет."),
    ]
    ranged = one("Сумма мелкой взятки, руб.?{#1..10000}")
    assert ranged.numbers == [ParsedNumber(Decimal("5000.5"), Decimal("4999.5"))]


def test_id_number_and_tags_as_moodle_4_writes_them():
    question = one(
        "// question: 42  name: Подарки\n"
        "// [id:АК-2024\\]-7] [tag:подарки] [tag:273-ФЗ]\n"
        "::Подарки::Кто сдаёт подарок?{=Служащий ~Никто}"
    )
    assert question.id_number == "АК-2024]-7"
    assert question.tags == ["подарки", "273-ФЗ"]


def test_escapes():
    question = one("Формула\\: a \\= b, \\#3, \\~ и \\{скобки\\}?{=да \\~ нет ~нет}")
    assert question.text == "Формула: a = b, #3, ~ и {скобки}?"
    assert question.choices[0].text == "да ~ нет"


def test_every_rejected_question_is_reported_with_its_line_and_reason():
    text = (
        "::Хороший::Кто?{=Служащий ~Никто}\n\n"
        "::Без полного балла::Кто?{~%50%Служащий ~Никто}\n\n"
        "::Мало вариантов::Кто?{~%100%Служащий}\n"
        "\n// @регистр: иногда\nКто?{=служащий}\n"
    )
    result = gift.parse(text)
    assert [question.title for question in result.questions] == ["Хороший"]
    assert errors_as_pairs(result) == [
        (3, "Сумма весов правильных вариантов должна быть 100%, а здесь 50%."),
        (5, "Нужно не меньше двух вариантов ответа."),
        (7, "Значение «иногда» не понято: укажите «учитывать» или «не учитывать»."),
    ]
