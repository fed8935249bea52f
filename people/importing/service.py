"""Importing a roster of people: read, validate every row, match, then write everything in one transaction."""

import logging
from itertools import islice
from os import PathLike
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.events import people_changed, touches_audience
from people.models import User

from .changes import Changes
from .columns import find_header
from .lookups import Directory
from .matching import KnownPeople, find_clashes
from .readers import read_rows
from .report import ImportFileError, ImportReport, RowError
from .rows import clean_row
from .values import BadValue

logger = logging.getLogger(__name__)


def import_people(file, *, skip_invalid=False, dry_run=False, filename=None):
    """Import a CSV or XLSX roster (a path or a binary file object) and return an :class:`ImportReport`.

    Strict by default: a single bad row means nothing is written. With ``skip_invalid`` the good rows
    are written and the bad ones reported; with ``dry_run`` nothing is written at all.
    """
    report = ImportReport(dry_run=dry_run, skip_invalid=skip_invalid)
    try:
        records, report.ignored_columns = read_records(file, filename)
    except ImportFileError as exc:
        report.fatal = str(exc)
        return report
    report.rows = len(records)

    known = KnownPeople.load(records)
    matches = {}
    for record in records:
        if record.email or record.personnel_number:
            try:
                matches[record.line] = known.match(record)
            except BadValue as exc:
                record.errors.append(str(exc))
    clashes = find_clashes(records, matches)
    for record in records:
        record.errors += clashes.get(record.line, [])
        report.errors += [RowError(record.line, message) for message in record.errors]

    changes = Changes()
    for record in records:
        if record.is_valid:
            changes.add(record, matches.get(record.line))
    report.created, report.updated, report.unchanged = (
        len(changes.new),
        len(changes.changed),
        changes.unchanged,
    )

    if dry_run or (report.errors and not skip_invalid):
        return report
    try:
        with transaction.atomic():
            changes.save()
            # New people, and people whose audience fields changed, may fall under an assignment.
            user_ids = [user.pk for user in changes.new]
            user_ids += [user.pk for user, fields in changes.changed if touches_audience(fields)]
            transaction.on_commit(lambda: people_changed.send(sender=User, user_ids=user_ids), robust=True)
    except IntegrityError:
        logger.exception("People import failed on a constraint")
        report.fatal = _(
            "данные людей изменились во время импорта (email, табельный номер или логин заняты); "
            "повторите импорт."
        )
        return report
    report.saved = True
    logger.info(
        "People imported: %s created, %s updated, %s unchanged, %s rows rejected",
        report.created,
        report.updated,
        report.unchanged,
        report.rejected,
    )
    return report


def read_records(file, filename=None):
    """Every data row of the file as a :class:`PersonRecord`, and the header texts that were not recognised.

    Raises :class:`ImportFileError` for what makes the whole file unusable.
    """
    data, filename = _read_bytes(file, filename)
    rows = read_rows(data, filename)
    columns, rows = find_header(rows)
    max_rows = settings.PEOPLE_IMPORT_MAX_ROWS
    data_rows = list(islice(rows, max_rows + 1))
    if len(data_rows) > max_rows:
        raise ImportFileError(
            _("в файле больше %(max)s строк с данными; разделите его на части.") % {"max": max_rows}
        )
    if not data_rows:
        raise ImportFileError(_("в файле нет строк с данными под заголовком."))
    directory = Directory.load()
    today = timezone.localdate()
    return [clean_row(row, columns, directory, today=today) for row in data_rows], columns.ignored


def _read_bytes(file, filename):
    if isinstance(file, str | PathLike):
        path = Path(file)
        try:
            return path.read_bytes(), filename or path.name
        except OSError as exc:
            raise ImportFileError(_("не удалось открыть файл: %(error)s") % {"error": exc.strerror}) from None
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read(), filename or getattr(file, "name", "") or ""
