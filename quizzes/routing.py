"""WebSocket routes of remote testing (included by config/websocket_urls.py)."""

from django.urls import path

from .consumers import CampaignMonitorConsumer

websocket_urlpatterns = [
    path("ws/tests/campaigns/<int:pk>/monitor/", CampaignMonitorConsumer.as_asgi()),
]
