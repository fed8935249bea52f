"""Rich text is sanitised: script, event handlers and javascript: links never reach the live page.

Editors write rich text in Draftail; the admin converts its JSON to HTML through Wagtail's whitelist
(links through ``check_url``), so whatever a (compromised) editor account posts, the page renders only
whitelisted elements. The StreamField URL fields refuse ``javascript:`` too.
"""

import json
import re

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from cms.models import HomePage, StandardPage
from people.factories import make_person

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('xss')</script>"
ONERROR = '<img src="x" onerror="alert(1)">'


def contentstate(text, url):
    """Draftail's JSON as a browser could send it, crafted: a link entity with ``url``."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "type": "unstyled",
                    "depth": 0,
                    "text": text,
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": 10, "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}},
        }
    )


@pytest.fixture
def editor(client):
    client.force_login(make_person(is_superuser=True, is_staff=True))
    return client


def publish_page(client, body, slug="xss"):
    home = HomePage.objects.get()
    data = nested_form_data(
        {
            "title": "Страница с опасным текстом",
            "slug": slug,
            "intro": "",
            "body": streamfield(body),
            "action-publish": "publish",
        }
    )
    return client.post(reverse("wagtailadmin_pages:add", args=["cms", "standardpage", home.pk]), data)


def test_script_onerror_and_javascript_links_are_not_rendered(editor):
    text = f"Ссылка тут {SCRIPT} {ONERROR}"
    response = publish_page(
        editor,
        [
            ("paragraph", contentstate(text, "javascript:alert(document.cookie)")),
            ("paragraph", contentstate("Вторая ссылка", "JaVaScRiPt:alert(2)")),
        ],
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    page = StandardPage.objects.get(slug="xss")
    assert page.live
    html = editor.get(page.url).content.decode()
    assert "Ссылка тут" in html  # the text is there…
    body = html.split('id="main"', 1)[1]
    assert "<script>alert" not in body  # …but not as markup
    assert "&lt;script&gt;" in body  # shown as text
    assert not re.search(r"<[a-z]+[^>]*\son\w+\s*=", body, re.IGNORECASE)  # no tag with an event handler
    assert "javascript:" not in body.lower()


def test_stored_body_keeps_only_whitelisted_markup(editor):
    publish_page(editor, [("paragraph", contentstate(f"Текст ссылки {SCRIPT}", "javascript:alert(1)"))])
    stored = StandardPage.objects.get(slug="xss").body.raw_data[0]["value"]
    assert "<script" not in stored
    assert "javascript:" not in stored.lower()


def test_javascript_url_in_a_legal_quote_block_is_refused(editor):
    response = publish_page(
        editor,
        [("quote", {"text": "Статья 12.1", "source": "273-ФЗ", "url": "javascript:alert(1)"})],
    )
    assert response.status_code == 200  # the editor again, with an error
    assert not StandardPage.objects.filter(slug="xss").exists()
