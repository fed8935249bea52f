"""Production settings plus the one knob a benchmark run may turn, from the environment.

``BENCH_DB_POOL=N`` replaces per-request PostgreSQL connections by a psycopg pool of at most ``N``
connections per server process (Django 5.1+ ``OPTIONS["pool"]``). Without it these are exactly the
production settings.
"""

from config.env import env_int
from config.settings.production import *  # noqa: F403

_pool_size = env_int("BENCH_DB_POOL", 0)
if _pool_size:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405 (pooling and persistent connections exclude each other)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405 (the pool checks connections, as in production)
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {  # noqa: F405
        "min_size": min(4, _pool_size),
        "max_size": _pool_size,
        "timeout": 120,
    }
