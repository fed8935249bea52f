"""Existing questions keep exactly their meaning in Moodle's terms (issue 16).

* Single choice: the correct option gets fraction 1, the others 0.
* Multiple choice (either grading): each correct option +1/k, each wrong one −1/k (k correct options). With
  partial grading that *is* the old rule (sum of the chosen, never below 0); all-or-nothing only looks at
  which options have a positive fraction.
* Short answer: each accepted line becomes an answer with fraction 1; the old matching stays (case, «ё»/«е»
  and extra spaces ignored: ``loose_spelling``), and a literal ``*`` is escaped so it is not a wildcard.
* Numeric: the value and tolerance become one answer with fraction 1.
* Texts were always shown as plain text: the format stays ``plain``.
"""

from decimal import Decimal

from django.db import migrations

FRACTION_QUANTUM = Decimal("0.0000001")


def share(count):
    return (Decimal(1) / Decimal(count)).quantize(FRACTION_QUANTUM)


def forwards(apps, schema_editor):
    Choice = apps.get_model("quizzes", "Choice")
    MultipleChoiceQuestion = apps.get_model("quizzes", "MultipleChoiceQuestion")
    ShortTextQuestion = apps.get_model("quizzes", "ShortTextQuestion")
    ShortAnswer = apps.get_model("quizzes", "ShortAnswer")
    NumericQuestion = apps.get_model("quizzes", "NumericQuestion")
    NumericAnswer = apps.get_model("quizzes", "NumericAnswer")

    multiple = set(MultipleChoiceQuestion.objects.values_list("pk", flat=True))
    by_question = {}
    for choice in Choice.objects.order_by("question_id", "order", "pk"):
        by_question.setdefault(choice.question_id, []).append(choice)
    for question_id, choices in by_question.items():
        correct = sum(choice.is_correct for choice in choices)
        for choice in choices:
            if question_id in multiple and correct:
                weight = share(correct)
                choice.fraction = weight if choice.is_correct else -weight
            else:
                choice.fraction = Decimal(1) if choice.is_correct else Decimal(0)
        Choice.objects.bulk_update(choices, ["fraction"])

    answers = []
    for question in ShortTextQuestion.objects.all():
        lines = [line.strip() for line in question.accepted_answers.splitlines() if line.strip()]
        answers += [
            ShortAnswer(question=question, text=line.replace("*", "\\*"), fraction=Decimal(1), order=order)
            for order, line in enumerate(lines)
        ]
    ShortAnswer.objects.bulk_create(answers)
    ShortTextQuestion.objects.update(loose_spelling=True, case_sensitive=False)

    NumericAnswer.objects.bulk_create(
        NumericAnswer(
            question=question,
            value=question.correct_value,
            tolerance=question.tolerance,
            fraction=Decimal(1),
            order=0,
        )
        for question in NumericQuestion.objects.all()
    )


def backwards(apps, schema_editor):
    Choice = apps.get_model("quizzes", "Choice")
    ShortTextQuestion = apps.get_model("quizzes", "ShortTextQuestion")
    NumericQuestion = apps.get_model("quizzes", "NumericQuestion")
    for choice in Choice.objects.all():
        choice.is_correct = choice.fraction > 0
        choice.save(update_fields=["is_correct"])
    for question in ShortTextQuestion.objects.all():
        texts = question.short_answers.filter(fraction=1).order_by("order", "pk").values_list("text", flat=True)
        question.accepted_answers = "\n".join(text.replace("\\*", "*") for text in texts)
        question.save(update_fields=["accepted_answers"])
    for question in NumericQuestion.objects.all():
        answer = question.numeric_answers.filter(fraction=1).exclude(value=None).order_by("order", "pk").first()
        if answer is not None:
            question.correct_value, question.tolerance = answer.value, answer.tolerance
            question.save(update_fields=["correct_value", "tolerance"])


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0007_moodle_answers")]

    operations = [migrations.RunPython(forwards, backwards)]
