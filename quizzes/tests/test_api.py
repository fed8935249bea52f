"""The test-taking JSON API through the Django test client, with CSRF enforced, on the real clock."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from config.api import api
from people.audience import Audience
from people.factories import make_municipality, make_person
from quizzes.api.errors import install
from quizzes.factories import (
    correct_answer,
    make_essay,
    make_matching,
    make_multiple_choice,
    make_numeric,
    make_quiz,
    make_short_text,
    make_single_choice,
    make_true_false,
)
from quizzes.models import ANSWER_GRACE, ExtraTime, Quiz, Response, Sitting, TestCampaign
from quizzes.services import finish_overdue

pytestmark = pytest.mark.django_db

API = "/api/v1/tests"
# Keys that would tell the person whether an answer is right.
CORRECTNESS_KEYS = {
    "is_correct",
    "correct",
    "accepted",
    "explanation",
    "fraction",
    "score",
    "key",
    "legal_norm",
}
ACCEPTED_SHORT = "конфликт интересов"
SECRET_EXPLANATION = "Пояснение: см. часть 1 статьи 10"


@pytest.fixture(autouse=True)
def russian_errors():
    install(api)  # the lead adds the same call to config/api.py


class ApiClient:
    """A logged-in browser-like client: CSRF is enforced and the token is sent like take.js does."""

    def __init__(self, user=None):
        self.client = Client(enforce_csrf_checks=True)
        if user is not None:
            self.client.force_login(user)
        self.client.get("/tests/" if user is not None else "/login/")  # a form: sets the CSRF cookie
        self.token = self.client.cookies["csrftoken"].value if "csrftoken" in self.client.cookies else ""

    def get(self, path):
        return self.client.get(API + path, HTTP_ACCEPT="application/json")

    def _send(self, method, path, body, csrf):
        headers = {"HTTP_X_CSRFTOKEN": self.token} if csrf else {}
        return getattr(self.client, method)(
            API + path, data=json.dumps(body), content_type="application/json", **headers
        )

    def post(self, path, body=None, csrf=True):
        return self._send("post", path, body or {}, csrf)

    def put(self, path, body, csrf=True):
        return self._send("put", path, body, csrf)


@pytest.fixture
def world():
    obninsk = make_municipality("Город Обнинск")
    audience = Audience.objects.create(title="Обнинск")
    audience.municipalities.add(obninsk)
    questions = [
        make_single_choice(text="Кто уведомляет о конфликте интересов?", explanation=SECRET_EXPLANATION),
        make_multiple_choice(),
        make_true_false(value=False),
        make_short_text(accepted=(ACCEPTED_SHORT, "личная заинтересованность")),
        make_numeric(value="30", unit="дней"),
        make_matching(),
        make_essay(),
    ]
    quiz = make_quiz(questions, time_limit=30, attempts_allowed=2)
    now = timezone.now()
    campaign = TestCampaign.objects.create(
        title="Тестирование муниципальных служащих Обнинска",
        quiz=quiz,
        audience=audience,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    return {
        "campaign": campaign,
        "quiz": quiz,
        "person": make_person(municipality=obninsk),
        "stranger": make_person(municipality=obninsk),
        "outsider": make_person(municipality=make_municipality("Город Калуга")),
    }


@pytest.fixture
def api_client(world):
    return ApiClient(world["person"])


def start(api_client, campaign):
    response = api_client.post(f"/campaigns/{campaign.pk}/sittings")
    assert response.status_code == 200, response.content
    return response.json()


def walk(data):
    """Every (key, value) pair anywhere in a JSON document."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield key, value
            yield from walk(value)
    elif isinstance(data, list):
        for value in data:
            yield from walk(value)


def assert_no_correctness(data, raw):
    leaked = {key for key, _value in walk(data)} & CORRECTNESS_KEYS
    assert not leaked, leaked
    text = raw.decode() if isinstance(raw, bytes) else raw
    for secret in ("личная заинтересованность", SECRET_EXPLANATION, "273-ФЗ"):
        assert secret not in text


