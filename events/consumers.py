"""WebSocket consumer of an event's live page: the Q&A queue and the attendance counter.

The protocol (``ws/events/<pk>/live/``):

* on connect the server sends ``{"type": "snapshot", "attendance", "questions", "moderator"}``;
  anonymous visitors are closed with 4401, people who take no part in the event with 4403;
* the client sends ``{"action": "ask", "text"}``, ``{"action": "upvote", "question"}`` or
  ``{"action": "moderate", "question", "state"}``; a refused action comes back to the sender only as
  ``{"type": "error", "code", "message"}``;
* every change of a question reaches everybody at once as ``{"type": "question", "question"}``
  (participants get a hidden question without its text and author);
* ``{"type": "attendance", "total", "by_municipality", "version"}`` follows check-ins and room
  reports, at most once a second per event in each process (:class:`cms.broadcast.Coalescer`).

Each process subscribes once per event to the event's group (:mod:`cms.broadcast.hub`) and hands
every message to its own consumers, so a moderator's action crosses Redis once per process, not once
per open page.
"""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from cms.broadcast import Coalescer, encoded_once, hub, per_loop
from cms.broadcast.sessions import SessionBound

from . import live

UNAUTHENTICATED = 4401
FORBIDDEN = 4403
INTERVAL = 1.0  # seconds between two attendance computations of one event in one process
MAX_MESSAGE_BYTES = 8 * 1024  # a question is at most 500 characters; anything much longer is junk


class EventLiveConsumer(SessionBound, AsyncJsonWebsocketConsumer):
    access = None
    held = None  # texts that arrived before the snapshot went out

    async def send_update(self, text):
        if self.held is not None:
            self.held.append(text)
        else:
            await self.send(text_data=text)

    async def connect(self):
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.close(code=UNAUTHENTICATED)
            return
        pk = self.scope["url_route"]["kwargs"]["pk"]
        self.access = await database_sync_to_async(live.LiveAccess.for_user)(user, pk)
        if self.access is None:
            await self.close(code=FORBIDDEN)
            return
        # Join before reading the snapshot, so that no change falls between the two; what arrives
        # while the snapshot is read waits and follows it (the snapshot always comes first).
        await self.join_session()  # logging out closes this socket
        self.held = []
        await hub().join(live.event_group(self.access.event_id), self)
        coalescer().subscribe(self.access.event_id, self)
        await self.send_json(await database_sync_to_async(self.access.snapshot)())
        held, self.held = self.held, None
        for text in held:
            await self.send(text_data=text)

    async def disconnect(self, code):
        await self.leave_session()
        if self.access is not None:
            coalescer().unsubscribe(self.access.event_id, self)
            await hub().leave(live.event_group(self.access.event_id), self)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if self.access is None:
            return
        if text_data is None or len(text_data) > MAX_MESSAGE_BYTES:
            await self.send_error(live.BadRequest())
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.send_error(live.BadRequest())
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        try:
            await database_sync_to_async(self.access.perform)(content)
        except live.LiveError as error:
            await self.send_error(error)

    async def send_error(self, error):
        await self.send_json({"type": "error", "code": error.code, "message": error.message})

    # Messages of the event's group, handed over by the process's hub (one message for all sockets).

    async def question_changed(self, message):
        if self.access is not None:
            moderator = self.access.moderator
            text = encoded_once(
                message,
                "moderator" if moderator else "participant",
                lambda: {"type": "question", "question": self.access.question_view(message["question"])},
            )
            await self.send_update(text)

    async def attendance_changed(self, message):
        if self.access is not None:
            coalescer().mark_dirty(self.access.event_id)

    async def attendance_ready(self, attendance):
        """Called by the coalescer with the event's fresh attendance figures (shared by all sockets)."""
        await self.send_update(encoded_once(attendance, "text", lambda: {"type": "attendance", **attendance}))


def _attendance_of(event_id):
    event = live.EventPage.objects.filter(pk=event_id).first()
    return live.attendance_payload(event) if event is not None else None


async def _compute(event_id):
    attendance = await database_sync_to_async(_attendance_of)(event_id)
    if attendance is None:
        raise LookupError(event_id)
    return attendance


# The event loop's own coalescer of attendance computations (one per process in production).
coalescer = per_loop(lambda: Coalescer(_compute, deliver="attendance_ready", interval=INTERVAL))
