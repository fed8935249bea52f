"""The hot path of a synchronized campaign: a bounded number of SQL queries per API call, whatever the
quiz size, so that 3,000 people starting at once cannot regress into per-question or per-person work.

Budgets count the statements PostgreSQL executes for data, including the session and user lookups of
the request (2 queries); transaction control (BEGIN, COMMIT, the savepoints of the test's own
transaction) is left out, so the figures are those of production.
"""

import contextlib
import datetime
import json
import random
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from people.audience import Audience
from people.factories import make_municipality, make_person
from quizzes.factories import (
    make_essay,
    make_matching,
    make_multiple_choice,
    make_numeric,
    make_quiz,
    make_short_text,
    make_single_choice,
    make_true_false,
)
from quizzes.models import ExtraTime, Response, Sitting, TestCampaign
from quizzes.services import drawing, start_campaign_sitting
from quizzes.tests.api_clients import signed_in_servant

pytestmark = pytest.mark.django_db

API = "/api/v1/tests"
# session, user, the look for a prepared paper (none here), campaign (+ quiz, audience, membership,
# extra time), my sittings, INSERT; a start from a prepared paper: quizzes/tests/test_prepared_papers.py
START_BUDGET = 6
SAVE_BUDGET = 4
FINISH_BUDGET = 6
TRANSACTION_CONTROL = re.compile(r"^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b")
MAKERS = [
    make_single_choice,
    make_multiple_choice,
    make_true_false,
    make_short_text,
    make_numeric,
    make_matching,
]


@contextlib.contextmanager
def assert_max_statements(budget):
    with CaptureQueriesContext(connection) as captured:
        yield
        statements = [q["sql"] for q in captured if not TRANSACTION_CONTROL.match(q["sql"])]
    assert len(statements) <= budget, "\n".join(statements)


@pytest.fixture(autouse=True)
def empty_snapshot_cache():
    drawing.clear_cache()
    yield
    drawing.clear_cache()


@pytest.fixture
def campaign():
    town = make_municipality("Город Обнинск")
    audience = Audience.objects.create(title="Обнинск")
    audience.municipalities.add(town)
    questions = [MAKERS[i % len(MAKERS)](text=f"Вопрос {i}") for i in range(15)] + [make_essay()]
    quiz = make_quiz(questions, time_limit=30, attempts_allowed=1)
    now = timezone.now()
    return TestCampaign.objects.create(
        title="Тестирование",
        quiz=quiz,
        audience=audience,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=1),
    )


def person_client(campaign):
    _person, client, token = signed_in_servant(campaign.audience.municipalities.get())
    return client, token


