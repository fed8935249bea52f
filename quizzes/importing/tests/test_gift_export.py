from decimal import Decimal

from quizzes.importing import gift, xlsx
from quizzes.importing.parsed import (
    MultipleGrading,
    ParsedAnswer,
    ParsedChoice,
    ParsedNumber,
    ParsedQuestion,
    QuestionKind,
    TextFormat,
    marked_choices,
)


def round_trip(questions):
    exported = gift.to_gift(questions)
    again = gift.parse(exported)
    assert again.errors == [], exported
    return exported, again.questions


def test_rich_sample_survives_a_round_trip(sample_text):
    original = gift.parse(sample_text("anticorruption.gift"))
    exported, questions = round_trip(original.questions)
    assert questions == original.questions
    # Writing what was read back gives the same text: nothing drifts on repeated exports.
    assert gift.to_gift(questions) == exported


def test_round_trip_keeps_what_is_outside_equality_too(sample_text):
    original = gift.parse(sample_text("anticorruption.gift")).questions
    _exported, questions = round_trip(original)
    assert [(q.title, q.points, q.legal_norm, q.category, q.multiple_grading) for q in questions] == [
        (q.title, q.points, q.legal_norm, q.category, q.multiple_grading) for q in original
    ]


def test_template_examples_survive_a_round_trip(sample):
    original = xlsx.parse(sample("template.xlsx")).questions
    _exported, questions = round_trip(original)
    assert questions == original


def test_special_characters_everywhere_survive():
    nasty = "Формула: a{b}c = d ~ e # f \\ g\nвторая строка"
    questions = [
        ParsedQuestion(
            kind=QuestionKind.SINGLE,
            text=nasty,
            title="Название: с {скобками} и = знаком",
            explanation="Пояснение # с решёткой\nи переносом",
            legal_norm="273-ФЗ, ст. 12.1",
            points=Decimal("2.5"),
            choices=[
                ParsedChoice("Верно: {да}", Decimal(1), "Отзыв # с решёткой"),
                ParsedChoice("~Неверно = нет", Decimal(0)),
            ],
            category="Раздел/Подраздел",
        ),
        ParsedQuestion(
            kind=QuestionKind.SHORT,
            text="Срок — _____ дня.",
            answers=[
                ParsedAnswer("три"),
                ParsedAnswer("3 \\ три"),
                ParsedAnswer("тр*", Decimal("0.5"), "Почти"),
            ],
        ),
        ParsedQuestion(
            kind=QuestionKind.NUMERIC,
            text="Порог стоимости подарка составляет _____",
            numbers=[ParsedNumber(Decimal("3000"), Decimal("0.5"))],
            category="Раздел",
        ),
        ParsedQuestion(
            kind=QuestionKind.MULTIPLE,
            text="Что верно?",
            choices=marked_choices(
                QuestionKind.MULTIPLE, [("а", True), ("б", True), ("в", True), ("г", False)]
            ),
            multiple_grading=MultipleGrading.ALL_OR_NOTHING,
        ),
        ParsedQuestion(
            kind=QuestionKind.MATCHING,
            text="Соотнесите",
            pairs=[("Статья 8: сведения", "Доходы = имущество"), ("Статья 9", "Склонение"), ("", "Лишний")],
            explanation="Разбор",
        ),
        ParsedQuestion(
            kind=QuestionKind.TRUEFALSE, text="Верно ли: 2 = 2?", is_true=False, explanation="Нет"
        ),
        ParsedQuestion(kind=QuestionKind.ESSAY, text="Опишите {порядок}."),
    ]
    exported, again = round_trip(questions)
    assert again == questions
    assert "$CATEGORY:\n" in exported + "\n"  # the uncategorised question after a categorised one


def test_exported_choice_questions_look_like_moodle_gift():
    question = ParsedQuestion(
        kind=QuestionKind.SINGLE,
        text="Кто?",
        title="Кто",
        choices=[ParsedChoice("Служащий", Decimal(1), "Да"), ParsedChoice("Никто", Decimal(0))],
        explanation="Статья 9",
        text_format=TextFormat.MOODLE_AUTO,
    )
    assert gift.to_gift([question]) == "::Кто::Кто? {\n\t=Служащий#Да\n\t~Никто\n\t####Статья 9\n}\n"


def test_blank_in_the_middle_puts_the_answer_there():
    question = ParsedQuestion(
        kind=QuestionKind.NUMERIC,
        text="Не позднее _____ рабочих дней.",
        numbers=[ParsedNumber(Decimal(3))],
        text_format=TextFormat.MOODLE_AUTO,
    )
    assert gift.to_gift([question]) == "Не позднее {#=3:0} рабочих дней.\n"


def test_plain_text_questions_carry_their_format_marker():
    """Moodle reads a text without a marker as its auto-format (HTML allowed): plain text says so."""
    question = ParsedQuestion(kind=QuestionKind.TRUEFALSE, text="3 < 5 и <b> — не разметка", is_true=True)
    exported = gift.to_gift([question])
    assert exported == "[plain]3 < 5 и <b> — не разметка {TRUE}\n"
    assert gift.parse(exported).questions == [question]


def test_nothing_to_export_gives_empty_text():
    assert gift.to_gift([]) == ""
