from decimal import Decimal

from quizzes.importing import aiken
from quizzes.importing.parsed import MultipleGrading, QuestionKind

from .conftest import errors_as_pairs, line_of


def test_sample_reads_every_question(sample_text):
    text = sample_text("anticorruption_aiken.txt")
    result = aiken.parse(text)
    assert result.errors == []
    assert [question.line for question in result.questions] == [
        line_of(text, "Какой федеральный закон"),
        line_of(text, "В какой срок служащий"),
        line_of(text, "Кого служащий обязан"),
        line_of(text, "Какие способы урегулирования"),
        line_of(text, "Сведения о доходах"),
    ]
    first = result.questions[0]
    assert first.kind == QuestionKind.SINGLE
    assert [choice.is_correct for choice in first.choices] == [True, False, False]
    assert first.choices[0].text == "Федеральный закон от 25.12.2008 № 273-ФЗ «О противодействии коррупции»"
    assert [choice.fraction for choice in first.choices] == [1, 0, 0]
    assert result.questions[4].correct_choices[0].text == "30 апреля"


def test_question_text_may_take_several_lines_and_options_may_use_brackets(sample_text):
    question = aiken.parse(sample_text("anticorruption_aiken.txt")).questions[1]
    assert question.text == (
        "В какой срок служащий уведомляет о получении подарка\n"
        "в связи с протокольным мероприятием или служебной командировкой?"
    )
    assert len(question.choices) == 4
    assert question.correct_choices[0].text == "Не позднее трёх рабочих дней со дня получения подарка"


def test_cyrillic_letters_and_russian_answer_keyword(sample_text):
    question = aiken.parse(sample_text("anticorruption_aiken.txt")).questions[2]
    assert [choice.is_correct for choice in question.choices] == [False, True, False]
    assert question.correct_choices[0].text.startswith("Представителя нанимателя")


def test_several_answer_letters_make_a_multiple_answer_question(sample_text):
    question = aiken.parse(sample_text("anticorruption_aiken.txt")).questions[3]
    assert question.kind == QuestionKind.MULTIPLE
    assert question.multiple_grading == MultipleGrading.ALL_OR_NOTHING
    assert [choice.is_correct for choice in question.choices] == [True, True, False]
    assert [choice.fraction for choice in question.choices] == [
        Decimal("0.5"),
        Decimal("0.5"),
        Decimal("-0.5"),
    ]


def test_latin_answer_letter_matches_cyrillic_lookalike_option():
    # «В» and «С» below are Cyrillic; the answer line uses the Latin look-alike «C».
    result = aiken.parse("Вопрос?\nА. да\nВ. нет\nС. не знаю\nANSWER: C\n")
    assert result.errors == []
    assert result.questions[0].correct_choices[0].text == "не знаю"


def test_broken_file_reports_every_error_at_its_line(sample_text):
    result = aiken.parse(sample_text("broken_aiken.txt"))
    assert errors_as_pairs(result) == [
        (1, "Нет строки «ANSWER: …» с буквой правильного ответа после вариантов."),
        (7, "Буквы ответа «C» нет среди вариантов (A, B)."),
        (9, "Нужно не меньше двух вариантов ответа."),
        (13, "Строка «ANSWER:» без вопроса перед ней."),
        (17, "Буква варианта «A» повторяется."),
        (24, "После «ANSWER:» не указана буква правильного ответа."),
        (26, "Вариант ответа «уведомить  представителя нанимателя» повторяется."),
        (36, "Нет строки «ANSWER: …» с буквой правильного ответа после вариантов."),
    ]
    assert [question.text for question in result.questions] == ["Правильный вопрос: он должен прочитаться."]
    assert result.questions[0].line == 31


def test_options_without_a_question_give_an_empty_text_error():
    result = aiken.parse("\n\nA. да\nB. нет\nANSWER: A\n")
    assert errors_as_pairs(result) == [(3, "Пустой текст вопроса.")]
