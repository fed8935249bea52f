"""Exporting a category as GIFT, and the round trip import → export → import."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quizzes.factories import (
    make_category,
    make_essay,
    make_matching,
    make_multiple_choice,
    make_numeric,
    make_short_text,
    make_single_choice,
    make_true_false,
)
from quizzes.importing import parse_file
from quizzes.models import Category, Question
from quizzes.services.exporting import export_gift, to_parsed
from quizzes.services.importing import find_category, import_questions
from quizzes.tests.test_import_service import describe, run

pytestmark = pytest.mark.django_db


def described(category):
    return [
        {**describe(question), "category": None}
        for question in Question.objects.filter(category=category).order_by("pk")
    ]


def test_round_trip_gives_identical_questions(tmp_path):
    first = make_category("Первая")
    assert run("anticorruption.gift", category=first).ok
    exported = tmp_path / "export.gift"
    call_command("export_questions", category="Первая", output=str(exported))

    second = make_category("Вторая")
    report = import_questions(exported.name, exported.read_bytes(), category=second)

    assert report.ok, report.errors
    assert report.created_count == Question.objects.filter(category=first).count() > 5
    assert described(second) == described(first)


def test_round_trip_of_every_type_built_in_the_bank():
    source = make_category("Банк")
    make_single_choice(source, text="Один верный", explanation="Пояснение: {скобки} и = знак")
    make_multiple_choice(source, text="Несколько верных", grading="partial", points=3)
    make_true_false(source, text="Верно ли?", value=False)
    make_short_text(source, text="Краткий", accepted=("ответ", "другой ответ"))
    make_numeric(source, text="Число", value="12.5", tolerance="0.5")
    make_matching(source, text="Пары", distractors=("Лишний вариант",))
    make_essay(source, text="Эссе", legal_norm="")
    gift = export_gift(source)

    copy = make_category("Копия")
    report = import_questions("bank.gift", gift.encode(), category=copy)

    assert report.ok, report.errors
    assert described(copy) == described(source)


def test_export_is_what_the_parser_reads_back():
    run("anticorruption.gift")
    root = find_category("Противодействие коррупции")

    gift = export_gift(root)
    parsed = parse_file("export.gift", gift.encode())

    assert parsed.ok
    questions = Question.objects.in_category(root).order_by("category__name", "category_id", "pk")
    assert parsed.questions == [to_parsed(question) for question in questions]


def test_reimporting_an_export_without_category_recreates_the_tree_and_skips_everything():
    run("anticorruption.gift")
    count = Question.objects.count()
    gift = export_gift(find_category("Противодействие коррупции"))

    report = import_questions("export.gift", gift.encode())

    assert report.ok and report.created_count == 0 and report.skipped_count == count
    assert Question.objects.count() == count
    assert Category.objects.filter(name="Противодействие коррупции").count() == 1


def test_export_can_leave_out_subcategories():
    run("anticorruption.gift")
    root = find_category("Противодействие коррупции")
    make_true_false(root, text="Вопрос в корне")

    gift = export_gift(root, include_subcategories=False)

    assert "Вопрос в корне" in gift
    assert len(parse_file("x.gift", gift.encode()).questions) == 1


def test_command_writes_to_stdout():
    run("anticorruption_aiken.txt", category=make_category("Айкен"))
    out = StringIO()

    call_command("export_questions", category="Айкен", stdout=out)

    assert out.getvalue().startswith("$CATEGORY: Айкен")
    assert len(parse_file("x.gift", out.getvalue().encode()).questions) == Question.objects.count()


def test_command_unknown_category_exits_with_1():
    with pytest.raises(CommandError) as raised:
        call_command("export_questions", category="Нет/Такой")

    assert raised.value.returncode == 1
