from decimal import Decimal

import pytest

from quizzes.importing import gift
from quizzes.importing.parsed import (
    MultipleGrading,
    ParsedChoice,
    ParsedNumber,
    QuestionKind,
    TextFormat,
)

from .conftest import errors_as_pairs, line_of


@pytest.fixture
def rich(sample_text):
    text = sample_text("anticorruption.gift")
    result = gift.parse(text)
    return text, result, {question.title: question for question in result.questions}


def test_rich_sample_reads_without_errors_and_covers_every_kind(rich):
    _text, result, _by_title = rich
    assert result.errors == []
    assert len(result.questions) == 16
    assert {question.kind for question in result.questions} == set(QuestionKind)


def test_questions_know_the_line_they_start_on(rich):
    text, result, _by_title = rich
    for question in result.questions:
        title = question.title.replace(":", "\\:")
        fragment = f"::{title}::" if title else question.text[:40]
        assert question.line == line_of(text, fragment), question.title


def test_categories_follow_category_lines(rich):
    _text, result, by_title = rich
    assert by_title["Понятие коррупции"].category == "Противодействие коррупции/Общие положения"
    assert by_title["Понятие коррупции"].category_levels == ["Противодействие коррупции", "Общие положения"]
    assert by_title["Мелкое взяточничество"].category == "Противодействие коррупции/Общие положения"
    assert by_title["Утрата доверия"].category == "Противодействие коррупции/Конфликт интересов"
    assert by_title["Выкуп подарка"].category == "Противодействие коррупции/Подарки"
    assert by_title["Сведения о расходах"].category == "Противодействие коррупции/Сведения о доходах"
    assert len({question.category for question in result.questions}) == 4


def test_single_choice_with_feedback_and_general_feedback(rich):
    question = rich[2]["Понятие коррупции"]
    assert question.kind == QuestionKind.SINGLE
    assert question.text.startswith("Что из перечисленного прямо названо коррупцией")
    assert question.choices[0] == ParsedChoice(
        "Коммерческий подкуп", Decimal(1), "Верно: коммерческий подкуп назван в определении коррупции."
    )
    assert [choice.is_correct for choice in question.choices] == [True, False, False, False]
    assert question.choices[2].feedback == ""
    assert question.explanation.startswith("Коррупция — злоупотребление служебным положением")
    assert question.legal_norm == "273-ФЗ, ст. 1"
    assert question.points == Decimal(1)


def test_missing_word_keeps_a_blank_where_the_answer_was(rich):
    by_title = rich[2]
    year = by_title["Год принятия закона"]
    assert year.kind == QuestionKind.NUMERIC
    assert year.text == "Федеральный закон № 273-ФЗ «О противодействии коррупции» принят в _____ году."
    assert year.numbers == [ParsedNumber(Decimal(2008), Decimal(0), Decimal(1))]
    short = next(q for q in rich[1].questions if q.kind == QuestionKind.SHORT and not q.title)
    assert short.text.endswith("называется _____ (часть 1 статьи 10 Федерального закона № 273-ФЗ).")
    assert short.accepted == ["конфликтом интересов", "конфликт интересов"]


def test_true_false_short_and_long_forms(rich):
    _text, result, by_title = rich
    statement = next(q for q in result.questions if q.text.startswith("Организации обязаны"))
    assert (statement.kind, statement.is_true) == (QuestionKind.TRUEFALSE, True)
    assert by_title["Утрата доверия"].is_true is True
    assert (
        by_title["Утрата доверия"].explanation == "Пункт 2 части 1 статьи 59.2 Федерального закона № 79-ФЗ."
    )
    assert by_title["Выкуп подарка"].is_true is False


def test_multi_line_question_text_keeps_its_line_break(rich):
    question = rich[2]["Выкуп подарка"]
    assert question.text == (
        "Служащий, сдавший подарок, может его выкупить.\n"
        "Заявление о выкупе подаётся не позднее одного месяца со дня сдачи подарка."
    )


def test_numeric_range_becomes_middle_and_tolerance(rich):
    question = rich[2]["Мелкое взяточничество"]
    assert question.numbers == [ParsedNumber(Decimal("5000.5"), Decimal("4999.5"))]
    assert question.points == Decimal("1.5")


def test_numeric_keeps_every_graded_answer_with_its_feedback(rich):
    question = rich[2]["Стоимость подарка"]
    assert question.numbers == [
        ParsedNumber(Decimal(3000), Decimal(0), Decimal(1), "Верно."),
        ParsedNumber(Decimal(3000), Decimal(1000), Decimal("0.5"), "Близко, но порог — 3 000 рублей."),
    ]
    assert question.explanation.startswith("Подарок стоимостью свыше 3 тыс. рублей")


