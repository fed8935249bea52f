"""Content-Security-Policy: the strict policy on every page of the site, the admins' own policy, and
templates without inline scripts, styles or event handlers for that policy to block.

The browser side (no violation on real pages, the live WebSockets included) is in
``tests/browser/test_content_security_policy.py``.
"""

import base64
import datetime
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import include, path
from django.utils import timezone
from wagtail.embeds import embeds
from wagtail.embeds.models import Embed

from cms.blocks import ExternalMediaBlock
from courses.factories import make_course
from events.factories import make_event
from events.models import EventPage
from events.services import register
from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from quizzes.factories import make_campaign, make_municipal_audience, make_quiz, make_single_choice
from quizzes.services import start_campaign_sitting
from tests.test_settings import run_manage

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"
STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]


def directives(response):
    """The policy of a response as {directive: sources}; fails if the header is missing."""
    assert HEADER in response, f"no {HEADER} on {response.status_code} {getattr(response, 'url', '')}"
    policy = {}
    for part in response[HEADER].split(";"):
        name, _, sources = part.strip().partition(" ")
        policy[name] = sources.strip()
    return policy


def assert_strict(response):
    assert directives(response) == STRICT, response[HEADER]


# --- fixtures: one municipality with a servant, a running campaign, an event and the managers ------------


@pytest.fixture
def place():
    municipality = make_municipality("Город Обнинск")
    return municipality, make_organization(municipality, "Администрация города Обнинска")


@pytest.fixture
def servant(place):
    return make_person(place[1])


@pytest.fixture
def campaign(place):
    quiz = make_quiz([make_single_choice()])
    now = timezone.now()
    return make_campaign(
        quiz,
        make_municipal_audience(place[0]),
        now - datetime.timedelta(days=1),
        now + datetime.timedelta(days=7),
    )


@pytest.fixture
def broadcast():
    """An online seminar under way: its stream page has the live Q&A."""
    return make_event(
        start=timezone.now() - datetime.timedelta(minutes=10),
        format=EventPage.Format.ONLINE,
        broadcast_url="https://vks.example.org/antikor",
    )


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


# --- the site's pages ----------------------------------------------------------------------------------


