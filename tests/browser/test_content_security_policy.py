"""The site's pages work under its strict Content-Security-Policy: in a real browser, at desktop and at
phone size, the representative pages of every role load, run their scripts and open their WebSockets
without a single violation, and the Wagtail and Django admins work under their own policy.

The site is filled by ``demo_data`` and served by daphne (WebSockets: the live Q&A and the campaign
monitor; ``connect-src 'self'`` covers ws: to the same host). Violations are the browser's own reports
(``tests/browser/csp.py``). The header itself: ``tests/security/test_content_security_policy.py``.
"""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.models import CoursePage, LessonPage
from courses.services import enrol
from events.demo import BROADCAST_SLUG
from events.models import EventPage
from events.services import register
from people.demo import DEMO_PASSWORD
from people.models import User
from quizzes.demo import OPEN_CAMPAIGN
from quizzes.models import TestCampaign
from quizzes.services import start_campaign_sitting
from tests.browser.asgi_server import asgi_daphne_fixture, asgi_live_server_fixture  # noqa: F401

from .admin_pages import PASSWORD as ADMIN_PASSWORD
from .csp import record_violations
from .journeys import VIEWPORTS, log_in, new_context

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

LIVE_WITHIN = 10_000  # ms, for the WebSocket pages on a loaded machine


@pytest.fixture
def demo_site():
    call_command("load_plan", verbosity=0)
    call_command("demo_data", servants=10, force=True, verbosity=0)
    servant = User.objects.get(username="servant")
    course = CoursePage.objects.live().public().order_by("path").first()
    enrol(servant, course)
    lesson = LessonPage.objects.live().child_of(course).order_by("path").first()
    upcoming = (
        EventPage.objects.live()
        .filter(registration_open=True, start__gt=timezone.now())
        .order_by("start")
        .first()
    )
    register(upcoming, servant)
    campaign = TestCampaign.objects.open_now().get(title=OPEN_CAMPAIGN)  # the demo servant is in its audience
    sitting = start_campaign_sitting(servant, campaign)
    return {
        "course": course.url,
        "lesson": lesson.url,
        "upcoming": upcoming,
        "broadcast": EventPage.objects.get(slug=BROADCAST_SLUG),
        "campaign": campaign,
        "sitting": sitting,
    }


class Visitor:
    """One browser context at one size, logged in as ``username`` (or anonymous), recording violations."""

    def __init__(self, browser, server, viewport, username=None):
        self.context = new_context(browser, server, viewport)
        self.violations = record_violations(self.context)
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("pageerror", lambda error: self.errors.append(f"{self.page.url}: {error}"))
        if username:
            log_in(self.page, username, DEMO_PASSWORD, until=re.compile(r"/cabinet/$"))

    def visit(self, path, status=200):
        response = self.page.goto(path)
        assert response is not None and response.status == status, (path, response and response.status)
        self.page.wait_for_load_state("load")
        return self.page

    def close(self):
        self.context.close()


def walk_the_site(browser, server, viewport, site):
    """Every role's representative pages; returns the violations and script errors seen."""
    from playwright.sync_api import expect

    visitors = []
    try:
        anonymous = Visitor(browser, server, viewport)
        visitors.append(anonymous)
        for path in ["/", "/courses/", site["course"], "/materials/", "/events/", site["upcoming"].url]:
            anonymous.visit(path)
        anonymous.visit("/search/?q=подарок")
        anonymous.visit("/no-such-page/", status=404)

        servant = Visitor(browser, server, viewport, "servant")
        visitors.append(servant)
        servant.visit("/cabinet/")
        servant.visit(site["lesson"])
        servant.visit("/tests/")
        servant.visit(f"/tests/campaigns/{site['campaign'].pk}/")
        page = servant.visit(f"/tests/sittings/{site['sitting'].pk}/")
        expect(page.locator("#take-app")).to_be_visible()  # take.js ran and loaded the questions
        expect(page.locator("#take-loading")).to_be_hidden()
        expect(page.locator("#take-question")).not_to_be_empty()
        with page.expect_websocket() as socket:
            servant.visit(f"/events/{site['upcoming'].pk}/stream/")
        expect(page.locator("#questions[data-live='1']")).to_be_attached(timeout=LIVE_WITHIN)
        # The live Q&A socket goes to ws:// on the page's own host and port, allowed by 'self'.
        assert socket.value.url.startswith(server.url.replace("http://", "ws://") + "/"), socket.value.url

        manager = Visitor(browser, server, viewport, "region")
        visitors.append(manager)
        manager.visit("/reports/")
        manager.visit("/manage/tests/")
        page = manager.visit(f"/manage/tests/campaigns/{site['campaign'].pk}/monitor/")
        expect(page.locator("#monitor-status")).to_contain_text(
            "Обновляется автоматически", timeout=LIVE_WITHIN
        )
        page = manager.visit(f"/events/{site['broadcast'].pk}/stream/")
        expect(page.locator("#questions[data-live='1']")).to_be_attached(timeout=LIVE_WITHIN)
        expect(page.locator("#question-list li.question").first).to_be_visible()

        trainer = Visitor(browser, server, viewport, "trainer")  # the site with Wagtail's user bar
        visitors.append(trainer)
        page = trainer.visit(site["course"])
        expect(page.locator("wagtail-userbar")).to_be_attached()
        page.locator("#wagtail-userbar-trigger").click()  # in the user bar's shadow root
        expect(page.get_by_role("menu")).to_be_visible()
        return [problem for visitor in visitors for problem in visitor.violations + visitor.errors]
    finally:
        for visitor in visitors:
            visitor.close()


