"""Spreadsheet cells that are safe to open: exported text never runs as a formula.

Names and organizations come from HR rosters and registration forms: a «name» such as
``=HYPERLINK("http://…","ФИО")`` must reach Excel or LibreOffice as text. Every CSV and XLSX the
platform writes puts its values through :func:`cell_value` (the report exports, the overdue-courses
list, the event attendance workbook).
"""

import datetime
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
