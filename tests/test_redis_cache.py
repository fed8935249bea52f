"""The Redis cache of production (``config.cache``): Django's cache, with one Redis client per pool."""

import os
import uuid

import pytest
import redis

from config.cache import SharedClientRedisCache

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


@pytest.fixture
def cache():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis at " + REDIS_URL)
    cache = SharedClientRedisCache(REDIS_URL, {"KEY_PREFIX": f"test-cache-{uuid.uuid4().hex}"})
    yield cache
    cache.delete_many(["session", "counter", "gone"])


def test_it_behaves_as_djangos_redis_cache(cache):
    cache.set("session", {"_auth_user_id": "5"}, 60)
    assert cache.get("session") == {"_auth_user_id": "5"}
    assert cache.add("counter", 1, 60) and cache.incr("counter") == 2
    cache.set("gone", 1, 60)
    cache.delete("gone")
    assert cache.get("gone", "нет") == "нет"


def test_one_client_serves_every_call(cache):
    client = cache._cache.get_client("session")
    assert cache._cache.get_client("counter", write=True) is client


DEAD_REDIS = {
    "default": {
        "BACKEND": "config.cache.SharedClientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.mark.django_db
def test_sessions_keep_working_while_the_cache_is_down():
    """config.sessions: with Redis down, a signed-in request reads its session from the database, and a
    session that cannot be forgotten by the cache is not silently kept there."""
    from django.test import override_settings

    from config.sessions import SessionStore

    with override_settings(CACHES=DEAD_REDIS, SESSION_ENGINE="config.sessions"):
        store = SessionStore()
        store["_auth_user_id"] = "5"
        store.save()  # the database has it; the cache's failure is logged (Django's own save)
        again = SessionStore(store.session_key)
        assert again["_auth_user_id"] == "5"
        assert again.exists(store.session_key)
        with pytest.raises(redis.ConnectionError):
            again.delete()
