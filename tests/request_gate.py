"""A gate in front of the tests' live servers (WSGI and ASGI), closed between tests.

When a test closes its browser context, the pages' last requests (Wagtail's «release editing session»
beacon, the SCORM runtime's final commit as the lesson unloads) can still reach the live server while
``transactional_db`` flushes the database. On SQLite the server shares the test's in-memory connection,
and the flush then fails with «database table is locked», taking every later test of that process with
it. The gate answers a request that arrives after the test with 503 before it reaches Django, and the
test's teardown waits until the requests already inside have finished, before the flush.
"""

import threading

DRAIN_TIMEOUT = 15  # seconds a request may still run after its test; longer means a hung request
_TURNED_AWAY = b"the test is over"


class RequestGate:
    def __init__(self):
        self._condition = threading.Condition()
        self._open = False
        self._in_flight = 0

    def open(self):
        with self._condition:
            self._open = True

    def close_and_drain(self, timeout=DRAIN_TIMEOUT):
        """Turn new requests away; wait for those inside. Returns how many were still inside at the end."""
        with self._condition:
            self._open = False
            self._condition.wait_for(lambda: self._in_flight == 0, timeout=timeout)
            return self._in_flight

    def enter(self):
        """True if the request may go in (and is then counted until ``leave``)."""
        with self._condition:
            if not self._open:
                return False
            self._in_flight += 1
            return True

    def leave(self):
        with self._condition:
            self._in_flight -= 1
            self._condition.notify_all()


class _CountedResponse:
    """The WSGI response iterable; the request leaves the gate when the server closes it (all sent)."""

    def __init__(self, result, leave):
        self._result = result
        self._leave = leave
        self._closed = False

    def __iter__(self):
        return iter(self._result)

    def close(self):
        if self._closed:
            return
        self._closed = True
        try:
            if hasattr(self._result, "close"):
                self._result.close()
        finally:
            self._leave()


class GatedWSGIApplication:
    def __init__(self, application, gate):
        self.application = application
        self.gate = gate

    def __call__(self, environ, start_response):
        if not self.gate.enter():
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [_TURNED_AWAY]
        try:
            result = self.application(environ, start_response)
        except BaseException:
            self.gate.leave()
            raise
        return _CountedResponse(result, self.gate.leave)


class GatedASGIApplication:
    """The same for daphne: an HTTP request or a WebSocket connection is inside until the app returns."""

    def __init__(self, application, gate):
        self.application = application
        self.gate = gate

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.application(scope, receive, send)
        if not self.gate.enter():
            if scope["type"] == "http":
                headers = [(b"content-type", b"text/plain")]
                await send({"type": "http.response.start", "status": 503, "headers": headers})
                await send({"type": "http.response.body", "body": _TURNED_AWAY})
            else:
                await send({"type": "websocket.close", "code": 1013})
            return None
        try:
            return await self.application(scope, receive, send)
        finally:
            self.gate.leave()
