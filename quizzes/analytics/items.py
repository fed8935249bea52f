"""Item analysis of a campaign: how hard each question was and how well it separates strong from weak.

Computed over the counted sittings (one finished sitting per person, see :mod:`.sittings`) of the
people in scope. For a question *q* let *S(q)* be the sittings whose frozen snapshot contains *q*
and *f(s, q)* the fraction (0..1) of *q*'s points earned in sitting *s*; a question left unanswered
has no response row and counts as 0.

* **Facility index** ``p(q) = Σ f(s, q) / |S(q)|`` over *S(q)*: the mean fraction of the question's
  maximum score (1 — everybody right, 0 — nobody).
* **Discrimination index** ``D(q) = p_upper(q) − p_lower(q)``: the sittings are ranked by their total
  percent; the upper group is the top ``k = round(0.27 · n)`` (at least one) of the *n* sittings and
  the lower group the bottom *k* (ties at the border are broken by sitting id); ``p_upper`` and
  ``p_lower`` are the facility within each group. D runs from −1 to 1; below about 0.2 the question
  separates poorly, a negative D means the weak did better than the strong. ``None`` with fewer
  than two sittings or when a group never saw the question.
* **Responses** — how many of those sittings answered the question at all.

Everything is summed in the database: one GROUP BY over responses and one aggregate over sittings
(a ``snapshot`` key test per question) for the denominators.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, Q, Sum, Value, When

from ..models import Question, QuizQuestion, Response
from .sittings import counted_sittings

GROUP_SHARE = Decimal("0.27")
UPPER, MIDDLE, LOWER = 1, 0, -1
FOUR_DECIMALS = Decimal("0.0001")


@dataclass
class ItemRow:
    question_id: int
    text: str
    category: str
    seen: int
    responses: int
    facility: Decimal | None
    discrimination: Decimal | None


def group_size(n):
    """How many sittings form the upper (and the lower) group: 27 % of ``n``, rounded, at least 1."""
    return max(1, int((GROUP_SHARE * n).quantize(Decimal(1), ROUND_HALF_UP))) if n else 0


def ranked_groups(sittings):
    """``(n, group)``: the number of sittings and a Case expression giving UPPER/LOWER/MIDDLE per sitting.

    ``group`` is written against a sitting id path; call it with ``"pk"`` or ``"sitting_id"``.
    """
    n = sittings.count()
    k = group_size(n)
    upper = sittings.order_by("-percent", "pk").values("pk")[:k]
    lower = sittings.order_by("percent", "-pk").values("pk")[:k]

    def group(path):
        return Case(
            When(**{f"{path}__in": upper}, then=Value(UPPER)),
            When(**{f"{path}__in": lower}, then=Value(LOWER)),
            default=Value(MIDDLE),
        )

    return n, group


def seen_counts(sittings, question_ids, key):
    """``{(key value, question id): how many sittings contain the question}`` in one query.

    ``key`` is an expression over sittings to group by (a ranked group, a district).
    """
    aggregates = {f"q{pk}": Count("pk", filter=Q(snapshot__has_key=str(pk))) for pk in question_ids}
    if not aggregates:
        return {}
    rows = sittings.annotate(group_key=key).values("group_key").annotate(**aggregates).order_by()
    return {(row["group_key"], pk): row[f"q{pk}"] for row in rows for pk in question_ids}


def questions_of(campaign, sittings):
    """Ids of the questions to analyse: the quiz's fixed ones and every one answered in ``sittings``."""
    answered = Response.objects.filter(sitting__in=sittings.values("pk")).values_list(
        "question_id", flat=True
    )
    fixed = QuizQuestion.objects.filter(quiz_id=campaign.quiz_id).values_list("question_id", flat=True)
    return sorted(set(answered.distinct()) | set(fixed))


def _ratio(part, whole):
    return Decimal(part) / Decimal(whole) if whole else None


def _rounded(value):
    return None if value is None else value.quantize(FOUR_DECIMALS, ROUND_HALF_UP)


def item_analysis(campaign, scope):
    """:class:`ItemRow` per question, in question id order."""
    sittings = counted_sittings(campaign, scope)
    n, group = ranked_groups(sittings)
    if not n:
        return []
    question_ids = questions_of(campaign, sittings)
    seen = seen_counts(sittings, question_ids, group("pk"))
    sums = {}
    answered = {}
    rows = (
        Response.objects.filter(sitting__in=sittings.values("pk"))
        .annotate(group_key=group("sitting_id"))
        .values("question_id", "group_key")
        .annotate(total=Sum("fraction"), answered=Count("pk", filter=Q(answer__isnull=False)))
        .order_by()
    )
    for row in rows:
        sums[row["group_key"], row["question_id"]] = row["total"] or Decimal(0)
        answered[row["question_id"]] = answered.get(row["question_id"], 0) + row["answered"]
    questions = Question.objects.non_polymorphic().select_related("category").in_bulk(question_ids)
    items = []
    for pk in question_ids:
        groups = (UPPER, MIDDLE, LOWER)
        seen_all = sum(seen.get((g, pk), 0) for g in groups)
        total = sum((sums.get((g, pk), Decimal(0)) for g in groups), Decimal(0))
        p_upper = _ratio(sums.get((UPPER, pk), 0), seen.get((UPPER, pk), 0))
        p_lower = _ratio(sums.get((LOWER, pk), 0), seen.get((LOWER, pk), 0))
        discrimination = None if n < 2 or None in (p_upper, p_lower) else p_upper - p_lower
        question = questions.get(pk)
        items.append(
            ItemRow(
                question_id=pk,
                text=str(question) if question else "",
                category=question.category.name if question else "",
                seen=seen_all,
                responses=answered.get(pk, 0),
                facility=_rounded(_ratio(total, seen_all)),
                discrimination=_rounded(discrimination),
            )
        )
    return items
