"""Saving question files into the bank: every format, all-or-nothing, no duplicates, the command."""

from collections import Counter
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from quizzes.factories import make_category
from quizzes.importing import parse_file
from quizzes.models import Category, Choice, MatchingPair, NumericAnswer, Question, ShortAnswer
from quizzes.services.importing import DEFAULT_CATEGORY, ImportStatus, find_category, import_questions

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parent.parent / "importing" / "tests" / "samples"


def sample(name):
    return SAMPLES / name


def run(name, **kwargs):
    path = sample(name)
    return import_questions(path.name, path.read_bytes(), **kwargs)


def describe(question):
    """A question as plain data, independent of ids, read straight from the models."""
    data = {
        "type": question.kind,
        "category": question.category.full_name,
        "text": question.text,
        "points": question.points,
        "explanation": question.explanation,
        "legal_norm": question.legal_norm,
        "choices": [(c.text, c.fraction, c.feedback) for c in Choice.objects.filter(question=question)],
        "short": [
            (a.text, a.fraction, a.feedback) for a in ShortAnswer.objects.filter(question_id=question.pk)
        ],
        "numbers": [
            (n.value, n.tolerance, n.fraction, n.feedback)
            for n in NumericAnswer.objects.filter(question_id=question.pk)
        ],
        "tags": sorted(question.tags.names()),
        "pairs": [(p.left, p.right) for p in MatchingPair.objects.filter(question_id=question.pk)],
    }
    for name in (
        "name",
        "id_number",
        "text_format",
        "grading",
        "correct_value",
        "feedback_true",
        "feedback_false",
        "case_sensitive",
        "loose_spelling",
    ):
        if hasattr(question, name):
            data[name] = getattr(question, name)
    return data


@pytest.mark.parametrize("name", ["anticorruption.gift", "anticorruption_aiken.txt", "template.xlsx"])
def test_every_sample_format_is_imported_whole(name):
    parsed = parse_file(name, sample(name).read_bytes())
    assert parsed.ok and parsed.questions

    report = run(name)

    assert report.ok, report.errors
    assert report.created_count == len(parsed.questions) == Question.objects.count()
    assert Counter(q.kind for q in Question.objects.all()) == Counter(str(q.kind) for q in parsed.questions)
    for parsed_question in parsed.questions:
        saved = Question.objects.get(text=parsed_question.text)
        assert saved.kind == parsed_question.kind
        assert saved.points == parsed_question.points
        assert saved.legal_norm == parsed_question.legal_norm
        assert [(c.text, c.fraction) for c in saved.choices.all()] == [
            (c.text, c.fraction) for c in parsed_question.choices
        ]
        assert saved.problems() == []


def test_cp1251_aiken_file_is_imported():
    report = run("anticorruption_aiken_cp1251.txt")

    assert report.ok
    assert report.created_count == Question.objects.count() > 0
    assert Question.objects.filter(text__contains="коррупц").exists()


def test_gift_categories_become_a_tree():
    report = run("anticorruption.gift")

    root = Category.objects.get(parent=None, name="Противодействие коррупции")
    gifts = Category.objects.get(parent=root, name="Подарки")
    assert "Противодействие коррупции / Общие положения" in report.categories_created
    assert Question.objects.filter(category=gifts).count() == sum(
        item.category == gifts.full_name for item in report.questions
    )
    assert not Question.objects.filter(category=root).exists()


def test_typed_fields_are_saved():
    run("anticorruption.gift")

    year = Question.objects.get(text__startswith="Федеральный закон № 273-ФЗ")
    assert year.kind == "numeric"
    assert [(a.value, a.tolerance, a.fraction) for a in year.numeric_answers.all()] == [(2008, 0, 1)]
    bribe = Question.objects.get(text__startswith="Назовите любую сумму взятки")
    assert bribe.points == Decimal("1.5")
    assert bribe.score({"value": "5000"}) == 1 and bribe.score({"value": "10001"}) == 0
    conflict = Question.objects.get(text__startswith="Какими способами может быть")
    assert (conflict.kind, conflict.grading, conflict.points) == ("multiple", "all_or_nothing", Decimal(2))
    articles = Question.objects.get(text__startswith="Соотнесите статьи")
    assert articles.kind == "matching" and articles.pairs.count() == 4
    assert Question.objects.get(text__startswith="Организации обязаны").correct_value is True
    short = Question.objects.get(text__startswith="Ситуация, при которой")
    assert short.accepted_variants == ["конфликтом интересов", "конфликт интересов"]
    essay = Question.objects.get(text__contains="Опишите порядок")
    assert essay.kind == "essay" and essay.explanation


def test_given_category_takes_every_question():
    target = make_category("Входной контроль")

    report = run("anticorruption.gift", category=target)

    assert report.ok
    assert Question.objects.filter(category=target).count() == report.created_count > 0
    assert Category.objects.count() == 1


def test_questions_without_a_category_go_to_the_default_one():
    run("anticorruption_aiken.txt")

    assert set(Question.objects.values_list("category__name", flat=True)) == {DEFAULT_CATEGORY}


