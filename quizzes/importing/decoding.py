"""Bytes of an uploaded text file → text: UTF-8 (with or without BOM), else Windows-1251.

A UTF-16 file (Notepad's «Юникод») is recognised by its byte order mark. Line ends become ``\\n``.
"""

import codecs

from django.utils.translation import gettext as _


class TextDecodingError(Exception):
    def __init__(self, line, message):
        super().__init__(message)
        self.line = line
        self.message = message


def decode_text(data):
    """The text of ``data``; raises :class:`TextDecodingError` (with the line of the first bad byte)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return normalize_newlines(data.decode("utf-16"))
        except UnicodeDecodeError as error:
            line = data[: error.start].decode("utf-16", errors="replace").count("\n") + 1
            raise TextDecodingError(line, _("Файл в кодировке UTF-16 повреждён.")) from error
    nul = data.find(b"\x00")
    if nul != -1:
        raise TextDecodingError(
            _line_of(data, nul), _("Это не текстовый файл: в нём есть двоичные данные (нулевые байты).")
        )
    try:
        return normalize_newlines(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    try:
        return normalize_newlines(data.decode("cp1251"))
    except UnicodeDecodeError as error:
        raise TextDecodingError(
            _line_of(data, error.start),
            _("Не удалось прочитать файл: он не в кодировке UTF-8 и не в Windows-1251."),
        ) from error


def normalize_newlines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_lines(text):
    """Lines as an editor numbers them (``str.splitlines`` would also split on form feeds and the like)."""
    return normalize_newlines(text).split("\n")


def _line_of(data, offset):
    return data.count(b"\n", 0, offset) + 1
