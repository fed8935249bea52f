"""«Мои данные»: everything the platform holds about a person, as one workbook they download.

``people`` imports no domain app: each app registers a provider with :func:`register_provider` in its
``AppConfig.ready``; a provider takes the person and returns :class:`DataSheet` objects about that
person only (courses: enrolments, certificates, reminders; quizzes: sittings and answers; events:
registrations, attendance, live questions; reports: the person's own exports). ``people`` adds the
profile and the login log. Sheets without rows are left out.

Why XLSX: the people are civil servants on office computers; a workbook opens in Excel or LibreOffice
with a sheet per kind of data and Russian column names, where JSON would need a programmer. Every
cell goes through :func:`people.spreadsheets.cell_value`, so no value runs as a formula.
"""

import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ..roles import Role, roles_of
from ..spreadsheets import cell_value
from .anonymize import login_log_of

SHEET_TITLE_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
DATE_FORMAT = "DD.MM.YYYY"


@dataclass
class DataSheet:
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    # Part of the person's training record, which a manager of their scope sees (people.training_record):
    # the profile, courses, certificates, test results and events — not answers, logins or messages.
    in_training_record: bool = False


@dataclass(frozen=True)
class _Provider:
    build: Callable
    order: int


_PROVIDERS: list[_Provider] = []


def register_provider(provider, order=100):
    """``provider(user)`` returns the :class:`DataSheet` objects of one app about ``user`` only."""
    if all(entry.build is not provider for entry in _PROVIDERS):
        _PROVIDERS.append(_Provider(provider, order))
    return provider


def personal_data(user):
    """Every registered provider's sheets about ``user``, profile first; sheets without rows dropped."""
    sheets = []
    for entry in sorted(_PROVIDERS, key=lambda entry: entry.order):
        sheets += [sheet for sheet in entry.build(user) if sheet.rows]
    return sheets


def yes_no(value):
    if value is None:
        return ""
    return _("да") if value else _("нет")


# --- the profile and the login log (people's own provider) ----------------------------------------


def profile_sheets(user):
    held = roles_of(user)
    duties = [
        label
        for flag, label in (
            (user.has_anticorruption_duties, _("противодействие коррупции")),
            (user.has_procurement_duties, _("участие в закупках")),
            (user.is_hr_service, _("кадровая служба")),
        )
        if flag
    ]
    facts = [
        (_("Фамилия"), user.last_name),
        (_("Имя"), user.first_name),
        (_("Отчество"), user.patronymic),
        (_("Логин"), user.username),
        (_("Адрес электронной почты"), user.email),
        (_("Табельный номер"), user.personnel_number),
        (_("Организация"), user.organization.name if user.organization_id else ""),
        (_("Муниципальное образование"), user.municipality.name if user.municipality_id else ""),
        (_("Категория"), user.get_category_display()),
        (_("Должность"), user.position),
        (_("Дата поступления на службу"), user.hire_date),
        (_("Обязанности"), "; ".join(str(duty) for duty in duties)),
        (_("Роли"), "; ".join(str(role.label) for role in Role if role in held)),
        (
            _("Курируемое муниципальное образование"),
            user.managed_municipality.name if user.managed_municipality_id else "",
        ),
        (_("Запись в каталоге организации"), user.directory_dn),
        (_("Учётная запись создана"), user.date_joined),
        (_("Последний вход"), user.last_login),
        (_("Учётная запись действует"), yes_no(user.is_active)),
    ]
    logins = login_log_of(user).values_list("attempt_time", "logout_time", "ip_address", "user_agent")
    return [
        DataSheet(
            _("Профиль"),
            [_("Сведение"), _("Значение")],
            [list(fact) for fact in facts],
            in_training_record=True,
        ),
        DataSheet(
            _("Входы"),
            [_("Вход"), _("Выход"), _("IP-адрес"), _("Браузер")],
            [list(row) for row in logins],
        ),
    ]


# --- the workbook -----------------------------------------------------------------------------------


def sheet_title(title, taken):
    """A valid sheet name (31 characters, none of ``[]:*?/\\``), unique among ``taken``."""
    base = (_SHEET_FORBIDDEN.sub(" ", str(title)).strip() or _("Данные"))[:SHEET_TITLE_MAX]
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        suffix = f" {n}"
        name = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
    taken.add(name.lower())
    return name


def _cell(worksheet, value):
    if isinstance(value, bool):
        value = yes_no(value)
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    cell = WriteOnlyCell(worksheet, value=cell_value(value))
    if isinstance(value, datetime.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    return cell


def workbook_bytes(user):
    """The person's data as XLSX bytes: one sheet per :class:`DataSheet`."""
    return sheets_workbook(personal_data(user))


def sheets_workbook(sheets):
    """XLSX bytes with one worksheet per :class:`DataSheet`."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    taken = set()
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet_title(sheet.title, taken))
        header = []
        for column in sheet.columns:
            cell = WriteOnlyCell(worksheet, value=cell_value(str(column)))
            cell.font = bold
            header.append(cell)
        worksheet.append(header)
        for row in sheet.rows:
            worksheet.append([_cell(worksheet, value) for value in row])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def register():
    register_provider(profile_sheets, order=0)
