"""Project-wide test fixtures."""

import threading

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread

from tests.channel_layer_locks import forget_idle_receive_locks
from tests.request_gate import GatedWSGIApplication, RequestGate


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, with requests run one at a time when the test database is SQLite in memory.

    Two requests in flight at once (a SCORM package's commit and its finish, a page and its fetch) break
    each other's transactions there. When the server shares the test's connection object (pytest-django
    passes it once the test database exists), one request opens a savepoint inside the other's
    transaction and the first to commit takes it away («no such savepoint»); when each server thread
    has its own connection to the shared in-memory database, a BEGIN meets the other's table lock
    («database table is locked»). Either is a 500 that happens once in many runs. A real deployment
    has a connection per thread on a database that waits for locks, and the PostgreSQL run of the suite
    (no lock here) keeps real concurrency. The lock covers the application call, where views run their
    transactions; a streamed body is iterated after it. Static and media files (read from disk, no
    database) are served beside the one request in flight.

    Every request also passes the server's :class:`~tests.request_gate.RequestGate`, open only while a
    test runs (``_live_servers_quiet_before_the_flush``).
    """

    def set_app(self, application):
        self.request_gate = RequestGate()
        if connection.vendor != "sqlite":
            return super().set_app(GatedWSGIApplication(application, self.request_gate))
        lock = threading.Lock()
        files = tuple(url for url in (settings.STATIC_URL, settings.MEDIA_URL) if url and url.startswith("/"))

        def one_at_a_time(environ, start_response):
            if files and environ.get("PATH_INFO", "").startswith(files):
                return application(environ, start_response)  # a file from disk: no database, no wait
            with lock:
                return application(environ, start_response)

        return super().set_app(GatedWSGIApplication(one_at_a_time, self.request_gate))


LiveServerThread.server_class = OneRequestAtATimeServer


def _is_transactional(request):
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _live_servers_quiet_before_the_flush(request):
    """Opens the live servers' request gates for the test; after it, turns late requests away and waits
    for those still running, before ``transactional_db`` flushes the database (``tests.request_gate``:
    a browser's unload requests met the flush of the shared in-memory SQLite database)."""
    names = [name for name in ("live_server", "asgi_live_server") if name in request.fixturenames]
    if not names:
        yield
        return
    # Set up first, so that its flush runs after this fixture's teardown.
    request.getfixturevalue("transactional_db")
    gates = []
    for name in names:
        server = request.getfixturevalue(name)
        gates.append(server.thread.httpd.request_gate if name == "live_server" else server.request_gate)
    for gate in gates:
        gate.open()
    yield
    still_running = sum(gate.close_and_drain() for gate in gates)
    if still_running:
        pytest.fail(f"{still_running} request(s) to the live server still running after the test")


@pytest.fixture(autouse=True)
def _channel_layer_locks_of_this_test_only():
    """The Redis channel layer's receive locks left idle by a test's event loop do not reach the next
    test's loop (``tests.channel_layer_locks``)."""
    yield
    from channels import DEFAULT_CHANNEL_LAYER
    from channels.layers import channel_layers

    forget_idle_receive_locks(channel_layers.backends.get(DEFAULT_CHANNEL_LAYER))


@pytest.fixture(autouse=True)
def _baseline_data_after_flush(request):
    """Transactional tests flush the database after each test, taking with it what migrations made
    (the home page and site); the role groups come back through post_migrate. Restore the rest."""
    if _is_transactional(request):
        request.getfixturevalue("transactional_db")
        from cms.site_setup import ensure_home_page
        from people.roles import ensure_roles

        ensure_roles()
        ensure_home_page()
    yield
