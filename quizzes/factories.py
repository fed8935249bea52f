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
    NumericAnswer,
    NumericQuestion,
    Quiz,
    QuizDraw,
    QuizQuestion,
    ShortAnswer,
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
    """Single choice: 1 for the correct option, 0 for the others. Multiple: +1/k for each of the k correct
    options, -1/k for each wrong one (what partial grading always meant; the data migration does the same)."""
    weight = Decimal(1)
    penalty = Decimal(0)
    if isinstance(question, MultipleChoiceQuestion) and correct:
        weight = (Decimal(1) / len(correct)).quantize(Decimal("0.0000001"))
        penalty = -weight
    options = [(text, weight) for text in correct] + [(text, penalty) for text in wrong]
    Choice.objects.bulk_create(
        Choice(question=question, text=text, fraction=fraction, order=order)
        for order, (text, fraction) in enumerate(options)
    )


def make_choice_question(model, options, category=None, text=None, points=1, **extra):
    """A choice question with ``options`` as ``[(text, fraction)]`` (Moodle's weights, -1..1)."""
    question = model.objects.create(**_base(category, text, points, extra))
    Choice.objects.bulk_create(
        Choice(question=question, text=option, fraction=Decimal(str(fraction)), order=order)
        for order, (option, fraction) in enumerate(options)
    )
    return question


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


def make_short_text(
    category=None, text=None, accepted=("конфликт интересов",), points=1, answers=(), **extra
):
    """``accepted``: answers for full marks; ``answers``: more as ``[(text, fraction)]`` after them."""
    question = ShortTextQuestion.objects.create(**_base(category, text, points, extra))
    rows = [*((answer, 1) for answer in accepted), *answers]
    ShortAnswer.objects.bulk_create(
        ShortAnswer(question=question, text=answer, fraction=Decimal(str(fraction)), order=order)
        for order, (answer, fraction) in enumerate(rows)
    )
    return question


def make_numeric(category=None, text=None, value="30", tolerance="0", points=1, answers=(), **extra):
    """``value`` ± ``tolerance`` for full marks; ``answers``: more as ``[(value or None, tolerance,
    fraction)]`` after it (None: any other number)."""
    question = NumericQuestion.objects.create(**_base(category, text, points, extra))
    rows = [(value, tolerance, 1), *answers]
    NumericAnswer.objects.bulk_create(
        NumericAnswer(
            question=question,
            value=None if number is None else Decimal(str(number)),
            tolerance=Decimal(str(margin)),
            fraction=Decimal(str(fraction)),
            order=order,
        )
        for order, (number, margin, fraction) in enumerate(rows)
    )
    return question


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


def make_quiz_of_every_type(wrong=("Неверный 1", "Неверный 2"), **fields):
    """A quiz with one question of every type the test page shows, in a fixed order (single, multiple,
    true/false, short, numeric, matching, essay): what the browser journeys through the test take."""
    return make_quiz(
        [
            make_single_choice(
                text="Кому направляется уведомление о подарке?",
                correct="Представителю нанимателя",
                wrong=wrong,
            ),
            make_multiple_choice(text="Что относится к мерам профилактики?"),
            make_true_false(text="Служащий вправе получать подарки в связи с должностью.", value=False),
            make_short_text(
                text="Как называется ситуация, когда личная заинтересованность влияет на службу?"
            ),
            make_numeric(text="Срок уведомления о подарке, рабочих дней", value="3", unit="дня"),
            make_matching(text="Сопоставьте ситуацию и действие"),
            make_essay(text="Опишите порядок уведомления о конфликте интересов"),
        ],
        **fields,
    )


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
