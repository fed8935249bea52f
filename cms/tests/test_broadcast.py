"""The live-update plumbing: one group membership per process, queued publishing, coalescing.

The hub tests run on Channels' in-memory layer and, when ``REDIS_URL`` is set (CI), on a real
Redis layer, where they also count the group's members in Redis.
"""

import asyncio
import os
import threading
import time

import pytest
from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer

from cms.broadcast import Coalescer, encoded_once, publish
from cms.broadcast.hub import Hub
from cms.broadcast.publisher import Publisher, merge, publisher_for

REDIS_URL = os.environ.get("REDIS_URL")


class Listener:
    def __init__(self, fail=False):
        self.received = []
        self.fail = fail

    async def item_changed(self, message):
        if self.fail:
            raise RuntimeError("socket closed")
        self.received.append(message["n"])


def layers():
    made = [pytest.param(InMemoryChannelLayer, id="in-memory")]
    if REDIS_URL:
        made.append(pytest.param("redis", id="redis"))
    return made


def make_layer(kind):
    if kind == "redis":
        from channels_redis.core import RedisChannelLayer

        return RedisChannelLayer(hosts=[REDIS_URL], prefix=f"asgi-test-{os.getpid()}-{time.monotonic_ns()}")
    return kind()


async def members(layer, group):
    """The channels in the group, as the layer stores them (Redis: a sorted set)."""
    if isinstance(layer, InMemoryChannelLayer):
        return len(layer.groups.get(group, {}))
    connection = layer.connection(layer.consistent_hash(group))
    return await connection.zcard(layer._group_key(group))


async def until(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


@pytest.mark.parametrize("kind", layers())
def test_one_membership_per_process_and_every_local_consumer_gets_each_message(kind):
    async def scenario():
        layer = make_layer(kind)
        hub = Hub(layer)
        listeners = [Listener() for _ in range(50)]
        await asyncio.gather(*(hub.join("live.g", listener) for listener in listeners))
        assert await members(layer, "live.g") == 1

        for n in range(3):
            await layer.group_send("live.g", {"type": "item.changed", "n": n})
        await until(lambda: all(len(listener.received) == 3 for listener in listeners))
        assert {tuple(listener.received) for listener in listeners} == {(0, 1, 2)}

        for listener in listeners[:-1]:
            await hub.leave("live.g", listener)
        assert await members(layer, "live.g") == 1  # one page still open here
        await hub.leave("live.g", listeners[-1])
        assert await members(layer, "live.g") == 0
        assert hub.feeds == {}

    async_to_sync(scenario)()


def test_a_failing_consumer_does_not_keep_the_others_from_their_messages():
    async def scenario():
        layer = InMemoryChannelLayer()
        hub = Hub(layer)
        broken, healthy = Listener(fail=True), Listener()
        await hub.join("live.g", broken)
        await hub.join("live.g", healthy)
        await layer.group_send("live.g", {"type": "item.changed", "n": 7})
        await until(lambda: healthy.received == [7])
        await hub.leave("live.g", broken)
        await hub.leave("live.g", healthy)

    async_to_sync(scenario)()


def test_a_consumer_joining_after_the_last_left_gets_a_fresh_subscription():
    async def scenario():
        layer = InMemoryChannelLayer()
        hub = Hub(layer)
        first, second = Listener(), Listener()
        await hub.join("live.g", first)
        await hub.leave("live.g", first)
        await hub.join("live.g", second)
        await layer.group_send("live.g", {"type": "item.changed", "n": 1})
        await until(lambda: second.received == [1])
        assert first.received == []
        await hub.leave("live.g", second)

    async_to_sync(scenario)()


def test_encoded_once_builds_each_variant_once_and_keeps_it_out_of_the_payload():
    message = {"type": "x", "total": 3}
    calls = []

    def build():
        calls.append(1)
        return {"kind": "a", **{key: value for key, value in message.items() if key == "total"}}

    assert encoded_once(message, "a", build) == '{"kind": "a", "total": 3}'
    assert encoded_once(message, "a", build) == '{"kind": "a", "total": 3}'
    assert len(calls) == 1
    assert encoded_once(message, "b", lambda: {"type": "b"}) == '{"type": "b"}'


def test_merge_keeps_the_order_and_drops_repeated_notices_only():
    batch = [
        ("g1", {"type": "changed"}, True),
        ("g1", {"type": "question", "n": 1}, False),
        ("g1", {"type": "changed"}, True),
        ("g2", {"type": "changed"}, True),
        ("g1", {"type": "question", "n": 1}, False),
    ]
    assert merge(batch) == [
        ("g1", {"type": "changed"}),
        ("g1", {"type": "question", "n": 1}),
        ("g2", {"type": "changed"}),
        ("g1", {"type": "question", "n": 1}),
    ]


class RecordingLayer:
    """Records group sends; the first one blocks until released, so a burst queues behind it."""

    def __init__(self):
        self.sent = []
        self.threads = set()
        self.release = threading.Event()

    async def group_send(self, group, message):
        self.threads.add(threading.current_thread().name)
        if not self.sent:
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 5)
        self.sent.append((group, message["type"]))


