"""The live servers' request gate (``request_gate``): a late request never reaches Django, and the test's
teardown waits for the requests still inside before the database is flushed."""

import asyncio
import threading
import time

import pytest

from tests.request_gate import GatedASGIApplication, GatedWSGIApplication, RequestGate


class SlowWSGIApplication:
    def __init__(self):
        self.calls = 0
        self.release = threading.Event()
        self.entered = threading.Event()

    def __call__(self, environ, start_response):
        self.calls += 1
        self.entered.set()
        self.release.wait(5)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"done"]


def test_a_request_after_the_test_is_answered_503_without_reaching_the_application():
    application = SlowWSGIApplication()
    gated = GatedWSGIApplication(application, RequestGate())  # closed until a test opens it
    statuses = []

    body = gated({}, lambda status, headers: statuses.append(status))

    assert statuses == ["503 Service Unavailable"]
    assert list(body) == [b"the test is over"]
    assert application.calls == 0


def test_the_teardown_waits_for_a_request_still_inside_until_its_response_is_closed():
    gate = RequestGate()
    gate.open()
    application = SlowWSGIApplication()
    gated = GatedWSGIApplication(application, gate)
    served = []

    def serve():
        response = gated({}, lambda status, headers: None)
        served.append(b"".join(response))
        time.sleep(0.2)  # the server is still sending when the application has returned
        response.close()

    worker = threading.Thread(target=serve)
    worker.start()
    assert application.entered.wait(5)
    threading.Timer(0.2, application.release.set).start()

    started = time.monotonic()
    still_inside = gate.close_and_drain(timeout=5)
    waited = time.monotonic() - started
    worker.join(5)

    assert still_inside == 0
    assert served == [b"done"]
    assert waited >= 0.3  # not before the response was closed
    # A request coming now is turned away.
    late = []
    assert list(gated({}, lambda status, headers: late.append(status))) == [b"the test is over"]
    assert late == ["503 Service Unavailable"]
    assert application.calls == 1


def test_the_drain_gives_up_after_its_timeout_and_says_how_many_are_inside():
    gate = RequestGate()
    gate.open()
    assert gate.enter()

    assert gate.close_and_drain(timeout=0.05) == 1


def test_a_failing_application_leaves_the_gate():
    gate = RequestGate()
    gate.open()

    def broken(environ, start_response):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        GatedWSGIApplication(broken, gate)({}, lambda status, headers: None)

    assert gate.close_and_drain(timeout=0.05) == 0


def test_the_asgi_gate_turns_away_http_and_websockets_after_the_test_and_counts_them_during_it():
    calls = []

    async def application(scope, receive, send):
        calls.append(scope["type"])

    gate = RequestGate()
    gated = GatedASGIApplication(application, gate)
    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {}

    asyncio.run(gated({"type": "http"}, receive, send))
    asyncio.run(gated({"type": "websocket"}, receive, send))
    assert calls == []
    types = [message["type"] for message in sent]
    assert types == ["http.response.start", "http.response.body", "websocket.close"]
    assert sent[0]["status"] == 503

    gate.open()
    asyncio.run(gated({"type": "http"}, receive, send))
    asyncio.run(gated({"type": "lifespan"}, receive, send))
    assert calls == ["http", "lifespan"]
    assert gate.close_and_drain(timeout=0.05) == 0