def call(client, token, method, path, body=None):
    return getattr(client, method)(
        API + path,
        data=json.dumps(body or {}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )


def choice_answer(question):
    return {"choice": question["options"][0]["id"]}


def test_start_save_and_finish_stay_within_their_query_budgets(campaign):
    first, first_token = person_client(campaign)
    call(first, first_token, "post", f"/campaigns/{campaign.pk}/sittings")  # builds the quiz's snapshots
    client, token = person_client(campaign)
    with assert_max_statements(START_BUDGET):
        sitting = call(client, token, "post", f"/campaigns/{campaign.pk}/sittings").json()
    assert len(sitting["questions"]) == 16
    question = next(q for q in sitting["questions"] if q["type"] == "single")
    path = f"/sittings/{sitting['id']}/answers/{question['id']}"
    with assert_max_statements(SAVE_BUDGET):
        first = call(client, token, "put", path, {"answer": choice_answer(question), "seq": 1})
    assert first.status_code == 200, first.content
    with assert_max_statements(SAVE_BUDGET):
        changed = call(client, token, "put", path, {"answer": choice_answer(question), "seq": 2})
    assert changed.json()["seq"] == 2
    with assert_max_statements(SAVE_BUDGET + 1):  # a stale save reads the newer answer it keeps
        stale = call(client, token, "put", path, {"answer": None, "seq": 1})
    assert stale.status_code == 200 and stale.json()["seq"] == 2  # the newer answer stays
    assert Response.objects.get(sitting_id=sitting["id"], question_id=question["id"]).seq == 2
    with assert_max_statements(FINISH_BUDGET):
        result = call(client, token, "post", f"/sittings/{sitting['id']}/finish")
    assert result.status_code == 200 and result.json()["state"] == "finished"


def start_counting(campaign):
    """Start a sitting as a new person; the number of statements, transaction control aside (read at
    once: the next request clears the connection's query log)."""
    client, token = person_client(campaign)
    with CaptureQueriesContext(connection) as captured:
        data = call(client, token, "post", f"/campaigns/{campaign.pk}/sittings").json()
    return data, len([q for q in captured if not TRANSACTION_CONTROL.match(q["sql"])])


def test_the_start_query_count_does_not_grow_with_the_number_of_questions(campaign):
    _data, cold = start_counting(campaign)
    quiz = campaign.quiz
    order = quiz.quiz_questions.count()
    for i in range(10):
        quiz.quiz_questions.create(question=make_single_choice(text=f"Ещё {i}"), order=order + i)
    data, bigger = start_counting(campaign)
    assert len(data["questions"]) == 26
    # The new questions are built once, in a constant number of queries for any number of them ...
    assert bigger < cold
    _data, warm = start_counting(campaign)
    # ... and then come from the cache: a start costs the same as with 16 questions.
    assert warm < bigger
    assert warm <= START_BUDGET


def test_a_warm_start_reads_neither_the_audience_tables_nor_the_quiz_plan_on_its_own(campaign):
    start_counting(campaign)  # the first start in the process reads the quiz's plan and snapshots
    client, token = person_client(campaign)
    with CaptureQueriesContext(connection) as captured:
        call(client, token, "post", f"/campaigns/{campaign.pk}/sittings")
    statements = [q["sql"] for q in captured if not TRANSACTION_CONTROL.match(q["sql"])]
    reads = [sql for sql in statements if sql.startswith("SELECT")]
    campaign_read = next(sql for sql in reads if 'FROM "quizzes_testcampaign"' in sql)
    assert "people_audience_municipalities" in campaign_read and "quizzes_extratime" in campaign_read
    others = [sql for sql in reads if sql is not campaign_read and 'FROM "quizzes_preparedpaper"' not in sql]
    assert not [sql for sql in others if "people_audience" in sql or "quizzes_extratime" in sql]
    assert not [sql for sql in others if "quizzes_quizquestion" in sql or "quizzes_quizdraw" in sql]


def test_the_save_lock_reads_only_the_columns_it_needs(campaign):
    client, token = person_client(campaign)
    sitting = call(client, token, "post", f"/campaigns/{campaign.pk}/sittings").json()
    question = next(q for q in sitting["questions"] if q["type"] == "single")
    path = f"/sittings/{sitting['id']}/answers/{question['id']}"
    with CaptureQueriesContext(connection) as captured:
        call(client, token, "put", path, {"answer": choice_answer(question), "seq": 1})
        sitting_reads = [q["sql"] for q in captured if 'FROM "quizzes_sitting"' in q["sql"]]
    assert len(sitting_reads) == 1  # one read of the sitting, which is also the lock
    assert '"quizzes_sitting"."question_order"' not in sitting_reads[0]
    # the snapshot of the one question only, not the whole snapshot column
    assert not re.search(r'"quizzes_sitting"\."snapshot"\s*(,\s*"|FROM)', sitting_reads[0])


def test_a_cached_snapshot_follows_an_edit_of_the_question(campaign):
    first_client, first_token = person_client(campaign)
    call(first_client, first_token, "post", f"/campaigns/{campaign.pk}/sittings")
    question = campaign.quiz.questions.get(text="Вопрос 0")
    choice = question.choices.first()
    choice.text = "Исправленный вариант"
    choice.save()  # an option edited alone still invalidates its question's cached snapshot
    client, token = person_client(campaign)
    data = call(client, token, "post", f"/campaigns/{campaign.pk}/sittings").json()
    shown = next(q for q in data["questions"] if q["id"] == question.pk)
    assert "Исправленный вариант" in [option["text"] for option in shown["options"]]
    question.text = "Новая формулировка"
    question.save()
    client, token = person_client(campaign)
    data = call(client, token, "post", f"/campaigns/{campaign.pk}/sittings").json()
    assert "Новая формулировка" in [q["text"] for q in data["questions"]]


def test_cached_snapshots_are_shuffled_per_person_without_touching_the_cache(campaign):
    quiz = campaign.quiz
    quiz.shuffle_questions = quiz.shuffle_options = True
    quiz.save()
    people = [make_person(municipality=campaign.audience.municipalities.get()) for _ in range(6)]
    orders = set()
    for seed, person in enumerate(people):
        sitting = start_campaign_sitting(person, campaign, rng=random.Random(seed))
        matching = next(q for q in sitting.questions() if q["type"] == "matching")
        orders.add((tuple(sitting.question_order), tuple(o["id"] for o in matching["right"])))
    assert len(orders) > 1
    fresh = {q.pk: q.snapshot() for q in quiz.questions.all()}
    versions = list(quiz.questions.values_list("pk", "updated_at"))
    for pk, cached in drawing.question_snapshots(versions).items():
        assert cached == fresh[pk]  # the shared copies keep their original option order
    assert Sitting.objects.filter(campaign=campaign).count() == 6


def test_a_start_through_the_api_gives_each_person_their_own_extra_time(campaign):
    """The campaign is read with the person's extra minutes annotated (no query of its own)."""
    client, token = person_client(campaign)
    slow_reader = make_person(municipality=campaign.audience.municipalities.get())
    ExtraTime.objects.create(campaign=campaign, user=slow_reader, minutes=15)
    plain = call(client, token, "post", f"/campaigns/{campaign.pk}/sittings").json()
    extra_client = Client(enforce_csrf_checks=True)
    extra_client.force_login(slow_reader)
    extra_client.get("/tests/")
    extended = call(
        extra_client, extra_client.cookies["csrftoken"].value, "post", f"/campaigns/{campaign.pk}/sittings"
    ).json()
    assert plain["seconds_left"] in (30 * 60, 30 * 60 - 1)
    assert extended["seconds_left"] in (45 * 60, 45 * 60 - 1)


def test_extra_time_for_reads_the_annotation_only_for_the_same_person(campaign):
    helped, other = (make_person(municipality=campaign.audience.municipalities.get()) for _ in range(2))
    ExtraTime.objects.create(campaign=campaign, user=helped, minutes=20)
    annotated = TestCampaign.objects.with_extra_time_for(other).get(pk=campaign.pk)
    assert annotated.extra_time_for(other) is None
    assert annotated.extra_time_for(helped) == datetime.timedelta(minutes=20)  # falls back to a query


def test_pressing_start_twice_gives_the_same_sitting_and_counts_one_attempt(campaign):
    client, token = person_client(campaign)
    first = call(client, token, "post", f"/campaigns/{campaign.pk}/sittings").json()
    question = first["questions"][0]
    path = f"/sittings/{first['id']}/answers/{question['id']}"
    call(client, token, "put", path, {"answer": None, "seq": 1})
    again = call(client, token, "post", f"/campaigns/{campaign.pk}/sittings").json()
    assert again["id"] == first["id"]
    assert again["started_at"] == first["started_at"] and again["deadline"] == first["deadline"]
    assert [a["question_id"] for a in again["answers"]] == [question["id"]]  # a resumed sitting's answers
    assert Sitting.objects.filter(campaign=campaign).count() == 1


def test_the_start_response_is_the_schema_rendering_without_validating_it_again(campaign):
    """The start sends its payload rendered directly; the bytes are those the response schema
    (SittingOut, exclude_unset) would give, for a new sitting and for a resumed one with an answer."""
    from unittest import mock

    from ninja.operation import Operation

    from config.api import api
    from quizzes.api.schemas import SittingOut

    client, token = person_client(campaign)
    rendered = []
    original = Operation._result_to_response

    def spy(self, request, result, temporal_response):
        rendered.append(result)
        return original(self, request, result, temporal_response)

    with mock.patch.object(Operation, "_result_to_response", spy):
        new = call(client, token, "post", f"/campaigns/{campaign.pk}/sittings")
    assert new.status_code == 200 and new["Content-Type"] == "application/json; charset=utf-8"
    assert not isinstance(rendered[0], dict)  # an HttpResponse: ninja does not validate it again
    question = new.json()["questions"][0]
    call(
        client,
        token,
        "put",
        f"/sittings/{new.json()['id']}/answers/{question['id']}",
        {"answer": None, "seq": 3},
    )
    resumed = call(client, token, "post", f"/campaigns/{campaign.pk}/sittings")
    for response in (new, resumed):
        # Validation drops any key the schema does not know and would reorder or retype fields.
        validated = SittingOut.model_validate(response.json()).model_dump(exclude_unset=True)
        assert api.renderer.render(None, validated, response_status=200) == response.content.decode()
    assert [a["question_id"] for a in resumed.json()["answers"]] == [question["id"]]
    assert set(resumed.json()["questions"][0]) <= {
        "id",
        "type",
        "text",
        "html",
        "points",
        "image",
        "unit",
        "options",
    }
