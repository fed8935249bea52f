"""The live page's WebSocket over the real ASGI stack: access, snapshot, Q&A actions, attendance updates.

Runs on the in-memory channel layer, and on Redis when ``REDIS_URL`` is set (CI).
"""

import asyncio
import datetime
import time

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from cms.broadcast.publisher import wait_until_sent
from config.asgi import application
from events import live, services
from events.consumers import INTERVAL, coalescer
from events.models import Attendance, Question
from events.tests.test_live import babynino, make_live_event, make_organizer, make_participant
from people.factories import make_municipal_manager, make_organization, make_person, make_regional_manager

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1:8000")
SOON = 1  # seconds: a moderator's action must reach every browser within a second


def headers_for(user=None):
    # What the test's setup published (Redis: from the publisher thread) arrives before the socket.
    wait_until_sent()
    if user is None:
        return [ORIGIN]
    client = Client()
    client.force_login(user)
    return [ORIGIN, (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())]


async def connect(event, user=None):
    """A connected communicator that has already received its snapshot (returned too)."""
    headers = await database_sync_to_async(headers_for)(user)
    communicator = WebsocketCommunicator(application, f"/ws/events/{event.pk}/live/", headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    snapshot = await communicator.receive_json_from(timeout=5)
    assert snapshot["type"] == "snapshot"
    return communicator, snapshot


async def closing_of(path, headers):
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    closing = await communicator.receive_output(timeout=5)
    await communicator.wait()
    return closing


def closing_code(event_pk, user=None):
    path = f"/ws/events/{event_pk}/live/"
    return async_to_sync(closing_of)(path, headers_for(user) if user else [ORIGIN])


async def drain(communicator, timeout=0.3):
    messages = []
    while not await communicator.receive_nothing(timeout=timeout):
        messages.append(await communicator.receive_json_from())
    return messages


async def disconnect_all(*communicators):
    for communicator in communicators:
        await communicator.disconnect()


@pytest.fixture
def event():
    return make_live_event()


@pytest.fixture
def participant(event):
    return make_participant(event, first_name="Анна", last_name="Смирнова")


# --- access ---------------------------------------------------------------------------------------


def test_anonymous_visitors_are_closed_with_4401(event):
    assert closing_code(event.pk) == {"type": "websocket.close", "code": 4401}


def test_people_outside_the_event_are_closed_with_4403(event):
    manager = make_municipal_manager(babynino())  # sees statistics, takes no part in the event
    for person in (make_person(), manager):
        assert closing_code(event.pk, person) == {"type": "websocket.close", "code": 4403}
    assert closing_code(10**9, make_regional_manager())["code"] == 4403  # no such event
    event.unpublish()
    assert closing_code(event.pk, make_regional_manager())["code"] == 4403


def test_participant_and_moderators_receive_a_snapshot(event, participant):
    live.ask(event, participant, "Первый вопрос")
    hidden = live.ask(event, participant, "Скрытый вопрос")
    live.moderate(event, make_regional_manager(), hidden.pk, "hidden")
    checked_in = make_person(make_organization(babynino()))
    Attendance.objects.create(event=event, user=checked_in)
    people = {
        "participant": participant,
        "checked_in": checked_in,
        "organizer": make_organizer(event),
        "regional": make_regional_manager(),
    }

    async def scenario():
        snapshots = {}
        for name, person in people.items():
            communicator, snapshots[name] = await connect(event, person)
            await communicator.disconnect()
        return snapshots

    snapshots = async_to_sync(scenario)()
    assert snapshots["participant"]["moderator"] is False
    assert snapshots["checked_in"]["moderator"] is False
    assert snapshots["organizer"]["moderator"] is True
    assert snapshots["regional"]["moderator"] is True
    assert [q["text"] for q in snapshots["participant"]["questions"]] == ["Первый вопрос"]
    assert [q["text"] for q in snapshots["regional"]["questions"]] == ["Первый вопрос", "Скрытый вопрос"]
    attendance = snapshots["participant"]["attendance"]
    assert attendance["total"] == 1
    assert attendance["by_municipality"] == [{"id": babynino().pk, "name": str(babynino()), "count": 1}]
    assert isinstance(attendance["version"], int)


def test_a_change_during_the_snapshot_follows_the_snapshot(event, participant, monkeypatch):
    """The socket joins the event's group before reading the snapshot (so nothing falls between the
    two); a change that arrives meanwhile is held back and sent right after the snapshot."""
    question = live.ask(event, participant, "Вопрос")
    moderator = make_regional_manager()
    read_snapshot = live.LiveAccess.snapshot

    def snapshot_while_a_moderator_acts(access):
        live.moderate(event, moderator, question.pk, "answered")  # published while we read
        wait_until_sent()
        time.sleep(0.3)  # the hub delivers the change to the socket meanwhile
        return read_snapshot(access)

    monkeypatch.setattr(live.LiveAccess, "snapshot", snapshot_while_a_moderator_acts)

    async def scenario():
        headers = await database_sync_to_async(headers_for)(participant)
        communicator = WebsocketCommunicator(application, f"/ws/events/{event.pk}/live/", headers=headers)
        connected, _ = await communicator.connect(timeout=5)
        assert connected
        first = await communicator.receive_json_from(timeout=5)
        second = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return first, second

    first, second = async_to_sync(scenario)()
    assert first["type"] == "snapshot"
    assert (second["type"], second["question"]["state"]) == ("question", "answered")


# --- questions ------------------------------------------------------------------------------------


def test_a_question_reaches_everybody_raw_and_errors_only_the_sender(event, participant):
    neighbour = make_participant(event)
    moderator = make_regional_manager()
    text = '<script>alert("x")</script> Можно ли принять подарок?'

    async def scenario():
        asking, _ = await connect(event, participant)
        watching, _ = await connect(event, neighbour)
        moderating, _ = await connect(event, moderator)
        await asking.send_json_to({"action": "ask", "text": text})
        received = [await c.receive_json_from(timeout=SOON) for c in (asking, watching, moderating)]
        await asking.send_json_to({"action": "ask", "text": "я" * 501})
        error = await asking.receive_json_from(timeout=SOON)
        others = [await drain(c) for c in (watching, moderating)]
        await disconnect_all(asking, watching, moderating)
        return received, error, others

    received, error, others = async_to_sync(scenario)()
    question = Question.objects.get()
    for message in received:
        assert message == {
            "type": "question",
            "question": {
                "id": question.pk,
                "text": text,  # raw: the page inserts it with textContent
                "author": f"Смирнова А., {babynino()}",
                "votes": 0,
                "state": "open",
                "created": question.created.isoformat(),
                "version": 1,
            },
        }
    assert error["type"] == "error"
    assert error["code"] == "too_long"
    assert "500" in error["message"]
    assert others == [[], []]


def test_rate_limit_holds_across_two_connections(event, participant):
    async def scenario():
        first, _ = await connect(event, participant)
        second, _ = await connect(event, participant)
        replies = []
        for n, communicator in enumerate((first, second, first, second)):
            await communicator.send_json_to({"action": "ask", "text": f"Вопрос {n}"})
            await asyncio.sleep(0.1)
        replies = [await drain(first), await drain(second)]
        await disconnect_all(first, second)
        return replies

    first, second = async_to_sync(scenario)()
    assert Question.objects.filter(author=participant).count() == live.ASK_LIMIT
    errors = [m for m in first + second if m["type"] == "error"]
    assert [e["code"] for e in errors] == ["rate_limited"]
    assert errors[0] in second  # the fourth question was sent on the second connection
    assert "error" not in {m["type"] for m in first}


def test_upvote_once_over_the_socket(event, participant):
    question = live.ask(event, participant, "Вопрос")
    neighbour = make_participant(event)

    async def scenario():
        voter, _ = await connect(event, neighbour)
        author, _ = await connect(event, participant)
        await voter.send_json_to({"action": "upvote", "question": question.pk})
        first = await voter.receive_json_from(timeout=SOON)
        seen_by_author = await author.receive_json_from(timeout=SOON)
        await voter.send_json_to({"action": "upvote", "question": question.pk})
        second = await voter.receive_json_from(timeout=SOON)
        await author.send_json_to({"action": "upvote", "question": question.pk})
        own = await author.receive_json_from(timeout=SOON)
        await disconnect_all(voter, author)
        return first, seen_by_author, second, own

    first, seen_by_author, second, own = async_to_sync(scenario)()
    assert first == seen_by_author
    assert (first["question"]["votes"], first["question"]["version"]) == (1, 2)
    assert (second["type"], second["code"]) == ("error", "already_voted")
    assert (own["type"], own["code"]) == ("error", "own_question")
    assert Question.objects.get().votes == 1


def test_only_moderators_moderate_and_hidden_text_does_not_reach_participants(event, participant):
    question = live.ask(event, participant, "Неуместный вопрос")
    neighbour = make_participant(event)
    organizer = make_organizer(event)

    async def scenario():
        watcher, _ = await connect(event, neighbour)
        moderator, _ = await connect(event, organizer)
        await watcher.send_json_to({"action": "moderate", "question": question.pk, "state": "hidden"})
        refused = await watcher.receive_json_from(timeout=SOON)
        assert await moderator.receive_nothing(timeout=0.3)
        await moderator.send_json_to({"action": "moderate", "question": question.pk, "state": "hidden"})
        to_moderator = await moderator.receive_json_from(timeout=SOON)
        to_watcher = await watcher.receive_json_from(timeout=SOON)
        await moderator.send_json_to({"action": "moderate", "question": question.pk, "state": "answered"})
        answered = await watcher.receive_json_from(timeout=SOON)
        await disconnect_all(watcher, moderator)
        return refused, to_moderator, to_watcher, answered

    refused, to_moderator, to_watcher, answered = async_to_sync(scenario)()
    assert (refused["type"], refused["code"]) == ("error", "forbidden")
    assert to_moderator["question"]["text"] == "Неуместный вопрос"
    assert to_moderator["question"]["state"] == "hidden"
    assert to_watcher == {
        "type": "question",
        "question": {"id": question.pk, "state": "hidden", "version": 2},
    }
    assert answered["question"]["text"] == "Неуместный вопрос"  # shown again once answered
    assert (answered["question"]["state"], answered["question"]["version"]) == ("answered", 3)


def test_junk_messages_get_a_bad_request_error(event, participant):
    async def scenario():
        communicator, _ = await connect(event, participant)
        replies = []
        for junk in ("not json", "[1, 2]", '{"action": "delete"}', "x" * 20_000):
            await communicator.send_to(text_data=junk)
            replies.append(await communicator.receive_json_from(timeout=SOON))
        await communicator.send_to(bytes_data=b"\x00")
        replies.append(await communicator.receive_json_from(timeout=SOON))
        await communicator.disconnect()
        return replies

    assert {(r["type"], r["code"]) for r in async_to_sync(scenario)()} == {("error", "bad_request")}


# --- attendance -----------------------------------------------------------------------------------


def test_a_check_in_and_a_room_report_update_the_counter(event, participant):
    district = babynino()
    manager = make_municipal_manager(district)

    async def scenario():
        communicator, snapshot = await connect(event, participant)
        await database_sync_to_async(services.check_in)(event, participant, event.check_in_code)
        after_check_in = await communicator.receive_json_from(timeout=2)
        await database_sync_to_async(services.report_room)(event, district, manager, head_count=12)
        after_report = await communicator.receive_json_from(timeout=3)
        await communicator.disconnect()
        return snapshot["attendance"], after_check_in, after_report

    before, after_check_in, after_report = async_to_sync(scenario)()
    assert before["total"] == 0
    assert after_check_in["type"] == "attendance"
    assert after_check_in["total"] == 1
    assert after_check_in["by_municipality"] == [{"id": babynino().pk, "name": str(babynino()), "count": 1}]
    assert after_report["total"] == 13  # the room's 12 and the personal check-in
    assert after_report["version"] > after_check_in["version"] > before["version"]


def test_attendance_updates_are_coalesced_to_one_a_second(event, participant):
    people = [make_person(make_organization(babynino())) for _ in range(8)]
    check_in_at = timezone.now() + datetime.timedelta(seconds=1)

    async def scenario():
        communicator, _ = await connect(event, participant)
        coalescer().computations.clear()

        def everybody_checks_in():
            for person in people:
                services.check_in(event, person, event.check_in_code, now=check_in_at)

        await database_sync_to_async(everybody_checks_in)()
        await asyncio.sleep(2 * INTERVAL + 0.5)
        messages = await drain(communicator, timeout=0.1)
        computations = coalescer().computations[event.pk]
        await communicator.disconnect()
        return messages, computations

    messages, computations = async_to_sync(scenario)()
    assert 1 <= len(messages) <= 3
    assert len(messages) == computations
    assert {m["type"] for m in messages} == {"attendance"}
    assert messages[-1]["total"] == len(people)


def test_logging_out_closes_the_sockets_of_that_sign_in_only(event):
    """A socket opened before logging out no longer accepts questions: it is closed at logout. The
    same person's socket in another browser (another sign-in) stays open."""
    participant = make_participant(event)
    browser, other_browser = Client(), Client()
    browser.force_login(participant)
    other_browser.force_login(participant)

    def cookie(client):
        return [ORIGIN, (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())]

    async def scenario():
        sockets = []
        for client in (browser, other_browser):
            socket = WebsocketCommunicator(
                application, f"/ws/events/{event.pk}/live/", headers=cookie(client)
            )
            assert (await socket.connect(timeout=5))[0]
            assert (await socket.receive_json_from(timeout=5))["type"] == "snapshot"
            sockets.append(socket)
        await database_sync_to_async(browser.logout)()
        await database_sync_to_async(wait_until_sent)()
        closing = await sockets[0].receive_output(timeout=5)
        assert closing == {"type": "websocket.close", "code": 4401}
        assert await sockets[1].receive_nothing(timeout=0.5)
        await sockets[1].send_json_to({"action": "ask", "text": "Вопрос из другого браузера"})
        assert (await sockets[1].receive_json_from(timeout=5))["type"] == "question"
        await disconnect_all(*sockets)

    async_to_sync(scenario)()
