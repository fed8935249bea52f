"""Questions of the bank as :class:`~quizzes.importing.ParsedQuestion` objects, and as GIFT text.

The conversion is the inverse of :func:`quizzes.services.importing.create_question`: a question exported
and imported again compares equal field by field.
"""

from ..importing import ParsedQuestion, QuestionKind, to_gift
from ..importing.parsed import (
    MultipleGrading,
    ParsedAnswer,
    ParsedChoice,
    ParsedNumber,
    TextFormat,
    category_path,
)
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
        text_format=TextFormat(question.text_format),
        title=question.name,
        id_number=question.id_number,
        tags=sorted(tag.name for tag in question.tags.all()),
        points=question.points,
        explanation=question.explanation,
        legal_norm=question.legal_norm,
        category=category_path([node.name for node in question.category.path]),
    )
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        parsed.choices = [
            ParsedChoice(c.text, c.fraction.normalize(), c.feedback) for c in question.choices.all()
        ]
        if kind == QuestionKind.MULTIPLE:
            parsed.multiple_grading = MultipleGrading(question.grading)
    elif kind == QuestionKind.TRUEFALSE:
        parsed.is_true = question.correct_value
        parsed.feedback_true = question.feedback_true
        parsed.feedback_false = question.feedback_false
    elif kind == QuestionKind.SHORT:
        parsed.answers = [
            ParsedAnswer(a.text, a.fraction.normalize(), a.feedback) for a in question.short_answers.all()
        ]
        parsed.case_sensitive = question.case_sensitive
        parsed.loose_spelling = question.loose_spelling
    elif kind == QuestionKind.NUMERIC:
        parsed.numbers = [
            ParsedNumber(
                None if n.value is None else n.value.normalize(),
                n.tolerance.normalize(),
                n.fraction.normalize(),
                n.feedback,
            )
            for n in question.numeric_answers.all()
        ]
    elif isinstance(question, MatchingQuestion):
        parsed.pairs = [(pair.left, pair.right) for pair in question.pairs.all()]
    return parsed


def export_gift(category, include_subcategories=True):
    """GIFT text of the category's questions (Moodle reads it; so does our import)."""
    return to_gift([to_parsed(question) for question in questions_of(category, include_subcategories)])
