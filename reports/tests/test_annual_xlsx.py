"""The published annual report's XLSX, read back with openpyxl: every item of the plan with its text and,
for the measured items, the frozen figures, «Как считалось» and a sheet with the table by municipalities
(compared with the independent counts); built from the frozen snapshot, never recomputed."""

import io

import pytest
from openpyxl import load_workbook
from wagtail.documents import get_document_model

from cms.models import HomePage
from courses.models import Enrollment
from people.factories import make_person, make_regional_manager
from people.models import ServiceCategory
from reports.models import PlanReportIndexPage, PlanReportPage
from reports.plan.figures import ITEM_NUMBERS

from .plan_dataset import YEAR, aware, build_dataset
from .test_annual_report import all_items, draft, publish
from .test_plan_report import compare, table_as_dicts

pytestmark = pytest.mark.django_db

TEXT_2_2 = "Отчёт подготовлен и размещён на портале."
HEADER = [
    "Раздел",
    "Пункт",
    "Мероприятие плана",
    "Срок",
    "Исполнители",
    "Что сделано (текст уполномоченного органа)",
    "Измерено платформой",
    "Как считалось",
    "Подробно",
]


@pytest.fixture
def data():
    return build_dataset()


@pytest.fixture
def index():
    page = HomePage.objects.first().add_child(
        instance=PlanReportIndexPage(title="Противодействие коррупции", slug="protivodejstvie-korrupcii")
    )
    page.save_revision().publish()
    return page


def workbook_of(page):
    with page.spreadsheet.file.open("rb") as handle:
        return load_workbook(io.BytesIO(handle.read()))


def item_rows(sheet):
    """``{number: {label: value}}`` of the sheet «Отчёт»."""
    rows = list(sheet.iter_rows(values_only=True))
    start = rows.index(tuple(HEADER)) + 1
    return {row[1]: dict(zip(HEADER, row, strict=True)) for row in rows[start:]}


def frozen_item(page, number):
    for section in page.figures["sections"]:
        for item in section["items"]:
            if item["number"] == number:
                return item
    raise AssertionError(number)


def municipal_table(sheet):
    """The table by municipalities at the end of an item's sheet, as ``{row name: {label: value}}``."""
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    start = max(i for i, row in enumerate(rows) if row[0] == "Муниципальное образование")
    header = rows[start]
    return table_as_dicts(header, rows[start + 1 :])


def test_publishing_attaches_an_xlsx_of_every_item_with_the_frozen_figures(data, index):
    manager = make_regional_manager()  # counted among the state civil servants: made before freezing
    page = publish(draft(index, data.plan), **{"2.2": f"<p>{TEXT_2_2}</p><ul><li>Протокол № 4.</li></ul>"})
    assert page.spreadsheet is not None and page.spreadsheet.file.name.endswith(".xlsx")
    assert page.spreadsheet_id != page.document_id

    workbook = workbook_of(page)
    measured = [item.number for item in all_items(data.plan) if item.number in ITEM_NUMBERS]
    assert workbook.sheetnames == ["Отчёт", *[f"Пункт {number}" for number in measured]]
    sheet = workbook["Отчёт"]
    assert sheet["A1"].value == page.title
    lines = [row[0] for row in sheet.iter_rows(max_row=6, values_only=True)]
    assert f"Отчётный период: {page.figures['period']['text']}." in lines

    rows = item_rows(sheet)
    header_row = next(row for row in range(1, 20) if sheet.cell(row, 1).value == HEADER[0])
    assert list(rows) == [item.number for item in all_items(data.plan)]
    for item in all_items(data.plan):
        row = rows[item.number]
        assert row["Мероприятие плана"] == item.title
        assert row["Раздел"] == f"{item.section.number}. {item.section.title}"
        frozen = frozen_item(page, item.number)
        if item.number in ITEM_NUMBERS:
            assert row["Измерено платформой"] == "\n".join(frozen["paragraphs"])
            assert row["Как считалось"] == frozen["note"]
            assert row["Подробно"] == frozen["url"]
            row_number = header_row + 1 + list(rows).index(item.number)
            assert sheet.cell(row_number, len(HEADER)).hyperlink.target == frozen["url"]
        else:
            assert row["Измерено платформой"] is None and row["Как считалось"] is None
    assert rows["2.2"]["Что сделано (текст уполномоченного органа)"] == f"{TEXT_2_2}\n• Протокол № 4."
    assert rows["1.1"]["Что сделано (текст уполномоченного органа)"] == "Сведения об исполнении не внесены."
    # The measured items' texts are the ones prefilled from the figures.
    assert rows["5.1"]["Что сделано (текст уполномоченного органа)"].startswith(f"В {YEAR} году")

    # Each measured item's sheet: the frozen table by municipalities, as the independent counts say.
    for number in {"1.3", "5.1", "5.2", "5.7", "5.8", "5.9"}:
        item_sheet = workbook[f"Пункт {number}"]
        assert item_sheet["A1"].value.startswith(f"{number}. ")
        assert ["Как считалось", frozen_item(page, number)["note"]] in [
            list(row[:2]) for row in item_sheet.iter_rows(values_only=True)
        ]
        compare(number, municipal_table(item_sheet), manager, data)


def test_the_xlsx_keeps_the_frozen_figures_when_the_report_is_published_again(data, index):
    page = publish(draft(index, data.plan))
    first = page.spreadsheet
    frozen_total = frozen_item(page, "5.1")["table"]["footer"]
    # Somebody completes a course linked to 5.1 within the year: the live count moves on.
    person = make_person(category=ServiceCategory.STATE_CIVIL, municipality=data.districts[0])
    course = next(c for c in data.courses.values() if c.plan_items.filter(number="5.1").exists())
    Enrollment.objects.create(user=person, course=course, completed_at=aware(YEAR, 6, 1))

    page = publish(page, **{"5.1": "<p>Исправленный текст.</p>"})
    assert page.spreadsheet_id != first.pk
    assert not get_document_model().objects.filter(pk=first.pk).exists()  # the old file is replaced
    workbook = workbook_of(page)
    assert item_rows(workbook["Отчёт"])["5.1"]["Что сделано (текст уполномоченного органа)"] == (
        "Исправленный текст."
    )
    total = municipal_table(workbook["Пункт 5.1"])["Итого"]
    frozen = {
        label: frozen_total[key] for key, label, _numeric in frozen_item(page, "5.1")["table"]["columns"]
    }
    for label, value in total.items():
        assert value == frozen[label], label


def test_the_public_page_links_the_xlsx_next_to_the_docx(client, data, index):
    page = publish(draft(index, data.plan))
    html = client.get(page.url).content.decode()
    assert page.document.url in html and page.spreadsheet.url in html
    assert "Скачать таблицы (XLSX)" in html
    assert page.spreadsheet.url in client.get(index.url).content.decode()
    response = client.get(page.spreadsheet.url)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert load_workbook(io.BytesIO(content))["Отчёт"]["A1"].value == page.title


def test_a_copy_of_a_published_report_has_no_spreadsheet(data, index):
    page = publish(draft(index, data.plan))
    copy = page.copy(update_attrs={"slug": "kopiya", "title": "Копия"}, keep_live=False).specific
    assert page.spreadsheet_id
    assert PlanReportPage.objects.get(pk=copy.pk).spreadsheet_id is None
