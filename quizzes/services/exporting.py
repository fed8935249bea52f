"""Questions of the bank as :class:`~quizzes.importing.ParsedQuestion` objects, as GIFT and as Moodle XML.

The conversion is the inverse of :func:`quizzes.services.importing.create_question`: a question exported
and imported again compares equal field by field.
"""

from ..importing import ParsedQuestion, QuestionKind, to_gift, to_moodle_xml
from ..importing.parsed import (
    MultipleGrading,
    ParsedAnswer,
    ParsedChoice,
    ParsedHint,
    ParsedNumber,
    TextFormat,
    category_path,
)
from ..models import MatchingQuestion, Question
from ..models.quizzes import load_options
from .question_images import embed_images


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
        retired=question.is_retired,
        category=category_path([node.name for node in question.category.path]),
        correct_feedback=question.correct_feedback,
        partially_correct_feedback=question.partially_correct_feedback,
        incorrect_feedback=question.incorrect_feedback,
        show_num_correct=question.show_num_correct,
        hints=[
            ParsedHint(
                hint.get("text", ""),
                TextFormat(hint.get("format", TextFormat.HTML)),
                bool(hint.get("shownumcorrect")),
                bool(hint.get("clearwrong")),
                hint.get("options", ""),
            )
            for hint in question.hints or []
        ],
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
        parsed.unit = question.unit
    elif isinstance(question, MatchingQuestion):
        parsed.pairs = [(pair.left, pair.right) for pair in question.pairs.all()]
    return parsed


def export_gift(category, include_subcategories=True):
    """GIFT text of the category's questions (Moodle reads it; so does our import)."""
    return to_gift([to_parsed(question) for question in questions_of(category, include_subcategories)])


def to_parsed_with_images(question):
    """:func:`to_parsed` for Moodle XML: the bank's pictures in the texts embedded, and the question's
    illustration (its «изображение» field) added at the end of its text, which Moodle has no other place
    for (a plain-text question, which cannot show a picture inline, goes without it)."""
    parsed = to_parsed(question)
    if question.image and parsed.text_format != TextFormat.PLAIN:
        parsed.text = parsed.text + ILLUSTRATION % {"src": question.image.url}
    return embed_images(parsed, illustration=question.image or None)


# The question's illustration at the end of its text (an HTML fragment; Markdown lets HTML through).
ILLUSTRATION = '\n<p><img src="%(src)s" alt=""></p>'


def export_moodle_xml(category, include_subcategories=True):
    """Moodle XML (UTF-8 bytes) of the category's questions, pictures embedded: Moodle 4.x imports it,
    and so does our import."""
    return to_moodle_xml(
        [to_parsed_with_images(question) for question in questions_of(category, include_subcategories)]
    )
