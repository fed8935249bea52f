"""Moodle's grading rules per answer (issue 16), and sittings from before them grading as they always did."""

from decimal import Decimal

import pytest

from quizzes.factories import (
    make_choice_question,
    make_multiple_choice,
    make_numeric,
    make_short_text,
    make_single_choice,
)
from quizzes.models import MultipleChoiceQuestion, SingleChoiceQuestion, score_snapshot
from quizzes.scoring import matches_wildcard

pytestmark = pytest.mark.django_db

PARTIAL = MultipleChoiceQuestion.Grading.PARTIAL


def ids(question, *texts):
    by_text = {choice.text: choice.pk for choice in question.choices.all()}
    return [by_text[text] for text in texts]


def multiple(options, grading=PARTIAL):
    return make_choice_question(MultipleChoiceQuestion, options, grading=grading)


def test_multiple_answers_score_the_sum_of_the_chosen_fractions():
    question = multiple([("О своих", "0.7"), ("О супруге", "0.3"), ("О родителях", "0")])
    assert question.score({"choices": ids(question, "О своих")}) == Decimal("0.7")
    assert question.score({"choices": ids(question, "О своих", "О супруге")}) == 1
    # A plain wrong option («~» without a weight) takes nothing away, as in Moodle.
    assert question.score({"choices": ids(question, "О своих", "О родителях")}) == Decimal("0.7")


def test_multiple_answers_are_clamped_to_zero_and_one_as_moodle_does():
    question = multiple([("А", "0.5"), ("Б", "0.5"), ("В", "-1")])
    assert question.score({"choices": ids(question, "А", "В")}) == 0  # -0.5 → 0
    snapshot = question.snapshot()
    snapshot["key"]["fractions"] = {str(pk): "0.8" for pk in ids(question, "А", "Б")}
    assert score_snapshot(snapshot, {"choices": ids(question, "А", "Б")}) == 1  # 1.6 → 1


def test_all_or_nothing_needs_exactly_the_positive_options():
    question = multiple([("А", "0.5"), ("Б", "0.5"), ("В", "0")], grading="all_or_nothing")
    assert question.score({"choices": ids(question, "А", "Б")}) == 1
    assert question.score({"choices": ids(question, "А")}) == 0


def test_single_choice_scores_the_chosen_options_fraction():
    question = make_choice_question(
        SingleChoiceQuestion,
        [
            ("Руководитель органа", 1),
            ("Представитель нанимателя", 1),
            ("Кадровая служба", "0.5"),
            ("Никто", 0),
        ],
    )
    for text, share in [
        ("Руководитель органа", 1),
        ("Представитель нанимателя", 1),
        ("Кадровая служба", Decimal("0.5")),
        ("Никто", 0),
    ]:
        assert question.score({"choice": ids(question, text)[0]}) == share
    assert question.problems() == []


def test_a_negative_single_choice_option_scores_zero_and_is_a_problem():
    question = make_choice_question(SingleChoiceQuestion, [("Да", 1), ("Нет", "-0.5")])
    assert question.score({"choice": ids(question, "Нет")[0]}) == 0
    assert question.problems() == ["В вопросе с одним ответом доля варианта не может быть отрицательной."]


def test_short_answer_takes_the_first_matching_answers_fraction():
    question = make_short_text(
        accepted=("конфликт интересов",),
        answers=[("конфликт*", "0.5"), ("*", "0")],
        loose_spelling=False,
    )
    assert question.score({"text": "  Конфликт Интересов "}) == 1  # case ignored, ends trimmed
    assert question.score({"text": "конфликт"}) == Decimal("0.5")
    assert question.score({"text": "конфликтная ситуация"}) == Decimal("0.5")
    assert question.score({"text": "не знаю"}) == 0
    assert question.score({"text": "   "}) == 0


def test_short_answer_order_decides_like_moodle():
    question = make_short_text(accepted=(), answers=[("конфликт*", "0.5"), ("конфликт интересов", 1)])
    assert question.score({"text": "конфликт интересов"}) == Decimal("0.5")


