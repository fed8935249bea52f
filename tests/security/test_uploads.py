"""Uploads are checked by content and size, and what is served back is never run by the browser."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from people.factories import make_person, make_regional_manager
from quizzes.importing import xlsx as question_xlsx

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
JS = b"alert(document.cookie);"


@pytest.fixture
def editor(client, media):
    user = make_person(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def upload_document(client, name, content):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": name,
            "file": ContentFile(content, name=name),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def upload_image(client, name, content):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": name,
            "file": ContentFile(content, name=name),
            "collection": Collection.get_first_root_node().pk,
        },
    )


# --- documents -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("prikaz.html", HTML),
        ("prikaz.htm", HTML),
        ("schema.svg", SVG),
        ("script.js", JS),
        ("page.xhtml", HTML),
        ("run.sh", b"#!/bin/sh\nrm -rf /\n"),
        ("index.php", b"<?php system($_GET['c']); ?>"),
    ],
)
def test_document_with_an_active_extension_is_refused(client, editor, name, content):
    response = upload_document(client, name, content)
    assert response.status_code == 200  # the form again, with an error
    assert not get_document_model().objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "inline"),
    [
        ("prikaz.txt", HTML, False),  # HTML disguised as text
        ("prikaz.docx", HTML, False),
        ("prikaz.pdf", HTML, True),  # HTML disguised as PDF: PDF is the one inline type
    ],
)
def test_disguised_document_is_never_rendered_as_html(client, editor, name, content, inline):
    response = upload_document(client, name, content)
    assert response.status_code == 302, response.content[:500]
    document = get_document_model().objects.get()
    served = client.get(document.url)
    assert served.status_code == 200
    assert "html" not in served["Content-Type"]
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "default-src 'none'"  # no script runs even inline
    disposition = served["Content-Disposition"]
    assert disposition.startswith("inline" if inline else "attachment")


def test_documents_are_served_by_django_not_from_media(settings, client, editor):
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    upload_document(client, "plan.txt", b"plan")
    document = get_document_model().objects.get()
    assert document.url.startswith("/documents/")
    assert not document.url.startswith(settings.MEDIA_URL)


def test_only_pdf_is_inline(settings):
    assert settings.WAGTAILDOCS_INLINE_CONTENT_TYPES == ["application/pdf"]
    assert not {"html", "htm", "svg", "js", "xhtml", "xml"} & set(settings.WAGTAILDOCS_EXTENSIONS)


def test_oversized_document_is_refused(client, editor, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    response = upload_document(client, "big.txt", b"x" * 2048)
    assert response.status_code == 200
    assert "слишком" in response.content.decode() or "big" in response.content.decode()
    assert not get_document_model().objects.exists()


# --- images --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [("photo.png", HTML), ("photo.jpg", JS), ("logo.svg", SVG)],
)
def test_image_that_is_not_a_raster_picture_is_refused(client, editor, name, content):
    response = upload_image(client, name, content)
    assert response.status_code == 200
    assert not get_image_model().objects.exists()


def test_image_with_picture_magic_but_broken_body_is_refused_not_a_500(client, editor):
    response = upload_image(client, "photo.gif", b"GIF89a" + HTML)
    assert response.status_code == 200
    assert not get_image_model().objects.exists()


def test_real_picture_is_accepted(client, editor):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    response = upload_image(client, "photo.png", buffer.getvalue())
    assert response.status_code in (200, 302)
    image = get_image_model().objects.get()
    assert (image.width, image.height) == (40, 30)


def test_oversized_image_is_refused(client, editor, settings):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (400, 400), "white").save(buffer, "PNG")
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100
    response = upload_image(client, "big.png", buffer.getvalue())
    assert response.status_code == 200
    assert not get_image_model().objects.exists()


def test_svg_is_not_an_allowed_image_format(settings):
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS


# --- question import (GIFT / Aiken / XLSX) ------------------------------------------------------


def import_questions(client, name, content):
    return client.post(
        reverse("quizzes_import:upload"), {"file": ContentFile(content, name=name), "dry_run": "on"}
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bank.gift", bytes(range(256)) * 64),
        ("bank.txt", b"\x00\xff\xfe" * 1000),
        ("bank.xlsx", bytes(range(256)) * 64),
        ("bank.xlsx", b"PK\x03\x04" + b"\x00" * 500),  # looks like a zip, is not one
    ],
)
def test_garbage_question_file_gives_a_russian_error(client, name, content):
    client.force_login(make_regional_manager())
    response = import_questions(client, name, content)
    assert response.status_code == 200
    text = response.content.decode()
    assert any(word in text for word in ("Не удалось", "не удалось", "ошиб", "Ошиб")), text[-2000:]


def test_oversized_question_file_is_refused(client):
    client.force_login(make_regional_manager())
    response = import_questions(client, "bank.gift", b"::Q:: a {=b ~c}\n" * 400_000)
    assert response.status_code == 200
    assert "Файл больше" in response.content.decode()


def zip_bomb_xlsx(unpacked_mb):
    """A real XLSX whose sheet unpacks to ``unpacked_mb`` megabytes (mostly blanks): a few hundred KB."""
    source = io.BytesIO()
    question_xlsx.write_template(source)
    source.seek(0)
    target = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                head, tail = data.split(b"<sheetData>", 1)
                data = head + b"<sheetData>" + b" " * (unpacked_mb * 1024 * 1024) + tail
            bomb.writestr(info.filename, data, compresslevel=9)
    return target.getvalue()


def test_zip_bomb_question_xlsx_is_refused_unread(client, monkeypatch):
    """The archive's directory is enough to refuse it: openpyxl never starts unpacking the sheet."""
    from quizzes.importing import xlsx

    def must_not_open(*args, **kwargs):
        raise AssertionError("openpyxl opened a zip bomb")

    client.force_login(make_regional_manager())
    bomb = zip_bomb_xlsx(250)
    assert len(bomb) < 2 * 1024 * 1024
    monkeypatch.setattr(xlsx.openpyxl, "load_workbook", must_not_open)
    response = import_questions(client, "bank.xlsx", bomb)
    assert response.status_code == 200
    assert "слишком велика в распакованном виде" in response.content.decode()


# --- people import (CSV / XLSX) ------------------------------------------------------------------


def import_people(client, name, content):
    return client.post(reverse("people_import"), {"file": ContentFile(content, name=name)})


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("people.xlsx", bytes(range(256)) * 64),
        ("people.xlsx", b"PK\x03\x04" + b"\x00" * 500),
        ("people.csv", zip_bomb_xlsx.__doc__.encode("utf-16")),
    ],
)
def test_garbage_people_file_gives_a_russian_error_not_a_500(client, name, content):
    client.force_login(make_regional_manager())
    response = import_people(client, name, content)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or "ошиб" in response.content.decode()


def test_zip_bomb_people_xlsx_is_refused_unread(client, monkeypatch):
    import openpyxl

    def must_not_open(*args, **kwargs):
        raise AssertionError("openpyxl opened a zip bomb")

    client.force_login(make_regional_manager())
    monkeypatch.setattr(openpyxl, "load_workbook", must_not_open)
    response = import_people(client, "people.xlsx", zip_bomb_xlsx(210))
    assert response.status_code == 200
    assert "слишком велика" in response.content.decode()


# --- request size limits -------------------------------------------------------------------------


def test_huge_request_body_without_files_is_refused(client, settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    body = "username=x&password=" + "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
    response = client.post("/login/", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_uploaded_files_are_not_executable(settings):
    assert settings.FILE_UPLOAD_PERMISSIONS & 0o111 == 0
