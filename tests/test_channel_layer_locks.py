"""A receive lock of the Redis channel layer left behind by one event loop does not break the next
(``tests.channel_layer_locks``, used after every test by the root conftest)."""

import asyncio

import pytest
from channels.layers import InMemoryChannelLayer
from channels_redis.core import RedisChannelLayer

from tests.channel_layer_locks import forget_idle_receive_locks

KEY = "asgi:specific.test!"


def layer():
    return RedisChannelLayer(hosts=["redis://127.0.0.1:6379/15"])  # never connects: only its locks are used


def leave_a_lock_behind(locks):
    """In an event loop of its own, as a test does: a receive waits for the lock and is cancelled."""

    async def scenario():
        await locks.acquire(KEY)
        waiting = asyncio.ensure_future(locks.acquire(KEY))
        await asyncio.sleep(0)  # it waits, which binds the lock to this loop
        waiting.cancel()
        await asyncio.gather(waiting, return_exceptions=True)
        locks.release(KEY)

    asyncio.run(scenario())


def contend(locks):
    """In a new event loop: two receives want the lock at once."""

    async def scenario():
        await locks.acquire(KEY)
        second = asyncio.ensure_future(locks.acquire(KEY))
        await asyncio.sleep(0)
        locks.release(KEY)
        await second
        locks.release(KEY)

    asyncio.run(scenario())


def test_without_it_the_lock_left_behind_breaks_the_next_loop():
    redis = layer()
    leave_a_lock_behind(redis.receive_clean_locks)
    with pytest.raises(RuntimeError, match="bound to a different event loop"):
        contend(redis.receive_clean_locks)


def test_the_idle_lock_is_forgotten_and_the_next_loop_makes_its_own():
    redis = layer()
    leave_a_lock_behind(redis.receive_clean_locks)
    assert forget_idle_receive_locks(redis) == 1
    contend(redis.receive_clean_locks)
    assert not redis.receive_clean_locks.locks  # and released, nothing left over this time


def test_a_lock_still_held_is_left_alone():
    redis = layer()

    async def hold():
        await redis.receive_clean_locks.acquire(KEY)

    asyncio.run(hold())
    assert forget_idle_receive_locks(redis) == 0
    assert redis.receive_clean_locks.locked(KEY)


def test_other_layers_are_left_alone():
    assert forget_idle_receive_locks(InMemoryChannelLayer()) == 0
    assert forget_idle_receive_locks(None) == 0
