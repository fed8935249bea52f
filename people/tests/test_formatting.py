"""One rule for percentages and points: whole numbers as they are, others with two decimals."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation


@pytest.mark.parametrize(
    "value, shown",
    [
        (Decimal("81.8200000000000"), "81,82"),  # an Avg() on PostgreSQL
        (Decimal("100.00"), "100"),
        (Decimal("0.5"), "0,50"),
        (66.666666, "66,67"),
        (0, "0"),
        (None, "—"),
    ],
)
def test_score(value, shown):
    with translation.override("ru"):
        assert Template("{% load formatting %}{{ value|score }}").render(Context({"value": value})) == shown
