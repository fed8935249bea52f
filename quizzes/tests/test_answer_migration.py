"""Migration 0008: the questions of the bank keep exactly their meaning in Moodle's terms (issue 16)."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from quizzes.models import MultipleChoiceQuestion, NumericQuestion, ShortTextQuestion, SingleChoiceQuestion

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("quizzes", "0007_moodle_answers")]
AFTER = [("quizzes", "0009_drop_old_answer_fields")]


def latest():
    """Every app at its latest migration: later tests need the schema the models have today."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_old_questions_get_fractions_graded_answers_and_keep_their_scores():
    old = migrate(BEFORE)
    try:
        category = old.get_model("quizzes", "Category").objects.create(name="Тема")
        Choice = old.get_model("quizzes", "Choice")
        single = old.get_model("quizzes", "SingleChoiceQuestion").objects.create(
            category=category, text="Один?"
        )
        partial = old.get_model("quizzes", "MultipleChoiceQuestion").objects.create(
            category=category, text="Несколько?", grading="partial"
        )
        for question, marks in [(single, [True, False]), (partial, [True, True, True, False])]:
            for order, mark in enumerate(marks):
                Choice.objects.create(question_id=question.pk, text=f"В{order}", is_correct=mark, order=order)
        old.get_model("quizzes", "ShortTextQuestion").objects.create(
            category=category, text="Кратко?", accepted_answers="Ёлка\n\n  звезда*  \n"
        )
        old.get_model("quizzes", "NumericQuestion").objects.create(
            category=category, text="Число?", correct_value=Decimal(30), tolerance=Decimal("0.5")
        )
        for model in (
            "SingleChoiceQuestion",
            "MultipleChoiceQuestion",
            "ShortTextQuestion",
            "NumericQuestion",
        ):
            ctype = ContentType.objects.get(app_label="quizzes", model=model.lower())
            old.get_model("quizzes", "Question").objects.filter(
                pk__in=old.get_model("quizzes", model).objects.values("pk")
            ).update(polymorphic_ctype_id=ctype.pk)
    finally:
        migrate(AFTER)
        migrate(latest())

    single = SingleChoiceQuestion.objects.get()
    assert [c.fraction for c in single.choices.all()] == [1, 0]
    partial = MultipleChoiceQuestion.objects.get()
    third = Decimal("0.3333333")
    assert [c.fraction for c in partial.choices.all()] == [third, third, third, -third]
    ids = [c.pk for c in partial.choices.all()]
    assert partial.score({"choices": ids[:2]}) == Decimal("0.6667")  # 2/3, as the old ±1/k rule gave
    assert partial.score({"choices": ids[:3]}) == 1
    assert partial.score({"choices": [ids[0], ids[3]]}) == 0
    short = ShortTextQuestion.objects.get()
    assert [(a.text, a.fraction) for a in short.short_answers.all()] == [("Ёлка", 1), ("звезда\\*", 1)]
    assert short.loose_spelling and not short.case_sensitive
    assert short.score({"text": "елка"}) == 1 and short.score({"text": "звезда*"}) == 1
    assert short.score({"text": "звездочка"}) == 0  # a literal "*" did not become a wildcard
    numeric = NumericQuestion.objects.get()
    assert [(a.value, a.tolerance, a.fraction) for a in numeric.numeric_answers.all()] == [
        (Decimal(30), Decimal("0.5"), 1)
    ]
