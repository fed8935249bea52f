"""A municipal manager imports the roster of their own municipality: rows about anybody else are rejected."""

import pytest

from people.factories import make_person
from people.importing import import_people
from people.models import User
from people.scope import Scope

from .test_import_service import errors_by_line, good_rows, person_row, region, write_csv  # noqa: F401

pytestmark = pytest.mark.django_db


def babynino_scope(region):  # noqa: F811
    manager = make_person(region["babynino_admin"], managed_municipality=region["babynino"])
    return Scope(manager, {region["babynino"].pk})


def test_rows_of_the_municipality_and_its_settlements_are_imported(tmp_path, region):  # noqa: F811
    rows = [good_rows()[0], good_rows()[2]]  # the district and its settlement
    report = import_people(write_csv(tmp_path / "r.csv", rows), scope=babynino_scope(region))
    assert report.saved, report.errors
    assert report.created == 2


def test_rows_placed_elsewhere_or_nowhere_are_rejected_and_nothing_is_written(tmp_path, region):  # noqa: F811
    rows = [
        good_rows()[0],
        good_rows()[1],  # a regional body: no municipality
        person_row(
            email="k@example.org",
            number="3003",
            municipality="Город Калуга",
            organization="Отдел образования",
        ),
    ]
    scope = babynino_scope(region)
    before = User.objects.count()
    report = import_people(write_csv(tmp_path / "r.csv", rows), scope=scope)
    errors = errors_by_line(report)
    assert set(errors) == {3, 4}
    assert "не входит в ваше (Бабынинский район)" in errors[3][0]
    assert not report.saved
    assert User.objects.count() == before


def test_a_person_of_another_municipality_cannot_be_moved_in_by_email(tmp_path, region):  # noqa: F811
    stranger = make_person(region["kaluga_admin"], email="ivanov@example.org", personnel_number="")
    report = import_people(
        write_csv(tmp_path / "r.csv", [person_row(number="")]),
        scope=babynino_scope(region),
        skip_invalid=True,
    )
    assert "перевод оформляет региональный менеджер" in errors_by_line(report)[2][0]
    stranger.refresh_from_db()
    assert stranger.municipality == region["kaluga"]


def test_the_whole_region_imports_anywhere(tmp_path, region):  # noqa: F811
    manager = make_person(None)
    report = import_people(write_csv(tmp_path / "r.csv", good_rows()), scope=Scope(manager, everything=True))
    assert report.saved and report.created == 3
