from django.urls import path

from config.consumers import HealthConsumer
from events.routing import websocket_urlpatterns as events_routes
from quizzes.routing import websocket_urlpatterns as quizzes_routes

websocket_urlpatterns = [
    path("ws/health/", HealthConsumer.as_asgi()),
    *quizzes_routes,
    *events_routes,
]
