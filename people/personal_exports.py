"""One audited path for every file that names people (152-ФЗ: who took whose data, when, how much).

Whatever app writes a CSV or XLSX with people in it — the report tables, the overdue-courses list,
an event's attendance workbook — calls :func:`record_export` with a :class:`PersonalExport` in the
same transaction as it hands out the file. The log itself lives higher up (``reports`` registers its
recorder in ``ready()``, the model ``reports.ExportAuditEntry``), so the apps below it need not know
it. Without a recorder the export is refused: a file with names is never handed out unlogged.

Parameters are stored readable — «Муниципальное образование: Город Обнинск», not ``municipality=26`` —
because the log is read by people (and by a regulator), years later, after ids may have changed.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured

_recorders = []


@dataclass(frozen=True)
class PersonalExport:
    user: object  # who downloads
    key: str  # what kind of file: "people", "overdue_courses", "event_attendance", …
    title: str  # the file's title as the person saw it
    format: str  # "xlsx" or "csv"
    scope: str  # the part of the region the person may see, in words (Scope.description())
    row_count: int  # how many people (rows) the file holds
    params: dict = field(default_factory=dict)  # label → readable value
    period: str = ""
    job: object = None  # a background export job, when there is one


def register_recorder(recorder):
    """``recorder(export)`` writes one audit entry; called for every personal export."""
    if recorder not in _recorders:
        _recorders.append(recorder)


def record_export(export):
    if not _recorders:
        raise ImproperlyConfigured("No audit log is registered for exports of personal data.")
    for recorder in _recorders:
        recorder(export)
