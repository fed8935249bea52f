"""Bulk import of people from HR rosters (CSV or XLSX). Entry point: :func:`import_people`."""

from .report import ImportFileError, ImportReport, RowError
from .service import import_people

__all__ = ["ImportFileError", "ImportReport", "RowError", "import_people"]