def test_case_sensitivity_escaped_asterisk_and_loose_spelling():
    assert matches_wildcard("Интерес", "интерес") and not matches_wildcard("Интерес", "интерес", True)
    assert matches_wildcard("статья 5*", "статья 5\\*") and not matches_wildcard("статья 55", "статья 5\\*")
    assert matches_wildcard("a.b", "a.b") and not matches_wildcard("axb", "a.b")  # no regex leaks
    assert not matches_wildcard("елка", "ёлка")  # Moodle tells «ё» from «е»
    assert matches_wildcard("елка  зеленая", "ёлка зелёная", loose_spelling=True)
    question = make_short_text(accepted=("ёлка",))  # made here: the lenient rule is on by default
    assert question.score({"text": "Елка"}) == 1


def test_numeric_takes_the_first_answer_whose_range_holds_the_number():
    question = make_numeric(value="1822", tolerance="0", answers=[("1822", "2", "0.5"), (None, "0", "0")])
    assert question.score({"value": "1822"}) == 1
    assert question.score({"value": "1823,5"}) == Decimal("0.5")
    assert question.score({"value": "1900"}) == 0
    assert question.problems() == []


def test_sittings_from_before_fractions_grade_as_they_always_did():
    """Snapshots frozen before issue 16 have keys without fractions or graded answers."""
    multiple_question = make_multiple_choice(grading=PARTIAL)
    snapshot = multiple_question.snapshot()
    correct = [pk for pk, value in snapshot["key"]["fractions"].items() if value != "0" and "-" not in value]
    old = {**snapshot, "key": {"correct": [int(pk) for pk in correct], "grading": "partial"}}
    right, wrong = int(correct[0]), next(o["id"] for o in snapshot["options"] if str(o["id"]) not in correct)
    assert score_snapshot(old, {"choices": [right]}) == Decimal("0.5")
    assert score_snapshot(old, {"choices": [right, wrong]}) == 0
    old_single = {**make_single_choice().snapshot()}
    old_single["key"] = {"correct": old_single["key"]["correct"]}
    assert score_snapshot(old_single, {"choice": old_single["key"]["correct"][0]}) == 1
    old_short = {"type": "short", "key": {"accepted": ["ёлка*"]}}
    assert score_snapshot(old_short, {"text": " ЕЛКА* "}) == 1  # old rule: ё = е, no wildcard
    assert score_snapshot(old_short, {"text": "ёлки"}) == 0
    old_numeric = {"type": "numeric", "key": {"value": "30.000000", "tolerance": "0.500000"}}
    assert score_snapshot(old_numeric, {"value": "30,5"}) == 1
    assert score_snapshot(old_numeric, {"value": "31"}) == 0


def legacy(drawn):
    """A drawn snapshot as sittings started before issue 16 froze it."""
    key = dict(drawn["key"])
    if drawn["type"] in ("single", "multiple"):
        key.pop("fractions")
    elif drawn["type"] in ("short", "numeric"):
        key = {name: key[name] for name in ("accepted", "value", "tolerance") if name in key}
    return {**drawn, "key": key}


def test_a_regrade_sees_no_change_in_old_sittings_whose_meaning_is_the_bank_s():
    """Old sittings keep their key's old spelling; a regrade compares meanings, not spellings."""
    from quizzes.services.regrade import canonical

    from .test_regrade import regraded, sitting_of

    for question in (
        make_single_choice(),
        make_multiple_choice(correct=("А", "Б", "В"), wrong=("Г",), grading=PARTIAL),
        make_multiple_choice(),
        make_short_text(accepted=("конфликт интересов", "конфликтом интересов")),
        make_numeric(value="30", tolerance="0.5"),
    ):
        drawn = legacy(sitting_of(question))
        kind = type(question.get_real_instance())
        assert canonical(regraded(question, drawn)) == canonical(kind.current_key(drawn)), question.kind
        assert canonical(regraded(question, drawn)) != canonical(drawn["key"]), question.kind
