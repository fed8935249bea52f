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
from people.invitations.services import invite_by_email
from people.models import User

from .audit import log_activity
from .changes import Changes
from .columns import find_header, title
from .lookups import Directory
from .matching import KnownPeople, find_clashes
from .readers import read_rows
from .report import ImportFileError, ImportReport, RowError
from .roster import RosterChanged, plan_activity
from .rows import clean_row
from .values import BadValue

logger = logging.getLogger(__name__)


def import_people(
    file,
    *,
    skip_invalid=False,
    dry_run=False,
    filename=None,
    full_roster=False,
    confirm_deactivation=False,
    reviewed_leavers=None,
    user=None,
    invite=False,
    scope=None,
):
    """Import a CSV or XLSX roster (a path or a binary file object) and return an :class:`ImportReport`.

    Strict by default: a single bad row means nothing is written. With ``skip_invalid`` the good rows
    are written and the bad ones reported; with ``dry_run`` nothing is written at all.

    With ``full_roster`` the file is the complete staff of every organization its rows name: their active
    servants absent from the file are deactivated and inactive servants in it reactivated
    (:mod:`.roster`). A deactivation the report warns about (too many leavers in an organization,
    rejected rows) needs ``confirm_deactivation``; with ``reviewed_leavers`` (the
    :attr:`~.roster.RosterPlan.digest` of a check) nothing is written unless the leavers are the ones
    that check showed. ``user`` is who imports, for the admin log. With ``invite`` the new people
    with an e-mail address get the invitation letter (:mod:`people.invitations`), written with the import.
    With ``scope`` (a :class:`people.scope.Scope` other than the whole region: a municipal manager's) every
    row must be about a person of the scope's municipalities, new or existing; other rows are rejected.
    """
    report = ImportReport(
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        full_roster=full_roster,
        confirmed=confirm_deactivation,
        invite=invite,
    )
    try:
        records, report.ignored_columns, filename = read_records(file, filename, full_roster=full_roster)
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
    outside = _outside_scope(records, matches, scope)
    for record in records:
        record.errors += clashes.get(record.line, [])
        record.errors += outside.get(record.line, [])
        if full_roster and record.is_valid and record.values.get("organization_id") is None:
            record.errors.append(_("в полном списке у каждой строки должна быть указана организация"))
        report.errors += [RowError(record.line, message) for message in record.errors]

    # Before the changes are planned: they set the new values on the matched users.
    report.activity = plan_activity(records, known, matches, full_roster=full_roster)
    report.confirmations = report.activity.confirmations(report.rejected)

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
    if report.needs_confirmation:
        report.blocked = _("деактивация людей требует подтверждения, причины перечислены в отчёте.")
        return report
    if reviewed_leavers is not None and report.leavers_digest and reviewed_leavers != report.leavers_digest:
        report.blocked = _(
            "список деактивируемых не совпадает с проверенным или файл не проверяли. Проверьте список "
            "в отчёте и импортируйте файл ещё раз."
        )
        return report
    try:
        with transaction.atomic():
            changes.save()
            now = timezone.now()
            report.activity.write(now)
            if report.deactivated or report.reactivated:
                log_activity(report.activity, user=user, filename=filename, now=now)
            # New people, people whose audience fields changed and people back from inactivity may fall
            # under an assignment.
            user_ids = [user.pk for user in changes.new]
            user_ids += [user.pk for user, fields in changes.changed if touches_audience(fields)]
            user_ids += [person.pk for person in report.reactivated]
            user_ids = list(dict.fromkeys(user_ids))  # a returner whose fields changed is named once
            if invite:
                invited = invite_by_email(
                    User.objects.filter(pk__in=[person.pk for person in changes.new]), sent_by=user, now=now
                )
                report.invited, report.new_without_email = invited.sent, invited.without_email
            transaction.on_commit(lambda: people_changed.send(sender=User, user_ids=user_ids), robust=True)
    except IntegrityError:
        logger.exception("People import failed on a constraint")
        report.fatal = _(
            "данные людей изменились во время импорта (email, табельный номер или логин заняты); "
            "повторите импорт."
        )
        return report
    except RosterChanged:
        logger.warning("People import rolled back: activity or roles changed while it ran")
        report.fatal = _(
            "во время импорта кто-то изменил активность или роли людей из этих организаций; "
            "проверьте файл и повторите импорт."
        )
        return report
    report.saved = True
    logger.info(
        "People imported from %r: %s created, %s updated, %s unchanged, %s rows rejected; "
        "deactivated %s, reactivated %s",
        filename,
        report.created,
        report.updated,
        report.unchanged,
        report.rejected,
        [person.pk for person in report.deactivated],
        [person.pk for person in report.reactivated],
    )
    return report


def _outside_scope(records, matches, scope):
    """``{line: [reason]}`` for the rows a limited scope may not write: a person placed, or already
    living, outside the scope's municipalities (the row would move or create somebody elsewhere)."""
    if scope is None or scope.everything:
        return {}
    allowed = set(scope.municipalities().values_list("pk", flat=True))
    reasons = {}
    for record in records:
        existing = matches.get(record.line)
        if existing is not None and existing.municipality_id not in allowed:
            # one neutral reason: the row must not tell where else the person works, or that they exist
            reasons[record.line] = [
                _("человек не из вашего муниципального образования; перевод оформляет региональный менеджер")
            ]
        elif record.values.get("municipality_id", existing and existing.municipality_id) not in allowed:
            reasons[record.line] = [
                _("муниципальное образование не указано или не входит в ваше (%(scope)s)")
                % {"scope": scope.description()}
            ]
    return reasons


def read_records(file, filename=None, *, full_roster=False):
    """Every data row of the file as a :class:`PersonRecord`, the header texts that were not recognised,
    and the file's name.

    Raises :class:`ImportFileError` for what makes the whole file unusable.
    """
    data, filename = _read_bytes(file, filename)
    rows = read_rows(data, filename)
    columns, rows = find_header(rows)
    if full_roster and "organization" not in columns:
        raise ImportFileError(
            _("в полном списке нужен столбец «%(column)s»: по нему видно, чей это список.")
            % {"column": title("organization")}
        )
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
    records = [clean_row(row, columns, directory, today=today) for row in data_rows]
    return records, columns.ignored, filename


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
