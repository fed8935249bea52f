"""WebSocket routes of remote testing (included by config/websocket_urls.py)."""

websocket_urlpatterns = []
