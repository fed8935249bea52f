"""At most one recomputation per key and interval, delivered to the local subscribers of that key."""

import asyncio
import logging
import weakref
from collections import Counter, defaultdict

logger = logging.getLogger(__name__)

INTERVAL = 1.0  # seconds between two computations of one key in one process


class Coalescer:
    """Recomputes each watched key at most once per ``interval`` and feeds the local subscribers.

    Subscribers ``subscribe``/``unsubscribe`` and call ``mark_dirty`` on every change notice. The
    first notice after a quiet interval is served at once; the next ones wait for the end of the
    interval and are merged into one computation. ``compute(key)`` is a coroutine function; its result
    goes to ``await getattr(subscriber, deliver)(result)`` of each subscriber of the key.
    ``computations`` counts the computations run, per key.

    One per event loop (see :func:`per_loop`), so with several workers each computes on its own, at
    most once per interval per key it has a page open for, however many changes there are.
    """

    def __init__(self, compute, deliver, interval=INTERVAL):
        self.compute = compute
        self.deliver = deliver
        self.interval = interval
        self.subscribers = defaultdict(set)
        self.computations = Counter()
        self._last = {}
        self._pending = {}
        self._tasks = set()

    def subscribe(self, key, subscriber):
        self.subscribers[key].add(subscriber)

    def unsubscribe(self, key, subscriber):
        watchers = self.subscribers.get(key)
        if watchers is None:
            return
        watchers.discard(subscriber)
        if not watchers:
            del self.subscribers[key]
            handle = self._pending.pop(key, None)
            if handle is not None:
                handle.cancel()

    def mark_dirty(self, key):
        if key in self._pending or not self.subscribers.get(key):
            return  # already due, or nobody here watches it
        loop = asyncio.get_running_loop()
        last = self._last.get(key)
        delay = 0.0 if last is None else max(0.0, last + self.interval - loop.time())
        self._pending[key] = loop.call_later(delay, self._start, key)

    def _start(self, key):
        task = asyncio.ensure_future(self._recompute(key))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _recompute(self, key):
        self._pending.pop(key, None)  # notices from now on schedule the next round
        self._last[key] = asyncio.get_running_loop().time()
        try:
            result = await self.compute(key)
        except Exception:
            logger.exception("Could not recompute %s", key)
            return
        self.computations[key] += 1
        for subscriber in list(self.subscribers.get(key, ())):
            try:
                await getattr(subscriber, self.deliver)(result)
            except Exception:  # one closed socket must not keep the others waiting
                logger.exception("Could not deliver %s", key)


def per_loop(factory):
    """A function returning the running event loop's own instance of ``factory()`` (one per process
    in production; tests each run their own loop, so nothing leaks from one test into the next)."""
    instances = weakref.WeakKeyDictionary()

    def instance():
        loop = asyncio.get_running_loop()
        if loop not in instances:
            instances[loop] = factory()
        return instances[loop]

    return instance
