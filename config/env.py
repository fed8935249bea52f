"""Reading settings from environment variables.

Settings modules call these helpers; nothing else in the project reads ``os.environ``.
"""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}


def env_str(name, default=None):
    return os.environ.get(name, default)


def env_required(name):
    """Return the variable or stop with a message naming it."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"Environment variable {name} is required in production; see .env.example."
        )
    return value


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in TRUE_WORDS


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_pairs(name, default=""):
    """``key=value`` entries separated by ``;`` or new lines, as a list of ``(key, value)`` pairs.

    The value is what follows the **last** ``=``, so a key may itself hold ``=`` (an LDAP group DN:
    ``cn=lms-trainers,ou=groups,dc=example,dc=ru=trainer``). Spaces around keys and values are dropped,
    empty entries skipped; an entry without ``=`` or with an empty side stops the start with a message
    naming the variable (a mapping silently half-read would sign people in with the wrong roles).
    """
    value = os.environ.get(name)
    if value is None:
        value = default
    pairs = []
    for entry in value.replace("\n", ";").split(";"):
        entry = entry.strip()
        if not entry:
            continue
        key, sep, target = entry.rpartition("=")
        key, target = key.strip(), target.strip()
        if not sep or not key or not target:
            raise ImproperlyConfigured(
                f"Environment variable {name}: the entry {entry!r} is not of the form key=value "
                "(entries are separated by ';'); see docs/deploy.md."
            )
        pairs.append((key, target))
    return pairs
