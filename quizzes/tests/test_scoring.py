"""Every question type scores its documented answer format, including the awkward cases."""

from decimal import Decimal

import pytest

from quizzes.exceptions import InvalidAnswer
from quizzes.factories import (
    make_essay,
    make_matching,
    make_multiple_choice,
    make_numeric,
    make_short_text,
    make_single_choice,
    make_true_false,
)
from quizzes.models import MultipleChoiceQuestion, Question
from quizzes.scoring import quantize_fraction

pytestmark = pytest.mark.django_db


def ids(question, correct):
    return [c.pk for c in question.choices.all() if c.is_correct == correct]


def unused_choice_id():
    """An option id that exists in no question at all."""
    from quizzes.models import Choice

    return (Choice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000


class TestSingleChoice:
    def test_correct_and_wrong_choice(self):
        question = make_single_choice()
        assert question.score({"choice": ids(question, True)[0]}) == 1
        assert question.score({"choice": ids(question, False)[0]}) == 0

    def test_choice_id_may_arrive_as_a_digit_string(self):
        question = make_single_choice()
        assert question.score({"choice": str(ids(question, True)[0])}) == 1

    def test_choice_of_another_question_is_refused(self):
        question, other = make_single_choice(), make_single_choice()
        with pytest.raises(InvalidAnswer):
            question.score({"choice": ids(other, True)[0]})

    @pytest.mark.parametrize("answer", [{}, {"choice": None}, {"choice": True}, {"choice": [1]}, "1", 1])
    def test_malformed_answers_are_refused_in_russian(self, answer):
        question = make_single_choice()
        with pytest.raises(InvalidAnswer) as error:
            question.score(answer)
        assert any("а" <= ch <= "я" for ch in str(error.value).lower())

    def test_no_answer_scores_zero(self):
        assert make_single_choice().score(None) == 0


class TestMultipleChoice:
    def test_all_or_nothing_needs_exactly_the_correct_set(self):
        question = make_multiple_choice(correct=("А", "Б"), wrong=("В", "Г"))
        right, wrong = ids(question, True), ids(question, False)
        assert question.score({"choices": right}) == 1
        assert question.score({"choices": right[:1]}) == 0
        assert question.score({"choices": [*right, wrong[0]]}) == 0
        assert question.score({"choices": list(reversed(right))}) == 1

    def test_partial_gives_plus_and_minus_one_kth_floored_at_zero(self):
        question = make_multiple_choice(
            correct=("А", "Б", "В"), wrong=("Г", "Д"), grading=MultipleChoiceQuestion.Grading.PARTIAL
        )
        right, wrong = ids(question, True), ids(question, False)
        k = Decimal(len(right))
        assert question.score({"choices": right}) == 1
        assert question.score({"choices": right[:2]}) == (2 / k).quantize(Decimal("0.0001"))
        assert question.score({"choices": [*right[:2], wrong[0]]}) == (1 / k).quantize(Decimal("0.0001"))
        assert question.score({"choices": [right[0], *wrong]}) == 0  # 1/3 − 2/3 is floored at 0
        assert question.score({"choices": wrong}) == 0
        assert question.score({"choices": []}) == 0

    def test_an_option_named_twice_is_refused(self):
        """Twice the same option (or the same option spelt two ways) is not a way to earn it twice."""
        question = make_multiple_choice(grading=MultipleChoiceQuestion.Grading.PARTIAL)
        right = ids(question, True)
        for twice in ([right[0], right[0]], [right[0], str(right[0])]):
            with pytest.raises(InvalidAnswer):
                question.score({"choices": twice})

    def test_unknown_id_is_refused(self):
        question = make_multiple_choice()
        with pytest.raises(InvalidAnswer):
            question.score({"choices": [*ids(question, True), unused_choice_id()]})

    def test_choices_must_be_a_list(self):
        question = make_multiple_choice()
        with pytest.raises(InvalidAnswer):
            question.score({"choices": ids(question, True)[0]})


class TestTrueFalse:
    @pytest.mark.parametrize("truth", [True, False])
    def test_value_must_match(self, truth):
        question = make_true_false(value=truth)
        assert question.score({"value": truth}) == 1
        assert question.score({"value": not truth}) == 0

    @pytest.mark.parametrize("value", ["true", 1, None])
    def test_only_a_boolean_is_an_answer(self, value):
        with pytest.raises(InvalidAnswer):
            make_true_false().score({"value": value})


class TestShortText:
    @pytest.mark.parametrize(
        "typed",
        ["Конфликт интересов", "  конфликт   интересов ", "КОНФЛИКТ\tИНТЕРЕСОВ", "конфликт\u00a0интересов"],
    )
    def test_case_and_spaces_do_not_matter(self, typed):
        assert make_short_text(accepted=["конфликт интересов"]).score({"text": typed}) == 1

    def test_yo_and_ye_are_the_same_letter_both_ways(self):
        assert make_short_text(accepted=["зачёт"]).score({"text": "ЗАЧЕТ"}) == 1
        assert make_short_text(accepted=["зачет"]).score({"text": "зачёт"}) == 1

    def test_any_accepted_variant_counts_and_others_do_not(self):
        question = make_short_text(accepted=["взятка", "коммерческий подкуп"])
        assert question.score({"text": "Коммерческий подкуп"}) == 1
        assert question.score({"text": "подкуп"}) == 0
        assert question.score({"text": "взятк"}) == 0

    def test_blank_text_scores_zero(self):
        assert make_short_text().score({"text": "   "}) == 0

    @pytest.mark.parametrize("answer", [{"text": 5}, {"value": "x"}, {"text": "я" * 5000}])
    def test_malformed_is_refused(self, answer):
        with pytest.raises(InvalidAnswer):
            make_short_text().score(answer)


class TestNumeric:
    def test_tolerance_bounds_are_inclusive(self):
        question = make_numeric(value="30", tolerance="0.5")
        assert question.score({"value": "29.5"}) == 1
        assert question.score({"value": "30.5"}) == 1
        assert question.score({"value": "30.51"}) == 0
        assert question.score({"value": "29.49"}) == 0

    def test_exact_answer_without_tolerance(self):
        question = make_numeric(value="12.5")
        assert question.score({"value": "12.5"}) == 1
        assert question.score({"value": "12.50"}) == 1
        assert question.score({"value": "12.51"}) == 0

    @pytest.mark.parametrize("typed", ["12,5", " 12.5 ", 12.5, "1 2,5"])
    def test_typed_forms_of_a_number(self, typed):
        assert make_numeric(value="12.5").score({"value": typed}) == 1

    def test_integer_answer(self):
        assert make_numeric(value="30").score({"value": 30}) == 1

    @pytest.mark.parametrize("typed", ["", "тридцать", "NaN", "Infinity", True, None, [30]])
    def test_non_numbers_are_refused(self, typed):
        with pytest.raises(InvalidAnswer):
            make_numeric().score({"value": typed})


class TestMatching:
    def snapshot_key(self, question):
        return question.snapshot()["key"]["pairs"]

    def test_all_pairs_right(self):
        question = make_matching()
        assert question.score({"pairs": self.snapshot_key(question)}) == 1

    def test_partial_credit_is_the_share_of_correct_pairs(self):
        question = make_matching()
        key = self.snapshot_key(question)
        lefts = list(key)
        swapped = dict(key)
        swapped[lefts[0]], swapped[lefts[1]] = key[lefts[1]], key[lefts[0]]
        share = Decimal(len(lefts) - 2) / len(lefts)
        assert question.score({"pairs": swapped}) == share.quantize(Decimal("0.0001"))
        only_one = {lefts[0]: key[lefts[0]]}
        assert question.score({"pairs": only_one}) == (Decimal(1) / len(lefts)).quantize(Decimal("0.0001"))

    def test_left_ids_may_be_ints_and_unset_rights_are_wrong(self):
        question = make_matching()
        key = self.snapshot_key(question)
        first, *rest = list(key)
        answer = {int(first): key[first], **dict.fromkeys(rest)}
        assert question.score({"pairs": answer}) == (Decimal(1) / len(key)).quantize(Decimal("0.0001"))

    def test_distractor_is_a_valid_but_wrong_right(self):
        question = make_matching(distractors=["Ничего не делать"])
        snapshot = question.snapshot()
        distractor = next(r["id"] for r in snapshot["right"] if r["text"] == "Ничего не делать")
        assert distractor not in snapshot["key"]["pairs"].values()
        left = next(iter(snapshot["key"]["pairs"]))
        assert question.score({"pairs": {left: distractor}}) == 0

    def test_unknown_ids_are_refused(self):
        question = make_matching()
        key = self.snapshot_key(question)
        left = next(iter(key))
        with pytest.raises(InvalidAnswer):
            question.score({"pairs": {left: "nonexistent"}})
        with pytest.raises(InvalidAnswer):
            question.score({"pairs": {"999999": key[left]}})
        with pytest.raises(InvalidAnswer):
            question.score({"pairs": [[left, key[left]]]})

    def test_one_left_item_in_several_spellings_is_refused(self):
        """Padding the same item ("7", "07", " 7") was one guess per spelling, and the sum was capped."""
        question = make_matching()
        key = self.snapshot_key(question)
        left = next(iter(key))
        rights = list(key.values())
        for spelling in (f"0{left}", f" {left}", f"{left} ", f"+{left}"):
            with pytest.raises(InvalidAnswer):
                question.score({"pairs": {left: rights[0], spelling: rights[1]}})
        with pytest.raises(InvalidAnswer):
            question.score({"pairs": {left: rights[0], int(left): rights[1]}})

    def test_extra_keys_are_refused(self):
        question = make_matching()
        key = self.snapshot_key(question)
        with pytest.raises(InvalidAnswer):
            question.score({"pairs": dict(key), "bonus": True})

    def test_right_ids_do_not_reveal_the_left_they_belong_to(self):
        snapshot = make_matching().snapshot()
        lefts = {str(item["id"]) for item in snapshot["left"]}
        assert not lefts & {str(item["id"]) for item in snapshot["right"]}


class TestEssay:
    def test_text_needs_a_trainer(self):
        assert make_essay().score({"text": "Обязан уведомить представителя нанимателя."}) is None

    def test_blank_or_missing_essay_scores_zero(self):
        question = make_essay()
        assert question.score({"text": "  "}) == 0
        assert question.score(None) == 0

    def test_text_is_required_in_the_answer(self):
        with pytest.raises(InvalidAnswer):
            make_essay().score({"value": "x"})


def test_polymorphic_queryset_scores_each_type_by_its_own_rules():
    """Scoring works on the polymorphic queryset: every row comes back as its subtype."""
    made = [make_single_choice(), make_true_false(value=False), make_numeric(value="7")]
    answers = {
        made[0].pk: {"choice": ids(made[0], True)[0]},
        made[1].pk: {"value": False},
        made[2].pk: {"value": "7"},
    }
    questions = Question.objects.filter(pk__in=answers)
    assert {type(q) for q in questions} == {type(q) for q in made}
    assert all(q.score(answers[q.pk]) == 1 for q in questions)


@pytest.mark.parametrize(
    "make, answer",
    [
        (make_single_choice, lambda q: {"choice": ids(q, True)[0], "also": 1}),
        (make_single_choice, lambda q: {"choice": f"0{ids(q, True)[0]}"}),
        (make_multiple_choice, lambda q: {"choices": ids(q, True), "choice": ids(q, True)[0]}),
        (make_true_false, lambda q: {"value": True, "text": "да"}),
        (make_short_text, lambda q: {"text": "конфликт интересов", "value": 1}),
        (make_numeric, lambda q: {"value": "30", "unit": "дней"}),
        (make_essay, lambda q: {"text": "ответ", "extra": "x" * 10}),
    ],
)
def test_every_type_refuses_anything_but_its_exact_shape(make, answer):
    question = make()
    with pytest.raises(InvalidAnswer):
        question.score(answer(question))


def test_a_share_outside_zero_to_one_raises_instead_of_being_clamped():
    for share in ("1.0001", "-0.0001", "2"):
        with pytest.raises(ValueError):
            quantize_fraction(Decimal(share))
    assert quantize_fraction(Decimal("0.33333")) == Decimal("0.3333")


@pytest.mark.parametrize("value", ["1e1000000", "1e-1000000", "9" * 60, "1e31"])
def test_absurd_numbers_are_refused_not_computed(value):
    with pytest.raises(InvalidAnswer):
        make_numeric(value="30").score({"value": value})


def test_a_sitting_scored_above_its_maximum_raises():
    from quizzes.models import Sitting

    question = make_true_false(points=2)
    sitting = Sitting(
        snapshot={str(question.pk): question.snapshot()}, question_order=[question.pk], pass_mark=70
    )
    with pytest.raises(ValueError):
        sitting.apply_result({question.pk: Decimal("1.5")})
    sitting.apply_result({question.pk: Decimal(1)})
    assert (sitting.score, sitting.percent) == (2, 100)


@pytest.mark.parametrize("make", [make_short_text, make_essay])
def test_a_nul_character_in_a_text_answer_is_refused(make):
    with pytest.raises(InvalidAnswer):
        make().score({"text": "конфликт\x00интересов"})
