"""Every absolute link names the public address (SITE_URL): the calendar files and the certificates
served through a request to another host name, and the Wagtail Site, which migrate keeps at SITE_URL."""

import io

import pytest
from django.db.models.signals import post_migrate
from django.urls import reverse
from pypdf import PdfReader
from wagtail.models import Site

from cms.site_setup import ensure_home_page, migrated, sync_site_address
from courses.factories import make_course
from courses.services import issue_certificate
from events.factories import make_event
from people.factories import make_person
from people.links import public_hostname, public_page_url, public_url

pytestmark = pytest.mark.django_db

PUBLIC = "https://learn.example.ru"


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.SITE_URL = PUBLIC
    return PUBLIC


def test_the_public_address_builds_links():
    event = make_event()
    assert public_url(reverse("login")) == f"{PUBLIC}/login/"
    assert public_page_url(event) == f"{PUBLIC}{event.url}"
    assert public_hostname() == "learn.example.ru"


def test_calendar_files_name_the_public_address_whatever_host_was_asked(client):
    event = make_event(title="Семинар")
    for url in (f"/events/{event.pk}/event.ics", "/events/upcoming.ics"):
        text = client.get(url, HTTP_HOST="localhost").content.decode()
        assert f"URL:{PUBLIC}{event.url}" in text.replace("\r\n ", "")
        assert f"UID:event-{event.pk}@learn.example.ru" in text
        assert "localhost" not in text and "127.0.0.1" not in text


@pytest.mark.parametrize("kind", ["png", "pdf"])
def test_certificates_print_the_public_verification_address(client, monkeypatch, kind):
    import courses.certificates

    person = make_person(password="Пароль-для-входа-1")
    certificate = issue_certificate(person, make_course(title="Основы"))
    seen = []
    original = courses.certificates.qr_png
    monkeypatch.setattr(
        courses.certificates, "qr_png", lambda url, **kw: seen.append(url) or original(url, **kw)
    )
    client.force_login(person)
    response = client.get(
        reverse(f"courses:certificate_{kind}", args=[certificate.number]), HTTP_HOST="localhost"
    )
    assert response.status_code == 200
    assert seen == [f"{PUBLIC}/certificates/verify/{certificate.code}/"]  # the QR code's content
    if kind == "pdf":
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        assert f"{PUBLIC}/certificates/verify/{certificate.code}/" in text
        assert "localhost" not in text and "127.0.0.1" not in text


def test_migrate_keeps_the_wagtail_site_at_the_public_address():
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", 80
    site.save()
    assert any(entry[0][0] == "cms_sync_site_address" for entry in post_migrate.receivers)  # connected
    migrated(sender=None)
    site.refresh_from_db()
    assert (site.hostname, site.port, site.root_url) == ("learn.example.ru", 443, PUBLIC)
    event = make_event()
    assert event.get_full_url() == public_page_url(event)  # Wagtail's own links (admin, notifications)
    assert sync_site_address() is False  # nothing left to change


def test_a_rebuilt_site_starts_at_the_public_address(settings):
    settings.SITE_URL = "http://127.0.0.1:9000"
    Site.objects.all().delete()
    ensure_home_page()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("127.0.0.1", 9000, "http://127.0.0.1:9000")
