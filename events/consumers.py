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
  reports, at most once a second per event in each process (:class:`AttendanceCoalescer`).
"""

import asyncio
import json
import logging
import weakref
from collections import Counter, defaultdict

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from . import live

logger = logging.getLogger(__name__)

UNAUTHENTICATED = 4401
FORBIDDEN = 4403
INTERVAL = 1.0  # seconds between two attendance computations of one event in one process
MAX_MESSAGE_BYTES = 8 * 1024  # a question is at most 500 characters; anything much longer is junk


class EventLiveConsumer(AsyncJsonWebsocketConsumer):
    access = None

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
        await self.channel_layer.group_add(live.event_group(self.access.event_id), self.channel_name)
        coalescer().subscribe(self.access.event_id, self)
        await self.send_json(await database_sync_to_async(self.access.snapshot)())

    async def disconnect(self, code):
        if self.access is not None:
            coalescer().unsubscribe(self.access.event_id, self)
            await self.channel_layer.group_discard(live.event_group(self.access.event_id), self.channel_name)

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

    # Messages from the channel layer.

    async def question_changed(self, message):
        if self.access is not None:
            await self.send_json(
                {"type": "question", "question": self.access.question_view(message["question"])}
            )

    async def attendance_changed(self, message):
        if self.access is not None:
            coalescer().mark_dirty(self.access.event_id)

    async def attendance_ready(self, attendance):
        """Called by the coalescer with the event's fresh attendance figures."""
        await self.send_json({"type": "attendance", **attendance})


class AttendanceCoalescer:
    """Computes each watched event's attendance at most once per :data:`INTERVAL` and feeds the local
    consumers: the first notice after a quiet second is served at once, the next ones wait for the
    next second and are merged into one computation. ``computations`` counts the queries, per event.

    One per event loop (see :func:`coalescer`), so with several workers each computes on its own, at
    most once a second per event it has a page open for, however many people check in.
    """

    def __init__(self, compute, interval=INTERVAL):
        self.compute = compute
        self.interval = interval
        self.subscribers = defaultdict(set)
        self.computations = Counter()
        self._last = {}
        self._pending = {}
        self._tasks = set()

    def subscribe(self, event_id, consumer):
        self.subscribers[event_id].add(consumer)

    def unsubscribe(self, event_id, consumer):
        watchers = self.subscribers.get(event_id)
        if watchers is None:
            return
        watchers.discard(consumer)
        if not watchers:
            del self.subscribers[event_id]
            handle = self._pending.pop(event_id, None)
            if handle is not None:
                handle.cancel()

    def mark_dirty(self, event_id):
        if event_id in self._pending or not self.subscribers.get(event_id):
            return  # already due, or nobody here watches it
        loop = asyncio.get_running_loop()
        last = self._last.get(event_id)
        delay = 0.0 if last is None else max(0.0, last + self.interval - loop.time())
        self._pending[event_id] = loop.call_later(delay, self._start, event_id)

    def _start(self, event_id):
        task = asyncio.ensure_future(self._recompute(event_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _recompute(self, event_id):
        self._pending.pop(event_id, None)  # notices from now on schedule the next round
        self._last[event_id] = asyncio.get_running_loop().time()
        try:
            attendance = await self.compute(event_id)
        except Exception:
            logger.exception("Could not compute the attendance of event %s", event_id)
            return
        self.computations[event_id] += 1
        for consumer in list(self.subscribers.get(event_id, ())):
            try:
                await consumer.attendance_ready(attendance)
            except Exception:  # one closed socket must not keep the others waiting
                logger.exception("Could not send the attendance of event %s", event_id)


def _attendance_of(event_id):
    event = live.EventPage.objects.filter(pk=event_id).first()
    return live.attendance_payload(event) if event is not None else None


async def _compute(event_id):
    attendance = await database_sync_to_async(_attendance_of)(event_id)
    if attendance is None:
        raise LookupError(event_id)
    return attendance


_coalescers = weakref.WeakKeyDictionary()


def coalescer():
    """The coalescer of the running event loop (one per process in production)."""
    loop = asyncio.get_running_loop()
    if loop not in _coalescers:
        _coalescers[loop] = AttendanceCoalescer(_compute)
    return _coalescers[loop]
