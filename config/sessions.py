"""Sessions read from the shared cache and written through to the database (Django's ``cached_db``),
which keep working while the cache is down.

Django's ``cached_db`` already treats a failed cache read as a miss, but then stores what it read from
the database in the cache without catching a failure, and asks the cache whether a key exists: with
Redis down or restarting, every signed-in request would be a 500. Here a cache that does not answer is a
miss: the database answers, a little slower. Deleting a session (sign-out) still fails loudly when the
cache cannot forget it, since the cache's copy would otherwise keep the session alive.
"""

import logging

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # the cache is down (or the key invalid): the database answers
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        try:
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        except Exception:
            logger.warning("The session could not be copied to the cache (%s)", self._cache, exc_info=True)
        return data

    def exists(self, session_key):
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:
            logger.warning("The cache could not be asked for a session (%s)", self._cache, exc_info=True)
        return DatabaseStore.exists(self, session_key)
