"""Publishing to a channel-layer group from sync code without making the request wait for Redis.

``async_to_sync(layer.group_send)`` in a request thread starts an event loop and a thread, opens a
Redis connection for that loop and waits for the round trip: ~11 ms per started sitting under load
(``docs/performance.md``), in a thread that should be serving the next person. :func:`publish` puts
the message on a queue and returns; one daemon thread per process sends the queue in order over one
long-lived event loop (so one set of Redis connections). Messages marked ``coalesce=True`` ("campaign
N changed") are merged with an identical one still waiting, so a burst of 3,000 starts sends a
handful of notices, not 3,000. The thread waits :data:`BATCH_WINDOW` after the first message of a
batch to let a burst gather.

The in-memory channel layer (development, tests) lives inside one event loop and is not thread-safe:
with it, :func:`publish` sends inline, as before. A notice lost when a process dies is harmless:
monitors and live pages recompute from the database on the next one and on reconnect.
"""

import asyncio
import logging
import os
import queue
import threading

from channels.layers import InMemoryChannelLayer, get_channel_layer

logger = logging.getLogger(__name__)

BATCH_WINDOW = 0.05  # seconds the thread lets a burst gather before sending it


class Publisher:
    """A queue of ``(group, message, coalesce)`` and the thread that sends it to ``layer``."""

    def __init__(self, layer, batch_window=BATCH_WINDOW):
        self.layer = layer
        self.batch_window = batch_window
        self.queue = queue.SimpleQueue()
        self.sent = 0
        self._thread = None
        self._loop = None
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()

    def publish(self, group, message, *, coalesce=False):
        self._idle.clear()
        self.queue.put((group, message, coalesce))
        self._ensure_thread()

    def wait_idle(self, timeout=None):
        """Block until everything published so far has been sent (tests, shutdown)."""
        return self._idle.wait(timeout)

    def _ensure_thread(self):
        if self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="broadcast-publisher", daemon=True)
                self._thread.start()

    def _run(self):
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        while True:
            batch = [self.queue.get()]
            if self.batch_window:
                threading.Event().wait(self.batch_window)
            while True:
                try:
                    batch.append(self.queue.get_nowait())
                except queue.Empty:
                    break
            self._loop.run_until_complete(self.send_batch(batch))
            if self.queue.empty():
                self._idle.set()

    async def send_batch(self, batch):
        for group, message in merge(batch):
            try:
                await self.layer.group_send(group, message)
            except Exception:  # a live page must never break what published to it
                logger.exception("Could not publish %s to %s", message.get("type"), group)
            else:
                self.sent += 1


def merge(batch):
    """The batch in order, each coalescible message kept only at its first place per group and type."""
    seen = set()
    merged = []
    for group, message, coalesce in batch:
        if coalesce:
            key = (group, message.get("type"))
            if key in seen:
                continue
            seen.add(key)
        merged.append((group, message))
    return merged


_publishers = {}
_publishers_lock = threading.Lock()


def publisher_for(layer):
    """The process's publisher of ``layer`` (a fresh one after a fork: threads do not survive it)."""
    key = (os.getpid(), id(layer))
    with _publishers_lock:
        found = _publishers.get(key)
        if found is None or found.layer is not layer:
            found = _publishers[key] = Publisher(layer)
        return found


def wait_until_sent(timeout=5.0):
    """Block until every publisher of this process has sent what it was given (tests)."""
    with _publishers_lock:
        mine = [found for (pid, _layer), found in _publishers.items() if pid == os.getpid()]
    return all(found.wait_idle(timeout) for found in mine)


def publish(group, message, *, coalesce=False):
    """Send ``message`` to the channel-layer ``group`` soon, without waiting (sync code only).

    ``coalesce=True`` for pure change notices whose repeats mean nothing more. Errors are logged,
    never raised: publishing must not break the check-in, the start or the question that caused it.
    """
    layer = get_channel_layer()
    if layer is None:
        return
    if isinstance(layer, InMemoryChannelLayer):
        from asgiref.sync import async_to_sync

        try:
            async_to_sync(layer.group_send)(group, message)
        except Exception:
            logger.exception("Could not publish %s to %s", message.get("type"), group)
        return
    publisher_for(layer).publish(group, message, coalesce=coalesce)
