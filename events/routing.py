"""WebSocket routes of events (live Q&A and attendance counter), included by config/websocket_urls.py."""

from django.urls import path

from .consumers import EventLiveConsumer

websocket_urlpatterns = [
    path("ws/events/<int:pk>/live/", EventLiveConsumer.as_asgi()),
]
