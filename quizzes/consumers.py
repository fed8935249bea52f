"""WebSocket consumers of remote testing."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from cms.broadcast import hub
from cms.broadcast.sessions import SessionBound

from .analytics import live_counters
from .monitor import MonitorView, campaign_group, coalescer

FORBIDDEN = 4403


class CampaignMonitorConsumer(SessionBound, AsyncJsonWebsocketConsumer):
    """Live started / finished / passed counters of a campaign, per district, for managers.

    Only a municipal or regional manager whose scope may see the campaign stays connected; anybody
    else is accepted and closed at once with code 4403 (so the page's script knows not to retry).
    On connect the current counters are sent; then a fresh ``counters`` message follows each change,
    at most once a second (see :mod:`quizzes.monitor`).
    """

    view = None

    async def connect(self):
        pk = self.scope["url_route"]["kwargs"]["pk"]
        self.view = await database_sync_to_async(MonitorView.for_user)(self.scope.get("user"), pk)
        await self.accept()
        if self.view is None:
            await self.close(code=FORBIDDEN)
            return
        campaign_id = self.view.campaign_id
        await self.join_session()  # logging out closes this socket
        await hub().join(campaign_group(campaign_id), self)
        coalescer().subscribe(campaign_id, self)
        counters = await database_sync_to_async(live_counters)(campaign_id)
        await self.send_json(self.view.message(counters))

    async def disconnect(self, code):
        await self.leave_session()
        if self.view is not None:
            coalescer().unsubscribe(self.view.campaign_id, self)
            await hub().leave(campaign_group(self.view.campaign_id), self)

    async def receive_json(self, content, **kwargs):
        """The page sends nothing; anything it does send is ignored."""

    async def campaign_changed(self, event):
        """A notice of the campaign's group (handed over by the hub): something in it changed."""
        if self.view is not None:
            coalescer().mark_dirty(self.view.campaign_id)

    async def counters_changed(self, counters):
        """Called by the coalescer with the campaign's fresh (unscoped) counters."""
        await self.send_json(self.view.message(counters))
