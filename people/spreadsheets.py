"""Spreadsheet cells that are safe to open: exported text never runs as a formula.

Names and organizations come from HR rosters and registration forms: a «name» such as
``=HYPERLINK("http://…","ФИО")`` must reach Excel or LibreOffice as text. Every CSV and XLSX the
platform writes puts its values through :func:`cell_value` (XLSX) or :func:`csv_value` (CSV): the
report exports, the overdue-courses list, the event attendance workbook.

CSV is UTF-8 with a byte order mark and ``;`` between fields, with a decimal comma: Excel with Russian
regional settings opens it as is (:func:`csv_writer`).
"""

import csv
import datetime
import io
from decimal import Decimal

# A cell starting with one of these is a formula (or a DDE call) to a spreadsheet program.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_value(value):
    """A value as XLSX takes it: numbers, dates and text (lazy translations become text); text that a
    spreadsheet would read as a formula gets a leading apostrophe."""
    if value is None or isinstance(value, bool | int | float | Decimal | datetime.date):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    text = str(value)
    if text.startswith(FORMULA_START):
        text = "'" + text
    return text


def csv_value(value):
    """A value as a CSV field: dates as 31.12.2024, a decimal comma, «да»/«нет», text never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, datetime.datetime):
        return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    return str(cell_value(value))


class csv_writer:
    """``with csv_writer(stream) as write: write(row)`` — rows of raw values into a binary ``stream``."""

    def __init__(self, stream):
        self.text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=True)
        self.writer = csv.writer(self.text, delimiter=";")

    def __enter__(self):
        return lambda row: self.writer.writerow([csv_value(value) for value in row])

    def __exit__(self, *exc):
        self.text.detach()
        return False


def csv_bytes(header, rows):
    """A whole CSV file: ``header`` (labels) and ``rows`` of raw values."""
    stream = io.BytesIO()
    with csv_writer(stream) as write:
        write([str(label) for label in header])
        for row in rows:
            write(row)
    return stream.getvalue()
