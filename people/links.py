"""The public address of the site: the one source of every absolute link.

Mails are written outside any request (a task, a command), ``.ics`` files and certificates are kept
and printed: their links must name the address people reach the site at, never the host a request
happened to come in on or the ``localhost`` of a default Wagtail Site. That address is ``SITE_URL``.
"""

from urllib.parse import urlsplit

from django.conf import settings


def public_url(path="/"):
    """``SITE_URL`` followed by ``path`` (an absolute path such as ``reverse(...)`` returns)."""
    if not path.startswith("/"):
        path = "/" + path
    return settings.SITE_URL.rstrip("/") + path


def public_page_url(page):
    """The full public address of a Wagtail page, or ``None`` for a page no site routes to."""
    parts = page.get_url_parts()
    if parts is None:
        return None
    _site_id, _root_url, page_path = parts
    return public_url(page_path)


def public_hostname():
    """The host name of the public address (for e-mail Message-IDs and iCalendar UIDs)."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"
