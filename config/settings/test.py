"""Test settings: DATABASE_URL/REDIS_URL from the environment if given (CI), else SQLite in memory."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The outbox delivers into django.core.mail.outbox. (Django's test setup sets EMAIL_BACKEND to locmem, so
# mail sent through Django's API by third parties skips the outbox in tests unless a test sets it back.)
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
SCORM_ROOT = BASE_DIR / "var" / "test-scorm"  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# The login lockout is on in tests (database handler: each test's transaction takes its attempts away).
AXES_ENABLED = True
API_DOCS_PUBLIC = True  # the schemathesis run reads the schema anonymously
