"""Regrade after a key fix (issue 14): the dry run writes nothing and lists exactly the sittings whose
points change, applying changes exactly those (in one transaction, each recorded), overridden answers
are kept and listed, and each question type puts the corrected key into the ids the sitting showed."""

import copy
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from quizzes.api.review import correct_answer_text
from quizzes.exceptions import NotRegradable, OperationRefused, RegradeOutdated
from quizzes.factories import (
    make_campaign,
    make_essay,
    make_matching,
    make_multiple_choice,
    make_municipal_audience,
    make_numeric,
    make_quiz,
    make_short_text,
    make_single_choice,
    make_true_false,
)
from quizzes.models import (
    Choice,
    MatchingPair,
    NumericAnswer,
    PersonOperation,
    Response,
    ShortAnswer,
    Sitting,
    TrueFalseQuestion,
)
from quizzes.privacy import ERASED
from quizzes.services import finish_sitting, save_answer, start_campaign_sitting, start_sitting
from quizzes.services.operations import override_points
from quizzes.services.regrade import apply_regrade, plan_regrade, regrade_candidates

pytestmark = pytest.mark.django_db

NOW = timezone.now()
REASON = "Исправлен ключ вопроса 1 по письму методиста от 12.05"


def option_id(snapshot, text):
    return next(option["id"] for option in snapshot["options"] if option["text"] == text)


def take(person, campaign, first=None, second="Нет", finish=True):
    """Answer the key question with the option ``first`` (None: leave it) and the other with ``second``."""
    sitting = start_campaign_sitting(person, campaign, now=NOW)
    for seq, snapshot in enumerate(sitting.questions(), start=1):
        text = first if snapshot["text"] == "Ключевой вопрос" else second
        if text is not None:
            save_answer(sitting, snapshot["id"], {"choice": option_id(snapshot, text)}, seq, now=NOW)
    if finish:
        finish_sitting(sitting, now=NOW)
    return sitting


@pytest.fixture
def setting():
    town = make_municipality("Город Обнинск")
    organization = make_organization(town)
    # The key says «А»; the law says «Б». One point each, pass mark 50 %.
    key_question = make_single_choice(text="Ключевой вопрос", correct="А", wrong=("Б", "В"))
    other = make_single_choice(text="Другой вопрос", correct="Да", wrong=("Нет",))
    quiz = make_quiz([key_question, other], attempts_allowed=1, pass_mark=50, shuffle_options=True)
    audience = make_municipal_audience(town)
    window = (NOW - datetime.timedelta(days=1), NOW + datetime.timedelta(days=1))
    campaign = make_campaign(quiz, audience, *window)
    other_campaign = make_campaign(quiz, audience, *window)
    people = {
        name: make_person(organization, last_name=name)
        for name in ("Алов", "Бобров", "Вдовин", "Глебов", "Дымов", "Ершов")
    }
    sittings = {
        "right_before": take(people["Алов"], campaign, "А"),  # 50 %, passed → 0 %, failed
        "right_after": take(people["Бобров"], campaign, "Б"),  # 0 %, failed → 50 %, passed
        "wrong_always": take(people["Вдовин"], campaign, "В"),  # 0 → 0: the stored key only
        "unanswered": take(people["Глебов"], campaign, None),  # 0 → 0: the stored key only
        "overridden": take(people["Дымов"], campaign, "А"),
        "in_progress": take(people["Ершов"], campaign, "А", finish=False),
        "other_campaign": take(people["Алов"], other_campaign, "А"),
    }
    manager = make_municipal_manager(town)
    override_points(manager, sittings["overridden"], key_question.pk, "0.5", "Апелляция № 1", now=NOW)
    # The trainer fixes the key in the bank.
    Choice.objects.filter(question=key_question, text="А").update(fraction=0)
    fixed = Choice.objects.get(question=key_question, text="Б")
    fixed.fraction = 1
    fixed.save()  # touches the question's version
    for sitting in sittings.values():
        sitting.refresh_from_db()
    return {
        "campaign": campaign,
        "other_campaign": other_campaign,
        "question": key_question,
        "sittings": sittings,
        "regional": make_regional_manager(),
        "manager": manager,
        "town": town,
    }


