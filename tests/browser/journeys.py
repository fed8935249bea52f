"""What the browser journeys through the site itself (not the Wagtail admin: see ``admin_pages``) share:
the people's password, the two screen sizes, a fresh tab at a screen size, what a tab asked for outside
the site or was refused, signing in through the site's login form, and whether a page scrolls sideways."""

from .admin_pages import PASSWORD as PASSWORD  # the same people sign in to the admin

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


def new_context(browser, server, viewport=DESKTOP, **options):
    """A new Russian-locale browser context at ``viewport`` whose relative URLs go to ``server`` (the
    live server), waiting 15 seconds at the most; ``options`` go to ``browser.new_context`` as they are.
    The caller closes it."""
    context = browser.new_context(base_url=server.url, locale="ru-RU", viewport=viewport, **options)
    context.set_default_timeout(15_000)
    return context


def new_page(browser, server, viewport=DESKTOP):
    """``new_context`` and a tab in it: ``(context, page)``. The caller closes the context."""
    context = new_context(browser, server, viewport)
    return context, context.new_page()


def record_requests(page, server):
    """Record every request ``page`` makes in ``page.foreign_requests`` when it leaves ``server`` (the live
    server), and in ``page.failed_responses`` (status, URL) when it is answered 4xx/5xx, so that a test can
    assert the site loads nothing from outside and nothing is missing (stylesheet, favicon). Returns
    ``page``."""
    page.foreign_requests = []
    page.failed_responses = []
    own_origin = server.url.rstrip("/")

    def on_request(request):
        if not request.url.startswith(own_origin) and not request.url.startswith("data:"):
            page.foreign_requests.append(request.url)

    def on_response(response):
        if response.status >= 400:
            page.failed_responses.append((response.status, response.url))

    page.on("request", on_request)
    page.on("response", on_response)
    return page


def log_in(page, login, password=PASSWORD, until="**/cabinet/"):
    """Sign in through the site's form at /login/ and wait for the cabinet (``until``: a glob, a regular
    expression or a predicate, as ``page.wait_for_url`` takes). ``login`` is a user (signs in with the
    username) or the text typed into «Логин или email» (a username or an e-mail address)."""
    page.goto("/login/")
    page.get_by_label("Логин или email").fill(getattr(login, "username", login))
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(until)


def no_sideways_scroll(page, slack=0):
    """Whether the page itself does not scroll sideways (wide tables scroll in their own box): its width
    is at most the window's, give or take ``slack`` pixels of rounding."""
    return page.evaluate("slack => document.documentElement.scrollWidth <= window.innerWidth + slack", slack)
