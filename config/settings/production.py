"""Production: every secret and service from the environment; refuses to start without them."""

from config.env import env_bool, env_int, env_list, env_required, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    env_required("ALLOWED_HOSTS")
# Under ASGI every synchronous view runs in a thread of its own, so persistent connections mean one
# PostgreSQL connection per request in flight ("too many clients" at ~100 concurrent people; see
# docs/performance.md). A psycopg pool per server process bounds them: DB_POOL_MAX_SIZE per worker.
_pool_size = env_int("DB_POOL_MAX_SIZE", 20)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and _pool_size:  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405 (a pool and persistent connections exclude each other)
    # With a pool this makes Django pass ConnectionPool.check_connection: a pooled connection is
    # checked (an empty query) before it is handed out, so after a database restart or
    # pg_terminate_backend the dead ones are replaced instead of failing a request each
    # (benchmarks/faults.py, docs/reliability.md).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {  # noqa: F405
        "min_size": min(4, _pool_size),
        "max_size": _pool_size,
        "timeout": env_int("DB_POOL_TIMEOUT", 30),
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)  # noqa: F405

# The outbox delivers over SMTP (EMAIL_HOST, EMAIL_PORT, …; docs/deploy.md).
EMAIL_DELIVERY_BACKEND = env_str("EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

# Behind a TLS-terminating reverse proxy (nginx) that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Cookies only over HTTPS; the rest of the session and CSRF settings (HttpOnly, SameSite=Lax, a working
# day, ending at browser close) are in base.py and docs/security.md.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"  # Wagtail previews set SAMEORIGIN on their own views

STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
)

TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

# PostgreSQL full-text search with Russian stemming («подарок» finds «подарка»).
WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "russian"  # noqa: F405
