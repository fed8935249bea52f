"""iCalendar (RFC 5545) text for events, written by hand: it is a small, line-based format.

Content lines end in CRLF and are folded so that no physical line exceeds 75 octets (a continuation
starts with one space, and a multi-byte character is never cut). TEXT values escape backslash,
semicolon, comma and newlines. Times are written in UTC (``19700101T000000Z``), so no VTIMEZONE is
needed.
"""

import datetime
import html
import re

from django.utils import timezone
from django.utils.html import strip_tags

from people.links import public_hostname, public_page_url

CRLF = "\r\n"
MAX_LINE_OCTETS = 75
PRODID = "-//Antikor Learn//Events//RU"


def escape_text(value):
    """Escape a TEXT value (RFC 5545, 3.3.11)."""
    value = str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return re.sub(r"\r\n|\r|\n", "\\\\n", value)


def fold(line):
    """Split a content line into physical lines of at most 75 octets, never inside a UTF-8 character."""
    segments, current, size, limit = [], [], 0, MAX_LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            segments.append("".join(current))
            # A continuation line starts with a space, which takes one of its 75 octets.
            current, size, limit = [], 0, MAX_LINE_OCTETS - 1
        current.append(char)
        size += width
    segments.append("".join(current))
    return (CRLF + " ").join(segments)


def format_utc(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def plain_text(rich_text):
    """Rich text as plain lines: paragraphs and list items on lines of their own, no tags."""
    text = re.sub(r"(?i)<br\s*/?>|</(p|li|h[1-6])>", "\n", rich_text or "")
    lines = (" ".join(line.split()) for line in html.unescape(strip_tags(text)).splitlines())
    return "\n".join(line for line in lines if line)


def _property(name, value):
    return fold(f"{name}:{value}")


def _text_property(name, value):
    return _property(name, escape_text(value))


def event_lines(event, request=None, now=None):
    # Links and UIDs name the public address (SITE_URL), whatever host the request came to.
    url = public_page_url(event)
    # The broadcast link stays off the calendar: it is shown to participants on the stream page only.
    parts = (event.audience_text, plain_text(event.agenda))
    description = "\n\n".join(part for part in parts if part)
    lines = [
        "BEGIN:VEVENT",
        _property("UID", f"event-{event.pk}@{public_hostname()}"),
        _property("DTSTAMP", format_utc(now or timezone.now())),
        _property("DTSTART", format_utc(event.start)),
        _property("DTEND", format_utc(event.end)),
        _text_property("SUMMARY", event.title),
    ]
    location = event.venue or (event.get_format_display() if event.has_broadcast else "")
    if location:
        lines.append(_text_property("LOCATION", location))
    if description:
        lines.append(_text_property("DESCRIPTION", description))
    if url:
        lines.append(_property("URL", url))
    if event.last_published_at:
        lines.append(_property("LAST-MODIFIED", format_utc(event.last_published_at)))
    lines += ["STATUS:CONFIRMED", "END:VEVENT"]
    return lines


def calendar(events, name, request=None, now=None):
    """A VCALENDAR with one VEVENT per event, as a string with CRLF line endings."""
    now = now or timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        _property("PRODID", PRODID),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        _text_property("X-WR-CALNAME", name),
    ]
    for event in events:
        lines += event_lines(event, request=request, now=now)
    lines.append("END:VCALENDAR")
    return CRLF.join(lines) + CRLF