def test_public_pages_send_the_strict_policy(client, broadcast):
    course = make_course(lessons=1)
    for url in ["/", "/login/", "/search/?q=подарок", course.url, broadcast.url, "/password/reset/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


def test_servant_pages_send_the_strict_policy(servant, campaign, broadcast):
    client = client_of(servant)
    register(broadcast, servant, now=timezone.now() - datetime.timedelta(hours=1))
    sitting = start_campaign_sitting(servant, campaign)
    urls = [
        "/cabinet/",
        "/tests/",
        f"/tests/campaigns/{campaign.pk}/",
        f"/tests/sittings/{sitting.pk}/",
        f"/tests/sittings/{sitting.pk}/?plain=1",
        f"/events/{broadcast.pk}/stream/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


def test_manager_pages_send_the_strict_policy(place, campaign):
    for manager in (make_municipal_manager(place[0]), make_regional_manager()):
        client = client_of(manager)
        for url in ["/reports/", "/manage/tests/", f"/manage/tests/campaigns/{campaign.pk}/monitor/"]:
            response = client.get(url)
            assert response.status_code == 200, url
            assert_strict(response)


def test_the_api_sends_the_strict_policy_too(servant, campaign):
    response = client_of(servant).get("/api/v1/tests/campaigns")
    assert response.status_code == 200
    assert_strict(response)


def test_the_api_docs_work_under_the_strict_policy(client):
    """Django Ninja's Swagger UI is served from static files with its settings as JSON: no inline code."""
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert_strict(response)


# --- error pages --------------------------------------------------------------------------------------


def fail_with_403(request):
    raise PermissionDenied


def fail_with_400(request):
    raise SuspiciousOperation("test")


def fail_with_500(request):
    raise RuntimeError("test")


urlpatterns = [
    path("csp-test/403/", fail_with_403),
    path("csp-test/400/", fail_with_400),
    path("csp-test/500/", fail_with_500),
    path("", include("config.urls")),
]


def style_hash(html):
    """The CSP hash source of the page's one <style> block."""
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(styles) == 1, styles
    digest = hashlib.sha256(styles[0].encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def test_404_and_403_pages_send_the_strict_policy(client, servant):
    response = client.get("/no-such-page/at-all/")
    assert response.status_code == 404
    assert_strict(response)
    response = client_of(servant).get("/reports/")  # a servant on a manager page
    assert response.status_code == 403
    assert "Доступ запрещён" in response.content.decode()
    assert_strict(response)


@pytest.mark.urls(__name__)
def test_a_permission_denied_page_sends_the_strict_policy(client):
    response = client.get("/csp-test/403/")
    assert response.status_code == 403
    assert_strict(response)


def test_the_csrf_failure_page_sends_the_strict_policy(servant):
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Форма устарела" in response.content.decode()
    assert_strict(response)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("status", [400, 500])
def test_the_standalone_error_pages_allow_only_their_own_style(status):
    """400 and 500 render without a request or static files, so their few styles are inline: the policy
    allows exactly that <style> block by its hash (``config.csp.STANDALONE_ERROR_STYLE``), and nothing
    else is relaxed."""
    response = Client(raise_request_exception=False).get(f"/csp-test/{status}/")
    assert response.status_code == status
    policy = directives(response)
    own_style = style_hash(response.content.decode())
    assert policy["style-src"] == f"'self' {own_style}", (
        f"errors/standalone.html changed: set STANDALONE_ERROR_STYLE in config/csp.py to {own_style}"
    )
    assert {**policy, "style-src": "'self'"} == STRICT


def test_other_pages_do_not_get_the_error_pages_style(client):
    assert "sha256" not in client.get("/").headers[HEADER]


# --- the admins ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/admin/login/", "/django-admin/login/"])
def test_the_admins_have_their_own_policy(client, url):
    """Inline scripts and styles (the admins need them), nothing from other sites, no framing by them."""
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response)
    assert policy == {
        **STRICT,
        "script-src": "'self' 'unsafe-inline'",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "frame-ancestors": "'self'",
    }


def test_the_admin_policy_is_only_for_the_admin_prefixes(client):
    """A site path that merely starts like an admin path gets the strict policy."""
    response = client.get("/administration-guide/")
    assert response.status_code == 404
    assert_strict(response)


def test_the_admin_on_a_logged_in_page(place):
    staff = make_regional_manager()
    response = client_of(staff).get("/admin/")
    assert response.status_code == 200
    assert "'unsafe-inline'" in directives(response)["script-src"]


def test_a_wagtail_preview_may_be_framed_by_the_site_itself(rf):
    """The editor's preview panel frames the page rendered through the middleware for its own URL: that
    response may be framed by the site (frame-ancestors 'self'), the rest of the policy is the site's."""
    course = make_course()
    response = course.make_preview_request(rf.get("/admin/"))
    assert response.status_code == 200
    assert directives(response) == {**STRICT, "frame-ancestors": "'self'"}


def test_the_same_page_served_normally_may_not_be_framed(client):
    course = make_course()
    assert directives(client.get(course.url))["frame-ancestors"] == "'none'"


# --- frames: the hosts of CSP_FRAME_SOURCES -----------------------------------------------------------


def test_frame_sources_come_from_the_environment(tmp_path):
    code = (
        "from django.conf import settings; d = settings.CONTENT_SECURITY_POLICY['DIRECTIVES'];"
        "a = settings.CONTENT_SECURITY_POLICY_ADMIN['DIRECTIVES']; print(d['frame-src'], a['frame-src'])"
    )
    result = run_manage(
        "shell",
        "-c",
        code,
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "CSP_FRAME_SOURCES": "https://rutube.ru, https://vk.com",
        },
    )
    assert result.returncode == 0, result.stderr
    expected = "[\"'self'\", 'https://rutube.ru', 'https://vk.com']"
    assert result.stdout.strip().splitlines()[-1] == f"{expected} {expected}"


def test_without_frame_sources_only_the_site_itself_may_be_framed(settings):
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"] == ["'self'"]


def test_the_policy_passes_django_csp_checks():
    result = run_manage(
        "check", "--tag", "security", env_overrides={"DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- templates: nothing inline for the policy to block -------------------------------------------------

INLINE_PATTERNS = {
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "<style> block": re.compile(r"<style[\s>]", re.I),
    "inline <script>": re.compile(
        r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", re.I
    ),
    "event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}
# The two error pages rendered without static files; their <style> is allowed by hash (config/csp.py).
ALLOWED_INLINE = {("templates/errors/standalone.html", "<style> block")}


def site_templates():
    for folder in TEMPLATE_DIRS:
        yield from sorted(folder.rglob("*.html"))


def test_site_templates_have_no_inline_scripts_styles_or_handlers():
    found = []
    for template in site_templates():
        name = str(template.relative_to(ROOT))
        text = template.read_text(encoding="utf-8")
        text = re.sub(r"{#.*?#}|{% comment %}.*?{% endcomment %}", "", text, flags=re.S)
        for what, pattern in INLINE_PATTERNS.items():
            if (name, what) in ALLOWED_INLINE:
                continue
            found += [f"{name}: {what}: {match.group(0)!r}" for match in pattern.finditer(text)]
    assert found == [], "\n".join(found)


def test_the_template_scan_finds_what_it_looks_for():
    samples = [
        '<div style="color: red">',
        "<style>p {}</style>",
        "<script>alert(1)</script>",
        '<button onclick="go()">',
        '<a href="javascript:go()">',
    ]
    for sample, (what, pattern) in zip(samples, INLINE_PATTERNS.items(), strict=True):
        assert pattern.search(sample), what
    assert not INLINE_PATTERNS["inline <script>"].search('<script src="/static/x.js"></script>')
    assert not INLINE_PATTERNS["inline <script>"].search('<script type="application/json" id="x">')
    assert not INLINE_PATTERNS["event handler attribute"].search('<a data-online="1" class="x">')
    assert not INLINE_PATTERNS["event handler attribute"].search("{% with one=1 %}")


# --- the external video block: its shape without a style attribute -------------------------------------

VIDEO_URL = "https://video.example.org/watch/1"


def cached_video(width, height):
    """The external video block's value with the player in Wagtail's embed cache, as after a page save."""
    block = ExternalMediaBlock()
    value = block.to_python(VIDEO_URL)
    Embed.objects.create(
        url=VIDEO_URL,
        hash=embeds.get_embed_hash(VIDEO_URL, value.max_width, value.max_height),
        type="video",
        html=f'<iframe src="https://video.example.org/embed/1" width="{width}" height="{height}"></iframe>',
        width=width,
        height=height,
        title="Видео",
    )
    return block, value


@pytest.mark.parametrize(
    ("width", "height", "ratio"),
    [
        (1280, 720, "16x9"),
        (640, 480, "4x3"),
        (600, 400, "3x2"),
        (500, 500, "1x1"),
        (720, 1280, "9x16"),
        (1000, 414, "21x9"),
        (560, 315, "16x9"),
        (400, 290, "4x3"),
    ],
)
def test_a_responsive_video_keeps_its_shape_by_class_not_style(settings, width, height, ratio):
    settings.WAGTAILEMBEDS_RESPONSIVE_HTML = True
    block, value = cached_video(width, height)
    html = block.render(value)
    assert "style=" not in html
    assert f'<div class="responsive-object responsive-object--{ratio}"><iframe' in html


def test_a_video_not_made_responsive_is_shown_as_the_provider_sent_it(settings):
    settings.WAGTAILEMBEDS_RESPONSIVE_HTML = False
    block, value = cached_video(1280, 720)
    html = block.render(value)
    assert "style=" not in html and "responsive-object" not in html
    assert '<div><iframe src="https://video.example.org/embed/1"' in html
