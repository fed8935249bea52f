"""Certificates: numbers and codes, the PDF (real text, issuer, signatory, QR code) and the PNG,
downloads for the owner only. The public verification page: ``test_verification.py``."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from PIL import Image
from pypdf import PdfReader

from courses import codes
from courses.certificates import QR_BORDER, QR_SCALE, SIZE, qr_code, render_pdf, render_png
from courses.factories import make_course
from courses.models import Certificate
from courses.models.certificates import add_months
from courses.services import issue_certificate

pytestmark = pytest.mark.django_db

PUBLIC = "https://learn.example.ru"
CODE_SHAPE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.SITE_URL = PUBLIC


@pytest.fixture
def certificate(servant):
    course = make_course(title="Основы противодействия коррупции", certificate_validity_months=12)
    return issue_certificate(servant, course, now=datetime.datetime(2025, 3, 15, 9, tzinfo=datetime.UTC))


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def qr_modules(content):
    """The QR symbol embedded in the PDF, read back module by module from the image itself (dark = 1),
    without its quiet zone."""
    (page,) = PdfReader(io.BytesIO(content)).pages
    (embedded,) = page.images
    image = embedded.image.convert("L")
    assert image.width == image.height and image.width % QR_SCALE == 0
    count = image.width // QR_SCALE - 2 * QR_BORDER
    return tuple(
        bytearray(
            int(
                image.getpixel(
                    (
                        (QR_BORDER + col) * QR_SCALE + QR_SCALE // 2,
                        (QR_BORDER + row) * QR_SCALE + QR_SCALE // 2,
                    )
                )
                < 128
            )
            for col in range(count)
        )
        for row in range(count)
    )


def test_numbers_follow_the_year_and_codes_are_random(servant):
    course = make_course()
    when = datetime.datetime(2024, 6, 1, 12, tzinfo=datetime.UTC)
    first = issue_certificate(servant, course, now=when)
    second = issue_certificate(servant, course, now=when)
    assert (first.number, second.number) == ("АК-2024-000001", "АК-2024-000002")
    assert issue_certificate(servant, course, now=when.replace(year=2025)).number == "АК-2025-000001"
    assert first.code != second.code
    for code in (first.code, second.code):
        assert CODE_SHAPE.fullmatch(code), code
        assert codes.normalize(code) == code  # stored as printed, and its check character holds


def test_validity_counts_calendar_months():
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2024, 11, 15), 36) == datetime.date(2027, 11, 15)


def test_the_pdf_is_one_landscape_page_of_real_text(certificate):
    content = render_pdf(certificate)
    reader = PdfReader(io.BytesIO(content))
    (page,) = reader.pages
    assert page.mediabox.width > page.mediabox.height  # A4 landscape
    assert reader.metadata.title == f"Сертификат № {certificate.number}"
    text = " ".join(pdf_text(content).split())
    for expected in (
        "СЕРТИФИКАТ",
        "Петров Павел Игоревич",
        "«Основы противодействия коррупции»",
        "в объёме 8 академических часов",
        f"Номер: {certificate.number}",
        "Дата выдачи: 15 марта 2025 г.",
        "Действителен до: 15 марта 2026 г.",
        f"Код проверки: {certificate.code}",
        f"{PUBLIC}/certificates/verify/{certificate.code}/",
        f"код проверки на странице {PUBLIC}/certificates/verify/",  # where a code can be typed
        "Уполномоченный орган Калужской области по профилактике коррупционных и иных правонарушений",
        "Руководитель уполномоченного органа",
    ):
        assert expected in text, expected
    assert "Страница" not in text  # a certificate has no page numbers
    assert "localhost" not in text and "127.0.0.1" not in text


def test_the_qr_code_leads_to_the_public_verification_page(certificate):
    url = f"{PUBLIC}/certificates/verify/{certificate.code}/"
    content = render_pdf(certificate)
    try:
        import zxingcpp  # a decoder, when one is installed
    except ImportError:
        zxingcpp = None
    if zxingcpp is not None:
        (page,) = PdfReader(io.BytesIO(content)).pages
        assert [result.text for result in zxingcpp.read_barcodes(page.images[0].image)] == [url]
    # Without a decoder: the symbol drawn is exactly the one that encodes the address.
    assert qr_modules(content) == qr_code(url).matrix
    assert qr_modules(content) != qr_code(f"{PUBLIC}/certificates/verify/").matrix


def test_the_issuer_and_the_signatory_come_from_the_settings(settings, certificate):
    settings.CERTIFICATE_ISSUER = "Администрация Губернатора Калужской области"
    settings.CERTIFICATE_SIGNATORY_POSITION = "Начальник управления"
    settings.CERTIFICATE_SIGNATORY_NAME = "И. И. Иванов"
    text = " ".join(pdf_text(render_pdf(certificate)).split())
    assert "Администрация Губернатора Калужской области" in text
    assert "Начальник управления" in text
    assert "И. И. Иванов" in text
    assert "фамилия, инициалы" not in text  # the blank for a handwritten name only without one


def test_without_a_validity_the_certificate_says_it_is_unlimited(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=None)
    certificate.refresh_from_db()
    text = " ".join(pdf_text(render_pdf(certificate)).split())
    assert "Срок действия: не ограничен" in text
    assert "Действителен до" not in text


def test_long_names_and_titles_stay_on_the_one_page(certificate):
    certificate.holder_name = "Константинопольская-Римская Александра-Мария Вячеславовна-Эммануиловна " * 3
    certificate.course_title = "Очень длинное название курса " * 40
    certificate.hours = Decimal("1.5")
    content = render_pdf(certificate)
    assert len(PdfReader(io.BytesIO(content)).pages) == 1
    text = " ".join(pdf_text(content).split())
    assert "…»" in text  # the title is cut, and its closing quote stays
    assert "в объёме 1,5 академического часа" in text
    assert f"Код проверки: {certificate.code}" in text


def test_png_is_a4_landscape_at_150_dpi(certificate):
    image = Image.open(io.BytesIO(render_png(certificate)))
    assert image.format == "PNG"
    assert image.size == SIZE == (1754, 1240)
    # Something was drawn: the page is not blank white.
    assert image.convert("L").getextrema()[0] < 100


def test_owner_downloads_png_and_pdf(client, servant, certificate):
    client.force_login(servant)
    png = client.get(certificate.get_absolute_url())
    assert png.status_code == 200
    assert png["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).size == (1754, 1240)
    pdf = client.get(certificate.get_pdf_url())
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "Петров Павел Игоревич" in pdf_text(pdf.content)


def test_the_cabinet_and_the_course_page_offer_the_pdf(client, servant, certificate):
    from courses.models import Enrollment

    Enrollment.objects.create(
        user=servant, course=certificate.course, completed_at=certificate.issued_at, certificate=certificate
    )
    client.force_login(servant)
    for url in ("/cabinet/", certificate.course.url):
        html = client.get(url).content.decode()
        assert f'href="{certificate.get_pdf_url()}"' in html, url
        assert "Скачать сертификат (PDF)" in html, url


def test_another_servant_gets_404(client, other_servant, certificate):
    client.force_login(other_servant)
    assert client.get(certificate.get_absolute_url()).status_code == 404
    assert client.get(certificate.get_pdf_url()).status_code == 404


def test_anonymous_is_sent_to_login(client, certificate):
    response = client.get(certificate.get_absolute_url())
    assert response.status_code == 302
    assert "/login/" in response["Location"]


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
    from courses.certificates import hours_phrase

    assert hours_phrase(Decimal(hours)) == phrase
