"""Turning one cell (text from CSV, or a typed value from XLSX) into a clean value, or a reason why not."""

import datetime
import functools
import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from people.models import ServiceCategory

EARLIEST_HIRE_DATE = datetime.date(1940, 1, 1)
TRUE_WORDS = frozenset({"да", "1", "д", "+", "x", "х", "true", "yes", "истина"})
FALSE_WORDS = frozenset({"нет", "0", "н", "-", "false", "no", "ложь"})
_DMY = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_validate_email = EmailValidator()


class BadValue(ValueError):
    """A cell that cannot be used; the message is the reason shown to the person."""


def text(value):
    """A cell as trimmed text with single spaces; whole numbers from XLSX lose their ``.0``."""
    if isinstance(value, str):
        return " ".join(value.split())
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return " ".join(str(value).split())


def email(value):
    address = text(value).lower()
    if not address:
        return ""
    try:
        _validate_email(address)
    except ValidationError:
        raise BadValue(_("неверный адрес электронной почты «%(value)s»") % {"value": address}) from None
    return address


def date(value, today=None):
    """ДД.ММ.ГГГГ, ГГГГ-ММ-ДД or a date cell; empty is ``None``."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        parsed = value
    else:
        raw = text(value)
        if not raw:
            return None
        parsed = _parse_date_text(raw)
    today = today or timezone.localdate()
    if not EARLIEST_HIRE_DATE <= parsed <= today:
        raise BadValue(
            _("дата %(date)s вне допустимого диапазона (не раньше %(earliest)s и не позже сегодняшней)")
            % {"date": parsed.strftime("%d.%m.%Y"), "earliest": EARLIEST_HIRE_DATE.strftime("%d.%m.%Y")}
        )
    return parsed


def _parse_date_text(raw):
    # Excel may append a zero time to a date typed as text ("01.02.2020 0:00:00").
    head = raw.split(" ", 1)[0]
    if match := _DMY.fullmatch(head):
        day, month, year = match.groups()
    elif match := _ISO.fullmatch(head):
        year, month, day = match.groups()
    else:
        raise BadValue(_("неверная дата «%(value)s»: нужен формат ДД.ММ.ГГГГ") % {"value": raw})
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise BadValue(_("несуществующая дата «%(value)s»") % {"value": raw}) from None


def flag(value):
    """да/нет, 1/0 or empty (= нет)."""
    if isinstance(value, bool):
        return value
    word = text(value).lower()
    if not word or word in FALSE_WORDS:
        return False
    if word in TRUE_WORDS:
        return True
    raise BadValue(_("«%(value)s» — ожидается «да», «нет» или пусто") % {"value": text(value)})


def _category_key(value):
    return text(value).lower().replace("ё", "е")


@functools.cache
def _categories(language):
    """Categories by code and by label in the given language (labels are lazy translations)."""
    with translation.override(language):
        return {
            **{choice.value: choice for choice in ServiceCategory},
            **{_category_key(choice.label): choice for choice in ServiceCategory},
        }


def category(value):
    """A :class:`ServiceCategory` by its label (any case) or code; empty is «иное»."""
    key = _category_key(value)
    if not key:
        return ServiceCategory.OTHER
    found = _categories(translation.get_language()).get(key)
    if found is None:
        raise BadValue(
            _("неизвестная категория «%(value)s»; допустимые: %(choices)s")
            % {"value": text(value), "choices": "; ".join(str(c.label) for c in ServiceCategory)}
        )
    return found
