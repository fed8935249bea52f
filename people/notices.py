"""«Уведомления» in «Мой кабинет»: every notice the platform gave a person, newest first.

``people`` imports no domain app: each app that tells people things (campaign notices, course
reminders and assignments, mass messages) registers a source with :func:`register_source` in its
``AppConfig.ready``. A source is ``source(user, limit)`` returning at most ``limit`` :class:`Notice`
objects of that person, newest first; the section merges them.
"""

import heapq
import itertools
from dataclasses import dataclass

from django.utils.translation import gettext as _

SECTION_LIMIT = 20
_SOURCES = []


@dataclass(frozen=True)
class Notice:
    created_at: object
    text: str
    url: str = ""
    link_text: str = ""
    title: str = ""


def register_source(source):
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def notices_of(user, limit=SECTION_LIMIT):
    """The person's newest ``limit`` notices from every source, newest first."""
    streams = [source(user, limit) for source in _SOURCES]
    merged = heapq.merge(*streams, key=lambda notice: notice.created_at, reverse=True)
    return list(itertools.islice(merged, limit))


def notices_section(request):
    if not request.user.is_authenticated:
        return None
    notices = notices_of(request.user)
    if not notices:
        return None
    return {"title": _("Уведомления"), "template": "people/cabinet_notices.html", "notices": notices}
