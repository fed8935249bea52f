"""Fuzz every page, form and query parameter of the site with hostile values: never a 500.

The demo region (what `make run` shows) is crawled as each kind of person, from their start pages,
following links on the site (not the admins, which are Wagtail's and Django's own). For every page:

* each query parameter the page's view *reads* (recorded while the page is served, by watching
  ``request.GET``) and each field of its GET forms is sent with every hostile value in turn;
* each POST form on the page is submitted with every field set to each hostile value in turn.

Any answer of 500 and above is a failure. The values are the ones that broke pages before: a NUL
character (PostgreSQL refuses it in text), ids past 64 bits, dates at the end of the calendar,
numbers past every column's range, lone quotes, Unicode digits that ``isdigit()`` accepts and
``int()`` does not. CI runs this on SQLite and on PostgreSQL.
"""

import contextlib
import threading
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.test import Client
from django.urls import resolve

from people.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HOSTILE = [
    "\x00",
    "9" * 25,
    "-1",
    "0",
    "9999-12-31",
    "0001-01-01",
    '"',
    "²",
    "1e1000000",
    "NaN",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "я" * 5000,
]
# Where each kind of person starts; the crawl follows links from there.
START_PAGES = {
    "servant": ["/", "/cabinet/", "/tests/", "/courses/", "/events/", "/search/?q=коррупция"],
    "obninsk": ["/", "/cabinet/", "/reports/", "/manage/tests/", "/courses/manage/overdue/"],
    "region": ["/", "/reports/", "/manage/tests/", "/reports/exports/jobs/", "/reports/exports/audit/"],
    "organizer": ["/", "/events/"],
}
# Links the crawl does not follow: the admins (Wagtail's and Django's own forms), leaving the site,
# and the files (downloads are fuzzed through their forms and parameters like any page).
SKIP_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/", "/documents/", "/api/v1/docs")
SKIP_ACTIONS = ("/logout/", "/password_change/", "/password-change/")
MAX_PAGES = 120


class _Page(HTMLParser):
    """Links and forms (method, action, field names with their first value) of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms = [], []
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": {},
            }
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea", "button") and self._form is not None:
            name = attrs.get("name")
            if name and attrs.get("type") not in ("submit", "image", "reset"):
                self._form["fields"].setdefault(name, attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def parse(html):
    page = _Page()
    page.feed(html)
    return page


_reads = threading.local()


@contextlib.contextmanager
def recording_query_reads():
    """Yield a set that collects the names of the query parameters views read through QueryDict."""
    originals = {name: getattr(QueryDict, name) for name in ("get", "__getitem__", "getlist", "__contains__")}

    def watch(name):
        original = originals[name]

        def method(self, key, *args, **kwargs):
            names = getattr(_reads, "names", None)
            if names is not None and isinstance(key, str):
                names.add(key)
            return original(self, key, *args, **kwargs)

        return method

    _reads.names = set()
    for name in originals:
        setattr(QueryDict, name, watch(name))
    try:
        yield _reads.names
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)
        _reads.names = None


def local(url, base):
    """The site path of a link, or None for anything we do not crawl."""
    absolute = urljoin(base, url)
    parts = urlsplit(absolute)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not parts.path.startswith("/") or parts.path.startswith(SKIP_PREFIXES):
        return None
    if parts.path.endswith(SKIP_ACTIONS):
        return None
    return path


def is_html(response):
    return response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")


def route_of(path):
    """The URL pattern of a site path (None for a CMS page: its kind is known only once served)."""
    match = resolve(urlsplit(path).path)
    return None if match.url_name == "wagtail_serve" else match.route


def kind_of(path, response):
    """Pages of one kind are fuzzed once: the same URL pattern, or for CMS pages the same page type
    and sub-route (the 26 municipalities' pages, every sort order of a table: one kind each)."""
    route = route_of(path)
    if route is not None:
        return route
    page = response.context.get("page") if response.context is not None else None
    if page is None:
        return urlsplit(path).path
    return f"cms:{type(page).__name__}:{urlsplit(path).path.removeprefix(page.url or '')}"


def crawl(client, starts):
    """``{path: (query names read, forms)}``: one page of each kind reachable from ``starts``."""
    seen, kinds, queue, pages = set(), set(), list(starts), {}
    while queue and len(pages) < MAX_PAGES:
        plain = queue.pop(0).split("#")[0]
        if plain in seen or route_of(plain) in kinds:
            continue
        seen.add(plain)
        with recording_query_reads() as names:
            response = client.get(plain)
        assert response.status_code < 500, f"{plain}: {response.status_code} on a plain visit"
        if not is_html(response):
            continue
        kind = kind_of(plain, response)
        if kind in kinds:
            continue
        kinds.add(kind)
        page = parse(response.content.decode())
        pages[plain] = (set(names), page.forms)
        for link in page.links:
            target = local(link, plain)
            if target and target.split("#")[0] not in seen:
                queue.append(target)
    return pages


def fuzz(client, pages):
    failures, forms_done = [], set()

    def check(method, path, response):
        if response.status_code >= 500:
            failures.append(f"{method} {path[:200]!r}: {response.status_code}")

    for path, (names, forms) in pages.items():
        base = path.split("?")[0]
        query_names = set(names)
        for form in forms:
            if form["method"] == "get":
                query_names |= set(form["fields"])
        for name in sorted(query_names):
            for value in HOSTILE:
                target = f"{base}?{urlencode({name: value})}"
                check("GET", target, client.get(target))
        for form in forms:
            action = local(form["action"] or path, path) if form["method"] == "post" else None
            signature = (action and urlsplit(action).path, tuple(sorted(form["fields"])))
            if action is None or signature in forms_done:
                continue
            forms_done.add(signature)
            for value in HOSTILE:
                data = {name: value for name in form["fields"] if name != "csrfmiddlewaretoken"}
                check("POST", f"{action} {sorted(data)}", client.post(action, data))
    return failures


@pytest.fixture(scope="module")
def demo_region(django_db_setup, django_db_blocker):
    """The demo region, built once for the module's tests in a transaction that is rolled back after
    them. Each test runs inside it in its own savepoint (pytest-django's test transaction), so what one
    test's hostile POSTs change is gone before the next starts: each sees the region as built."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_region", stdout=StringIO())
        call_command("load_plan", stdout=StringIO(), stderr=StringIO())
        call_command("demo_data", servants=10, force=True, verbosity=0, stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("username", list(START_PAGES))
def test_no_hostile_value_in_any_form_or_parameter_gives_a_500(demo_region, username):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    pages = crawl(client, START_PAGES[username])
    assert len(pages) >= 5, sorted(pages)
    failures = fuzz(client, pages)
    assert not failures, f"{len(failures)} answers of 500 and above:\n" + "\n".join(failures[:60])


def test_anonymous_visitors_too(demo_region):
    client = Client(raise_request_exception=False)
    pages = crawl(client, ["/", "/courses/", "/events/", "/materials/", "/search/?q=план", "/login/"])
    assert len(pages) >= 5, sorted(pages)
    failures = fuzz(client, pages)
    assert not failures, f"{len(failures)} answers of 500 and above:\n" + "\n".join(failures[:60])