class TestCampaigns:
    def test_lists_my_campaigns_with_my_state(self, world, api_client):
        response = api_client.get("/campaigns")
        assert response.status_code == 200
        [item] = response.json()
        assert item["id"] == world["campaign"].pk
        assert item["quiz_title"] == world["quiz"].title
        assert item["is_open"] is True
        assert item["time_limit"] == 30
        assert item["question_count"] == 7
        assert item["state"] == "not_started"
        assert item["attempts_left"] == 2
        assert item["can_start"] is True

        sitting = start(api_client, world["campaign"])
        [item] = api_client.get("/campaigns").json()
        assert item["state"] == "in_progress"
        assert item["sitting"]["id"] == sitting["id"]
        assert item["attempts_left"] == 1

        api_client.post(f"/sittings/{sitting['id']}/finish")
        [item] = api_client.get("/campaigns").json()
        assert item["state"] == "finished"  # nothing answered: nothing for a trainer to grade
        assert item["sitting"] == {
            "id": sitting["id"],
            "state": "finished",
            "percent": "0.00",
            "passed": False,
        }

    def test_my_time_limit_counts_my_extra_time(self, world, api_client):
        ExtraTime.objects.create(campaign=world["campaign"], user=world["person"], minutes=15)
        [item] = api_client.get("/campaigns").json()
        assert item["time_limit"] == 45  # 30 of the quiz + 15 granted to this person
        [item] = ApiClient(world["stranger"]).get("/campaigns").json()
        assert item["time_limit"] == 30
        assert 44 * 60 < start(api_client, world["campaign"])["seconds_left"] <= 45 * 60

    def test_a_person_outside_the_audience_sees_nothing_and_cannot_start(self, world):
        outsider = ApiClient(world["outsider"])
        assert outsider.get("/campaigns").json() == []
        response = outsider.post(f"/campaigns/{world['campaign'].pk}/sittings")
        assert response.status_code == 404
        assert response.json()["detail"] == "Не найдено."

    def test_a_closed_campaign_refuses_to_start_in_russian(self, world, api_client):
        campaign = world["campaign"]
        campaign.opens_at = timezone.now() - datetime.timedelta(days=3)
        campaign.closes_at = timezone.now() - datetime.timedelta(days=2)
        campaign.save()
        response = api_client.post(f"/campaigns/{campaign.pk}/sittings")
        assert response.status_code == 409
        assert response.json() == {"detail": "Тестирование сейчас не проводится."}

    def test_no_attempts_left(self, world, api_client):
        for _attempt in range(2):
            sitting = start(api_client, world["campaign"])
            api_client.post(f"/sittings/{sitting['id']}/finish")
        response = api_client.post(f"/campaigns/{world['campaign'].pk}/sittings")
        assert response.status_code == 409
        assert response.json()["detail"] == "Все попытки прохождения теста использованы."
        [item] = api_client.get("/campaigns").json()
        assert item["attempts_left"] == 0
        assert item["can_start"] is False


class TestFullFlow:
    def test_start_answer_resume_finish_and_result(self, world, api_client):
        sitting = start(api_client, world["campaign"])
        assert sitting["state"] == "in_progress"
        assert 29 * 60 <= sitting["seconds_left"] <= 30 * 60
        assert [q["type"] for q in sitting["questions"]] == [
            "single",
            "multiple",
            "truefalse",
            "short",
            "numeric",
            "matching",
            "essay",
        ]
        assert sitting["answers"] == []

        stored = Sitting.objects.get(pk=sitting["id"])
        for snapshot in stored.questions():
            answer = correct_answer(snapshot)
            response = api_client.put(
                f"/sittings/{stored.pk}/answers/{snapshot['id']}", {"answer": answer, "seq": 1}
            )
            assert response.status_code == 200, response.content
            body = response.json()
            assert set(body) == {"question_id", "seq", "saved_at", "server_now", "seconds_left"}
            assert body["question_id"] == snapshot["id"] and body["seq"] == 1

        # Resuming (a reload) gives the same sitting with my answers and their seq.
        again = start(api_client, world["campaign"])
        assert again["id"] == sitting["id"]
        resumed = api_client.get(f"/sittings/{stored.pk}").json()
        assert {a["question_id"]: a["seq"] for a in resumed["answers"]} == {
            q["id"]: 1 for q in stored.questions()
        }
        assert resumed["questions"] == sitting["questions"]

        finished = api_client.post(f"/sittings/{stored.pk}/finish")
        assert finished.status_code == 200
        assert finished.json()["state"] == "needs_grading"
        assert finished.json()["percent"] is None
        assert Response.objects.filter(sitting_id=stored.pk).count() == 7

    def test_finish_twice_returns_the_same_result(self, world, api_client):
        world["quiz"].quiz_questions.filter(question__polymorphic_ctype__model="essayquestion").delete()
        sitting = start(api_client, world["campaign"])
        stored = Sitting.objects.get(pk=sitting["id"])
        first_question = stored.questions()[0]
        api_client.put(
            f"/sittings/{stored.pk}/answers/{first_question['id']}",
            {"answer": correct_answer(first_question), "seq": 1},
        )
        first = api_client.post(f"/sittings/{stored.pk}/finish")
        second = api_client.post(f"/sittings/{stored.pk}/finish")
        assert first.status_code == second.status_code == 200
        assert first.json() == second.json()
        stored.refresh_from_db()
        assert first.json()["state"] == "finished" == stored.state
        assert first.json()["percent"] == str(stored.percent)
        assert first.json()["passed"] is False
        assert close_to(first.json()["percent"], 100 / 6)


