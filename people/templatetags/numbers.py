"""One way to show percentages and points everywhere (Django's ``floatformat:"-2"``): a whole number as
it is, anything else with two decimals, with the locale's decimal comma («100», «81,82», «0,50»), and
«—» for a figure that does not exist (nobody finished, no result yet). Templates
``{% load numbers %}`` and write ``{{ value|score }}``."""

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()

MISSING = "—"


@register.filter
def score(value):
    if value is None or value == "":
        return MISSING
    return floatformat(value, "-2")
