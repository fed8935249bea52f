"""The ASGI application serves HTTP and WebSockets with origin checks, session auth and the channel layer."""

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from people.factories import make_person

pytestmark = pytest.mark.django_db(transaction=True)


async def _ping(headers):
    communicator = WebsocketCommunicator(application, "/ws/health/", headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    if not connected:
        # Let the refused application finish inside this event loop: left to the loop's closing, a
        # consumer still leaving its groups on Redis could keep asyncio.run from returning.
        await communicator.disconnect()
        return None
    await communicator.send_json_to({"type": "ping"})
    reply = await communicator.receive_json_from(timeout=5)
    await communicator.disconnect()
    return reply


def test_websocket_ping_goes_through_the_channel_layer():
    reply = async_to_sync(_ping)([(b"origin", b"http://127.0.0.1:8000")])
    assert reply == {"type": "pong", "authenticated": False}


def test_websocket_from_foreign_origin_is_refused():
    assert async_to_sync(_ping)([(b"origin", b"http://evil.example.com")]) is None


def test_websocket_knows_the_logged_in_user():
    person = make_person(password="Пароль-для-теста-1")
    client = Client()
    client.force_login(person)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    reply = async_to_sync(_ping)([(b"origin", b"http://127.0.0.1:8000"), (b"cookie", cookie)])
    assert reply == {"type": "pong", "authenticated": True}


def test_http_health_endpoint(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize(
    "headers, accepted",
    [
        ([(b"origin", b"http://127.0.0.1:8000")], True),  # SITE_URL
        ([(b"origin", b"https://127.0.0.1:8000")], False),  # another scheme
        ([(b"origin", b"http://127.0.0.1:8443")], False),  # another port
        ([(b"origin", b"http://127.0.0.1")], False),  # port 80
        ([(b"origin", b"http://localhost:8001"), (b"host", b"localhost:8001")], True),  # its own origin
        ([(b"origin", b"http://localhost:8001"), (b"host", b"localhost:8002")], False),
        ([(b"origin", b"http://evil.example.com:8001"), (b"host", b"evil.example.com:8001")], False),
        ([(b"origin", b"null")], False),
        ([], False),
    ],
)
def test_websocket_origin_must_match_scheme_host_and_port(headers, accepted):
    assert (async_to_sync(_ping)(headers) is not None) is accepted


def test_configured_origins_are_matched_exactly(settings):
    settings.WEBSOCKET_ALLOWED_ORIGINS = ["https://learn.example.ru"]
    assert async_to_sync(_ping)([(b"origin", b"https://learn.example.ru")]) is not None
    assert async_to_sync(_ping)([(b"origin", b"https://learn.example.ru:443")]) is not None
    assert async_to_sync(_ping)([(b"origin", b"http://learn.example.ru")]) is None
    assert async_to_sync(_ping)([(b"origin", b"https://learn.example.ru:8443")]) is None
