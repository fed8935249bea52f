"""Development and demo: SQLite, in-memory channel layer, console email, DEBUG on."""

from config.env import env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", True)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
