"""The columns of a roster and how a header row maps onto them.

Headers are matched after :func:`header_key` (case, spaces, ё/е, a trailing colon or asterisk do not
matter). The Russian titles are the file format itself, so they are plain strings, not translations.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .report import ImportFileError

# The header is looked for among this many first non-empty rows (a roster may start with a title).
HEADER_SEARCH_ROWS = 10
_SPACES = re.compile(r"\s+")


def header_key(text):
    text = _SPACES.sub(" ", str(text or "").replace("\xa0", " ")).strip().lower().replace("ё", "е")
    return text.rstrip(":* ").strip()


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    synonyms: tuple[str, ...] = ()

    def header_keys(self):
        return {header_key(self.title), *(header_key(s) for s in self.synonyms)}


COLUMNS = (
    Column("last_name", "Фамилия"),
    Column("first_name", "Имя"),
    Column("patronymic", "Отчество"),
    Column(
        "email",
        "Email",
        ("E-mail", "Эл. почта", "Электронная почта", "Адрес электронной почты", "Почта", "e-mail адрес"),
    ),
    Column(
        "personnel_number",
        "Табельный номер",
        ("Таб. номер", "Таб. №", "Табельный №", "Табельный", "Таб номер", "Табельный номер работника"),
    ),
    Column("municipality", "Муниципальное образование", ("МО", "Муниципалитет", "Муниципальный район")),
    Column(
        "organization",
        "Организация",
        ("Орган", "Орган (организация)", "Наименование организации", "Наименование органа", "Место работы"),
    ),
    Column("position", "Должность", ("Наименование должности",)),
    Column("category", "Категория", ("Категория работника", "Категория должности", "Категория служащего")),
    Column(
        "hire_date",
        "Дата поступления на службу",
        ("Дата поступления", "Дата приема", "Дата приёма", "Дата приема на работу", "Дата приёма на работу"),
    ),
    Column("has_procurement_duties", "Участвует в закупках", ("Закупки", "Участие в закупках")),
    Column(
        "has_anticorruption_duties",
        "Обязанности по противодействию коррупции",
        ("Противодействие коррупции", "Ответственный за противодействие коррупции"),
    ),
    Column("is_hr_service", "Кадровая служба", ("Кадры", "Сотрудник кадровой службы")),
)
BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED = ("last_name", "first_name")
IDENTITY = ("email", "personnel_number")  # at least one of these

_HEADER_KEYS = {key: column.key for column in COLUMNS for key in column.header_keys()}


def title(key):
    return BY_KEY[key].title


@dataclass
class ColumnMap:
    """Where each known column is in the rows (0-based), and the header texts that were not recognised."""

    positions: dict[str, int]
    ignored: list[str]

    def __contains__(self, key):
        return key in self.positions

    def value(self, row, key):
        return row.get(self.positions[key])

    @classmethod
    def from_header(cls, values):
        positions, ignored = {}, []
        for index, text in enumerate(values):
            key = _HEADER_KEYS.get(header_key(text))
            if key is None:
                if header_key(text):
                    ignored.append(str(text).strip())
            elif key in positions:
                raise ImportFileError(
                    _("столбец «%(title)s» встречается в заголовке дважды.") % {"title": title(key)}
                )
            else:
                positions[key] = index
        return cls(positions, ignored)

    def check_required(self):
        missing = [title(key) for key in REQUIRED if key not in self]
        if missing:
            raise ImportFileError(
                _("нет обязательных столбцов: %(columns)s. Первая строка таблицы должна содержать заголовки.")
                % {"columns": ", ".join(f"«{name}»" for name in missing)}
            )
        if not any(key in self for key in IDENTITY):
            raise ImportFileError(
                _("нужен столбец «%(email)s» или «%(number)s», чтобы узнавать людей при повторном импорте.")
                % {"email": title("email"), "number": title("personnel_number")}
            )


def find_header(rows):
    """Split an iterator of rows into the header's :class:`ColumnMap` and the data rows after it.

    The header is the first row with the required columns among the first few non-empty rows; if none
    has them, the first non-empty row is taken and the missing columns are reported.
    """
    seen = []
    for row in rows:
        seen.append(row)
        columns = ColumnMap.from_header(row.values)
        if all(key in columns for key in REQUIRED):
            columns.check_required()
            return columns, rows
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        raise ImportFileError(_("в файле нет ни одной строки."))
    ColumnMap.from_header(seen[0].values).check_required()
    raise AssertionError("unreachable: check_required raises for a header without required columns")