def test_weights_make_a_multiple_answer_question_with_fractions(rich):
    question = rich[2]["Чьи сведения"]
    assert question.kind == QuestionKind.MULTIPLE
    assert [choice.fraction for choice in question.choices] == [
        Decimal("0.5"),
        Decimal("0.5"),
        Decimal("-0.5"),
        Decimal("-0.5"),
    ]
    assert [choice.is_correct for choice in question.choices] == [True, True, False, False]
    assert question.choices[2].feedback == "Нет: только несовершеннолетних."
    assert question.multiple_grading == MultipleGrading.PARTIAL
    assert question.points == Decimal(2)


def test_grading_mark_makes_a_weighted_question_all_or_nothing(rich):
    question = rich[2]["Урегулирование конфликта интересов"]
    assert question.kind == QuestionKind.MULTIPLE
    assert [choice.is_correct for choice in question.choices] == [True, True, False, False]
    assert [choice.fraction for choice in question.choices] == [Decimal("0.5"), Decimal("0.5"), 0, 0]
    assert question.multiple_grading == MultipleGrading.ALL_OR_NOTHING


def test_several_equal_signs_stay_single_choice_with_either_answer_full_marks():
    """Moodle: any «=» makes single choice, and each «=» option gives full marks."""
    result = gift.parse(
        "Кто утверждает перечень должностей?{=Руководитель органа =Представитель нанимателя ~Сам служащий}"
    )
    question = result.questions[0]
    assert question.kind == QuestionKind.SINGLE
    assert [choice.fraction for choice in question.choices] == [1, 1, 0]


def test_matching_pairs(rich):
    question = rich[2]["Статьи закона"]
    assert question.kind == QuestionKind.MATCHING
    assert question.pairs[0] == (
        "Статья 8",
        "Представление сведений о доходах, об имуществе и обязательствах имущественного характера",
    )
    assert [left for left, _right in question.pairs] == ["Статья 8", "Статья 9", "Статья 10", "Статья 13.3"]


def test_essay_with_markdown_markers_dropped(rich):
    question = rich[2]["Порядок уведомления"]
    assert question.kind == QuestionKind.ESSAY
    assert question.text.startswith("Опишите порядок действий")
    assert "[markdown]" not in question.text
    assert question.explanation.startswith("Служащий обязан уведомить")
    assert question.points == Decimal(5)


def test_escapes_and_html_marker(rich):
    question = rich[2]["Памятка: обозначения"]
    assert question.text_format == TextFormat.HTML
    assert question.text == (
        "В памятке записано: «подарок = имущество», «#3000» — порог стоимости, «~» значит «около», "
        "а в фигурных скобках { } дан пример. Как называется такое имущество?"
    )
    # A short answer is compared as text: Moodle drops the «[moodle]» marker before it.
    assert question.accepted == ["Подарок", "подарок: имущество"]
    html = rich[2]["Срок представления"]
    assert html.text_format == TextFormat.HTML
    assert html.text.startswith(
        "Сведения о доходах за отчётный год представляются не позднее <b>30 апреля</b>"
    )


def test_moodle_export_reads_and_descriptions_are_reported(sample_text):
    text = sample_text("moodle_export.gift")
    result = gift.parse(text)
    assert [question.kind for question in result.questions] == [
        QuestionKind.SHORT,
        QuestionKind.NUMERIC,
        QuestionKind.TRUEFALSE,
        QuestionKind.MULTIPLE,
        QuestionKind.SINGLE,
        QuestionKind.MATCHING,
        QuestionKind.ESSAY,
    ]
    assert {question.category for question in result.questions} == {"Антикоррупция"}
    short, numeric, _tf, multiple, single, matching, _essay = result.questions
    assert short.accepted == ["конфликт интересов", "конфликтом интересов"]
    assert short.text.startswith("<p>Как называется")
    assert numeric.full_number.value == Decimal(3)
    assert [choice.fraction for choice in multiple.choices] == [Decimal("0.5"), Decimal("0.5"), Decimal(-1)]
    assert single.explanation == "<p>Федеральный закон от 25.12.2008 № 273-ФЗ.</p>"
    # A pair with an empty left side is an extra right-hand option (a Moodle distractor).
    assert matching.pairs[2] == ("", "Порядок представления сведений о расходах")
    assert errors_as_pairs(result) == [
        (
            line_of(text, "::Вводный текст::"),
            "Нет блока ответов в фигурных скобках {…}: описания без ответов не импортируются.",
        )
    ]


