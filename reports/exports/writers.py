"""Writing any :class:`reports.tables.Table` as XLSX or CSV.

The cells go through :mod:`people.spreadsheets` (no formulas; CSV as Excel with Russian settings
reads it), like every other file the platform writes. XLSX keeps numbers as numbers. Both report
progress through an optional ``progress(done, total)`` callable every :data:`PROGRESS_EVERY` rows.
"""

import io
import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from people.spreadsheets import cell_value, csv_writer

PROGRESS_EVERY = 500
SHEET_TITLE_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _rows_with_footer(table):
    rows = list(table.rows)
    if table.footer:
        rows.append(table.footer)
    return rows


def sheet_title(title):
    cleaned = _SHEET_FORBIDDEN.sub(" ", str(title)).strip() or "Sheet"
    return cleaned[:SHEET_TITLE_MAX]


def write_sheet(worksheet, table, progress=None, *, header_font=None):
    """Header, rows and footer of ``table`` into an openpyxl write-only worksheet."""
    font = header_font or Font(bold=True)
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(worksheet, value=str(column.label))
        cell.font = font
        header.append(cell)
    worksheet.append(header)
    rows = _rows_with_footer(table)
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        values = [cell_value(value) for value in table.values(row)]
        if table.footer is not None and row is table.footer:
            values = [WriteOnlyCell(worksheet, value=value) for value in values]
            for cell in values:
                cell.font = font
        worksheet.append(values)
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
    if progress:
        progress(total, total)


def write_xlsx(table, stream, progress=None):
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet_title(table.title))
    write_sheet(worksheet, table, progress)
    workbook.save(stream)


def write_csv(table, stream, progress=None):
    """CSV into a binary ``stream``."""
    with csv_writer(stream) as write:
        write([str(column.label) for column in table.columns])
        rows = _rows_with_footer(table)
        total = len(rows)
        for done, row in enumerate(rows, start=1):
            write(table.values(row))
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, total)
        if progress:
            progress(total, total)


WRITERS = {"xlsx": write_xlsx, "csv": write_csv}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def write_table(table, fmt, progress=None):
    """The file's bytes."""
    stream = io.BytesIO()
    WRITERS[fmt](table, stream, progress)
    return stream.getvalue()