def state_of_the_world():
    """Everything a regrade may write."""
    return (
        [
            (s.pk, s.state, s.score, s.percent, s.passed, copy.deepcopy(s.snapshot))
            for s in Sitting.objects.order_by("pk")
        ],
        list(Response.objects.order_by("pk").values_list("pk", "fraction", "answer")),
        PersonOperation.objects.count(),
    )


def test_the_dry_run_writes_nothing_and_lists_the_sittings_whose_points_change(setting):
    sittings = setting["sittings"]
    before = state_of_the_world()
    plan = plan_regrade(setting["campaign"], setting["question"])
    assert state_of_the_world() == before
    changed = {change.sitting_id: change for change in plan.changes}
    assert set(changed) == {sittings["right_before"].pk, sittings["right_after"].pk}
    down, up = changed[sittings["right_before"].pk], changed[sittings["right_after"].pk]
    assert (down.old_points, down.new_points) == (Decimal("1.00"), Decimal("0.00"))
    assert (down.before["percent"], down.after["percent"]) == ("50.00", "0.00")
    assert (down.before["passed"], down.after["passed"], down.pass_changes) == (True, False, True)
    assert (up.before["passed"], up.after["passed"]) == (False, True)
    assert (up.old_correct, up.new_correct) == ("А", "Б")
    assert {c.sitting_id for c in plan.key_only} == {sittings["wrong_always"].pk, sittings["unanswered"].pk}
    assert [s.sitting_id for s in plan.overridden] == [sittings["overridden"].pk]
    assert plan.in_progress == 1
    assert not plan.unregradable


def test_applying_changes_exactly_the_listed_sittings_and_records_each(setting):
    sittings = setting["sittings"]
    question = setting["question"]
    untouched = {
        name: (s.score, s.percent, s.passed, copy.deepcopy(s.snapshot))
        for name, s in sittings.items()
        if name in ("overridden", "in_progress", "other_campaign")
    }
    plan = plan_regrade(setting["campaign"], question)
    apply_regrade(setting["regional"], setting["campaign"], question, REASON, plan.token, now=NOW)
    for sitting in sittings.values():
        sitting.refresh_from_db()
    assert (sittings["right_before"].percent, sittings["right_before"].passed) == (0, False)
    assert (sittings["right_after"].percent, sittings["right_after"].passed) == (50, True)
    for name in ("wrong_always", "unanswered"):
        assert (sittings[name].percent, sittings[name].passed) == (0, False)
    for name, sitting in sittings.items():
        key = sitting.question_snapshot(question.pk)["key"]
        fixed = correct_answer_text(sitting.question_snapshot(question.pk)) == "Б"
        if name in untouched:
            assert (sitting.score, sitting.percent, sitting.passed, sitting.snapshot) == untouched[name], name
            assert not fixed, name
        else:
            assert fixed, (name, key)
    entries = PersonOperation.objects.filter(kind=PersonOperation.Kind.REGRADE)
    assert set(entries.values_list("sitting_id", flat=True)) == {
        sittings[name].pk for name in ("right_before", "right_after", "wrong_always", "unanswered")
    }
    entry = entries.get(sitting=sittings["right_before"])
    assert entry.reason == REASON and entry.actor == setting["regional"] and entry.question_id == question.pk
    assert (entry.before["points"], entry.after["points"]) == ("1.00", "0.00")
    assert (entry.before["correct_answer"], entry.after["correct_answer"]) == ("А", "Б")
    assert (entry.before["passed"], entry.after["passed"]) == (True, False)
    assert plan_regrade(setting["campaign"], question).is_empty  # nothing left to regrade
    with pytest.raises(OperationRefused):
        apply_regrade(
            setting["regional"],
            setting["campaign"],
            question,
            REASON,
            plan_regrade(setting["campaign"], question).token,
            now=NOW,
        )


