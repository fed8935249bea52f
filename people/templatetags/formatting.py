"""How values are shown in templates (``{% load formatting %}``).

* ``{{ value|score }}`` — percentages and points, everywhere the same (Django's ``floatformat:"-2"``):
  a whole number as it is, anything else with two decimals, with the locale's decimal comma («100»,
  «81,82», «0,50»), and «—» for a figure that does not exist (nobody finished, no result yet);
* ``{{ value|cell }}`` — a value of a data sheet (dates, yes/no, numbers, text).
"""

import datetime
from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _

register = template.Library()

MISSING = "—"


@register.filter
def score(value):
    if value is None or value == "":
        return MISSING
    return floatformat(value, "-2")


@register.filter
def cell(value):
    """A value of a data sheet (``people.privacy.DataSheet``) as text: dates in the local time,
    numbers by :func:`score`, «—» for nothing."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if isinstance(value, datetime.datetime):
        return formats.date_format(
            timezone.localtime(value) if timezone.is_aware(value) else value, "d.m.Y H:i"
        )
    if isinstance(value, datetime.date):
        return formats.date_format(value, "d.m.Y")
    if isinstance(value, (int, float, Decimal)):
        return score(value)
    return value