def test_broken_file_reports_every_error_at_its_line(sample_text):
    result = gift.parse(sample_text("broken.gift"))
    assert errors_as_pairs(result) == [
        (4, "Не закрыта фигурная скобка «{»."),
        (9, "Нет блока ответов в фигурных скобках {…}: описания без ответов не импортируются."),
        (12, "Не отмечен ни один правильный вариант ответа."),
        (15, "Вариант ответа «промолчать» повторяется."),
        (18, "В вопросе на соответствие нужно не меньше двух пар."),
        (23, "Пара должна иметь вид «=левое -> правое»: «Статья 9 Уведомление о склонении»."),
        (28, "Числовой ответ «три» не является числом."),
        (32, "Допуск не может быть отрицательным."),
        (35, "Баллы должны быть положительным числом."),
        (40, "Второй блок ответов в одном вопросе: вероятно, между вопросами пропущена пустая строка."),
        (43, "Сумма весов правильных вариантов должна быть 100%, а здесь 80%."),
        (46, "Закрывающая скобка «}» без открывающей «{»."),
        (49, "Пустой текст вопроса."),
        (
            53,
            "Вес после «=» в вопросе с выбором Moodle не читает: он сочтёт вариант полностью верным, "
            "а «%…%» — частью текста. Для частичного балла пишите «~%50%вариант».",
        ),
        (58, "Пометка в комментарии не относится ни к одному вопросу."),
        (62, "Неверный вес ответа «%пятьдесят%»: нужно число процентов, например «~%50%»."),
        (
            67,
            "Отрицательный вес варианта в вопросе с одним ответом не поддерживается: здесь вопрос "
            "не отнимает баллы у остального теста.",
        ),
        (70, "В диапазоне «10000..1» начало больше конца."),
    ]
    assert len(result.questions) == 1
    assert result.questions[0].line == 74
    assert result.questions[0].legal_norm == "273-ФЗ, ст. 9"


def test_windows_line_ends_do_not_shift_lines():
    text = "// комментарий\r\n\r\nВопрос?{=да ~нет}\r\n\r\nВопрос без ответа?{~да ~нет}\r\n"
    result = gift.parse(text)
    assert result.questions[0].line == 3
    assert errors_as_pairs(result) == [(5, "Не отмечен ни один правильный вариант ответа.")]


def test_answer_without_marker_is_a_wrong_option_as_in_moodle():
    result = gift.parse("Кто?{Никто =Служащий ~Руководитель}")
    assert result.errors == []
    assert [(choice.text, choice.is_correct) for choice in result.questions[0].choices] == [
        ("Никто", False),
        ("Служащий", True),
        ("Руководитель", False),
    ]


def test_grading_mark_on_a_single_answer_question_is_an_error():
    result = gift.parse("// @оценивание: частичное\nКто?{=да ~нет}")
    assert errors_as_pairs(result) == [
        (1, "Способ оценивания задаётся только для вопросов с несколькими правильными ответами.")
    ]


def test_unknown_grading_word_is_an_error():
    result = gift.parse("Вопрос\n// @оценивание: как получится\n{~%50%а ~%50%б ~в}")
    assert errors_as_pairs(result) == [
        (2, "Способ оценивания «как получится» неизвестен: укажите «частичное» или «всё или ничего».")
    ]


def test_plain_comments_are_not_marks():
    result = gift.parse(
        "// @todo: проверить формулировку\n// обычный комментарий: с двоеточием\nКто?{=да ~нет}"
    )
    assert result.errors == []
    assert result.questions[0].points == Decimal(1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Вопрос {=а {б} ~в}",
            [(1, "Внутри блока ответов встретилась «{»; если это текст, напишите «\\{».")],
        ),
        (
            "Вопрос\n{~%150%а\n~б}",
            [(2, "Вес ответа 150% вне пределов от -100% до 100%.")],
        ),
        ("Вопрос\n{~%80%а\n~б}", [(1, "Сумма весов правильных вариантов должна быть 100%, а здесь 80%.")]),
        ("Год?{#=%50%2008:0}", [(1, "Нет числового ответа, дающего полный балл (с весом 100%).")]),
        ("Год?{#}", [(1, "Нет числового ответа, дающего полный балл (с весом 100%).")]),
        ("Год?{#\n=2008:0\n=%50%две тысячи}", [(3, "Числовой ответ «две тысячи» не является числом.")]),
    ],
)
def test_answer_block_errors(text, expected):
    assert errors_as_pairs(gift.parse(text)) == expected


def test_title_without_closing_colons_is_read_as_text_like_moodle():
    result = gift.parse("::Без конца названия Вопрос?{T}")
    assert (result.questions[0].title, result.questions[0].text) == ("", "Без конца названия Вопрос?")


def test_empty_category_line_resets_the_category():
    result = gift.parse("$CATEGORY: Раздел\n\nПервый?{T}\n\n$CATEGORY:\n\nВторой?{F}")
    assert [question.category for question in result.questions] == ["Раздел", None]


def test_moodle_category_escapes_and_context_prefix():
    result = gift.parse("$CATEGORY: $system$/top/Антикоррупция/Доходы//расходы\nВопрос?{T}")
    assert result.questions[0].category_levels == ["Антикоррупция", "Доходы/расходы"]


def test_several_answers_are_graded_by_moodles_sum_rule_by_default():
    result = gift.parse("Что верно?{~%50%а ~%50%б ~в}")
    assert result.questions[0].multiple_grading == MultipleGrading.PARTIAL
