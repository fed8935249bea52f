"""WebSocket routes of events (live Q&A and attendance counter)."""

websocket_urlpatterns: list = []
