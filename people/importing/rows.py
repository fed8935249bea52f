"""Validating one data row into a :class:`PersonRecord`: clean values for the user's fields, or reasons."""

import functools
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from people.models import User

from . import values as parse
from .columns import title
from .values import BadValue

TEXT_FIELDS = ("last_name", "first_name", "patronymic", "personnel_number", "position")
FLAG_FIELDS = ("has_procurement_duties", "has_anticorruption_duties", "is_hr_service")
# Email and personnel number identify a person: an empty cell keeps what the person already has.
IDENTITY_FIELDS = ("email", "personnel_number")


@dataclass
class PersonRecord:
    line: int
    values: dict = field(default_factory=dict)  # User field → clean value, for the columns in the file
    errors: list[str] = field(default_factory=list)

    @property
    def email(self):
        return self.values.get("email", "")

    @property
    def personnel_number(self):
        return self.values.get("personnel_number", "")

    @property
    def is_valid(self):
        return not self.errors


@functools.cache
def _max_length(name):
    return User._meta.get_field(name).max_length


def clean_row(row, columns, directory, today=None):
    record = PersonRecord(row.line)
    values, errors = record.values, record.errors

    def cell(key):
        return columns.value(row, key) if key in columns else None

    for name in TEXT_FIELDS:
        if name in columns:
            values[name] = parse.text(cell(name))
            if len(values[name]) > _max_length(name):
                errors.append(
                    _("«%(column)s»: значение длиннее %(max)s символов")
                    % {"column": title(name), "max": _max_length(name)}
                )
    if not values["last_name"]:
        errors.append(_("не заполнена фамилия"))
    if not values["first_name"]:
        errors.append(_("не заполнено имя"))

    email_given = bool(parse.text(cell("email")))
    if email_given:
        try:
            values["email"] = parse.email(cell("email"))
        except BadValue as exc:
            errors.append(str(exc))
        else:
            if len(values["email"]) > _max_length("email"):
                errors.append(_("адрес электронной почты слишком длинный"))
    if not email_given and not values.get("personnel_number"):
        errors.append(_("нужен email или табельный номер"))
    for name in IDENTITY_FIELDS:
        if not values.get(name):
            values.pop(name, None)

    if "municipality" in columns or "organization" in columns:
        _clean_place(record, parse.text(cell("municipality")), parse.text(cell("organization")), directory)

    if "category" in columns:
        try:
            values["category"] = parse.category(cell("category"))
        except BadValue as exc:
            errors.append(str(exc))
    if "hire_date" in columns:
        try:
            values["hire_date"] = parse.date(cell("hire_date"), today=today)
        except BadValue as exc:
            errors.append(_("«%(column)s»: %(reason)s") % {"column": title("hire_date"), "reason": exc})
    for name in FLAG_FIELDS:
        if name in columns:
            try:
                values[name] = parse.flag(cell(name))
            except BadValue as exc:
                errors.append(_("«%(column)s»: %(reason)s") % {"column": title(name), "reason": exc})
    return record


def _clean_place(record, municipality_name, organization_name, directory):
    """Municipality and organization go together: the organization is looked up inside the municipality."""
    try:
        municipality_id = directory.municipality(municipality_name)
        organization_id = directory.organization(organization_name, municipality_id)
    except BadValue as exc:
        record.errors.append(str(exc))
        return
    record.values["municipality_id"] = municipality_id
    record.values["organization_id"] = organization_id