def test_a_plan_that_changed_since_the_dry_run_is_refused_and_nothing_is_written(setting):
    campaign, question = setting["campaign"], setting["question"]
    plan = plan_regrade(campaign, question)
    finish_sitting(setting["sittings"]["in_progress"], now=NOW)  # one more sitting to regrade now
    before = state_of_the_world()
    with pytest.raises(RegradeOutdated):
        apply_regrade(setting["regional"], campaign, question, REASON, plan.token, now=NOW)
    assert state_of_the_world() == before


def test_a_regrade_needs_a_reason(setting):
    plan = plan_regrade(setting["campaign"], setting["question"])
    before = state_of_the_world()
    with pytest.raises(OperationRefused):
        apply_regrade(
            setting["regional"], setting["campaign"], setting["question"], "  ", plan.token, now=NOW
        )
    assert state_of_the_world() == before


def test_answers_that_cannot_be_scored_again_are_listed_not_guessed(setting):
    sittings = setting["sittings"]
    Response.objects.filter(sitting=sittings["right_after"]).update(answer=ERASED)  # retention erased it
    plan = plan_regrade(setting["campaign"], setting["question"])
    assert sittings["right_after"].pk in {item.sitting_id for item in plan.unregradable}
    assert sittings["right_after"].pk not in {change.sitting_id for change in plan.changes}


def test_the_questions_edited_since_the_campaign_began_are_offered(setting):
    from quizzes.models import Question

    untouched = Question.objects.exclude(pk=setting["question"].pk)
    untouched.update(updated_at=NOW - datetime.timedelta(days=30))  # written long before the campaign
    assert [question.pk for question in regrade_candidates(setting["campaign"])] == [setting["question"].pk]


# --- the contract of each question type ------------------------------------------------------------


def sitting_of(question, person=None):
    sitting = start_sitting(person or make_person(), make_quiz([question], shuffle_options=True), now=NOW)
    return sitting.questions()[0]


def regraded(question, drawn):
    from quizzes.services.regrade import bank_snapshot

    bank = bank_snapshot(question)
    return type(question.get_real_instance()).regraded_key(drawn, bank)


def test_choice_keys_follow_the_options_shown():
    question = make_multiple_choice(correct=("Верный 1", "Верный 2"), wrong=("Неверный 1",))
    drawn = sitting_of(question)
    Choice.objects.filter(question=question, text="Верный 2").update(fraction=0)
    key = regraded(question, drawn)
    assert key["correct"] == [option_id(drawn, "Верный 1")] and key["grading"] == drawn["key"]["grading"]


def test_a_correct_option_added_after_the_sitting_cannot_be_regraded():
    question = make_single_choice(correct="А", wrong=("Б",))
    drawn = sitting_of(question)
    Choice.objects.filter(question=question).update(fraction=0)
    Choice.objects.create(question=question, text="Новый верный", fraction=1)
    with pytest.raises(NotRegradable):
        regraded(question, drawn)


def test_keys_without_ids_are_taken_as_the_bank_holds_them():
    true_false = make_true_false(value=True)
    drawn = sitting_of(true_false)
    TrueFalseQuestion.objects.filter(pk=true_false.pk).update(correct_value=False)
    assert regraded(true_false, drawn) == {"value": False}

    short = make_short_text(accepted=("взятка",))
    drawn = sitting_of(short)
    ShortAnswer.objects.filter(question=short).update(text="коммерческий подкуп")
    assert regraded(short, drawn) == {
        "accepted": ["коммерческий подкуп"],
        "answers": [{"text": "коммерческий подкуп", "fraction": "1"}],
        "case_sensitive": False,
        "loose_spelling": True,
    }

    numeric = make_numeric(value="30")
    drawn = sitting_of(numeric)
    NumericAnswer.objects.filter(question=numeric).update(value=Decimal("10"))
    assert regraded(numeric, drawn) == {
        "value": "10.000000",
        "tolerance": "0.000000",
        "answers": [{"value": "10.000000", "tolerance": "0.000000", "fraction": "1"}],
    }


