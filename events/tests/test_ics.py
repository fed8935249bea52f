"""iCalendar output, parsed back by a small reader that follows RFC 5545 (unfolding, unescaping)."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone

from events import ics
from events.factories import make_event

pytestmark = pytest.mark.django_db


def physical_lines(raw):
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b""), "a bare LF"
    assert b"\r" not in raw.replace(b"\r\n", b""), "a bare CR"
    return raw[:-2].split(b"\r\n")


def unescape(value):
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse(raw):
    """VEVENTs as dicts of property name → value (TEXT values unescaped)."""
    lines = physical_lines(raw)
    for line in lines:
        assert len(line) <= 75, line
    text = b"\r\n".join(lines).decode("utf-8")
    unfolded = text.replace("\r\n ", "").split("\r\n")
    calendar, events, current = {}, [], None
    for line in unfolded:
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current[name] = unescape(value)
        else:
            calendar.setdefault(name, []).append(value)
    return calendar, events


def utc(value):
    return datetime.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.UTC)


def test_escape_text():
    assert ics.escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_fold_keeps_lines_within_75_octets_and_never_cuts_a_character():
    line = "SUMMARY:" + "Противодействие коррупции — " * 10
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert folded.replace("\r\n ", "") == line
    assert ics.fold("SUMMARY:short") == "SUMMARY:short"


def test_fold_at_exactly_75_octets():
    exact = "X" * 75
    assert ics.fold(exact) == exact
    assert ics.fold(exact + "Y") == exact + "\r\n Y"


def test_event_ics(client):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    title = "Семинар: сведения о доходах, расходах; имуществе \\ обязательствах — для кадровых служб " * 2
    event = make_event(
        start=start,
        title=title.strip(),
        venue="г. Калуга, ул. Ленина, д. 1; зал №2",
        audience_text="Кадровые службы,\nюристы",
        agenda="<p>Первый вопрос, второй</p><ul><li>Пункт &amp; ещё</li></ul>",
        broadcast_url="https://vks.example/secret-room",
    )
    response = client.get(f"/events/{event.pk}/event.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar, events = parse(response.content)
    assert calendar["VERSION"] == ["2.0"]
    assert calendar["PRODID"] == [ics.PRODID]
    assert calendar["BEGIN"] == ["VCALENDAR"] and calendar["END"] == ["VCALENDAR"]
    [vevent] = events
    assert vevent["SUMMARY"] == title.strip()
    assert vevent["LOCATION"] == "г. Калуга, ул. Ленина, д. 1; зал №2"
    assert vevent["DESCRIPTION"] == "Кадровые службы,\nюристы\n\nПервый вопрос, второй\nПункт & ещё"
    assert utc(vevent["DTSTART"]) == start
    assert utc(vevent["DTEND"]) == event.end
    assert abs(utc(vevent["DTSTAMP"]) - timezone.now()) < datetime.timedelta(minutes=1)
    # The public address (SITE_URL), not the Wagtail Site's or the request's host.
    assert vevent["UID"] == f"event-{event.pk}@{urlsplit(settings.SITE_URL).hostname}"
    assert vevent["URL"] == f"{settings.SITE_URL}{event.url}"
    assert "secret-room" not in response.content.decode()


def test_upcoming_feed_lists_live_public_events_that_have_not_ended(client):
    now = timezone.now()
    later = make_event(start=now + datetime.timedelta(days=5))
    sooner = make_event(start=now + datetime.timedelta(days=1))
    make_event(start=now - datetime.timedelta(days=5))
    draft = make_event(start=now + datetime.timedelta(days=2))
    draft.unpublish()
    response = client.get("/events/upcoming.ics")
    assert response.status_code == 200
    _, events = parse(response.content)
    host = urlsplit(settings.SITE_URL).hostname
    assert [e["UID"] for e in events] == [f"event-{sooner.pk}@{host}", f"event-{later.pk}@{host}"]
    assert len({e["UID"] for e in events}) == len(events)


def test_draft_event_has_no_ics(client):
    event = make_event()
    event.unpublish()
    assert client.get(f"/events/{event.pk}/event.ics").status_code == 404
    assert client.get("/events/999999/event.ics").status_code == 404
