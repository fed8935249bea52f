"""The sittings a campaign's figures are computed from.

A person may sit a campaign's test more than once; every figure about results counts one sitting per
person: the *counted* one (the best or the last finished sitting, as the quiz says), chosen in the
database like :meth:`quizzes.models.sittings.SittingQuerySet.counted` but among the sittings of
this campaign only (the same quiz may be used by several campaigns).
"""

from decimal import Decimal

from django.db.models import Case, DecimalField, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from ..models import Quiz, Sitting


def district(prefix=""):
    """The top-level municipality of a person: a settlement's district, or the municipality itself.

    ``prefix`` is the path from the queried model to the person, e.g. ``"user__"`` for sittings.
    """
    return Coalesce(F(f"{prefix}municipality__parent_id"), F(f"{prefix}municipality_id"))


def campaign_sittings(campaign, scope):
    """All sittings of the campaign by people in ``scope``."""
    return scope.filter(Sitting.objects.filter(campaign=campaign), "user__municipality")


def counted_sittings(campaign, scope=None):
    """One finished sitting per person of the campaign (the best or the last), optionally scoped."""
    best_first = Case(
        When(quiz__grading_method=Quiz.GradingMethod.BEST, then=F("percent")),
        default=Value(Decimal(0)),
        output_field=DecimalField(max_digits=6, decimal_places=2),
    )
    chosen = (
        Sitting.objects.finished()
        # user + quiz first: that is the (user, quiz, number) unique index, which SQLite's planner
        # then prefers over the campaign's (it would scan the whole campaign per person).
        .filter(user=OuterRef("user"), quiz=OuterRef("quiz"), campaign=campaign)
        .order_by(best_first.desc(), "-finished_at", "-pk")
        .values("pk")[:1]
    )
    counted = Sitting.objects.finished().filter(campaign=campaign, pk=Subquery(chosen))
    return counted if scope is None else scope.filter(counted, "user__municipality")
