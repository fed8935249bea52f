"""The plan-execution report: DOCX and XLSX read back with python-docx/openpyxl, numbers compared with
the independent counts of test_plan_figures; the Russian wording; the page and who may use it."""

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from people.factories import make_person, make_regional_manager
from people.roles import Role
from reports.period import Period
from reports.plan.figures import COLUMN_LABELS, ITEM_NUMBERS
from reports.plan.wording import in_period, plural

from .plan_dataset import YEAR, build_dataset
from .test_plan_figures import expected_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build_dataset()


def download(client, user, fmt, **params):
    client.force_login(user)
    response = client.get(
        reverse("reports_exports:plan_report"), {"plan": str(YEAR), "format": fmt, **params}
    )
    assert response.status_code == 200, response.content[:500]
    return response


def expected_rows(number, manager, data):
    """``{row name: {column label: value}}`` and the totals, from the independent counts."""
    names = {d.pk: str(d) for d in data.districts} | {None: "Областные органы"}
    expected = expected_figures(number, manager)
    rows = {}
    for column, counter in expected.items():
        for key, value in counter.items():
            rows.setdefault(names[key], {})[str(COLUMN_LABELS[column])] = value
    return rows


def table_as_dicts(header, body):
    return {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in body}


def as_int(value):
    return int(value) if value not in ("", None) else 0


def compare(number, table_rows, manager, data):
    """Every non-zero independent count appears in the document's row; the document has no extra rows."""
    expected = expected_rows(number, manager, data)
    for name, values in expected.items():
        for label, value in values.items():
            if label == str(COLUMN_LABELS["events_attended"]) and name == "Итого":
                continue
            assert as_int(table_rows[name][label]) == value, (number, name, label)
    totals = {}
    for values in expected.values():
        for label, value in values.items():
            totals[label] = totals.get(label, 0) + value
    skip = {str(COLUMN_LABELS["events_attended"]), str(COLUMN_LABELS["trained_percent"])}
    for label, value in table_rows["Итого"].items():
        if label not in skip:
            assert as_int(value) == totals.get(label, 0), (number, "Итого", label)
    for name, values in table_rows.items():
        if name == "Итого":
            continue
        for label, value in values.items():
            if label in (str(COLUMN_LABELS["trained_percent"]),):
                continue
            assert as_int(value) == expected.get(name, {}).get(label, 0), (number, name, label)


def test_the_docx_report_has_a_section_per_item_with_the_independent_numbers(client, data):
    manager = make_regional_manager()
    response = download(client, manager, "docx")
    assert response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [h.split(".")[0] + "." + h.split(".")[1] for h in headings] == list(ITEM_NUMBERS)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Отчётный период: 2024 год." in text
    assert "Охват: вся область." in text

    # Tables follow the items that have figures, in order; match each by its position among headings.
    body = document.element.body
    current, tables = None, {}
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p" and child.xpath("string(.)") in headings:
            current = child.xpath("string(.)").split(" ", 1)[0].rstrip(".")
        elif tag == "tbl":
            tables[current] = child
    grids = {t._element: t for t in document.tables}
    assert {"5.1", "5.2", "5.7", "5.8", "5.9"} <= set(tables)
    for number, element in tables.items():
        grid = grids[element]
        cells = [[cell.text for cell in row.cells] for row in grid.rows]
        compare(number, table_as_dicts(cells[0], cells[1:]), manager, data)

    participants = sum(expected_figures("5.2", manager)["event_participants"].values())
    assert f"Число участников — {participants} " in text
    assert "Проведено 2 мероприятия:" in text


def test_the_xlsx_report_has_a_sheet_per_item_with_the_independent_numbers(client, data):
    manager = make_regional_manager()
    workbook = load_workbook(io.BytesIO(download(client, manager, "xlsx").content))
    assert workbook.sheetnames == ["Сводка", *(f"Пункт {n}" for n in ITEM_NUMBERS)]
    summary = list(workbook["Сводка"].iter_rows(values_only=True))
    assert [row[0] for row in summary if row and row[0] in ITEM_NUMBERS] == list(ITEM_NUMBERS)
    for number in ("5.1", "5.2", "5.7", "5.8", "5.9"):
        rows = list(workbook[f"Пункт {number}"].iter_rows(values_only=True))
        start = next(i for i, row in enumerate(rows) if row[0] == "Муниципальное образование")
        header = list(rows[start])
        compare(number, table_as_dicts(header, [list(r) for r in rows[start + 1 :]]), manager, data)


def test_a_municipal_managers_report_covers_only_their_municipality(client, data):
    manager = data.managers["north"]
    workbook = load_workbook(io.BytesIO(download(client, manager, "xlsx").content))
    rows = list(workbook["Пункт 5.2"].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "Муниципальное образование")
    names = [row[0] for row in rows[start + 1 :]]
    assert names == ["Северный район", "Итого"]
    compare("5.2", table_as_dicts(list(rows[start]), [list(r) for r in rows[start + 1 :]]), manager, data)
    assert ("Охват: Северный район",) in [row[:1] for row in workbook["Сводка"].iter_rows(values_only=True)]


def test_a_shorter_period_changes_the_numbers(client, data):
    manager = make_regional_manager()
    response = download(client, manager, "docx", start=f"{YEAR}-01-01", end=f"{YEAR}-06-30")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "В период с 01.01.2024 по 30.06.2024" in text
    assert "Проведено 1 мероприятие:" in text  # the October seminar is outside


def test_the_form_page_and_bad_input(client, data):
    manager = make_regional_manager()
    client.force_login(manager)
    page = client.get(reverse("reports_exports:plan_report"))
    assert page.status_code == 200
    assert "Скачать DOCX" in page.content.decode()
    url = reverse("reports_exports:plan_report")
    assert client.get(url, {"plan": "1999", "format": "docx"}).status_code == 404
    assert client.get(url, {"plan": str(YEAR), "format": "pdf"}).status_code == 400
    assert (
        client.get(url, {"plan": str(YEAR), "format": "docx", "start": "2024-13-01", "end": "x"}).status_code
        == 400
    )


@pytest.mark.parametrize("role", [Role.SERVANT, Role.TRAINER])
def test_servants_and_trainers_get_no_report(client, data, role):
    client.force_login(make_person(role=role))
    response = client.get(reverse("reports_exports:plan_report"), {"plan": str(YEAR), "format": "docx"})
    assert response.status_code == 403


def test_russian_plurals_and_periods():
    assert [plural(n, "семинар", "семинара", "семинаров") for n in (1, 2, 5, 11, 21, 22, 112)] == [
        "1 семинар",
        "2 семинара",
        "5 семинаров",
        "11 семинаров",
        "21 семинар",
        "22 семинара",
        "112 семинаров",
    ]
    assert in_period(Period.year(2024)) == "В 2024 году"
