"""Per-test hygiene of the Redis channel layer: forget its receive locks that outlived their event loop.

The suite runs every asynchronous test in an event loop of its own (``async_to_sync``), while the
channel layer is one object per process. channels_redis keeps a lock per receiving channel
(``RedisChannelLayer.receive_clean_locks``, a ``ChannelLock``) and drops it when nobody waits for it
any more, counting the waiters itself. A receive cancelled while it waited for the lock (a consumer
disconnecting as a message is being read) is never taken off that count (channels_redis 4.3.0,
``ChannelLock.acquire``), so the lock stays in the layer, bound to the loop in which it once had to
wait. In a later test, in another loop, the first contended acquire of that lock then fails with
«<asyncio.locks.Lock …> is bound to a different event loop», and every WebSocket test of the process
after it fails the same way (seen in CI, PostgreSQL + Redis pass).

A server has one event loop per process for its whole life, where the leftover lock is harmless. In
tests, a lock nobody holds, with nobody waiting on it, is forgotten after each test: the next acquire
makes a new one in the loop that needs it. A lock still held (the session-wide ASGI live server's
loop may be reading) is left alone.
"""


def forget_idle_receive_locks(layer):
    """Drop the idle locks of ``layer``'s receiving channels; how many were dropped (0 for layers other
    than channels_redis's)."""
    locks = getattr(layer, "receive_clean_locks", None)
    if locks is None:
        return 0
    idle = [key for key, lock in list(locks.locks.items()) if not lock.locked() and not lock._waiters]
    for key in idle:
        locks.locks.pop(key, None)
        locks.wait_counts.pop(key, None)
    return len(idle)
