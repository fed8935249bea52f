from channels.generic.websocket import AsyncJsonWebsocketConsumer


class HealthConsumer(AsyncJsonWebsocketConsumer):
    """Answers a ping with a pong that has gone through the channel layer.

    Used by the reverse proxy's checks and by the tests that prove the WebSocket stack
    (origin check, session auth, channel layer: in-memory or Redis) is wired up.
    """

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.channel_layer.send(self.channel_name, {"type": "health.pong"})

    async def health_pong(self, event):
        user = self.scope.get("user")
        await self.send_json({"type": "pong", "authenticated": bool(user and user.is_authenticated)})
