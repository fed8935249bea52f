"""One channel-layer subscription per process and group, delivered to the process's own consumers.

With Channels' usual pattern every WebSocket consumer joins the group with its own channel, so one
``group_send`` to 3,000 open live pages becomes 3,000 messages in Redis, each popped by a round trip
of the receiving process: at one message a second that saturated the machine
(``benchmarks/live_events.py``). Here the first local consumer of a group makes the process join it
with one channel of the process's own and start a reader; each message then crosses Redis once per
process and the reader hands it to every local consumer by its type, the way Channels dispatches
(``"question.changed"`` → ``consumer.question_changed(message)``). The last consumer to leave
makes the process leave the group.

The same message object reaches every local consumer: :func:`encoded_once` lets them share the JSON
text of what they send.
"""

import asyncio
import json
import logging

from channels.layers import get_channel_layer

from .coalescer import per_loop

logger = logging.getLogger(__name__)

_ENCODED = "__encoded__"


class Feed:
    """The process's membership of one group: its channel, its reader task, its local consumers."""

    def __init__(self, layer, group):
        self.layer = layer
        self.group = group
        self.consumers = set()
        self.channel = None
        self.ready = asyncio.get_running_loop().create_future()
        self.task = None

    async def open(self):
        try:
            self.channel = await self.layer.new_channel()
            await self.layer.group_add(self.group, self.channel)
            self.task = asyncio.ensure_future(self._read())
        except BaseException as error:
            self.ready.set_exception(error)
            raise
        self.ready.set_result(None)

    async def close(self):
        if self.task is not None:
            self.task.cancel()
        if self.channel is not None:
            await self.layer.group_discard(self.group, self.channel)

    async def _read(self):
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis went away for a moment: try again rather than go deaf
                logger.exception("Could not read the broadcasts of %s", self.group)
                await asyncio.sleep(1.0)
                continue
            await self.deliver(message)

    async def deliver(self, message):
        name = message.get("type", "").replace(".", "_")
        for consumer in list(self.consumers):
            handler = getattr(consumer, name, None)
            if handler is None:
                continue
            try:
                await handler(message)
            except Exception:  # one closed socket must not keep the others waiting
                logger.exception("Could not hand %s of %s to a consumer", name, self.group)


class Hub:
    """The groups this process (event loop) is subscribed to, with their local consumers."""

    def __init__(self, layer=None):
        self.layer = layer if layer is not None else get_channel_layer()
        self.feeds = {}

    async def join(self, group, consumer):
        """Deliver the group's messages to ``consumer`` from now on (once this returns)."""
        feed = self.feeds.get(group)
        if feed is None:
            feed = self.feeds[group] = Feed(self.layer, group)
            feed.consumers.add(consumer)
            try:
                await feed.open()
            except BaseException:
                if self.feeds.get(group) is feed:
                    del self.feeds[group]
                raise
            return
        feed.consumers.add(consumer)
        await asyncio.shield(feed.ready)

    async def leave(self, group, consumer):
        feed = self.feeds.get(group)
        if feed is None:
            return
        feed.consumers.discard(consumer)
        if not feed.consumers:
            del self.feeds[group]  # a consumer joining from now on opens a fresh feed
            await feed.close()

    def consumers(self, group):
        feed = self.feeds.get(group)
        return set(feed.consumers) if feed is not None else set()


hub = per_loop(Hub)


def encoded_once(message, variant, build):
    """``json.dumps(build())``, computed once per message and variant for all local consumers.

    The texts are kept in the message dict itself (under a private key), so ``build`` should read
    the parts of the message it needs, not copy the whole dict.
    """
    cache = message.get(_ENCODED)
    if cache is not None and variant in cache:
        return cache[variant]
    text = json.dumps(build(), ensure_ascii=False)
    message.setdefault(_ENCODED, {})[variant] = text
    return text
