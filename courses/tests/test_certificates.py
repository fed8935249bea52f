"""Certificates: numbers, the PNG and PDF, downloads for the owner only, public verification."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from courses.certificates import SIZE, render_pdf, render_png
from courses.factories import make_course
from courses.models import Certificate
from courses.models.certificates import add_months
from courses.services import issue_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(servant):
    course = make_course(title="Основы противодействия коррупции", certificate_validity_months=12)
    return issue_certificate(servant, course)


def test_numbers_follow_the_year_and_codes_are_random(servant):
    course = make_course()
    when = datetime.datetime(2024, 6, 1, 12, tzinfo=datetime.UTC)
    first = issue_certificate(servant, course, now=when)
    second = issue_certificate(servant, course, now=when)
    assert (first.number, second.number) == ("АК-2024-000001", "АК-2024-000002")
    assert issue_certificate(servant, course, now=when.replace(year=2025)).number == "АК-2025-000001"
    assert first.code != second.code
    assert len(first.code) >= 16


def test_validity_counts_calendar_months():
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2024, 11, 15), 36) == datetime.date(2027, 11, 15)


def test_png_is_a4_landscape_at_150_dpi(certificate):
    image = Image.open(io.BytesIO(render_png(certificate, "https://example.org/certificates/verify/x/")))
    assert image.format == "PNG"
    assert image.size == SIZE == (1754, 1240)
    # Something was drawn: the page is not blank white.
    assert image.convert("L").getextrema()[0] < 100


def test_pdf_is_a_pdf(certificate):
    assert render_pdf(certificate, "https://example.org/").startswith(b"%PDF")


def test_owner_downloads_png_and_pdf(client, servant, certificate):
    client.force_login(servant)
    png = client.get(certificate.get_absolute_url())
    assert png.status_code == 200
    assert png["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).size == (1754, 1240)
    pdf = client.get(certificate.get_pdf_url())
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_another_servant_gets_404(client, other_servant, certificate):
    client.force_login(other_servant)
    assert client.get(certificate.get_absolute_url()).status_code == 404
    assert client.get(certificate.get_pdf_url()).status_code == 404


def test_anonymous_is_sent_to_login(client, certificate):
    response = client.get(certificate.get_absolute_url())
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_verification_page_shows_the_holder_and_course(client, certificate):
    html = client.get(certificate.get_verify_url()).content.decode()
    assert "Петров Павел Игоревич" in html
    assert certificate.number in html
    assert "Основы противодействия коррупции" in html
    assert "Сертификат действителен" in html
    assert certificate.user.email not in html


def test_expired_certificate_says_so(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert "Срок действия сертификата истёк" in client.get(certificate.get_verify_url()).content.decode()


def test_wrong_code_is_404(client, certificate):
    assert client.get("/certificates/verify/not-a-real-code/").status_code == 404
    assert client.get(f"/certificates/verify/{certificate.code[:-1]}/").status_code == 404


@pytest.mark.parametrize(
    ("hours", "phrase"),
    [
        ("8", "в объёме 8 академических часов"),
        ("21", "в объёме 21 академического часа"),
        ("11", "в объёме 11 академических часов"),
        ("1.5", "в объёме 1,5 академического часа"),
    ],
)
def test_hours_phrase(hours, phrase):
    from decimal import Decimal

    from courses.certificates import hours_phrase

    assert hours_phrase(Decimal(hours)) == phrase