def test_the_site_runs_under_its_policy_without_a_violation(browser, asgi_live_server, demo_site):
    problems = []
    for name, viewport in VIEWPORTS.items():
        seen = walk_the_site(browser, asgi_live_server, viewport, demo_site)
        problems += [f"{name}: {problem}" for problem in seen]
    assert problems == [], "\n".join(problems)


def test_a_violation_would_be_seen(browser, live_server):
    """The check can fail: an inline script and an inline style put into a page are reported."""
    visitor = Visitor(browser, live_server, VIEWPORTS["desktop"])
    try:
        page = visitor.visit("/")
        page.evaluate(
            """() => {
              const script = document.createElement("script");
              script.textContent = "window.injected = true";
              document.body.append(script);
              document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
            }"""
        )
        page.wait_for_timeout(300)
        assert page.evaluate("window.injected === undefined")  # blocked
        assert any(v.startswith("script-src") for v in visitor.violations), visitor.violations
        assert any(v.startswith("style-src") for v in visitor.violations), visitor.violations
    finally:
        visitor.close()


def test_only_the_video_sites_named_in_frame_sources_may_be_framed(browser, live_server, settings):
    """frame-src: the site itself and the hosts of CSP_FRAME_SOURCES (here one), no other."""
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "DIRECTIVES": {**directives, "frame-src": [*directives["frame-src"], "https://video.example.org"]},
    }
    visitor = Visitor(browser, live_server, VIEWPORTS["desktop"])
    try:
        page = visitor.visit("/")
        page.route("https://**/*", lambda route: route.fulfill(status=200, body="<p>player</p>"))
        page.evaluate(
            """() => {
              for (const src of ["https://video.example.org/embed/1", "https://elsewhere.example.net/1"]) {
                const frame = document.createElement("iframe");
                frame.src = src;
                document.body.append(frame);
              }
            }"""
        )
        page.wait_for_timeout(500)
        blocked = [violation for violation in visitor.violations if violation.startswith("frame-src")]
        assert len(blocked) == 1 and "elsewhere.example.net" in blocked[0], visitor.violations
    finally:
        visitor.close()


# --- the admins, under their own policy --------------------------------------------------------------


@pytest.fixture
def admin_site(home_page):
    from cms.moderation import ensure_moderation
    from courses.factories import make_course, make_course_index
    from events.factories import make_event_index
    from people.factories import make_person
    from people.roles import Role

    course = make_course(make_course_index(home_page), lessons=1)
    events = make_event_index(home_page)
    ensure_moderation()
    trainer = make_person(role=Role.TRAINER, username="o.petrova", password=ADMIN_PASSWORD)
    superuser = User.objects.create_superuser("root", "root@example.org", ADMIN_PASSWORD)
    return course, events, trainer, superuser


def admin_visitor(browser, server, user, login_url):
    visitor = Visitor(browser, server, VIEWPORTS["desktop"])
    page = visitor.visit(login_url)
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(ADMIN_PASSWORD)
    page.locator("[type=submit]").click()
    page.wait_for_load_state("load")
    return visitor


def test_the_admins_work_under_their_own_policy(browser, live_server, admin_site):
    """The Wagtail admin (editor, StreamField, a chooser modal, uploads) and the Django admin run with
    inline code allowed but nothing from other sites: no violation. The API docs keep the strict policy."""
    from playwright.sync_api import expect

    course, events, trainer, superuser = admin_site
    visitors = []
    try:
        wagtail = admin_visitor(browser, live_server, trainer, "/admin/login/")
        visitors.append(wagtail)
        page = wagtail.page
        expect(page).to_have_url(re.compile(r"/admin/$"))
        wagtail.visit("/admin/pages/")
        wagtail.visit(f"/admin/pages/{course.pk}/edit/")
        expect(page.locator("#id_title")).to_have_value(course.title)
        wagtail.visit(f"/admin/pages/{course.pk}/add_subpage/")
        page = wagtail.visit("/admin/documents/")
        wagtail.visit("/admin/documents/multiple/add/")
        wagtail.visit("/admin/images/")
        page = wagtail.visit("/admin/images/multiple/add/")
        page = wagtail.visit("/admin/quizzes/import/")
        # A chooser modal (Wagtail's modal workflow runs the scripts of the HTML it fetches).
        page = wagtail.visit(f"/admin/pages/{events.pk}/add_subpage/")
        materials = page.get_by_role("region", name="Материалы")
        materials.locator("button[title='Вставить блок']").first.click()
        page.get_by_role("option", name="Документ", exact=True).click()
        materials.get_by_role("button", name="Выберите документ").click()
        chooser = page.get_by_role("dialog")
        expect(chooser.get_by_role("tab", name="Загрузка")).to_be_visible()
        chooser.get_by_role("tab", name="Загрузка").click()
        expect(chooser.get_by_label("Файл")).to_be_visible()
        page = wagtail.visit(f"/admin/pages/{course.pk}/edit/")
        # The preview panel frames the page's preview, an admin URL: frame-ancestors 'self' there.
        page.get_by_role("button", name="Переключить предварительный просмотр").click()
        preview = page.frame_locator("#w-preview-iframe")
        expect(preview.get_by_role("heading", name=course.title, level=1)).to_be_visible()

        django = admin_visitor(browser, live_server, superuser, "/django-admin/login/")
        visitors.append(django)
        expect(django.page).to_have_url(re.compile(r"/django-admin/$"))
        django.visit("/django-admin/people/user/")
        django.visit(f"/django-admin/people/user/{superuser.pk}/change/")
        page = django.visit("/api/v1/docs")
        expect(page.locator(".swagger-ui .info")).to_be_visible()
        problems = [problem for visitor in visitors for problem in visitor.violations + visitor.errors]
        assert problems == [], "\n".join(problems)
    finally:
        for visitor in visitors:
            visitor.close()
