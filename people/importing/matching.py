"""Who is who: the existing person for each record, and rows that clash with each other."""

from collections import defaultdict

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from people.models import User

from .values import BadValue

# Values per ``IN (...)`` query; well under every database's parameter limit.
QUERY_CHUNK = 500
# The user fields an import reads and may change (everything else is never loaded).
LOADED_FIELDS = (
    "username",
    "last_name",
    "first_name",
    "patronymic",
    "email",
    "personnel_number",
    "municipality",
    "organization",
    "position",
    "category",
    "hire_date",
    "has_procurement_duties",
    "has_anticorruption_duties",
    "is_hr_service",
)

# Read only to decide, never changed through a row: who may not be touched, who is inactive.
ACCESS_FIELDS = ("is_superuser", "is_staff", "is_active", "anonymized_at")


def chunked(items, size=QUERY_CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class KnownPeople:
    """Existing users who share an email or a personnel number with the file."""

    def __init__(self, users):
        self.by_email = {user.email.lower(): user for user in users if user.email}
        self.by_number = {user.personnel_number: user for user in users if user.personnel_number}

    @classmethod
    def load(cls, records):
        """One query per chunk of records, asking for their emails or personnel numbers at once."""
        people = User.objects.only(*LOADED_FIELDS, *ACCESS_FIELDS).annotate(email_key=Lower("email"))
        found = {}
        for chunk in chunked(records, QUERY_CHUNK // 2):
            emails = {record.email for record in chunk if record.email}
            numbers = {record.personnel_number for record in chunk if record.personnel_number}
            if emails or numbers:
                matching = people.filter(Q(email_key__in=emails) | Q(personnel_number__in=numbers))
                found.update((user.pk, user) for user in matching)
        return cls(found.values())

    def people_of(self, record):
        """Every existing user the record's email or personnel number points at (none, one or two)."""
        found = {
            self.by_email.get(record.email) if record.email else None,
            self.by_number.get(record.personnel_number) if record.personnel_number else None,
        }
        return [user for user in found if user is not None]

    def match(self, record):
        """The existing user the record is about, ``None`` for a new person; :class:`BadValue` on a clash."""
        by_email = self.by_email.get(record.email) if record.email else None
        by_number = self.by_number.get(record.personnel_number) if record.personnel_number else None
        if by_email and by_number and by_email.pk != by_number.pk:
            raise BadValue(
                _(
                    "email %(email)s принадлежит человеку «%(email_person)s», а табельный номер "
                    "%(number)s — другому человеку «%(number_person)s»"
                )
                % {
                    "email": record.email,
                    "email_person": by_email,
                    "number": record.personnel_number,
                    "number_person": by_number,
                }
            )
        if by_email and not by_number and record.personnel_number and by_email.personnel_number:
            raise BadValue(
                _("у человека «%(person)s» с email %(email)s другой табельный номер: %(existing)s")
                % {"person": by_email, "email": record.email, "existing": by_email.personnel_number}
            )
        user = by_number or by_email
        if user is not None and user.is_superuser:
            # An import must not become a way to take over an administrator (by changing the email).
            raise BadValue(
                _("«%(person)s» — администратор сайта; его учётную запись импорт не меняет")
                % {"person": user}
            )
        return user


def find_clashes(records, matches):
    """Messages for rows that repeat an email or personnel number, or point at one person twice.

    Every row of a clash gets the message naming all of its lines: the file does not say which is right.
    ``matches`` maps a line to the existing user it is about.
    """
    messages = defaultdict(list)
    groups = [
        (_("email %(value)s повторяется в строках %(lines)s"), lambda r: r.email),
        (_("табельный номер %(value)s повторяется в строках %(lines)s"), lambda r: r.personnel_number),
    ]
    for message, key in groups:
        lines_by_value = defaultdict(list)
        for record in records:
            if value := key(record):
                lines_by_value[value].append(record.line)
        for value, lines in lines_by_value.items():
            if len(lines) > 1:
                for line in lines:
                    messages[line].append(message % {"value": value, "lines": _lines(lines)})

    lines_by_person = defaultdict(list)
    for line, user in matches.items():
        if user is not None:
            lines_by_person[user.pk].append((line, user))
    for pairs in lines_by_person.values():
        lines = sorted(line for line, _user in pairs)
        if len(lines) > 1 and not all(line in messages for line in lines):
            for line in lines:
                messages[line].append(
                    _("строки %(lines)s относятся к одному и тому же человеку «%(person)s»")
                    % {"lines": _lines(lines), "person": pairs[0][1]}
                )
    return messages


def _lines(lines):
    return ", ".join(str(line) for line in sorted(lines))
