"""Test data builders for the question bank, quizzes and sittings (plain functions, no magic)."""

import itertools
from decimal import Decimal

from .models import (
    Category,
    Choice,
    EssayQuestion,
    MatchingPair,
    MatchingQuestion,
    MultipleChoiceQuestion,
    NumericQuestion,
    Quiz,
    QuizDraw,
    QuizQuestion,
    ShortTextQuestion,
    SingleChoiceQuestion,
    TestCampaign,
    TrueFalseQuestion,
)

_counter = itertools.count(1)


def make_category(name=None, parent=None, **extra):
    return Category.objects.create(name=name or f"Тема {next(_counter)}", parent=parent, **extra)


def _base(category, text, points, extra):
    extra.setdefault("legal_norm", "273-ФЗ, ст. 11")
    return {
        "category": category or make_category(),
        "text": text or f"Вопрос {next(_counter)}",
        "points": Decimal(points),
        **extra,
    }


def _add_choices(question, correct, wrong):
    options = [(text, True) for text in correct] + [(text, False) for text in wrong]
    Choice.objects.bulk_create(
        Choice(question=question, text=text, is_correct=is_correct, order=order)
        for order, (text, is_correct) in enumerate(options)
    )


def make_single_choice(
    category=None, text=None, correct="Верный ответ", wrong=("Неверный 1", "Неверный 2"), points=1, **extra
):
    question = SingleChoiceQuestion.objects.create(**_base(category, text, points, extra))
    _add_choices(question, [correct], wrong)
    return question


def make_multiple_choice(
    category=None,
    text=None,
    correct=("Верный 1", "Верный 2"),
    wrong=("Неверный 1", "Неверный 2"),
    grading=MultipleChoiceQuestion.Grading.ALL_OR_NOTHING,
    points=1,
    **extra,
):
    question = MultipleChoiceQuestion.objects.create(grading=grading, **_base(category, text, points, extra))
    _add_choices(question, correct, wrong)
    return question


def make_true_false(category=None, text=None, value=True, points=1, **extra):
    return TrueFalseQuestion.objects.create(correct_value=value, **_base(category, text, points, extra))


def make_short_text(category=None, text=None, accepted=("конфликт интересов",), points=1, **extra):
    return ShortTextQuestion.objects.create(
        accepted_answers="\n".join(accepted), **_base(category, text, points, extra)
    )


def make_numeric(category=None, text=None, value="30", tolerance="0", points=1, **extra):
    return NumericQuestion.objects.create(
        correct_value=Decimal(value), tolerance=Decimal(tolerance), **_base(category, text, points, extra)
    )


def make_matching(
    category=None,
    text=None,
    pairs=(("Подарок", "Уведомление"), ("Иная работа", "Уведомление заранее"), ("Конфликт", "Самоотвод")),
    distractors=(),
    points=1,
    **extra,
):
    question = MatchingQuestion.objects.create(**_base(category, text, points, extra))
    rows = [(left, right) for left, right in pairs] + [("", right) for right in distractors]
    for order, (left, right) in enumerate(rows):
        MatchingPair.objects.create(question=question, left=left, right=right, order=order)
    return question


def make_essay(category=None, text=None, points=1, **extra):
    return EssayQuestion.objects.create(**_base(category, text, points, extra))


def make_quiz(questions=(), draws=(), **fields):
    """A quiz with fixed ``questions`` (in order) and ``draws`` of ``(category, count)`` pairs.

    Shuffling is off unless asked for, so tests see questions and options in a known order.
    """
    fields.setdefault("title", f"Тест {next(_counter)}")
    fields.setdefault("shuffle_questions", False)
    fields.setdefault("shuffle_options", False)
    quiz = Quiz.objects.create(**fields)
    for order, question in enumerate(questions):
        QuizQuestion.objects.create(quiz=quiz, question=question, order=order)
    for order, draw in enumerate(draws):
        category, count, *rest = draw
        QuizDraw.objects.create(
            quiz=quiz,
            category=category,
            count=count,
            include_subcategories=rest[0] if rest else True,
            order=order,
        )
    return quiz


def correct_answer(snapshot):
    """The full-marks answer for a question snapshot (for tests and demo data)."""
    key = snapshot["key"]
    match snapshot["type"]:
        case "single":
            return {"choice": key["correct"][0]}
        case "multiple":
            return {"choices": list(key["correct"])}
        case "truefalse":
            return {"value": key["value"]}
        case "short":
            return {"text": key["accepted"][0]}
        case "numeric":
            return {"value": key["value"]}
        case "matching":
            return {"pairs": dict(key["pairs"])}
        case "essay":
            return {"text": "Развёрнутый ответ."}
    raise ValueError(snapshot["type"])


def make_municipal_audience(municipality, title=None):
    """An audience of everybody in one municipality."""
    from people.audience import Audience

    audience = Audience.objects.create(title=title or municipality.name)
    audience.municipalities.add(municipality)
    return audience


def make_campaign(quiz, audience, opens_at, closes_at, title=None, **fields):
    """A published campaign of ``quiz`` for ``audience`` open from ``opens_at`` to ``closes_at``."""
    return TestCampaign.objects.create(
        title=title or f"Тестирование {next(_counter)}",
        quiz=quiz,
        audience=audience,
        opens_at=opens_at,
        closes_at=closes_at,
        **fields,
    )
