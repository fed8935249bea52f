import zipfile
from decimal import Decimal

import openpyxl
import pytest

from quizzes.importing import xlsx
from quizzes.importing.parsed import MultipleGrading, QuestionKind
from quizzes.importing.vocabulary import KIND_NAMES

from .conftest import errors_as_pairs


def write_workbook(path, rows, *, sheet_title="Лист1"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=number, column=column, value=value)
    workbook.save(path)
    return path


def test_sample_template_gives_one_valid_question_per_type(sample):
    result = xlsx.parse(sample("template.xlsx"))
    assert result.errors == []
    assert [question.kind for question in result.questions] == list(KIND_NAMES)
    # Example rows start under the header row.
    assert [question.line for question in result.questions] == list(range(2, 2 + len(KIND_NAMES)))


def test_sample_template_is_what_write_template_writes_now(sample, tmp_path):
    fresh = tmp_path / "template.xlsx"
    xlsx.write_template(fresh)
    assert xlsx.parse(fresh) == xlsx.parse(sample("template.xlsx"))


def test_template_has_headers_type_list_and_help_sheet(tmp_path):
    path = tmp_path / "template.xlsx"
    xlsx.write_template(path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[xlsx.SHEET_TITLE]
    assert [cell.value for cell in sheet[1]] == [column.title for column in xlsx.COLUMNS]
    assert sheet.freeze_panes == "A2"
    [validation] = sheet.data_validations.dataValidation
    assert validation.formula1 == '"' + ",".join(KIND_NAMES.values()) + '"'
    assert str(validation.sqref) == f"A2:A{xlsx.TEMPLATE_ROWS}"
    help_sheet = workbook[xlsx.HELP_SHEET_TITLE]
    assert [
        row[0] for row in help_sheet.iter_rows(min_row=2, max_row=len(xlsx.COLUMNS) + 1, values_only=True)
    ] == [column.title for column in xlsx.COLUMNS]


def test_template_written_to_a_file_object(tmp_path):
    path = tmp_path / "into-file.xlsx"
    with path.open("wb") as target:
        xlsx.write_template(target)
    assert len(xlsx.parse(path.read_bytes()).questions) == len(KIND_NAMES)


def test_template_examples_fill_their_fields(sample):
    by_kind = {question.kind: question for question in xlsx.parse(sample("template.xlsx")).questions}
    single = by_kind[QuestionKind.SINGLE]
    assert [choice.is_correct for choice in single.choices] == [True, False, False]
    assert single.legal_norm == "Постановление Правительства РФ от 09.01.2014 № 10, п. 5"
    assert single.category == "Противодействие коррупции/Подарки"
    multiple = by_kind[QuestionKind.MULTIPLE]
    assert [choice.is_correct for choice in multiple.choices] == [True, True, False]
    assert multiple.points == Decimal(2)
    assert by_kind[QuestionKind.TRUEFALSE].is_true is True
    assert by_kind[QuestionKind.SHORT].accepted == ["конфликт интересов", "конфликтом интересов"]
    assert (
        by_kind[QuestionKind.NUMERIC].full_number.value,
        by_kind[QuestionKind.NUMERIC].full_number.tolerance,
    ) == (
        2008,
        0,
    )
    assert [left for left, _right in by_kind[QuestionKind.MATCHING].pairs] == [
        "Статья 8",
        "Статья 9",
        "Статья 10",
    ]
    assert by_kind[QuestionKind.ESSAY].title == "Действия при конфликте интересов"


def test_filled_workbook_with_free_header_order_and_case(tmp_path):
    path = write_workbook(
        tmp_path / "filled.xlsx",
        [
            [
                "№",
                "ВОПРОС",
                "тип вопроса",
                "Варианты ответа",
                "правильный ответ",
                "допуск",
                "Баллы",
                "Норма права",
                "категория",
                "Пары",
                "Пояснение",
                "Оценивание",
            ],
            [
                1,
                "Чьи сведения представляет служащий?",
                "Несколько ответов",
                "*О своих; *О супруге и несовершеннолетних детях; О родителях",
                None,
                None,
                2,
                "273-ФЗ, ст. 8",
                " Противодействие коррупции /  Сведения о доходах ",
                None,
                None,
                "всё или ничего",
            ],
            [],
            [
                2,
                "Служащий вправе не уведомлять о склонении, если отказался от предложения.",
                "верно / неверно",
                None,
                False,
                None,
                None,
                "273-ФЗ, ст. 9",
            ],
            [3, "Порог стоимости подарка, руб.", "число", None, "3 000", "0,5", "1,5"],
            [4, "Сумма мелкой взятки, руб.", "ЧИСЛО", None, "1..10000"],
            [
                5,
                "Соотнесите",
                "соответствие",
                None,
                None,
                None,
                None,
                None,
                None,
                "Статья 9 → Склонение\nСтатья 10 -> Конфликт интересов",
            ],
            [
                6,
                "Как называется ситуация?",
                "короткий ответ",
                None,
                "конфликт интересов\nконфликтом интересов",
            ],
            [
                7,
                "Закон о противодействии коррупции",
                "один ответ",
                "273-ФЗ\n*  Федеральный закон № 273-ФЗ\n79-ФЗ",
                None,
                None,
                1.0,
                None,
                None,
                None,
                "Принят 25.12.2008",
            ],
        ],
    )
    result = xlsx.parse(path)
    assert result.errors == []
    multiple, truefalse, numeric, ranged, matching, short, single = result.questions
    assert [question.line for question in result.questions] == [2, 4, 5, 6, 7, 8, 9]
    assert [choice.text for choice in multiple.correct_choices] == [
        "О своих",
        "О супруге и несовершеннолетних детях",
    ]
    assert multiple.multiple_grading == MultipleGrading.ALL_OR_NOTHING
    assert multiple.category == "Противодействие коррупции/Сведения о доходах"
    assert (multiple.points, multiple.legal_norm) == (Decimal(2), "273-ФЗ, ст. 8")
    assert truefalse.is_true is False
    assert (numeric.full_number.value, numeric.full_number.tolerance, numeric.points) == (
        3000,
        Decimal("0.5"),
        Decimal("1.5"),
    )
    assert (ranged.full_number.value, ranged.full_number.tolerance) == (Decimal("5000.5"), Decimal("4999.5"))
    assert matching.pairs == [("Статья 9", "Склонение"), ("Статья 10", "Конфликт интересов")]
    assert short.accepted == ["конфликт интересов", "конфликтом интересов"]
    assert single.correct_choices[0].text == "Федеральный закон № 273-ФЗ"
    assert single.explanation == "Принят 25.12.2008"


def test_row_errors_carry_excel_row_numbers(tmp_path):
    header = ["Тип", "Вопрос", "Варианты", "Правильный ответ", "Допуск", "Баллы", "Пары", "Оценивание"]
    path = write_workbook(
        tmp_path / "broken.xlsx",
        [
            header,
            ["один ответ", "Без правильного", "да; нет"],
            ["опрос", "Неизвестный тип"],
            [None, "Без типа"],
            [],
            [],
            ["один ответ", "Повтор", "*Да\nда\nНет"],
            ["эссе", "Баллы словами", None, None, None, "два"],
            ["эссе", "Ноль баллов", None, None, None, 0],
            ["число", "Отрицательный допуск", None, 5, -1],
            ["число", "Допуск словами", None, 5, "пять"],
            ["число", "Ответ словами", None, "пять"],
            ["число", "Диапазон и допуск", None, "1..5", 1],
            ["соответствие", "Одна пара", None, None, None, None, "а -> б"],
            ["соответствие", "Без стрелки", None, None, None, None, "а -> б\nв г"],
            ["один ответ", "Два верных", "*да; *конечно; нет"],
            ["верно/неверно", "Непонятный ответ", None, "может быть"],
            ["один ответ", "Оценивание не к месту", "*да; нет", None, None, None, None, "частичное"],
            [
                "несколько ответов",
                "Неизвестное оценивание",
                "*да; *конечно; нет",
                None,
                None,
                None,
                None,
                "как-нибудь",
            ],
            ["эссе", None],
            ["эссе", "Правильная строка в конце"],
        ],
    )
    result = xlsx.parse(path)
    assert errors_as_pairs(result) == [
        (2, "Не отмечен ни один правильный вариант ответа."),
        (
            3,
            "Неизвестный тип вопроса «опрос». Допустимые типы: один ответ, несколько ответов, верно/неверно, "
            "короткий ответ, число, соответствие, эссе.",
        ),
        (4, "Не указан тип вопроса."),
        (7, "Вариант ответа «да» повторяется."),
        (8, "Баллы должны быть положительным числом."),
        (9, "Баллы должны быть положительным числом."),
        (10, "Допуск не может быть отрицательным."),
        (11, "Допуск «пять» не является числом."),
        (12, "Правильный ответ «пять» не является числом."),
        (13, "Укажите либо диапазон в столбце «Правильный ответ», либо допуск, но не оба."),
        (14, "В вопросе на соответствие нужно не меньше двух пар."),
        (15, "Пара «в г» должна иметь вид «левое -> правое»."),
        (
            16,
            "В вопросе с одним правильным ответом отмечено несколько правильных вариантов; "
            "для такого вопроса выберите тип «несколько ответов».",
        ),
        (17, "Правильный ответ «может быть» не понят: укажите «верно» или «неверно»."),
        (18, "Способ оценивания задаётся только для вопросов с несколькими правильными ответами."),
        (19, "Способ оценивания «как-нибудь» неизвестен: укажите «частичное» или «всё или ничего»."),
        (20, "Пустой текст вопроса."),
    ]
    assert [question.line for question in result.questions] == [21]


def test_header_problems_are_reported_on_the_header_row(tmp_path):
    path = write_workbook(
        tmp_path / "headers.xlsx",
        [[], [], ["Вопрос", "Вопрос ", "Сложность", "Баллы"], ["эссе", "Текст"]],
    )
    assert errors_as_pairs(xlsx.parse(path)) == [
        (3, "Столбец «Вопрос» повторяется."),
        (
            3,
            "Неизвестный столбец «Сложность». Допустимые столбцы: Тип, Вопрос, Варианты, Правильный ответ, "
            "Допуск, Баллы, Пояснение, Норма права, Категория, Пары, Название, Оценивание, Веса, Отзывы, "
            "Метки, Идентификатор.",
        ),
        (3, "Нет обязательного столбца «Тип»."),
    ]


def test_empty_workbook_is_reported(tmp_path):
    path = write_workbook(tmp_path / "empty.xlsx", [])
    assert errors_as_pairs(xlsx.parse(path)) == [(1, "Файл пуст: нет строки заголовков.")]


def test_questions_sheet_is_read_even_when_it_is_not_the_first(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Пояснения"
    workbook.active.append(["Здесь нет вопросов"])
    questions = workbook.create_sheet(xlsx.SHEET_TITLE)
    questions.append(["Тип", "Вопрос"])
    questions.append(["эссе", "Опишите порядок уведомления о конфликте интересов."])
    workbook.save(tmp_path / "two-sheets.xlsx")
    result = xlsx.parse(tmp_path / "two-sheets.xlsx")
    assert result.errors == []
    assert [question.text for question in result.questions] == [
        "Опишите порядок уведомления о конфликте интересов."
    ]


@pytest.mark.parametrize("name", ["corrupt.xlsx", "anticorruption.gift"])
def test_a_file_that_is_not_a_workbook_is_one_error_without_a_line(sample, name):
    result = xlsx.parse(sample(name).read_bytes())
    assert result.questions == []
    assert [(error.line, str(error.message)) for error in result.errors] == [
        (
            None,
            "Не удалось прочитать файл как книгу Excel (.xlsx): он повреждён или это файл другого формата.",
        )
    ]


def test_multiple_answer_question_is_all_or_nothing_unless_told(tmp_path):
    path = write_workbook(
        tmp_path / "grading.xlsx",
        [["Тип", "Вопрос", "Варианты"], ["несколько ответов", "Что верно?", "*а; *б; в"]],
    )
    [question] = xlsx.parse(path).questions
    assert question.multiple_grading == MultipleGrading.ALL_OR_NOTHING
    assert [choice.fraction for choice in question.choices] == [
        Decimal("0.5"),
        Decimal("0.5"),
        Decimal("-0.5"),
    ]


def test_sheet_broken_inside_a_sound_archive_is_one_error(sample, tmp_path):
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(sample("template.xlsx")) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    result = xlsx.parse(damaged)
    assert [(error.line, str(error.message)) for error in result.errors] == [
        (
            None,
            "Не удалось прочитать файл как книгу Excel (.xlsx): он повреждён или это файл другого формата.",
        )
    ]
