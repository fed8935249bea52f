"""Questions of the bank as :class:`~quizzes.importing.ParsedQuestion` objects, and as GIFT text.

The conversion is the inverse of :func:`quizzes.services.importing.create_question`: a question exported
and imported again compares equal field by field.
"""

from ..importing import ParsedQuestion, QuestionKind, to_gift
from ..importing.parsed import MultipleGrading, category_path, marked_choices
from ..models import MatchingQuestion, Question
from ..models.quizzes import load_options


def questions_of(category, include_subcategories=True):
    """The questions of a category (and below), real subtypes with options loaded, in a stable order."""
    questions = list(
        Question.objects.in_category(category, include_subcategories)
        .select_related("category")
        .order_by("category__name", "category_id", "pk")
    )
    load_options(questions)
    return questions


def to_parsed(question):
    """One model question as a :class:`ParsedQuestion` with its category's full path."""
    kind = QuestionKind(question.kind)
    parsed = ParsedQuestion(
        kind=kind,
        text=question.text,
        points=question.points,
        explanation=question.explanation,
        legal_norm=question.legal_norm,
        category=category_path([node.name for node in question.category.path]),
    )
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        parsed.choices = marked_choices(kind, [(c.text, c.is_correct) for c in question.choices.all()])
        if kind == QuestionKind.MULTIPLE:
            parsed.multiple_grading = MultipleGrading(question.grading)
    elif kind == QuestionKind.TRUEFALSE:
        parsed.is_true = question.correct_value
    elif kind == QuestionKind.SHORT:
        parsed.accepted = question.accepted_variants
    elif kind == QuestionKind.NUMERIC:
        parsed.numeric_answer = question.correct_value
        parsed.tolerance = question.tolerance
    elif isinstance(question, MatchingQuestion):
        parsed.pairs = [(pair.left, pair.right) for pair in question.pairs.all()]
    return parsed


def export_gift(category, include_subcategories=True):
    """GIFT text of the category's questions (Moodle reads it; so does our import)."""
    return to_gift([to_parsed(question) for question in questions_of(category, include_subcategories)])
