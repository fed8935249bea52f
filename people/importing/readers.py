"""Reading a roster file, CSV or XLSX, into rows with the line numbers a person sees in the file.

Only the container is handled here: which format, which encoding and delimiter, where the rows are.
Every row that is not entirely empty comes out as a :class:`Row`; its ``line`` is the row number in
Excel or LibreOffice (the first row of the file is line 1, empty rows count).
"""

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _

from .archives import DamagedArchive, unpacked_size
from .report import ImportFileError

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc)
CSV_EXTENSIONS = frozenset({"csv", "txt"})
XLSX_EXTENSIONS = frozenset({"xlsx", "xlsm"})
EXTENSIONS = CSV_EXTENSIONS | XLSX_EXTENSIONS
DELIMITERS = (";", ",", "\t")
# An XLSX file is a zip archive; refuse one that would unpack to more than this (a "zip bomb").
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Row:
    line: int
    values: tuple

    def get(self, index):
        return self.values[index] if index < len(self.values) else None


def extension(filename):
    return PurePath(filename or "").suffix.lower().lstrip(".")


def detect_format(data, filename=""):
    """``"csv"`` or ``"xlsx"`` from the name and the content; anything doubtful is a fatal error."""
    ext = extension(filename)
    if not data.strip():
        raise ImportFileError(_("файл пуст."))
    if data.startswith(OLE_MAGIC) or ext == "xls":
        raise ImportFileError(
            _("старый формат Excel (XLS) не поддерживается: сохраните файл как XLSX или CSV.")
        )
    is_zip = data.startswith(XLSX_MAGIC)
    if ext and ext not in EXTENSIONS:
        raise ImportFileError(_("файл «.%(ext)s» не поддерживается: нужен CSV или XLSX.") % {"ext": ext})
    if ext in XLSX_EXTENSIONS and not is_zip:
        raise ImportFileError(_("файл назван как книга Excel (XLSX), но не является ею."))
    if ext in CSV_EXTENSIONS and is_zip:
        raise ImportFileError(
            _("файл назван как CSV, но это архив или книга Excel: сохраните его как CSV или XLSX.")
        )
    return "xlsx" if is_zip else "csv"


def read_rows(data, filename=""):
    """An iterator over the non-empty rows of the file. Format errors are raised at once."""
    if detect_format(data, filename) == "xlsx":
        return _xlsx_rows(_open_workbook(data))
    return _csv_rows(decode(data))


def decode(data):
    """Text of a CSV file: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1251."""
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(_("файл не похож на текст CSV (в нём двоичные данные)."))
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise ImportFileError(_("не удалось прочитать текст файла в кодировке Unicode.")) from None
    for encoding in ("utf-8", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("неизвестная кодировка файла: сохраните CSV в UTF-8 или Windows-1251."))


def sniff_delimiter(text):
    """The most frequent of ``;``, ``,`` and tab in the first non-empty line (``;`` on a tie)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in DELIMITERS}
    return max(DELIMITERS, key=lambda delimiter: counts[delimiter])


def _csv_rows(text):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        for line, values in enumerate(reader, start=1):
            if any(value.strip() for value in values):
                yield Row(line, tuple(values))
    except csv.Error as exc:
        raise ImportFileError(
            _("ошибка разбора CSV в строке %(line)s: %(error)s") % {"line": reader.line_num, "error": exc}
        ) from None


def _open_workbook(data):
    import openpyxl  # imported here: only XLSX imports pay for it

    try:
        unpacked = unpacked_size(io.BytesIO(data))
    except DamagedArchive:
        raise ImportFileError(_("файл XLSX повреждён.")) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportFileError(_("книга Excel слишком велика в распакованном виде."))
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a broken or foreign zip file
        raise ImportFileError(_("не удалось открыть книгу Excel: файл повреждён или это не XLSX.")) from None


def _xlsx_rows(workbook):
    """Rows of the first sheet."""
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the stored size may be wrong (some exporters write "A1"); read all
        for line, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            if any(_filled(value) for value in values):
                yield Row(line, tuple(values))
    except ImportFileError:
        raise
    except Exception:  # a broken sheet inside a valid zip
        raise ImportFileError(_("не удалось прочитать лист книги Excel: файл повреждён.")) from None
    finally:
        workbook.close()


def _filled(value):
    return value is not None and (not isinstance(value, str) or value.strip() != "")
