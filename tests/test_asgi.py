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
