"""Who was expected, who started, finished and passed a campaign: per municipality, organization, person.

Every figure is one GROUP BY in the database and goes through the manager's
:class:`~people.scope.Scope`. A person counts once however many sittings they have:

* **expected** — the campaign audience's active members;
* **started** — people with any sitting of the campaign (finished ones included);
* **finished** — people with a finished, scored sitting (one waiting for a trainer to grade an essay
  counts as started only);
* **passed** and **average score** — from each person's counted sitting (best or last, see
  :mod:`.sittings`);
* **participation** — finished / expected, in per cent.

People of settlements roll up into their district in the per-municipality table; people with no
municipality (regional bodies) form a row of their own, seen only by regional managers.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from people.models import Municipality, Organization, User

from ..models import Sitting
from .sittings import campaign_sittings, counted_sittings, district

ONE_DECIMAL = Decimal("0.1")
NO_MUNICIPALITY = _("Областные органы")
NO_ORGANIZATION = _("Без организации")


def percent(part, whole):
    """``part / whole`` in per cent with one decimal, or None for an empty whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


@dataclass
class ResultRow:
    """One line of a results table: a municipality, an organization, or the total."""

    key: int | None
    name: str
    expected: int = 0
    started: int = 0
    finished: int = 0
    passed: int = 0
    average: Decimal | None = None
    extra: dict = field(default_factory=dict)

    @property
    def participation(self):
        return percent(self.finished, self.expected)

    @property
    def pass_rate(self):
        return percent(self.passed, self.finished)


SORT_FIELDS = ("name", "expected", "started", "finished", "passed", "average", "participation")


def sort_rows(rows, sort):
    """Rows ordered by ``sort`` (a name from :data:`SORT_FIELDS`, ``-`` for descending); empty last."""
    name = sort.lstrip("-")
    if name not in SORT_FIELDS:
        name, sort = "name", "name"
    descending = sort.startswith("-")
    present = [row for row in rows if getattr(row, name) is not None]
    missing = [row for row in rows if getattr(row, name) is None]
    key = (lambda row: str(row.name).lower()) if name == "name" else (lambda row: getattr(row, name))
    return sorted(present, key=key, reverse=descending) + missing


def total_row(rows):
    """The sum of ``rows``; the average is weighted by the number of people who finished."""
    total = ResultRow(key=None, name=str(_("Итого")))
    weighted = Decimal(0)
    for row in rows:
        total.expected += row.expected
        total.started += row.started
        total.finished += row.finished
        total.passed += row.passed
        if row.average is not None:
            weighted += row.average * row.finished
    if total.finished:
        total.average = (weighted / total.finished).quantize(ONE_DECIMAL, ROUND_HALF_UP)
    return total


def _results_by(sittings, counted, key):
    """``{key: {started, finished, passed, average}}`` in one GROUP BY query over ``sittings``."""
    counted_pks = counted.values("pk")
    rows = (
        sittings.annotate(group_key=key)
        .values("group_key")
        .annotate(
            started=Count("user_id", distinct=True),
            finished=Count("user_id", distinct=True, filter=Q(state=Sitting.State.FINISHED)),
            passed=Count("user_id", distinct=True, filter=Q(passed=True, pk__in=counted_pks)),
            average=Avg("percent", filter=Q(pk__in=counted_pks)),
        )
        .order_by()
    )
    return {row.pop("group_key"): row for row in rows}


def _expected_by(people, key):
    rows = people.annotate(group_key=key).values("group_key").annotate(expected=Count("pk")).order_by()
    return {row["group_key"]: row["expected"] for row in rows}


def _merge(expected, results, names):
    rows = []
    for key in expected.keys() | results.keys():
        result = results.get(key, {})
        average = result.get("average")
        rows.append(
            ResultRow(
                key=key,
                name=names.get(key, ""),
                expected=expected.get(key, 0),
                started=result.get("started", 0),
                finished=result.get("finished", 0),
                passed=result.get("passed", 0),
                average=None if average is None else Decimal(average).quantize(ONE_DECIMAL, ROUND_HALF_UP),
            )
        )
    return rows


def _within(queryset, municipality, prefix=""):
    """Narrow to people of ``municipality`` and its settlements (no narrowing for None)."""
    if municipality is None:
        return queryset
    return queryset.filter(
        Q(**{f"{prefix}municipality_id": municipality.pk})
        | Q(**{f"{prefix}municipality__parent_id": municipality.pk})
    )


