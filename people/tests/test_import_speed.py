"""A region-size roster: 10,000 rows import completely, correctly and in seconds."""

import datetime
import time

import pytest

from people.factories import make_municipality, make_organization
from people.importing import import_people
from people.models import ServiceCategory, User
from people.roles import GROUP_NAMES, Role
from people.tests.test_import_service import HEADER, write_csv

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROWS = 10_000
MUNICIPALITIES = 25
# Generous: the import takes a few seconds on SQLite; this only catches a return to per-row queries.
SECONDS_ALLOWED = 60


def big_roster(path, position="Специалист"):
    places = [(f"Район {m}", f"Администрация района {m}") for m in range(MUNICIPALITIES)]
    rows = []
    for i in range(ROWS):
        municipality, organization = places[i % MUNICIPALITIES]
        rows.append(
            {
                "Фамилия": f"Фамилия{i}",
                "Имя": "Мария" if i % 2 else "Иван",
                "Отчество": "Петровна" if i % 2 else "Петрович",
                "Email": f"person{i}@example.org" if i % 10 else "",
                "Табельный номер": f"T{i:05d}",
                "Муниципальное образование": municipality,
                "Организация": organization,
                "Должность": position,
                "Категория": "муниципальный служащий",
                "Дата поступления на службу": f"{1 + i % 28:02d}.{1 + i % 12:02d}.{2000 + i % 24}",
                "Участвует в закупках": "да" if i % 7 == 0 else "нет",
                "Обязанности по противодействию коррупции": "1" if i % 50 == 0 else "0",
                "Кадровая служба": "",
            }
        )
    return write_csv(path, rows, header=HEADER)


def timed(*args, **kwargs):
    started = time.perf_counter()
    report = import_people(*args, **kwargs)
    return report, time.perf_counter() - started


def test_ten_thousand_rows_import_completely_and_quickly(tmp_path):
    for m in range(MUNICIPALITIES):
        make_organization(make_municipality(f"Район {m}"), f"Администрация района {m}")
    path = big_roster(tmp_path / "region.csv")

    report, first = timed(path)
    assert (report.fatal, report.errors) == ("", [])
    assert (report.created, report.updated, report.unchanged) == (ROWS, 0, 0)
    assert User.objects.count() == ROWS
    assert User.objects.filter(groups__name=GROUP_NAMES[Role.SERVANT]).count() == ROWS
    assert User.objects.filter(has_procurement_duties=True).count() == len(range(0, ROWS, 7))
    assert User.objects.filter(email="").count() == ROWS // 10
    last = User.objects.select_related("organization", "municipality").get(
        personnel_number=f"T{ROWS - 1:05d}"
    )
    i = ROWS - 1
    assert last.email == f"person{i}@example.org"
    assert last.municipality.name == f"Район {i % MUNICIPALITIES}"
    assert last.organization.name == f"Администрация района {i % MUNICIPALITIES}"
    assert last.hire_date == datetime.date(2000 + i % 24, 1 + i % 12, 1 + i % 28)
    assert last.category == ServiceCategory.MUNICIPAL

    report, again = timed(path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, ROWS)

    report, changed = timed(big_roster(tmp_path / "promoted.csv", position="Ведущий специалист"))
    assert (report.created, report.updated) == (0, ROWS)
    assert User.objects.filter(position="Ведущий специалист").count() == ROWS

    print(f"\n{ROWS} rows: create {first:.2f} s, re-import {again:.2f} s, update {changed:.2f} s")
    assert max(first, again, changed) < SECONDS_ALLOWED
