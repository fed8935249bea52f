"""«Создать копию»: a question or a quiz copied whole (next year's campaign starts from last year's).

A question's copy has every fact of the original (type, texts, format, points, options with fractions and
feedback, tags, illustration) in the same category, and «(копия)» after its name; its id number is left
empty, since an id number names one question (Moodle refuses two alike in a category). A quiz's copy keeps
its rules, its fixed questions in their order, its random draws and its plan items, and is named
«… (копия)»; campaigns are not copied (a new campaign is planned for the copy).
"""

from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ..models import Question, Quiz, QuizDraw, QuizQuestion
from ..models.questions import Choice, MatchingPair, NumericAnswer, ShortAnswer

# The option rows of a question, by their relation name (each type has at most one of them).
_OPTION_MODELS = {
    "choices": Choice,
    "short_answers": ShortAnswer,
    "numeric_answers": NumericAnswer,
    "pairs": MatchingPair,
}


def copy_name(name, max_length):
    """``"Тест 2025"`` → ``"Тест 2025 (копия)"``, cut to fit ``max_length``."""
    suffix = " " + _("(копия)")
    return Truncator(name).chars(max_length - len(suffix)) + suffix


@transaction.atomic
def duplicate_question(question):
    """A new question equal to ``question`` (see the module docstring); returns it."""
    original = Question.objects.get(pk=question.pk)  # the real subtype
    options = {
        relation: list(getattr(original, relation).all())
        for relation in _OPTION_MODELS
        if hasattr(original, relation)
    }
    tags = list(original.tags.names())
    copy = original
    name = original.name or original.plain_text
    copy.pk = copy.id = None
    copy.question_ptr_id = None
    copy._state.adding = True
    copy.name = copy_name(name, Question._meta.get_field("name").max_length)
    copy.id_number = ""
    copy.save()
    for relation, rows in options.items():
        for row in rows:
            row.pk = None
            row.question_id = copy.pk
            row._state.adding = True
        _OPTION_MODELS[relation].objects.bulk_create(rows)
    if tags:
        copy.tags.set(tags)
    return copy


@transaction.atomic
def duplicate_quiz(quiz):
    """A new quiz equal to ``quiz`` (see the module docstring); returns it."""
    original = Quiz.objects.get(pk=quiz.pk)
    fixed = list(original.quiz_questions.all())
    draws = list(original.draws.all())
    plan_items = list(original.plan_items.all())
    copy = original
    copy.pk = None
    copy._state.adding = True
    copy.title = copy_name(original.title, Quiz._meta.get_field("title").max_length)
    copy.save()
    QuizQuestion.objects.bulk_create(
        QuizQuestion(quiz=copy, question_id=item.question_id, order=item.order) for item in fixed
    )
    QuizDraw.objects.bulk_create(
        QuizDraw(
            quiz=copy,
            category_id=draw.category_id,
            count=draw.count,
            include_subcategories=draw.include_subcategories,
            order=draw.order,
        )
        for draw in draws
    )
    copy.plan_items.set(plan_items)
    return copy
