"""Links from the plan report to the dashboard's page of an item (figures per municipality, then per
organization, and the activities), for the period the report covers.

The documents are kept and sent on: their links are absolute, on the public address of the site
(:func:`people.links.public_url`).
"""

from django.http import QueryDict
from django.urls import reverse

from people.links import public_url

from ..period import Period


def period_query(period):
    """``year=2024`` for a calendar year, else ``start=…&end=…``."""
    query = QueryDict(mutable=True)
    if period == Period.year(period.start.year):
        query["year"] = str(period.start.year)
    else:
        query.update(period.as_params())
    return query.urlencode()


def item_path(item, municipality=None):
    """The dashboard page of a plan item (per municipality), or of one municipality (per organization)."""
    args = [item.section.plan.year, item.number]
    if municipality is not None:
        return reverse(
            "reports:plan_item_municipality", args=[*args, getattr(municipality, "pk", municipality)]
        )
    return reverse("reports:plan_item", args=args)


def item_url(item, period):
    """The absolute address of the item's dashboard page for ``period``."""
    return public_url(f"{item_path(item)}?{period_query(period)}")
