"""Anonymizing leavers and applying every retention period leaves the figures as they were: the
dashboard tables and the plan report count the same, only the names of the anonymized change."""

import datetime

import pytest
from django.utils import timezone

from people.factories import make_regional_manager
from people.models import User
from people.privacy import apply_retention
from people.scope import Scope
from quizzes.models import Sitting
from reports.period import Period
from reports.plan.report import build_plan_report
from reports.tables import ReportRequest, table_spec

from . import plan_dataset
from .dataset import build_dataset

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=365 * 10)


def leavers_left_long_ago():
    leavers = User.objects.filter(is_active=False)
    assert leavers.exists()
    leavers.update(deactivated_at=LONG_AGO)
    return set(leavers.values_list("pk", flat=True))


def anonymize(expected_ids):
    apply_retention()
    assert set(User.objects.filter(anonymized_at__isnull=False).values_list("pk", flat=True)) == expected_ids


def numbers(table):
    """Every row's figures (not the names) and the totals of a dashboard table."""
    numeric = [column.key for column in table.columns if column.numeric]
    rows = {row["id"]: {key: row.get(key) for key in numeric} for row in table.rows}
    return rows, {key: (table.footer or {}).get(key) for key in numeric}


@pytest.mark.parametrize("seed", [1, 7])
def test_the_dashboard_counts_the_same_after_anonymization(seed):
    data = build_dataset(seed)
    manager = make_regional_manager()

    def build(key, **params):
        return table_spec(key).build(
            ReportRequest(manager.pk, data.period, {k: str(v) for k, v in params.items()})
        )

    def figures():
        result = {"municipalities": numbers(build("municipalities"))}
        for municipality in [*data.municipalities.values(), None]:
            param = municipality.pk if municipality else "regional"
            result["organizations", param] = numbers(build("organizations", municipality=param))
            result["people", param] = numbers(build("people", municipality=param))
        return result

    leavers = leavers_left_long_ago()
    assert Sitting.objects.filter(user_id__in=leavers).exists()
    before = figures()
    people_before = build("people", municipality=data.municipalities["kaluga"].pk)

    anonymize(leavers)

    assert figures() == before
    names_after = {
        row["id"]: row["name"] for row in build("people", municipality=data.municipalities["kaluga"].pk).rows
    }
    for row in people_before.rows:  # the anonymized are still counted, under their pseudonym
        if row["id"] in leavers:
            assert names_after[row["id"]] == f"Удалён №{row['id']}"


# Items whose group is the service category (kept by the anonymization) or nobody in particular.
BY_CATEGORY = ("1.3", "5.1", "5.2", "5.3", "5.4", "5.5", "5.6")
# Items whose group is a duty flag or the hire date, which the anonymization clears
# (people/privacy/anonymize.py): what anonymized leavers did drops out of these items' figures.
BY_CLEARED_FIELDS = ("5.7", "5.8", "5.9")


def plan_report_before_and_after_anonymization():
    data = plan_dataset.build_dataset()
    manager = make_regional_manager()

    def report():
        built = build_plan_report(data.plan, Period.year(plan_dataset.YEAR), Scope.for_user(manager))
        return {
            section.item.number: (
                section.heading,
                [row.as_row() for row in section.figures.rows],
                section.figures.total.as_row(),
                section.paragraphs,
            )
            for section in built.sections
        }

    leavers = leavers_left_long_ago()
    assert Sitting.objects.filter(user_id__in=leavers).exists()
    before = report()
    anonymize(leavers)
    return before, report()


def test_the_plan_report_counts_the_same_after_anonymization():
    before, after = plan_report_before_and_after_anonymization()
    assert set(before) == set(BY_CATEGORY) | set(BY_CLEARED_FIELDS)
    for number in BY_CATEGORY:
        assert after[number] == before[number], number
    for number in BY_CLEARED_FIELDS:  # the targets are of active people only: they stay
        assert after[number][2]["target"] == before[number][2]["target"], number


def test_the_items_counted_by_duties_and_hire_date_count_the_same_after_anonymization():
    before, after = plan_report_before_and_after_anonymization()
    assert [after[number] for number in BY_CLEARED_FIELDS] == [before[number] for number in BY_CLEARED_FIELDS]
