"""Weak topics: the mean fraction of points per question category, overall and per municipality.

Over the counted sittings of the people in scope (see :mod:`.items` for how unanswered questions
count: as 0 of the questions the sitting contained). A topic is a question's category in the bank
(as it is now); settlements roll up into their district.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from people.models import Municipality

from ..models import Category, Question, Response
from .items import FOUR_DECIMALS, questions_of, seen_counts
from .participation import NO_MUNICIPALITY
from .sittings import counted_sittings, district


@dataclass
class TopicRow:
    category_id: int
    name: str
    seen: int = 0
    total: Decimal = Decimal(0)
    by_district: dict = field(default_factory=dict)  # district id → mean fraction

    @property
    def mean(self):
        return _mean(self.total, self.seen)


@dataclass
class TopicTable:
    districts: list  # [(id, name)] in name order
    rows: list  # TopicRow, weakest first

    def cells(self):
        """Rows as ``(row, [mean per district in the order of districts])`` for templates."""
        return [(row, [row.by_district.get(pk) for pk, _name in self.districts]) for row in self.rows]


def _mean(total, seen):
    if not seen:
        return None
    return (Decimal(total) / Decimal(seen)).quantize(FOUR_DECIMALS, ROUND_HALF_UP)


def topic_table(campaign, scope):
    sittings = counted_sittings(campaign, scope)
    question_ids = questions_of(campaign, sittings)
    category_of = dict(
        Question.objects.non_polymorphic().filter(pk__in=question_ids).values_list("pk", "category_id")
    )
    seen = seen_counts(sittings, question_ids, district("user__"))
    sums = {
        (row["group_key"], row["question_id"]): row["total"] or Decimal(0)
        for row in Response.objects.filter(sitting__in=sittings.values("pk"))
        .annotate(group_key=district("sitting__user__"))
        .values("group_key", "question_id")
        .annotate(total=Sum("fraction"))
        .order_by()
    }
    # Per (district, category): the points earned and the questions seen, summed over its questions.
    cells = {}
    for (district_id, question_id), count in seen.items():
        if not count or question_id not in category_of:
            continue
        cell = cells.setdefault((district_id, category_of[question_id]), [Decimal(0), 0])
        cell[0] += sums.get((district_id, question_id), Decimal(0))
        cell[1] += count
    names = {
        pk: category.name for pk, category in Category.objects.in_bulk(set(category_of.values())).items()
    }
    rows = {}
    for (district_id, category_id), (total, count) in cells.items():
        row = rows.setdefault(category_id, TopicRow(category_id, names.get(category_id, "")))
        row.total += total
        row.seen += count
        row.by_district[district_id] = _mean(total, count)
    district_ids = {district_id for district_id, _category in cells}
    municipalities = Municipality.objects.in_bulk(pk for pk in district_ids if pk)
    districts = sorted(
        ((pk, str(municipalities[pk]) if pk else str(NO_MUNICIPALITY)) for pk in district_ids),
        key=lambda item: item[1].lower(),
    )
    ordered = sorted(rows.values(), key=lambda row: (row.mean, row.name.lower()))
    return TopicTable(districts=districts, rows=ordered)


def weakest_topics(campaign, scope, limit=5):
    return topic_table(campaign, scope).rows[:limit]
