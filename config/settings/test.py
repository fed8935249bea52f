"""Test settings: DATABASE_URL/REDIS_URL from the environment if given (CI), else SQLite in memory."""

import os
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403

# pytest-xdist runs the suite in several processes (`pytest -n 2`), each named by PYTEST_XDIST_WORKER
# (gw0, gw1…); pytest-django gives each its own test database. Everything else the processes could share
# is made per-worker here: the folders files are written to, and the Redis database.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_WORKER_SUFFIX = f"-{XDIST_WORKER}" if XDIST_WORKER else ""

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The outbox delivers into django.core.mail.outbox. (Django's test setup sets EMAIL_BACKEND to locmem, so
# mail sent through Django's API by third parties skips the outbox in tests unless a test sets it back.)
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / f"test-media{_WORKER_SUFFIX}"  # noqa: F405
SCORM_ROOT = BASE_DIR / "var" / f"test-scorm{_WORKER_SUFFIX}"  # noqa: F405
# The private folders (people/private_storage.py) default to the project's own var/exports, var/contest,
# var/consultations: tests keep out of those, and out of each other's.
REPORTS_EXPORT_ROOT = str(BASE_DIR / "var" / f"test-exports{_WORKER_SUFFIX}")  # noqa: F405
CONTEST_FILES_ROOT = str(BASE_DIR / "var" / f"test-contest{_WORKER_SUFFIX}")  # noqa: F405
CONSULTATION_FILES_ROOT = str(BASE_DIR / "var" / f"test-consultations{_WORKER_SUFFIX}")  # noqa: F405
if REDIS_URL and XDIST_WORKER:  # noqa: F405
    # Each process its own Redis database: the one REDIS_URL names for gw0, the next for gw1, and so on.
    # Channel-layer groups are named after primary keys, which every worker's database hands out again
    # (event 1 of gw0 and of gw1 would share a group).
    _redis = urlsplit(REDIS_URL)  # noqa: F405
    _redis_db = int(_redis.path.strip("/") or 0) + int(XDIST_WORKER.removeprefix("gw") or 0)
    REDIS_URL = urlunsplit(_redis._replace(path=f"/{_redis_db % 16}"))
    for _layer in CHANNEL_LAYERS.values():  # noqa: F405
        for _host in _layer.get("CONFIG", {}).get("hosts", []):
            _host["address"] = REDIS_URL
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# The login lockout is on in tests (database handler: each test's transaction takes its attempts away).
AXES_ENABLED = True
API_DOCS_PUBLIC = True  # the schemathesis run reads the schema anonymously
# A cache of each test process's own even when REDIS_URL is set (the PostgreSQL pass): tests clear the
# cache, and a Redis cache's clear() is a FLUSHDB of the channel layer's database too. (The Redis cache
# itself is tested in tests/test_redis_cache.py.)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
