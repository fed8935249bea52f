"""A WebSocket lives no longer than the sign-in it was opened with: logging out closes it.

A consumer that :meth:`SessionBound.join_session` joins the group of its session (a hash of the
session key, never the key itself); Django's ``user_logged_out`` signal publishes ``session.ended`` to
that group, and every socket of the session, in whatever process, closes with code 4401 (the pages'
scripts then stop retrying and say the sign-in ended). Sockets of the same person in another browser
stay: each sign-in is its own session.
"""

import hashlib

from .hub import hub
from .publisher import publish

SESSION_ENDED = 4401


def session_group(session_key):
    return "session." + hashlib.sha256(session_key.encode()).hexdigest()[:40]


def end_session_sockets(sender, request, user, **kwargs):
    """``user_logged_out`` receiver (connected in ``CmsConfig.ready``): close the session's sockets."""
    session = getattr(request, "session", None)
    key = session.session_key if session is not None else None
    if key:
        publish(session_group(key), {"type": "session.ended"})


class SessionBound:
    """Mixin for WebSocket consumers: ``await self.join_session()`` once access is granted,
    ``await self.leave_session()`` in ``disconnect``."""

    session_group = None

    async def join_session(self):
        session = self.scope.get("session")
        key = session.session_key if session is not None else None
        if key:
            self.session_group = session_group(key)
            await hub().join(self.session_group, self)

    async def leave_session(self):
        if self.session_group is not None:
            await hub().leave(self.session_group, self)
            self.session_group = None

    async def session_ended(self, event):
        await self.close(code=SESSION_ENDED)
