"""Which parser reads an uploaded file, and reading it: :func:`parse_file` is what an upload view calls."""

import codecs
import re
from enum import StrEnum
from pathlib import PurePath

from django.utils.translation import gettext as _

from . import aiken, gift, moodle_xml, xlsx
from .decoding import TextDecodingError, decode_text
from .parsed import ParseError, ParseResult

# How much of a file detect_format needs to look at.
HEAD_SIZE = 64 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_AIKEN_ANSWER = re.compile(r"^\s*(?:ANSWER|ОТВЕТ)\s*:", re.IGNORECASE | re.MULTILINE)
_GIFT_SIGNS = re.compile(r"^\s*(?:::|\$CATEGORY:)|(?<!\\)\{[^{}]*(?<!\\)\}", re.MULTILINE)


class Format(StrEnum):
    GIFT = "gift"
    AIKEN = "aiken"
    XLSX = "xlsx"
    MOODLE_XML = "moodle_xml"


def detect_format(filename, head_bytes):
    """The format of a file from its name and first bytes, ``None`` when it is none of ours.

    ``.gift`` is GIFT, ``.xlsx`` Excel and ``.xml`` Moodle XML; a ``.txt`` file is told by its content:
    GIFT answer blocks ``{…}``, ``::titles::`` or ``$CATEGORY:`` make it GIFT, ``ANSWER:`` lines make it
    Aiken.
    """
    suffix = PurePath(filename or "").suffix.casefold()
    if suffix == ".xlsx":
        return Format.XLSX
    if suffix == ".gift":
        return Format.GIFT
    if suffix == ".xml":
        return Format.MOODLE_XML
    if suffix != ".txt" or head_bytes.startswith(_ZIP_MAGIC):
        return None
    text = _head_text(head_bytes)
    if _GIFT_SIGNS.search(text):
        return Format.GIFT
    if _AIKEN_ANSWER.search(text):
        return Format.AIKEN
    return None


def _head_text(head):
    """The text of the first bytes of a file, which may end inside a character."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head[: len(head) // 2 * 2].decode("utf-16", errors="ignore")
    for cut in range(4):  # a UTF-8 character takes up to 4 bytes
        try:
            return head[: len(head) - cut].decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
    try:
        return decode_text(head)
    except TextDecodingError:  # parse_file reports it when it reads the whole file
        return head.decode("cp1251", errors="ignore")


def parse_file(filename, data):
    """Detect the format of an uploaded file (name and bytes) and read it."""
    found = detect_format(filename, data[:HEAD_SIZE])
    if found is None:
        message = _(
            "Не удалось определить формат файла «%(name)s». Поддерживаются GIFT (.gift или .txt), "
            "Moodle XML (.xml), Aiken (.txt) и шаблон Excel (.xlsx)."
        ) % {"name": PurePath(filename or "").name}
        return ParseResult(errors=[ParseError(None, message)])
    if found == Format.XLSX:
        return xlsx.parse(data)
    if found == Format.MOODLE_XML:
        return moodle_xml.parse(data)
    try:
        text = decode_text(data)
    except TextDecodingError as error:
        return ParseResult(errors=[ParseError(error.line, error.message)])
    return gift.parse(text) if found == Format.GIFT else aiken.parse(text)
