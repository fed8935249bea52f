"""What an import did or would do: counts, rejected rows, fatal errors, and whom it (de)activates."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .roster import RosterPlan, percent_text


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, wrong format, missing columns, too big)."""


@dataclass(frozen=True, order=True)
class RowError:
    line: int
    message: str


@dataclass
class ImportReport:
    dry_run: bool = False
    skip_invalid: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    saved: bool = False
    fatal: str = ""
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    # Activity (``people.importing.roster``): leavers of a full roster and people who come back.
    full_roster: bool = False
    confirmed: bool = False  # the person importing confirmed the deactivation despite the warnings
    activity: RosterPlan = field(default_factory=RosterPlan)
    confirmations: list[str] = field(default_factory=list)  # why the deactivation needs confirming
    blocked: str = ""  # why nothing was written although the rows allowed it
    # Invitations (people.invitations) of the new people, when asked for.
    invite: bool = False
    invited: int = 0  # letters with a set-password link queued
    new_without_email: int = 0  # new people to be given printed codes

    @property
    def organizations(self):
        return self.activity.organizations

    @property
    def deactivated(self):
        """Who is (or would be) deactivated."""
        return self.activity.leavers

    @property
    def reactivated(self):
        return self.activity.returners

    @property
    def kept_active(self):
        """Absent from a full roster but holding a role: not deactivated."""
        return self.activity.leavers_kept

    @property
    def kept_inactive(self):
        """Inactive people in the file who stay inactive."""
        return self.activity.inactive_kept

    @property
    def leavers_digest(self):
        return self.activity.digest

    @property
    def needs_confirmation(self):
        return bool(self.confirmations) and not self.confirmed

    @property
    def rejected(self):
        """How many rows were rejected (a row with several problems counts once)."""
        return len({error.line for error in self.errors})

    @property
    def accepted(self):
        return self.created + self.updated + self.unchanged

    @property
    def has_problems(self):
        return bool(self.fatal or self.errors)

    def outcome(self):
        """One sentence on what happened to the database."""
        if self.fatal:
            return _("Файл не импортирован: %(reason)s") % {"reason": self.fatal}
        if self.blocked:
            return _("Ничего не импортировано: %(reason)s") % {"reason": self.blocked}
        if self.dry_run:
            return _("Проверка без записи: в базе ничего не изменено.")
        if self.saved:
            if self.errors:
                return _("Импортированы строки без ошибок; строки с ошибками пропущены.")
            return _("Импорт выполнен.")
        return _(
            "Ничего не импортировано: в файле есть строки с ошибками. Исправьте их или включите "
            "пропуск строк с ошибками."
        )

    def summary_lines(self):
        """The report as plain text lines (the management command prints these)."""
        would = not self.saved
        counts = {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }
        lines = [self.outcome()]
        if not self.fatal:
            if would:
                lines.append(
                    _(
                        "Строк в файле: %(rows)s; было бы создано: %(created)s, обновлено: %(updated)s, "
                        "без изменений: %(unchanged)s; отклонено: %(rejected)s."
                    )
                    % counts
                )
            else:
                lines.append(
                    _(
                        "Строк в файле: %(rows)s; создано: %(created)s, обновлено: %(updated)s, "
                        "без изменений: %(unchanged)s; отклонено: %(rejected)s."
                    )
                    % counts
                )
        if not self.fatal:
            lines += self.activity_lines()
        if self.saved and self.invite:
            lines.append(
                _(
                    "Приглашений по email поставлено в очередь: %(invited)s; новых людей без email (им нужны "
                    "коды для печати): %(without)s."
                )
                % {"invited": self.invited, "without": self.new_without_email}
            )
        if self.ignored_columns:
            lines.append(
                _("Нераспознанные столбцы пропущены: %(columns)s.")
                % {"columns": ", ".join(f"«{name}»" for name in self.ignored_columns)}
            )
        lines += [
            _("Строка %(line)s: %(message)s") % {"line": error.line, "message": error.message}
            for error in sorted(self.errors)
        ]
        return lines

    def activity_lines(self):
        """Who is (or would be) deactivated or reactivated, as plain text lines."""
        done = self.saved
        lines = []
        if self.full_roster:
            lines.append(
                _(
                    "Полный список: организаций в файле: %(organizations)s; %(verb)s: %(deactivated)s; "
                    "не деактивированы (есть роль): %(kept)s; %(back)s: %(reactivated)s."
                )
                % {
                    "organizations": len(self.organizations),
                    "verb": _("деактивировано") if done else _("будет деактивировано"),
                    "deactivated": len(self.deactivated),
                    "kept": len(self.kept_active),
                    "back": _("снова активны") if done else _("станут снова активны"),
                    "reactivated": len(self.reactivated),
                }
            )
            for organization in self.organizations:
                lines.append(
                    _(
                        "  %(name)s: строк в файле: %(rows)s, активных до импорта: %(active)s, "
                        "к деактивации: %(leaving)s (%(percent)s %%)"
                    )
                    % {
                        "name": organization.name,
                        "rows": organization.rows,
                        "active": organization.active,
                        "leaving": organization.leaving,
                        "percent": percent_text(organization.percent),
                    }
                )
        sections = [
            (self.deactivated, _("Деактивированы:") if done else _("Будут деактивированы:")),
            (self.kept_active, _("Нет в файле, но не деактивированы — есть роль:")),
            (self.reactivated, _("Снова активны:") if done else _("Станут снова активны:")),
            (
                self.kept_inactive,
                _("Неактивны и остаются неактивными — есть роль или данные обезличены:")
                if self.full_roster
                else _("Неактивны и остаются неактивными (обычный импорт активность не меняет):"),
            ),
        ]
        for people, heading in sections:
            if people:
                lines.append(heading)
                lines += [f"  {person_line(person)}" for person in people]
        if self.confirmations:
            lines.append(
                _("Деактивация подтверждена, несмотря на предупреждения:")
                if self.confirmed
                else _("Деактивация требует подтверждения:")
            )
            lines += [f"  {reason}" for reason in self.confirmations]
        return lines


def person_line(person):
    """«Фамилия Имя Отчество — организация (образование), должность; роль: …»"""
    line = f"{person.name} — {person.organization}"
    if person.position:
        line += f", {person.position}"
    if person.roles:
        line += "; " + _("роль: %(roles)s") % {"roles": ", ".join(person.roles)}
    if person.anonymized:
        line += "; " + _("данные обезличены")
    return line
