"""No answer key leaks during an attempt: no HTTP response (API JSON, taking pages) and no WebSocket
message the servant can receive carries correctness, a score, explanations or accepted answers until
the quiz's review policy allows it; then they appear."""

import asyncio
import datetime
import json

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from people.audience import Audience
from people.factories import make_municipality, make_person
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
from quizzes.models import Quiz, Sitting, TestCampaign

API = "/api/v1/tests"
# Keys that would tell the person whether an answer is right (or how it scored).
FORBIDDEN_KEYS = {
    "is_correct",
    "correct",
    "correct_answer",
    "correct_answer_text",
    "accepted",
    "explanation",
    "legal_norm",
    "fraction",
    "score",
    "key",
    "pairs_key",
    "grader_comment",
    "tolerance",
}
# Texts that only the answer key holds.
EXPLANATION = "ПОЯСНЕНИЕ-СЕКРЕТ: часть 1 статьи 10 273-ФЗ"
NORM = "НОРМА-СЕКРЕТ 273-ФЗ ст. 11"
ACCEPTED = "тайная заинтересованность"
NUMBER = "7919"
SECRETS = (EXPLANATION, NORM, ACCEPTED, NUMBER)


def build(review_policy=Quiz.ReviewPolicy.AFTER_CLOSE, with_essay=False):
    municipality = make_municipality("Город Обнинск")
    audience = Audience.objects.create(title="Обнинск")
    audience.municipalities.add(municipality)
    extra = {"explanation": EXPLANATION, "legal_norm": NORM}
    questions = [
        make_single_choice(text="Кто уведомляет?", **extra),
        make_multiple_choice(**extra),
        make_true_false(value=False, **extra),
        make_short_text(accepted=(ACCEPTED,), **extra),
        make_numeric(value=NUMBER, tolerance="0", **extra),
        make_matching(**extra),
    ]
    if with_essay:  # an essay leaves the sitting waiting for a trainer (no review before grading)
        questions.append(make_essay(**extra))
    quiz = make_quiz(questions, time_limit=30, review_policy=review_policy)
    now = timezone.now()
    campaign = TestCampaign.objects.create(
        title="Тестирование",
        quiz=quiz,
        audience=audience,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    return campaign, make_person(municipality=municipality)


class Recorder:
    """A logged-in client that keeps every response it gets."""

    def __init__(self, user):
        self.client = Client()
        self.client.force_login(user)
        self.seen = []

    def _keep(self, response):
        self.seen.append(response)
        return response

    def get(self, path, **extra):
        return self._keep(self.client.get(path, **extra))

    def post(self, path, body=None):
        return self._keep(self.client.post(path, json.dumps(body or {}), content_type="application/json"))

    def put(self, path, body):
        return self._keep(self.client.put(path, json.dumps(body), content_type="application/json"))

    def html_post(self, path):
        return self._keep(self.client.post(path))


def keys_and_values(data, path=""):
    if isinstance(data, dict):
        for key, value in data.items():
            yield f"{path}.{key}", key, value
            yield from keys_and_values(value, f"{path}.{key}")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from keys_and_values(item, f"{path}[{index}]")


def leaks(response):
    """What in this response gives away the key (empty: nothing)."""
    text = response.content.decode()
    found = [secret for secret in SECRETS if secret in text]
    if response["Content-Type"].startswith("application/json"):
        for where, key, value in keys_and_values(json.loads(text)):
            if key in FORBIDDEN_KEYS:
                found.append(where)
            if key in ("percent", "passed", "points_earned") and value is not None:
                found.append(where)
    else:
        found += [marker for marker in ("is_correct", "data-correct", "correct_answer") if marker in text]
    return found


def wrong_or_correct(snapshot):
    """Right answers where the answer is a public id; wrong ones where it would echo a secret."""
    if snapshot["type"] == "short":
        return {"text": "не знаю"}
    if snapshot["type"] == "numeric":
        return {"value": "1"}
    return correct_answer(snapshot)


@pytest.mark.django_db
def test_nothing_leaks_during_the_attempt_and_review_comes_after_close():
    campaign, person = build()
    browser = Recorder(person)
    browser.get(f"{API}/campaigns")
    browser.get("/tests/")
    browser.get(f"/tests/campaigns/{campaign.pk}/")
    sitting = browser.post(f"{API}/campaigns/{campaign.pk}/sittings").json()
    sid = sitting["id"]
    browser.get(f"/tests/sittings/{sid}/")
    browser.get(f"{API}/sittings/{sid}")
    snapshots = Sitting.objects.get(pk=sid).snapshot
    for seq, question in enumerate(sitting["questions"], start=1):
        answer = wrong_or_correct(snapshots[str(question["id"])])
        response = browser.put(
            f"{API}/sittings/{sid}/answers/{question['id']}", {"answer": answer, "seq": seq}
        )
        assert response.status_code == 200, response.content
        # a malformed answer's error must not explain the key either
        browser.put(f"{API}/sittings/{sid}/answers/{question['id']}", {"answer": {"x": 1}, "seq": seq})
    browser.get(f"{API}/sittings/{sid}")
    browser.get(f"{API}/sittings/{sid}/result")  # 409 while in progress
    browser.get(f"/tests/sittings/{sid}/result/")
    browser.get(f"{API}/campaigns")
    browser.get("/cabinet/")

    assert len(browser.seen) > 15
    for response in browser.seen:
        assert response.status_code < 500
        assert not leaks(response), (response.request["PATH_INFO"], leaks(response))

    # Finished, but the campaign is still open: a score, no correct answers or explanations.
    finished = browser.post(f"{API}/sittings/{sid}/finish")
    assert finished.status_code == 200
    result = browser.get(f"{API}/sittings/{sid}/result").json()
    assert result["review_available"] is False
    assert "questions" not in result
    page = browser.get(f"/tests/sittings/{sid}/result/").content.decode()
    assert EXPLANATION not in page and NORM not in page and ACCEPTED not in page

    # After the campaign closes the review policy allows it: the key appears.
    TestCampaign.objects.filter(pk=campaign.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    result = browser.get(f"{API}/sittings/{sid}/result").json()
    assert result["review_available"] is True
    review = {item["type"]: item for item in result["questions"]}
    assert review["short"]["correct_answer_text"] == ACCEPTED
    assert review["single"]["explanation"] == EXPLANATION
    assert review["single"]["is_correct"] is True
    assert review["short"]["is_correct"] is False
    page = browser.get(f"/tests/sittings/{sid}/result/").content.decode()
    assert EXPLANATION in page
    assert ACCEPTED in page


@pytest.mark.django_db
def test_review_never_shows_nothing_even_after_close():
    campaign, person = build(review_policy=Quiz.ReviewPolicy.NEVER, with_essay=True)
    browser = Recorder(person)
    sid = browser.post(f"{API}/campaigns/{campaign.pk}/sittings").json()["id"]
    browser.post(f"{API}/sittings/{sid}/finish")
    TestCampaign.objects.filter(pk=campaign.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    browser.get(f"{API}/sittings/{sid}/result")
    browser.get(f"/tests/sittings/{sid}/result/")
    for response in browser.seen[-2:]:
        text = response.content.decode()
        assert EXPLANATION not in text and ACCEPTED not in text and NORM not in text


async def _messages(path, headers):
    from config.asgi import application

    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    received = []
    if connected:
        await communicator.send_json_to({"type": "ping"})
        while True:
            try:
                message = await communicator.receive_output(timeout=1)
            except (Exception, asyncio.CancelledError):
                break  # quiet: the timeout has cancelled the application
            received.append(message)
            if message.get("type") == "websocket.close":
                break
    return received


@pytest.mark.django_db(transaction=True)
def test_no_websocket_message_to_the_servant_carries_the_key(settings):
    from tests.security.test_access_walk import websocket_paths

    # What the consumers send is the question here, not the transport: with the Redis layer, a
    # communicator left behind by a consumer that closed itself at once could keep the event loop
    # of async_to_sync from closing (seen once on PostgreSQL + Redis); the in-memory layer has no such tasks.
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

    campaign, person = build()
    browser = Recorder(person)
    sid = browser.post(f"{API}/campaigns/{campaign.pk}/sittings").json()["id"]
    cookie = f"sessionid={browser.client.cookies['sessionid'].value}"
    headers = [(b"origin", b"http://127.0.0.1:8000"), (b"cookie", cookie.encode())]
    messages = []
    for path in websocket_paths({"pk": campaign.pk, "campaign": campaign.pk, "sitting": sid}):
        messages += async_to_sync(_messages)(path, headers)
    for message in messages:
        text = json.dumps(message, ensure_ascii=False, default=str)
        assert not [secret for secret in SECRETS if secret in text], text
        for key in FORBIDDEN_KEYS | {"passed", "percent"}:
            assert f'"{key}"' not in text, text