def close_to(text, value):
    return abs(float(text) - value) < 0.01


class TestSaving:
    @pytest.fixture
    def sitting(self, world, api_client):
        return Sitting.objects.get(pk=start(api_client, world["campaign"])["id"])

    def question(self, sitting, kind):
        return next(q for q in sitting.questions() if q["type"] == kind)

    def test_the_same_request_twice_changes_nothing_and_a_lower_seq_is_ignored(self, sitting, api_client):
        question = self.question(sitting, "short")
        url = f"/sittings/{sitting.pk}/answers/{question['id']}"
        first = api_client.put(url, {"answer": {"text": "первый"}, "seq": 5})
        saved_at = Response.objects.get().saved_at
        repeated = api_client.put(url, {"answer": {"text": "первый"}, "seq": 5})
        assert first.status_code == repeated.status_code == 200
        assert Response.objects.get().saved_at == saved_at

        older = api_client.put(url, {"answer": {"text": "старый"}, "seq": 4})
        assert older.status_code == 200
        assert older.json()["seq"] == 5  # the stored one: the client learns its answer was superseded
        assert Response.objects.get().answer == {"text": "первый"}

        newer = api_client.put(url, {"answer": {"text": "второй"}, "seq": 6})
        assert newer.json()["seq"] == 6
        assert Response.objects.get().answer == {"text": "второй"}

    def test_invalid_answers_are_422_in_russian(self, sitting, api_client):
        numeric = self.question(sitting, "numeric")
        response = api_client.put(
            f"/sittings/{sitting.pk}/answers/{numeric['id']}", {"answer": {"value": "тридцать"}, "seq": 1}
        )
        assert response.status_code == 422
        assert "числ" in response.json()["detail"].lower()
        single = self.question(sitting, "single")
        response = api_client.put(
            f"/sittings/{sitting.pk}/answers/{single['id']}", {"answer": {"choice": 999999}, "seq": 1}
        )
        assert response.status_code == 422
        assert response.json() == {"detail": "Выбран несуществующий вариант ответа."}
        response = api_client.put(
            f"/sittings/{sitting.pk}/answers/{single['id']}", {"answer": None, "seq": -1}
        )
        assert response.status_code == 422  # the schema says seq >= 0
        assert not Response.objects.exists()

    @pytest.mark.parametrize(
        "kind, answer",
        [
            ("short", {"text": "конфликт\u0000интересов"}),
            ("essay", {"text": "\u0000"}),
            ("numeric", {"value": "1e1000000"}),
            ("numeric", {"value": "3\u0000"}),
            ("single", {"choice": "²"}),
            ("matching", {"pairs": {"\u0000": None}}),
        ],
    )
    def test_hostile_values_are_422_and_nothing_is_stored(self, sitting, api_client, kind, answer):
        """On PostgreSQL a NUL in jsonb, a decimal overflow or a digit that int() refuses was a 500."""
        question = self.question(sitting, kind)
        response = api_client.put(
            f"/sittings/{sitting.pk}/answers/{question['id']}", {"answer": answer, "seq": 1}
        )
        assert response.status_code == 422, response.content
        assert response.json()["detail"]
        assert not Response.objects.exists()

    def test_a_malformed_body_is_422_in_russian(self, sitting, api_client):
        single = self.question(sitting, "single")
        response = api_client.put(f"/sittings/{sitting.pk}/answers/{single['id']}", {"answer": None})
        assert response.status_code == 422
        assert response.json()["detail"] == "Запрос не распознан."

    def raw_put(self, api_client, sitting, body):
        single = self.question(sitting, "single")
        return api_client.client.put(
            f"{API}/sittings/{sitting.pk}/answers/{single['id']}",
            data=body,
            content_type="application/json",
            HTTP_X_CSRFTOKEN=api_client.token,
        )

    def test_a_body_that_is_not_json_is_400_in_russian(self, sitting, api_client):
        response = self.raw_put(api_client, sitting, "{not json")
        assert response.status_code == 400
        assert response.json() == {"detail": "Запрос не распознан: тело запроса должно быть в формате JSON."}

    def test_a_body_over_the_size_limit_is_400_not_500(self, sitting, api_client, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
        response = self.raw_put(api_client, sitting, json.dumps({"answer": {"text": "я" * 1000}, "seq": 1}))
        assert response.status_code == 400
        assert response.json() == {"detail": "Запрос слишком велик."}
        assert not Response.objects.exists()

    def test_an_unexpected_error_is_the_documented_json_not_an_html_page(
        self, sitting, api_client, settings, monkeypatch, caplog
    ):
        import quizzes.api.sittings

        def broken(*args, **kwargs):
            raise RuntimeError("a bug")

        settings.DEBUG = False
        monkeypatch.setattr(quizzes.api.sittings, "save_my_answer", broken)
        response = self.raw_put(api_client, sitting, json.dumps({"answer": None, "seq": 1}))
        assert response.status_code == 500
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"].startswith("Внутренняя ошибка сервера.")
        assert "a bug" in caplog.text  # logged for the operators, not shown to the person

    def test_400_is_in_the_schema(self, api_client):
        schema = api_client.client.get("/api/v1/openapi.json").json()
        put = schema["paths"]["/api/v1/tests/sittings/{sitting_id}/answers/{question_id}"]["put"]
        assert {"400", "422", "500"} & set(put["responses"]) == {"400", "422"}

    def test_a_question_not_in_the_sitting_is_404(self, sitting, api_client):
        response = api_client.put(f"/sittings/{sitting.pk}/answers/999999", {"answer": None, "seq": 1})
        assert response.status_code == 404
        assert response.json() == {"detail": "Этого вопроса нет в вашей попытке."}

    def test_saving_into_a_finished_sitting_is_409(self, sitting, api_client):
        api_client.post(f"/sittings/{sitting.pk}/finish")
        single = self.question(sitting, "single")
        response = api_client.put(
            f"/sittings/{sitting.pk}/answers/{single['id']}", {"answer": None, "seq": 1}
        )
        assert response.status_code == 409
        assert response.json() == {"detail": "Попытка уже завершена."}

    def test_without_the_csrf_token_a_write_is_refused(self, sitting, api_client):
        single = self.question(sitting, "single")
        url = f"/sittings/{sitting.pk}/answers/{single['id']}"
        response = api_client.put(url, {"answer": None, "seq": 1}, csrf=False)
        assert response.status_code == 403
        assert response.json()["detail"] == "Проверка безопасности не пройдена. Обновите страницу."
        assert api_client.post(f"/sittings/{sitting.pk}/finish", csrf=False).status_code == 403
        assert not Response.objects.exists()
        assert Sitting.objects.get().is_in_progress


class TestDeadline:
    @pytest.fixture
    def overdue(self, world, api_client):
        """A sitting whose deadline (plus grace) has passed on the real clock, with one answer saved."""
        sitting = Sitting.objects.get(pk=start(api_client, world["campaign"])["id"])
        question = next(q for q in sitting.questions() if q["type"] == "truefalse")
        api_client.put(
            f"/sittings/{sitting.pk}/answers/{question['id']}", {"answer": {"value": False}, "seq": 1}
        )
        past = timezone.now() - ANSWER_GRACE - datetime.timedelta(seconds=5)
        Sitting.objects.filter(pk=sitting.pk).update(
            deadline=past, started_at=past - datetime.timedelta(minutes=30)
        )
        return sitting

    def test_a_late_answer_is_410_and_the_sitting_is_finished(self, overdue, api_client):
        question = next(q for q in overdue.questions() if q["type"] == "single")
        response = api_client.put(
            f"/sittings/{overdue.pk}/answers/{question['id']}", {"answer": None, "seq": 1}
        )
        overdue.refresh_from_db()
        assert response.status_code == 410
        assert response.json() == {"detail": "Время на прохождение теста истекло."}
        assert overdue.state == Sitting.State.FINISHED
        assert overdue.finished_at == overdue.deadline
        assert Response.objects.filter(sitting=overdue).count() == 1

    def test_a_late_answer_after_the_clock_finished_it_is_still_410(self, overdue, api_client):
        assert finish_overdue() == 1
        question = next(q for q in overdue.questions() if q["type"] == "single")
        response = api_client.put(
            f"/sittings/{overdue.pk}/answers/{question['id']}", {"answer": None, "seq": 1}
        )
        assert response.status_code == 410

    def test_an_answer_within_the_grace_after_the_deadline_is_saved(self, world, api_client):
        sitting = Sitting.objects.get(pk=start(api_client, world["campaign"])["id"])
        question = sitting.questions()[0]
        Sitting.objects.filter(pk=sitting.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=2))
        response = api_client.put(
            f"/sittings/{sitting.pk}/answers/{question['id']}", {"answer": None, "seq": 1}
        )
        assert response.status_code == 200
        assert response.json()["seconds_left"] == 0
        assert Response.objects.filter(sitting=sitting).count() == 1

    def test_reading_an_overdue_sitting_finishes_it(self, overdue, api_client):
        body = api_client.get(f"/sittings/{overdue.pk}").json()
        assert body["state"] == "finished"
        assert body["seconds_left"] == 0
        overdue.refresh_from_db()
        assert overdue.finished_at == overdue.deadline

    def test_the_campaign_list_finishes_it_too(self, overdue, api_client):
        [item] = api_client.get("/campaigns").json()
        assert item["state"] == "finished"
        assert not Sitting.objects.in_progress().exists()