def test_matching_keys_follow_the_texts_shown():
    question = make_matching(pairs=(("Подарок", "Уведомление"), ("Конфликт", "Самоотвод")))
    drawn = sitting_of(question)
    # The author had the answers the wrong way round: swap them.
    first, second = MatchingPair.objects.filter(question=question).order_by("order")
    MatchingPair.objects.filter(pk=first.pk).update(right="Самоотвод")
    MatchingPair.objects.filter(pk=second.pk).update(right="Уведомление")
    key = regraded(question, drawn)
    left = {item["text"]: item["id"] for item in drawn["left"]}
    right = {item["text"]: item["id"] for item in drawn["right"]}
    assert key["pairs"] == {left["Подарок"]: right["Самоотвод"], left["Конфликт"]: right["Уведомление"]}
    MatchingPair.objects.filter(pk=second.pk).update(right="Совсем другой ответ")
    with pytest.raises(NotRegradable):
        regraded(question, drawn)


def test_an_essay_has_no_key_to_regrade(setting):
    question = make_essay()
    with pytest.raises(NotRegradable):
        regraded(question, sitting_of(question))
    with pytest.raises(NotRegradable):
        plan_regrade(setting["campaign"], question)


# --- the page ----------------------------------------------------------------------------------------


def test_the_regrade_page_shows_the_dry_run_and_applies_it(client, setting):
    client.force_login(setting["regional"])
    campaign, question = setting["campaign"], setting["question"]
    url = reverse("quizzes_manage:regrade", args=[campaign.pk])
    page = client.get(url)
    assert page.status_code == 200 and f"?question={question.pk}" in page.content.decode()
    before = state_of_the_world()
    page = client.get(url, {"question": question.pk})
    assert state_of_the_world() == before
    body = page.content.decode()
    assert "Алов" in body and "Бобров" in body and "баллы изменены вручную" in body
    assert '<dd id="regrade-changed">2</dd>' in body
    token = page.context["plan"].token
    response = client.post(url, {"question": question.pk, "token": token, "reason": ""})
    assert response.status_code == 400 and "Укажите причину." in response.content.decode()
    assert state_of_the_world() == before
    response = client.post(url, {"question": question.pk, "token": "0" * 32, "reason": REASON})
    assert response.status_code == 409 and "Посмотрите список изменений ещё раз" in response.content.decode()
    assert state_of_the_world() == before
    response = client.post(url, {"question": question.pk, "token": token, "reason": REASON})
    assert response.status_code == 302
    assert PersonOperation.objects.filter(kind=PersonOperation.Kind.REGRADE).count() == 4
    assert REASON in client.get(url).content.decode()  # the history of regrades


def test_a_question_outside_the_campaign_is_not_found(client, setting):
    client.force_login(setting["regional"])
    url = reverse("quizzes_manage:regrade", args=[setting["campaign"].pk])
    assert client.get(url, {"question": make_single_choice().pk}).status_code == 404
    assert client.get(url, {"question": "abc"}).status_code == 404
    assert client.get(url, {"question": str(2**64)}).status_code == 404


def test_the_page_of_a_regrade_that_changes_points_only(client, setting):
    sittings = setting["sittings"]
    Response.objects.filter(sitting__in=[sittings["wrong_always"], sittings["unanswered"]]).delete()
    Sitting.objects.filter(pk__in=[sittings["wrong_always"].pk, sittings["unanswered"].pk]).update(
        state=Sitting.State.VOID
    )
    client.force_login(setting["regional"])
    url = reverse("quizzes_manage:regrade", args=[setting["campaign"].pk])
    page = client.get(url, {"question": setting["question"].pk})
    assert page.status_code == 200
    assert not page.context["plan"].key_only and page.context["plan"].changes