def by_municipality(campaign, scope):
    """Rows per top-level municipality (settlements rolled up), unsorted."""
    expected = _expected_by(scope.people(campaign.expected_participants()), district())
    results = _results_by(
        campaign_sittings(campaign, scope), counted_sittings(campaign, scope), district("user__")
    )
    names = {pk: str(m) for pk, m in Municipality.objects.in_bulk(k for k in expected | results if k).items()}
    names[None] = str(NO_MUNICIPALITY)
    return _merge(expected, results, names)


def by_organization(campaign, scope, municipality=None):
    """Rows per organization, all in scope or those of one municipality (with its settlements)."""
    people = _within(scope.people(campaign.expected_participants()), municipality)
    expected = _expected_by(people, F("organization_id"))
    results = _results_by(
        _within(campaign_sittings(campaign, scope), municipality, "user__"),
        counted_sittings(campaign, scope),
        F("user__organization_id"),
    )
    organizations = Organization.objects.select_related("municipality").in_bulk(
        k for k in expected | results if k
    )
    names = {pk: str(org) for pk, org in organizations.items()}
    names[None] = str(NO_ORGANIZATION)
    rows = _merge(expected, results, names)
    for row in rows:
        org = organizations.get(row.key)
        row.extra["municipality"] = org.municipality if org else None
    return rows


def live_counters(campaign):
    """``{municipality_id: (started, finished, passed)}`` of the whole campaign, in one GROUP BY query.

    Not scoped and not rolled up: the live monitor computes this once per campaign and each
    connection keeps and sums up only the municipalities its manager may see.
    """
    counted_pks = counted_sittings(campaign).values("pk")
    rows = (
        Sitting.objects.filter(campaign=campaign)
        .values("user__municipality_id")
        .annotate(
            started=Count("user_id", distinct=True),
            finished=Count("user_id", distinct=True, filter=Q(state=Sitting.State.FINISHED)),
            passed=Count("user_id", distinct=True, filter=Q(passed=True, pk__in=counted_pks)),
        )
        .order_by()
    )
    return {row["user__municipality_id"]: (row["started"], row["finished"], row["passed"]) for row in rows}


class ParticipantState:
    NOT_STARTED = _("не приступал")
    IN_PROGRESS = _("проходит")
    AWAITING_GRADING = _("ожидает проверки")
    FINISHED = _("завершил")


def participants(campaign, scope, *, municipality=None, organization=None):
    """People of the campaign in scope (expected or having a sitting) with their result, by name.

    Each person carries ``attempts``, ``result_percent``, ``result_passed``, ``is_expected`` and
    ``state`` (a :class:`ParticipantState` label).
    """
    # quiz as well as campaign: lets the planner use the (user, quiz, number) index, see .sittings
    sittings = Sitting.objects.filter(user=OuterRef("pk"), quiz_id=campaign.quiz_id, campaign=campaign)
    counted = counted_sittings(campaign).filter(user=OuterRef("pk"), quiz_id=campaign.quiz_id)
    expected_pks = campaign.expected_participants().values("pk")
    people = scope.people(
        User.objects.filter(
            Q(pk__in=expected_pks) | Q(pk__in=Sitting.objects.filter(campaign=campaign).values("user_id"))
        )
    )
    people = _within(people, municipality)
    if organization is not None:
        people = people.filter(organization=organization)
    return (
        people.select_related("organization", "municipality")
        .annotate(
            attempts=Subquery(sittings.order_by().values("user").annotate(n=Count("pk")).values("n")[:1]),
            result_percent=Subquery(counted.values("percent")[:1]),
            result_passed=Subquery(counted.values("passed")[:1]),
            is_expected=Exists(expected_pks.filter(pk=OuterRef("pk"))),
            in_progress=Exists(sittings.filter(state=Sitting.State.IN_PROGRESS)),
            awaiting=Exists(sittings.filter(state=Sitting.State.NEEDS_GRADING)),
        )
        .order_by("last_name", "first_name", "patronymic", "pk")
    )


def state_of(person):
    """The label of an annotated person from :func:`participants`."""
    if person.in_progress:
        return ParticipantState.IN_PROGRESS
    if person.result_percent is not None:
        return ParticipantState.FINISHED
    if person.awaiting:
        return ParticipantState.AWAITING_GRADING
    return ParticipantState.NOT_STARTED
