"""What an import did or would do: counts, rejected rows and fatal errors."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


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