class TestResult:
    def finished_sitting(self, world, api_client, policy, attempts=1):
        Quiz.objects.filter(pk=world["quiz"].pk).update(review_policy=policy, attempts_allowed=attempts)
        world["quiz"].quiz_questions.filter(question__polymorphic_ctype__model="essayquestion").delete()
        sitting = Sitting.objects.get(pk=start(api_client, world["campaign"])["id"])
        for snapshot in sitting.questions():
            api_client.put(
                f"/sittings/{sitting.pk}/answers/{snapshot['id']}",
                {"answer": correct_answer(snapshot), "seq": 1},
            )
        api_client.post(f"/sittings/{sitting.pk}/finish")
        return sitting

    def test_review_after_the_attempt_shows_correctness_and_explanations(self, world, api_client):
        sitting = self.finished_sitting(world, api_client, Quiz.ReviewPolicy.AFTER_ATTEMPT)
        body = api_client.get(f"/sittings/{sitting.pk}/result").json()
        assert body["state"] == "finished"
        assert body["percent"] == "100.00"
        assert body["passed"] is True
        assert body["review_available"] is True
        assert len(body["questions"]) == 6
        assert all(item["is_correct"] for item in body["questions"])
        first = body["questions"][0]
        assert first["explanation"] == SECRET_EXPLANATION
        assert first["correct_answer_text"] == "Верный ответ"
        short = next(item for item in body["questions"] if item["type"] == "short")
        assert "личная заинтересованность" in short["correct_answer_text"]

    def test_with_an_attempt_left_in_the_open_campaign_the_review_withholds_every_key(
        self, world, api_client
    ):
        sitting = self.finished_sitting(world, api_client, Quiz.ReviewPolicy.AFTER_ATTEMPT, attempts=2)
        response = api_client.get(f"/sittings/{sitting.pk}/result")
        body = response.json()
        assert body["review_available"] is True
        assert len(body["questions"]) == 6
        assert all(item["withheld"] for item in body["questions"])
        assert all(item["my_answer_text"] for item in body["questions"])  # my own answers stay
        for item in body["questions"]:
            assert item["correct_answer_text"] == item["explanation"] == item["legal_norm"] == ""
            assert item["is_correct"] is None and item["fraction"] is None
        assert SECRET_EXPLANATION not in response.content.decode()
        assert "личная заинтересованность" not in response.content.decode()

    @pytest.mark.parametrize("policy", [Quiz.ReviewPolicy.NEVER, Quiz.ReviewPolicy.AFTER_CLOSE])
    def test_without_review_there_are_no_correctness_fields_at_all(self, world, api_client, policy):
        sitting = self.finished_sitting(world, api_client, policy)
        response = api_client.get(f"/sittings/{sitting.pk}/result")
        body = response.json()
        assert body["percent"] == "100.00"
        assert body["review_available"] is False
        assert "questions" not in body
        assert_no_correctness(body, response.content)

    def test_the_result_of_a_sitting_in_progress_is_409(self, world, api_client):
        sitting = start(api_client, world["campaign"])
        response = api_client.get(f"/sittings/{sitting['id']}/result")
        assert response.status_code == 409
        assert response.json() == {"detail": "Попытка ещё не завершена."}


