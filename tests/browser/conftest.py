"""Playwright against pytest-django's live server, driving Debian's chromium (never a downloaded browser).

The browser comes from ``CHROMIUM_PATH`` or ``chromium`` on the PATH. Without one, browser tests are
skipped, unless ``REQUIRE_BROWSER=1`` (CI), when they fail.
"""

import contextlib
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS_DIR = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"


def chromium_executable():
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium_path():
    executable = chromium_executable()
    if executable and Path(executable).is_file():
        return executable
    reason = "chromium not found (set CHROMIUM_PATH or install Debian's chromium)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@contextlib.contextmanager
def async_unsafe_allowed():
    """Playwright's sync API keeps an asyncio event loop running in this thread while it is open; the
    test still talks to the database synchronously, which Django refuses inside a running loop unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set. Set it only while a browser is open: left set, it would leak into
    subprocesses of other tests (``check --deploy`` fails on it)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(chromium_path):
    """One chromium per test module. Module scope, not session: while Playwright is open its event loop
    runs in the main thread, and later non-browser tests (async_to_sync in the ASGI tests) would break."""
    from playwright.sync_api import sync_playwright

    with async_unsafe_allowed(), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh Russian-locale tab at desktop size whose relative URLs go to the live server.

    Every request the page makes is recorded in ``page.foreign_requests`` when it leaves the live server,
    and in ``page.failed_responses`` when it answers 4xx/5xx (``journeys.record_requests``), so a test can
    assert the shell loads nothing from outside and nothing is missing (stylesheet, favicon).
    """
    from .journeys import new_page, record_requests

    context, page = new_page(browser, live_server)
    yield record_requests(page, live_server)
    context.close()


@pytest.fixture
def screenshot():
    """``screenshot(page, "name")`` saves docs/screenshots/name.png, only when SCREENSHOTS=1."""

    def save(page, name):
        if os.environ.get("SCREENSHOTS") != "1":
            return None
        SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS_DIR / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        return target

    return save


@pytest.fixture
def home_page(transactional_db):
    """The site's home page. The cms data migration creates it, but a transactional test that ran
    earlier in the session (its teardown flushes every table) may have removed the whole page tree;
    then build the same minimal tree again: locale, root, home page, default site."""
    from django.conf import settings
    from wagtail.models import Locale, Page, Site

    from cms.models import HomePage

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site.root_page.specific
    locale = Locale.objects.first() or Locale.objects.create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", locale=locale))
    home = root.add_child(instance=HomePage(title=settings.WAGTAIL_SITE_NAME, slug="home", locale=locale))
    Site.objects.create(
        hostname="localhost", root_page=home, is_default_site=True, site_name=settings.WAGTAIL_SITE_NAME
    )
    return home
