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


def test_the_plan_report_counts_the_same_after_anonymization():
    data = plan_dataset.build_dataset()
    manager = make_regional_manager()

    def report():
        built = build_plan_report(data.plan, Period.year(plan_dataset.YEAR), Scope.for_user(manager))
        return [
            (
                section.heading,
                [row.as_row() for row in section.figures.rows],
                section.figures.total.as_row(),
                section.paragraphs,
            )
            for section in built.sections
        ]

    leavers = leavers_left_long_ago()
    assert Sitting.objects.filter(user_id__in=leavers).exists()
    before = report()
    anonymize(leavers)
    assert report() == before
