"""Which people a dashboard table is about, and how it groups them.

A :class:`Slice` is a manager's :class:`~people.scope.Scope` narrowed to one municipality (with its
settlements), to the regional bodies (people without a municipality), or to one organization, and a
way of grouping what is left: by top-level municipality (settlements roll up into their district, as
in :mod:`quizzes.analytics`), by organization, or by person. Every aggregate of
:mod:`reports.dashboard.figures` asks the slice for its rows' group key and narrowing, given the path
from the queried model to the person (``"user__"`` for sittings, ``""`` for people themselves).
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, Q, When
from django.http import Http404

from people.models import Municipality, Organization
from quizzes.analytics.sittings import district

# ``municipality`` of a slice: the regional bodies (people with no municipality).
REGIONAL = "regional"
# ``organization`` of a slice: people with no organization.
NO_ORGANIZATION = "none"


class Grouping:
    DISTRICT = "district"
    ORGANIZATION = "organization"
    PERSON = "person"


@dataclass(frozen=True)
class Slice:
    scope: Any
    grouping: str = Grouping.DISTRICT
    municipality: Any = None  # None (everything in scope), a Municipality, or REGIONAL
    organization: Any = None  # None (any), an Organization, or NO_ORGANIZATION

    def key(self, prefix=""):
        """The group key of a row reaching the person through ``prefix``."""
        if self.grouping == Grouping.DISTRICT:
            if self.scope.everything or not self.scope.municipality_ids:
                return district(prefix)
            # A manager of a settlement sees the settlement itself, not the district around it.
            return Case(
                When(
                    **{f"{prefix}municipality_id__in": sorted(self.scope.municipality_ids)},
                    then=F(f"{prefix}municipality_id"),
                ),
                default=district(prefix),
            )
        if self.grouping == Grouping.ORGANIZATION:
            return F(f"{prefix}organization_id")
        return F(f"{prefix}id")

    def condition(self, prefix=""):
        """The narrowing below the scope as a Q (empty when there is none)."""
        condition = Q()
        if self.municipality == REGIONAL:
            condition &= Q(**{f"{prefix}municipality__isnull": True})
        elif self.municipality is not None:
            condition &= Q(**{f"{prefix}municipality_id": self.municipality.pk}) | Q(
                **{f"{prefix}municipality__parent_id": self.municipality.pk}
            )
        if self.organization == NO_ORGANIZATION:
            condition &= Q(**{f"{prefix}organization__isnull": True})
        elif self.organization is not None:
            condition &= Q(**{f"{prefix}organization_id": self.organization.pk})
        return condition

    def narrow(self, queryset, prefix=""):
        """``queryset`` kept to the scope and to this slice."""
        return self.scope.filter(queryset, f"{prefix}municipality").filter(self.condition(prefix))


def municipality_param(scope, value):
    """A municipality id from request parameters, or REGIONAL; anything out of scope is 404."""
    if value in (None, ""):
        return None
    if value == REGIONAL:
        if not scope.everything:
            raise Http404
        return REGIONAL
    return scope.get_municipality_or_404(value)


def organization_param(scope, value, municipality):
    """An organization id (or NO_ORGANIZATION) of ``municipality``; anything else is 404."""
    if value in (None, ""):
        return None
    if value == NO_ORGANIZATION:
        return NO_ORGANIZATION
    try:
        organization = scope.organizations().select_related("municipality").get(pk=value)
    except (Organization.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if municipality == REGIONAL:
        belongs = organization.municipality_id is None
    elif isinstance(municipality, Municipality):
        belongs = municipality.pk in (organization.municipality_id, organization.municipality.parent_id)
    else:
        belongs = True
    if not belongs:
        raise Http404
    return organization
