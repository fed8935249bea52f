"""An ASGI live server for browser tests that need WebSockets (pytest-django's ``live_server`` is WSGI).

Daphne runs in a thread of the test process, so the in-memory channel layer and the in-memory SQLite
test database are the ones the test sees. Twisted's reactor cannot be restarted, so there is one
server per test session (fixture ``asgi_daphne``); each test gets it through ``asgi_live_server``,
which also shares the test's in-memory SQLite connection with the server's threads the way Django's
own live server does (on PostgreSQL every thread opens its own connection and nothing is shared).

Use in a test module::

    from tests.browser.asgi_server import asgi_daphne_fixture, asgi_live_server_fixture  # noqa: F401

pytest then defines ``asgi_daphne`` once per module that imports it; the first to run starts the
server and the others share it (a second daphne would try to start the running reactor again).
"""

import socket
import threading
import time

import pytest

from tests.request_gate import GatedASGIApplication, RequestGate

STARTUP_TIMEOUT = 15  # seconds


class _SharedConnections:
    """Stands in for the thread-local store of ``django.db.connections``: every thread sees these."""


def _application(gate):
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from config.asgi import application

    # Static files (the page's script and stylesheet) as the WSGI live server serves them.
    return GatedASGIApplication(ASGIStaticFilesHandler(application), gate)


class AsgiLiveServer:
    def __init__(self, host, port, request_gate):
        self.host = host
        self.port = port
        self.url = f"http://{host}:{port}"
        self.request_gate = request_gate

    def __str__(self):
        return self.url


def _wait_for_port(host, port, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


_session_server = []  # the one AsgiLiveServer of the test session, once started


@pytest.fixture(scope="session", name="asgi_daphne")
def asgi_daphne_fixture(django_db_setup):
    """Daphne serving ``config.asgi`` (with static files) on a free port of 127.0.0.1, for the session."""
    if _session_server:
        yield _session_server[0]
        return
    from daphne.server import Server  # importing it installs Twisted's asyncio reactor

    gate = RequestGate()
    server = Server(
        application=_application(gate),
        endpoints=["tcp:port=0:interface=127.0.0.1"],
        signal_handlers=False,
        verbosity=0,
    )
    thread = threading.Thread(target=server.run, name="asgi-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not server.listening_addresses and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.listening_addresses:
        pytest.fail("daphne did not start listening")
    host, port = server.listening_addresses[0]
    if not _wait_for_port(host, port, STARTUP_TIMEOUT):
        pytest.fail("daphne does not accept connections")
    _session_server.append(AsgiLiveServer(host, port, gate))
    yield _session_server[0]
    _session_server.clear()
    from twisted.internet import reactor

    reactor.callFromThread(server.stop)
    thread.join(timeout=5)


@pytest.fixture(name="asgi_live_server")
def asgi_live_server_fixture(asgi_daphne, transactional_db):
    """The session's ASGI server, seeing this test's database."""
    from django.db import connections

    shared = {
        conn.alias: conn for conn in connections.all() if conn.vendor == "sqlite" and conn.is_in_memory_db()
    }
    original = connections._connections
    if shared:
        store = _SharedConnections()
        for alias, conn in shared.items():
            conn.inc_thread_sharing()
            setattr(store, alias, conn)
        connections._connections = store
    try:
        yield asgi_daphne
    finally:
        connections._connections = original
        for conn in shared.values():
            conn.dec_thread_sharing()