def test_no_response_during_an_attempt_leaks_correctness(world, api_client):
    responses = [api_client.get("/campaigns")]
    started = api_client.post(f"/campaigns/{world['campaign'].pk}/sittings")
    responses.append(started)
    sitting = Sitting.objects.get(pk=started.json()["id"])
    for snapshot in sitting.questions():
        # Answer everything except the short text (a right typed answer is the person's own text).
        answer = {"text": "не знаю"} if snapshot["type"] == "short" else correct_answer(snapshot)
        responses.append(
            api_client.put(f"/sittings/{sitting.pk}/answers/{snapshot['id']}", {"answer": answer, "seq": 1})
        )
    responses.append(api_client.get(f"/sittings/{sitting.pk}"))
    responses.append(api_client.post(f"/campaigns/{world['campaign'].pk}/sittings"))
    for response in responses:
        assert response.status_code == 200, response.content
        assert_no_correctness(response.json(), response.content)
    # The options of choice questions are there, but nothing marks the right one.
    single = next(q for q in started.json()["questions"] if q["type"] == "single")
    assert all(set(option) == {"id", "text", "html"} for option in single["options"])
    assert ACCEPTED_SHORT not in started.content.decode()


class TestScope:
    def test_another_persons_sitting_is_404_on_every_endpoint(self, world, api_client):
        sitting = Sitting.objects.get(pk=start(api_client, world["campaign"])["id"])
        question = sitting.questions()[0]
        stranger = ApiClient(world["stranger"])
        calls = [
            stranger.get(f"/sittings/{sitting.pk}"),
            stranger.get(f"/sittings/{sitting.pk}/result"),
            stranger.put(f"/sittings/{sitting.pk}/answers/{question['id']}", {"answer": None, "seq": 9}),
            stranger.post(f"/sittings/{sitting.pk}/finish"),
        ]
        for response in calls:
            assert response.status_code == 404
            assert response.json() == {"detail": "Не найдено."}
        sitting.refresh_from_db()
        assert sitting.is_in_progress
        assert not Response.objects.exists()

    def test_anonymous_gets_401_in_russian(self, world):
        anonymous = ApiClient()
        calls = [
            anonymous.get("/campaigns"),
            anonymous.get("/sittings/1"),
            anonymous.get("/sittings/1/result"),
            anonymous.put("/sittings/1/answers/1", {"answer": None, "seq": 1}),
            anonymous.post("/sittings/1/finish"),
            anonymous.post(f"/campaigns/{world['campaign'].pk}/sittings"),
        ]
        for response in calls:
            assert response.status_code == 401
            assert response.json() == {"detail": "Войдите на сайт."}
        assert not Sitting.objects.exists()


def test_the_openapi_schema_lists_every_endpoint(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = {(path, method) for path, operations in schema["paths"].items() for method in operations}
    assert {
        ("/api/v1/tests/campaigns", "get"),
        ("/api/v1/tests/campaigns/{campaign_id}/sittings", "post"),
        ("/api/v1/tests/sittings/{sitting_id}", "get"),
        ("/api/v1/tests/sittings/{sitting_id}/answers/{question_id}", "put"),
        ("/api/v1/tests/sittings/{sitting_id}/finish", "post"),
        ("/api/v1/tests/sittings/{sitting_id}/result", "get"),
    } <= paths
    answer_body = schema["components"]["schemas"]["AnswerIn"]
    assert set(answer_body["properties"]) == {"answer", "seq"}
