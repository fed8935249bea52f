"""The plan-execution report: DOCX and XLSX read back with python-docx/openpyxl, numbers compared with
the independent counts of test_plan_figures; the «how counted» notes and the links to the item pages;
the Russian wording; the pages and who may use them."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from openpyxl import load_workbook

from people.factories import make_person, make_regional_manager
from people.models import ServiceCategory, User
from people.roles import Role
from people.scope import Scope
from quizzes.models import Sitting
from reports.period import Period
from reports.plan.figures import COLUMN_LABELS, ITEM_NUMBERS, item_figures
from reports.plan.wording import _letters_sentence, how_counted, in_period, item_paragraphs, plural

from .letters_dataset import build_letters_world
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
    activities = html[html.index('id="plan-item-activities"') :]
    activities = activities[: activities.index("</ul>")]
    assert "{" not in activities and "записано: 9; завершили: 2" in activities  # labelled, not a dict
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


# --- 1.3: letters to municipalities (the numbers of letters_dataset) ------------------------------------

LETTERS_2024 = (
    "Уполномоченный орган направил на портале 2 письма ответственным за противодействие коррупции "
    "в 2 муниципальных образованиях: получателей — 8, из них ознакомились — 3 (37,5 %)."
)


@pytest.fixture
def letters():
    return build_letters_world()


SUMMER = Period(datetime.date(YEAR, 6, 1), datetime.date(YEAR, 8, 31))


def letters_paragraphs(world, manager, period=None):
    period = period or Period.year(YEAR)
    figures = item_figures(world.items["1.3"], Scope.for_user(world.managers[manager]), period)
    return item_paragraphs(figures)


def test_1_3_says_how_many_letters_reached_whom_and_who_acknowledged(letters):
    paragraphs = letters_paragraphs(letters, "regional")
    assert paragraphs[0] == "В 2024 году:"
    assert LETTERS_2024 in paragraphs
    # A municipal manager: their municipality only, one letter, nobody acknowledged within the period.
    assert letters_paragraphs(letters, "city")[1] == (
        "Уполномоченный орган направил на портале 1 письмо ответственным за противодействие коррупции "
        "в 1 муниципальном образовании: получателей — 2, отметок об ознакомлении нет."
    )
    assert (
        "Уполномоченный орган направил на портале 2 письма ответственным за противодействие коррупции "
        "в 1 муниципальном образовании: получателей — 6, из них ознакомились — 3 (50,0 %)."
    ) in letters_paragraphs(letters, "north")


def test_1_3_without_letters_says_nothing_about_them(letters):
    for paragraphs in (
        letters_paragraphs(letters, "south"),  # no letter reached the municipality
        letters_paragraphs(letters, "regional", SUMMER),  # a period without letters
    ):
        assert not any("письм" in text.lower() for text in paragraphs), paragraphs
        assert paragraphs[0].endswith("на платформе дистанционного обучения не проводились.")
    # The note still says how letters would count: the text claims nothing, the note misleads nobody.
    assert "Письма — письма муниципалитетам" in how_counted(letters.items["1.3"], SUMMER)


@pytest.mark.parametrize(
    "letters_count, municipalities, expected",
    [
        (1, 1, "направил на портале 1 письмо ответственным за противодействие коррупции в 1 муниципальном "
               "образовании:"),
        (3, 2, "направил на портале 3 письма ответственным за противодействие коррупции в 2 муниципальных "
               "образованиях:"),
        (5, 11, "направил на портале 5 писем ответственным за противодействие коррупции в 11 муниципальных "
                "образованиях:"),
        (21, 21, "направил на портале 21 письмо ответственным за противодействие коррупции в 21 "
                 "муниципальном образовании:"),
        (12, 24, "направил на портале 12 писем ответственным за противодействие коррупции в 24 "
                 "муниципальных образованиях:"),
    ],
)  # fmt: skip
def test_the_letters_sentence_agrees_with_its_numbers(letters_count, municipalities, expected):
    figures = SimpleNamespace(activities=SimpleNamespace(letters=letters_count))
    total = {"letter_recipients": 40, "letters_acknowledged": 1, "letters_acknowledged_percent": 2.5}
    text = _letters_sentence(figures, total, municipalities)
    assert expected in text
    assert text.endswith(": получателей — 40, из них ознакомились — 1 (2,5 %).")


def test_the_1_3_note_says_how_letters_are_counted(letters):
    note = how_counted(letters.items["1.3"], Period.year(YEAR))
    assert "Письма — письма муниципалитетам" in note
    assert "с 01.01.2024 по 31.12.2024" in note and "до 01.01.2025" in note
    assert "независимо от его категории" in note
    assert "Письма —" not in how_counted(letters.items["5.7"], Period.year(YEAR))


def test_the_docx_report_shows_the_letters_under_1_3(client, letters):
    sections = docx_sections(
        Document(io.BytesIO(download(client, letters.managers["regional"], "docx").content))
    )
    assert LETTERS_2024 in sections["1.3"]
    assert (
        "письма муниципалитетам «Информационные письма, методические рекомендации и обзоры уполномоченного "
        "органа», 01.01.2024 — 31.12.2024 — писем: 2; получателей: 8; ознакомились: 3"
    ) in sections["1.3"]
    [note] = [text for text in sections["1.3"] if text.startswith("Как считалось: ")]
    assert "Письма — письма муниципалитетам" in note
    assert not any("письма муниципалитетам «" in text for text in sections["5.7"])


def test_the_xlsx_report_has_the_letter_columns_of_1_3(client, letters):
    workbook = load_workbook(io.BytesIO(download(client, letters.managers["north"], "xlsx").content))
    rows = list(workbook["Пункт 1.3"].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "Муниципальное образование")
    table = table_as_dicts(list(rows[start]), [list(r) for r in rows[start + 1 :] if r[0]])
    recipients = str(COLUMN_LABELS["letter_recipients"])
    acknowledged = str(COLUMN_LABELS["letters_acknowledged"])
    assert set(table) == {"Северный район", "Итого"}  # the municipal manager's municipality only
    assert (table["Северный район"][recipients], table["Северный район"][acknowledged]) == (6, 3)
    assert (table["Итого"][recipients], table["Итого"][acknowledged]) == (6, 3)


def test_the_1_3_item_page_and_its_drill_down_show_the_letter_columns(client, letters):
    client.force_login(letters.managers["north"])
    page = client.get(f"/reports/plan/{YEAR}/1.3/", {"year": YEAR})
    assert page.status_code == 200
    assert "Письма — письма муниципалитетам" in page.content.decode()
    table = page.context["table"]
    assert [(row["name"], row["letter_recipients"], row["letters_acknowledged"]) for row in table.rows] == [
        ("Северный район", 6, 3)
    ]
    drill_down = client.get(f"/reports/plan/{YEAR}/1.3/municipalities/{letters.north.pk}/", {"year": YEAR})
    assert drill_down.status_code == 200
    rows = {row["name"]: row["letter_recipients"] for row in drill_down.context["table"].rows}
    assert rows["Администрация Северного района"] == 4
    assert rows["Администрация поселения Берёзовка"] == 2
    assert drill_down.context["table"].footer["letters_acknowledged"] == 3
    city = client.get(f"/reports/plan/{YEAR}/1.3/municipalities/{letters.city.pk}/", {"year": YEAR})
    assert city.status_code == 404  # another municipality's recipients
