"""A real SMTP server for tests: aiosmtpd's Controller on a free port of 127.0.0.1, in a thread.

Use in a test module::

    from tests.smtp import smtp_server_fixture  # noqa: F401

then ask for ``smtp_server``: the running server, with the outbox pointed at it (Django's SMTP backend,
no TLS, no login). ``smtp_server.messages()`` parses what it accepted as MIME; ``smtp_server.refuse``
maps a recipient to the SMTP reply that refuses it (``"550 5.1.1 No such user"``).
"""

import email
import email.policy
import socket
import threading

import pytest

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Collector:
    """An aiosmtpd handler that keeps every accepted envelope."""

    def __init__(self):
        self.envelopes = []
        self.refuse = {}
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, controller, handler):
        self.controller = controller
        self.handler = handler
        self.host, self.port = controller.hostname, controller.port

    @property
    def refuse(self):
        return self.handler.refuse

    @property
    def envelopes(self):
        with self.handler.lock:
            return list(self.handler.envelopes)

    def messages(self):
        """Every accepted message as an ``email.message.EmailMessage`` (strict parsing: a defect fails)."""
        return [
            email.message_from_bytes(envelope.content, policy=email.policy.default)
            for envelope in self.envelopes
        ]

    def clear(self):
        with self.handler.lock:
            self.handler.envelopes.clear()


@pytest.fixture(name="smtp_server")
def smtp_server_fixture(settings):
    from aiosmtpd.controller import Controller

    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), ready_timeout=10)
    controller.start()
    settings.EMAIL_DELIVERY_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield SmtpServer(controller, handler)
    finally:
        controller.stop()
