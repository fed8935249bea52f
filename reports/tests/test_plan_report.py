"""The plan-execution report: DOCX and XLSX read back with python-docx/openpyxl, numbers compared with
the independent counts of test_plan_figures; the «how counted» notes and the links to the item pages;
the Russian wording; the pages and who may use them."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from openpyxl import load_workbook

from people.factories import make_person, make_regional_manager
from people.models import ServiceCategory, User
from people.roles import Role
from quizzes.models import Sitting
from reports.period import Period
from reports.plan.figures import COLUMN_LABELS, ITEM_NUMBERS
from reports.plan.wording import in_period, plural

from .plan_dataset import YEAR, build_dataset
from .test_plan_figures import expected_figures, expected_materials

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
    assert {"1.3", "5.1", "5.2", "5.7", "5.8", "5.9"} <= set(tables)
    for number, element in tables.items():
        grid = grids[element]
        cells = [[cell.text for cell in row.cells] for row in grid.rows]
        compare(number, table_as_dicts(cells[0], cells[1:]), manager, data)

    participants = sum(expected_figures("5.2", manager)["event_participants"].values())
    assert (
        f"Число участников из числа лиц категории «государственные гражданские служащие» — {participants} "
    ) in text
    assert "Проведено 2 мероприятия:" in text


def test_the_xlsx_report_has_a_sheet_per_item_with_the_independent_numbers(client, data):
    manager = make_regional_manager()
    workbook = load_workbook(io.BytesIO(download(client, manager, "xlsx").content))
    assert workbook.sheetnames == ["Сводка", *(f"Пункт {n}" for n in ITEM_NUMBERS)]
    summary = list(workbook["Сводка"].iter_rows(values_only=True))
    assert [row[0] for row in summary if row and row[0] in ITEM_NUMBERS] == list(ITEM_NUMBERS)
    for number in ("1.3", "5.1", "5.2", "5.7", "5.8", "5.9"):
        rows = list(workbook[f"Пункт {number}"].iter_rows(values_only=True))
        start = next(i for i, row in enumerate(rows) if row[0] == "Муниципальное образование")
        header = list(rows[start])
        compare(number, table_as_dicts(header, [list(r) for r in rows[start + 1 :]]), manager, data)


def test_a_municipal_managers_report_covers_only_their_municipality(client, data):
    manager = data.managers["north"]
    workbook = load_workbook(io.BytesIO(download(client, manager, "xlsx").content))
    for number in ("1.3", "5.1", "5.2", "5.7", "5.8", "5.9"):
        rows = list(workbook[f"Пункт {number}"].iter_rows(values_only=True))
        start = next(i for i, row in enumerate(rows) if row[0] == "Муниципальное образование")
        names = [row[0] for row in rows[start + 1 :]]
        assert names == ["Северный район", "Итого"]
        compare(
            number, table_as_dicts(list(rows[start]), [list(r) for r in rows[start + 1 :]]), manager, data
        )
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


# --- how each item was counted, and where to see it ------------------------------------------------

# Phrases each item's note must say (who is counted), written here from the plan's wording.
NOTE_PHRASES = {
    "1.3": ["Учтены муниципальные служащие и лица, замещающие муниципальные должности"],
    "5.1": ["Учтены только государственные гражданские служащие", "муниципальные служащие не учитываются"],
    "5.2": [
        "только государственные гражданские служащие",
        "неназванные участники залов трансляции не учитываются",
    ],
    "5.3": ["учтены все участники"],
    "5.5": ["опубликованные материалы библиотеки материалов", "с датой материала с 01.01.2024 по 31.12.2024"],
    "5.7": [
        "и государственных гражданских служащих, и работников",
        "обязанности по противодействию коррупции",
    ],
    "5.8": ["впервые поступившие на службу с 01.01.2024 по 31.12.2024", "В срок —"],
    "5.9": ["и государственных гражданских служащих, и работников", "участие в закупках"],
}
DATES = "курсы, завершённые с 01.01.2024 по 31.12.2024"


def item_link(number, query="year=2024"):
    return f"{settings.SITE_URL}/reports/plan/{YEAR}/{number}/?{query}"


def docx_sections(document):
    """``{item number: [paragraph texts under its heading]}``."""
    sections, current = {}, None
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 1":
            current = paragraph.text.split(" ", 1)[0].rstrip(".")
            sections[current] = []
        elif current is not None:
            sections[current].append(paragraph.text)
    return sections


def test_each_item_says_how_it_was_counted_and_links_to_its_page_in_the_docx(client, data):
    document = Document(io.BytesIO(download(client, make_regional_manager(), "docx").content))
    sections = docx_sections(document)
    assert list(sections) == list(ITEM_NUMBERS)
    links = {
        rel.target_ref for rel in document.part.rels.values() if rel.reltype == RELATIONSHIP_TYPE.HYPERLINK
    }
    assert links == {item_link(number) for number in ITEM_NUMBERS}
    for number, texts in sections.items():
        [note] = [text for text in texts if text.startswith("Как считалось: ")]
        for phrase in [*NOTE_PHRASES.get(number, []), DATES, f"к пункту {number} этого плана"]:
            assert phrase in note, (number, phrase)
        assert f"Подробно на странице статистики: {item_link(number)}" in texts


def test_5_5_lists_the_materials_and_5_1_counts_state_civil_servants_only_in_the_docx(client, data):
    manager = make_regional_manager()
    sections = docx_sections(Document(io.BytesIO(download(client, manager, "docx").content)))
    materials = expected_materials(data)
    assert len(materials) == 2
    text_55 = "\n".join(sections["5.5"])
    assert "не проводились" not in text_55
    assert "Размещено 2 информационно-разъяснительных материала в библиотеке материалов портала:" in text_55
    assert "Проведённые мероприятия и размещённые материалы:" in sections["5.5"]
    bullets = [t for t in sections["5.5"] if t.startswith("информационное письмо «")]
    assert [t.split("«", 1)[1].split("»", 1)[0] for t in bullets] == materials

    # 5.1: the mixed campaign counted among state civil servants, from the raw sittings.
    state = set(User.objects.filter(category=ServiceCategory.STATE_CIVIL).values_list("pk", flat=True))
    finished = {
        s.user_id
        for s in Sitting.objects.filter(campaign=data.campaigns["tests-2024-mixed"])
        if s.state == Sitting.State.FINISHED
    }
    text_51 = "\n".join(sections["5.1"])
    tested = plural(len(finished & state), "человек", "человека", "человек")
    assert f"Прошли тестирование (государственные гражданские служащие): {tested}," in text_51
    assert len(finished & state) < len(finished)  # municipal servants sat it too


def test_each_item_says_how_it_was_counted_in_the_xlsx(client, data):
    workbook = load_workbook(io.BytesIO(download(client, make_regional_manager(), "xlsx").content))
    summary = workbook["Сводка"]
    header = next(row for row in summary.iter_rows() if row[0].value == "Пункт")
    assert [cell.value for cell in header] == [
        "Пункт",
        "Мероприятие плана",
        "Что сделано",
        "Как считалось",
        "Подробно",
    ]
    rows = {row[0].value: row for row in summary.iter_rows() if row[0].value in ITEM_NUMBERS}
    assert list(rows) == list(ITEM_NUMBERS)
    for number, row in rows.items():
        note, link = row[3], row[4]
        for phrase in [*NOTE_PHRASES.get(number, []), DATES]:
            assert phrase in note.value, (number, phrase)
        assert link.value == item_link(number) and link.hyperlink.target == item_link(number)
        sheet = {r[0]: r[1] for r in workbook[f"Пункт {number}"].iter_rows(values_only=True) if len(r) > 1}
        assert sheet["Как считалось"] == note.value
        assert sheet["Подробно"] == item_link(number)


def test_a_shorter_period_links_to_the_same_period(client, data):
    response = download(client, make_regional_manager(), "docx", start=f"{YEAR}-01-01", end=f"{YEAR}-06-30")
    document = Document(io.BytesIO(response.content))
    links = {
        rel.target_ref for rel in document.part.rels.values() if rel.reltype == RELATIONSHIP_TYPE.HYPERLINK
    }
    assert item_link("5.8", f"start={YEAR}-01-01&end={YEAR}-06-30") in links
    note = next(t for t in docx_sections(document)["5.8"] if t.startswith("Как считалось"))
    assert "впервые поступившие на службу с 01.01.2024 по 30.06.2024" in note


def test_the_report_page_shows_the_notes_and_links(client, data):
    client.force_login(make_regional_manager())
    html = client.get(reverse("reports_exports:plan_report"), {"year": str(YEAR)}).content.decode()
    for number in ITEM_NUMBERS:
        assert f'href="/reports/plan/{YEAR}/{number}/?year={YEAR}"' in html
    assert "муниципальные служащие не учитываются (их обучение — пункт 1.3)" in html


def test_the_item_page_shows_the_figures_per_municipality_then_per_organization(client, data):
    manager = make_regional_manager()
    client.force_login(manager)
    url = item_link("5.1").removeprefix(settings.SITE_URL)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Как считалось" in html and "муниципальные служащие не учитываются" in html
    expected = expected_figures("5.1", manager)
    north = data.districts[0]
    assert f'href="/reports/plan/{YEAR}/5.1/municipalities/{north.pk}/?year={YEAR}"' in html
    assert "Тестирование tests-2024-mixed" in html
    table = page.context["table"]
    for row in table.rows:
        for column in ("target", "tested", "completed"):
            assert row[column] == expected[column].get(row["key"], 0), (row["name"], column)

    per_organization = client.get(f"/reports/plan/{YEAR}/5.1/municipalities/{north.pk}/", {"year": YEAR})
    assert per_organization.status_code == 200
    assert per_organization.context["table"].footer["tested"] == expected["tested"].get(north.pk, 0)

    assert client.get(f"/reports/plan/{YEAR}/9.9/").status_code == 404
    assert client.get("/reports/plan/1999/5.1/").status_code == 404
    materials = client.get(f"/reports/plan/{YEAR}/5.5/", {"year": YEAR}).content.decode()
    for title in expected_materials(data):
        assert title in materials


def test_a_municipal_manager_sees_only_their_municipality_on_the_item_page(client, data):
    manager = data.managers["north"]
    north, south = data.districts[0], data.districts[1]
    client.force_login(manager)
    page = client.get(f"/reports/plan/{YEAR}/5.2/", {"year": YEAR})
    assert [row["key"] for row in page.context["table"].rows] == [north.pk]
    assert client.get(f"/reports/plan/{YEAR}/5.2/municipalities/{south.pk}/").status_code == 404
    assert client.get(f"/reports/plan/{YEAR}/5.2/municipalities/{north.pk}/").status_code == 200
    client.force_login(make_person(role=Role.SERVANT))
    assert client.get(f"/reports/plan/{YEAR}/5.2/").status_code == 403