@pytest.mark.parametrize("name", ["broken.gift", "broken_aiken.txt", "corrupt.xlsx", "moodle_export.gift"])
def test_broken_file_imports_nothing_and_lists_every_error(name):
    parsed = parse_file(name, sample(name).read_bytes())

    report = run(name)

    assert not report.ok
    assert [(e.line, e.message) for e in report.errors] == [(e.line, e.message) for e in parsed.errors]
    assert report.questions == []
    assert not Question.objects.exists() and not Category.objects.exists()
    assert all(str(error) for error in report.errors)


def test_error_lines_are_reported_in_russian():
    report = run("broken.gift")

    lines = [error.line for error in report.errors if error.line is not None]
    assert lines == sorted(lines) and len(lines) > 3
    assert str(report.errors[0]).startswith("Строка ")
    assert "Ничего не импортировано" in report.summary()


def test_file_of_unknown_format_is_an_error():
    report = import_questions("questions.docx", b"whatever")

    assert not report.ok and "формат" in str(report.errors[0])


def test_file_with_no_questions_is_an_error():
    report = import_questions("empty.gift", "// только комментарий\n".encode())

    assert not report.ok
    assert not Question.objects.exists()


def test_reimport_skips_identical_questions():
    first = run("anticorruption.gift")
    before = sorted(map(str, Question.objects.values_list("pk", flat=True)))
    choices = Choice.objects.count()

    second = run("anticorruption.gift")

    assert second.ok and second.created_count == 0
    assert second.skipped_count == first.created_count
    assert sorted(map(str, Question.objects.values_list("pk", flat=True))) == before
    assert Choice.objects.count() == choices
    assert {item.status for item in second.questions} == {ImportStatus.SKIPPED}


def test_same_text_of_another_type_or_category_is_not_a_duplicate():
    run("anticorruption_aiken.txt")
    other = make_category("Другая тема")

    report = run("anticorruption_aiken.txt", category=other)

    assert report.skipped_count == 0
    assert Question.objects.filter(category=other).count() == report.created_count


def test_dry_run_reports_and_writes_nothing():
    report = run("anticorruption.gift", dry_run=True)

    assert report.ok and report.dry_run
    assert report.created_count > 0
    assert not Question.objects.exists() and not Category.objects.exists()
    assert "будет добавлено" in report.summary()


def test_command_imports_into_a_category_path():
    out = StringIO()

    call_command("import_questions", str(sample("anticorruption.gift")), category="Тема/Подтема", stdout=out)

    target = find_category("Тема/Подтема")
    assert target is not None and target.parent.name == "Тема"
    assert Question.objects.filter(category=target).count() == Question.objects.count() > 0
    assert "добавлено вопросов" in out.getvalue()


def test_command_fails_with_exit_code_1_on_errors():
    err = StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import_questions", str(sample("broken.gift")), category="Тема", stderr=err)

    assert raised.value.returncode == 1
    assert "Строка" in err.getvalue()
    assert not Question.objects.exists() and not Category.objects.exists()


def test_command_dry_run_creates_not_even_the_category():
    call_command(
        "import_questions",
        str(sample("anticorruption.gift")),
        category="Тема",
        dry_run=True,
        stdout=StringIO(),
    )

    assert not Category.objects.exists()


def test_command_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_questions", str(tmp_path / "absent.gift"))


LONG_NORM = "273-ФЗ, ст. 12.1, " * 20  # 360 characters: the field holds 255


@pytest.mark.parametrize(
    "gift, expected",
    [
        ("// @баллы: 10000\nВопрос?{T}", "Баллы: "),
        ("// @баллы: 1e30\nВопрос?{T}", "Баллы: "),
        ("// @баллы: 1.125\nВопрос?{T}", "Баллы: "),
        (f"// @норма: {LONG_NORM}\nВопрос?{{T}}", "Норма права: "),
        ("Сколько?{#1e30}", "Ответ: "),
        ("Сколько?{#5:1e20}", "Допуск: "),
    ],
)
def test_a_value_the_database_cannot_hold_is_an_error_at_its_line(gift, expected):
    """Before, PostgreSQL answered with a 500 and SQLite saved a question that broke every page."""
    report = import_questions("bank.gift", ("Первый вопрос?{T}\n\n" + gift).encode())
    assert not report.ok
    assert Question.objects.count() == 0
    [error] = report.errors
    question_line = 4 if gift.startswith("//") else 3  # the question's own line, after its «// @» notes
    assert error.line == question_line and error.message.startswith(expected), error.message


def test_an_xlsx_value_the_database_cannot_hold_is_an_error_at_its_row():
    import io

    import openpyxl

    workbook = openpyxl.load_workbook(sample("template.xlsx"))
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=headers.index("Баллы") + 1, value=10000)
    sheet.cell(row=3, column=headers.index("Норма права") + 1, value=LONG_NORM)
    data = io.BytesIO()
    workbook.save(data)
    report = import_questions("bank.xlsx", data.getvalue())
    assert [(error.line, error.message.split(":")[0]) for error in report.errors] == [
        (2, "Баллы"),
        (3, "Норма права"),
    ]
    assert Question.objects.count() == 0
