"""Which pages may open a WebSocket here: the site itself, by scheme, host and port.

Channels' ``AllowedHostsOriginValidator`` compares the Origin's *host* with ``ALLOWED_HOSTS`` and
ignores its scheme and port, so a page on ``http://site`` or ``https://site:8443`` could open sockets
with the person's cookie. Here an origin is accepted only when it is

* one of ``WEBSOCKET_ALLOWED_ORIGINS`` (by default the public address ``SITE_URL`` and
  ``CSRF_TRUSTED_ORIGINS``), scheme, host and port alike; or
* the socket's own origin: the ``Host`` the browser sent (an allowed host) under the socket's scheme
  (``wss`` → ``https``), as in development and behind no proxy.

A socket without an Origin header is refused, as before.
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def normalized(origin):
    """``scheme://host:port`` in lower case with the default port written out, or None."""
    try:
        parts = urlsplit(origin.strip().lower())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/"):
        return None
    return f"{parts.scheme}://{parts.hostname}:{port or DEFAULT_PORTS[parts.scheme]}"


def _header(scope, name):
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def origin_allowed(scope):
    origin = _header(scope, b"origin")
    mine = normalized(origin) if origin else None
    if mine is None:
        return False
    if mine in {normalized(allowed) for allowed in settings.WEBSOCKET_ALLOWED_ORIGINS}:
        return True
    host = _header(scope, b"host")
    if not host:
        return False
    domain, _port = split_domain_port(host)
    if not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    scheme = "https" if scope.get("scheme") == "wss" else "http"
    return mine == normalized(f"{scheme}://{host}")


class SiteOriginValidator:
    """ASGI middleware: a WebSocket from another origin is refused before the handshake (403)."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
