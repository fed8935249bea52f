"""Checks of the files contestants upload: the extension, the content (the type the ``filetype``
library recognises from the file's first bytes must be what the extension says: a PDF renamed from an
.exe is refused) and the size (settings ``CONTEST_MAX_WORK_SIZE``, ``CONTEST_MAX_VIDEO_SIZE``,
``CONTEST_MAX_CONSENT_SIZE``). The messages and the empty-file rule are those of the documents' checks
used for consultations' attachments (:func:`events.consultations.forms.check_attachment`); contest files
are served back only as downloads with nosniff and a CSP that blocks scripts."""

import os
import zipfile

import filetype
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

VIDEO = {"mp4", "webm"}
WORK_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "mp4": "video/mp4",
    "webm": "video/webm",
}
CONSENT_TYPES = {key: WORK_TYPES[key] for key in ("pdf", "jpg", "jpeg", "png")}
SIGNATURE_BYTES = 8192  # as much of the file's start as filetype looks at


def _head(upload, size=SIGNATURE_BYTES):
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _is_docx(upload):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and "word/document.xml" in names


def content_matches(extension, upload):
    """Does the file's content look like ``extension``? The type is recognised from the first bytes by
    the ``filetype`` library and must be the extension's (a Matroska video named .webm or a QuickTime
    one named .mp4 is refused); a DOCX must also open as a zip with ``word/document.xml``."""
    kind = filetype.guess(_head(upload))
    if kind is None or kind.mime != WORK_TYPES.get(extension):
        return False
    return extension != "docx" or _is_docx(upload)


def _check(upload, types, limit):
    extension = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
    allowed = ", ".join(sorted({key.upper() for key in types} - {"JPEG"}))
    if extension not in types:
        raise forms.ValidationError(
            _("Файлы с расширением «%(extension)s» не принимаются. Допустимые форматы: %(allowed)s."),
            params={"extension": extension or "—", "allowed": allowed},
            code="extension",
        )
    if not upload.size:
        raise forms.ValidationError(_("Файл пустой."), code="empty")
    if upload.size > limit:
        raise forms.ValidationError(
            _("Файл слишком большой (%(size)s); можно не больше %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="size",
        )
    if not content_matches(extension, upload):
        raise forms.ValidationError(
            _("Содержимое файла не соответствует формату «%(extension)s»: файл повреждён или переименован."),
            params={"extension": extension.upper()},
            code="content",
        )
    return types[extension]


def check_work(upload):
    """The type of a work's file; raises ``ValidationError`` with a Russian message."""
    extension = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
    limit = settings.CONTEST_MAX_VIDEO_SIZE if extension in VIDEO else settings.CONTEST_MAX_WORK_SIZE
    return _check(upload, WORK_TYPES, limit)


def check_consent(upload):
    return _check(upload, CONSENT_TYPES, settings.CONTEST_MAX_CONSENT_SIZE)