def test_the_publisher_sends_from_its_own_thread_and_merges_a_burst_of_notices():
    layer = RecordingLayer()
    publisher = Publisher(layer, batch_window=0)
    started = time.perf_counter()
    publisher.publish("campaign.1", {"type": "first"})
    for _ in range(1000):
        publisher.publish("campaign.1", {"type": "campaign.changed"}, coalesce=True)
    publisher.publish("campaign.1", {"type": "question.changed"})
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0  # the caller never waited for the (blocked) layer
    layer.release.set()
    assert publisher.wait_idle(5)
    assert layer.sent == [
        ("campaign.1", "first"),
        ("campaign.1", "campaign.changed"),
        ("campaign.1", "question.changed"),
    ]
    assert layer.threads == {"broadcast-publisher"}


def test_a_failed_send_is_logged_and_the_publisher_goes_on(caplog):
    class FlakyLayer:
        def __init__(self):
            self.sent = []

        async def group_send(self, group, message):
            if message["type"] == "boom":
                raise ConnectionError("redis is away")
            self.sent.append(message["type"])

    layer = FlakyLayer()
    publisher = Publisher(layer, batch_window=0)
    publisher.publish("g", {"type": "boom"})
    assert publisher.wait_idle(5)
    publisher.publish("g", {"type": "fine"})
    assert publisher.wait_idle(5)
    assert layer.sent == ["fine"]
    assert "Could not publish boom to g" in caplog.text


def test_one_publisher_per_process_and_layer():
    layer = RecordingLayer()
    assert publisher_for(layer) is publisher_for(layer)
    assert publisher_for(RecordingLayer()) is not publisher_for(layer)


def test_publish_goes_inline_on_the_in_memory_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    from channels.layers import channel_layers

    channel_layers.backends.pop("default", None)
    try:
        layer = channel_layers["default"]

        async def join():
            await layer.group_add("g", "specific.inmemory!test")

        async_to_sync(join)()
        publish("g", {"type": "hello"})

        async def receive():
            return await layer.receive("specific.inmemory!test")

        assert async_to_sync(receive)() == {"type": "hello"}
    finally:
        channel_layers.backends.pop("default", None)


def test_the_coalescer_merges_notices_into_one_computation_per_interval():
    class Subscriber:
        def __init__(self):
            self.got = []

        async def ready(self, value):
            self.got.append(value)

    async def scenario():
        computed = []

        async def compute(key):
            computed.append(key)
            return len(computed)

        coalescer = Coalescer(compute, deliver="ready", interval=0.2)
        subscribers = [Subscriber(), Subscriber()]
        for subscriber in subscribers:
            coalescer.subscribe("k", subscriber)
        for _ in range(100):
            coalescer.mark_dirty("k")
        await asyncio.sleep(0.05)
        for _ in range(100):
            coalescer.mark_dirty("k")
        await asyncio.sleep(0.4)
        assert computed == ["k", "k"]  # the first at once, the rest merged into the next round
        assert [subscriber.got for subscriber in subscribers] == [[1, 2], [1, 2]]
        coalescer.mark_dirty("nobody-watches")
        assert coalescer.computations == {"k": 2}

    async_to_sync(scenario)()
