"""In a real browser: the managers' statistics.

A municipal manager (Калуга) logs in, opens the dashboard at /reports/ and sees only their municipality
(not Обнинск, nor the district), drills down to its organizations and to the people of one of them,
downloads the municipality table as XLSX (straight away) and the people table as XLSX (a background job,
followed on the "Мои выгрузки" page until its download link appears); both files hold Калуга's rows
only. A regional manager opens the plan report page and downloads the report as DOCX and XLSX, which
name the plan's items ("5.2" …). The dashboard and the drill-down pages have no serious accessibility
violations.
"""

import io

import pytest

from people.factories import make_municipal_manager, make_regional_manager
from reports.models import ExportJob
from reports.tests.dataset import build_dataset
from reports.tests.plan_dataset import load_2024_plan

from .accessibility import serious_violations
from .journeys import PASSWORD, log_in, no_sideways_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]


@pytest.fixture
def region(home_page):
    return build_dataset(seed=7, people_per_organization=(2, 4))


@pytest.fixture
def kaluga_manager(region):
    return make_municipal_manager(
        region.municipalities["kaluga"],
        username="kaluga.manager",
        email="kaluga.manager@example.org",
        last_name="Орлова",
        first_name="Мария",
        password=PASSWORD,
    )


@pytest.fixture
def regional_manager(home_page):
    return make_regional_manager(
        username="region.manager",
        email="region.manager@example.org",
        last_name="Соколов",
        first_name="Игорь",
        password=PASSWORD,
    )


def report_table(page):
    return page.locator("table.report-table")


def body_row_names(page):
    return [name.strip() for name in report_table(page).locator("tbody th[scope=row]").all_inner_texts()]


def download(page, click):
    """Run ``click`` and return the downloaded file's name and bytes."""
    with page.expect_download() as info:
        click()
    downloaded = info.value
    with open(downloaded.path(), "rb") as handle:
        return downloaded.suggested_filename, handle.read()


def xlsx_text(content):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def docx_text(content):
    import docx

    document = docx.Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def accessibility_problems(page):
    return [f"{page.url}: {problem}" for problem in serious_violations(page)]


def test_a_municipal_manager_sees_only_their_municipality_and_exports_it(
    page, live_server, region, kaluga_manager, screenshot
):
    from playwright.sync_api import expect

    kaluga = region.municipalities["kaluga"]
    others = [region.municipalities[key] for key in ("obninsk", "district", "settlement")]
    own_organizations = [region.organizations[key] for key in ("kaluga_admin", "kaluga_school")]
    foreign_organizations = [
        organization
        for key, organization in region.organizations.items()
        if key not in ("kaluga_admin", "kaluga_school")
    ]
    problems = []

    log_in(page, kaluga_manager)
    page.goto("/reports/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("Показаны только люди вашего муниципального образования.")).to_be_visible()
    assert len(body_row_names(page)) == 1
    [own_row] = body_row_names(page)
    assert own_row in (kaluga.name, kaluga.short_name)
    content = page.content()
    for other in others:
        assert other.name not in content
    assert "Обнинск" not in content
    screenshot(page, "dashboard-municipal")  # its accessibility: the expected failure below

    # The municipality table as XLSX, straight away: Калуга's row only.
    filename, content = download(page, lambda: page.get_by_role("button", name="XLSX", exact=True).click())
    assert filename.endswith(".xlsx")
    text = xlsx_text(content)
    assert own_row in text
    assert "Обнинск" not in text
    assert "Бабынин" not in text

    # Drill down: the organizations of Калуга.
    report_table(page).get_by_role("link", name=own_row, exact=True).click()
    expect(page).to_have_url(
        f"{live_server.url}/reports/municipalities/{kaluga.pk}/?year={region.today.year}"
    )
    names = body_row_names(page)
    for organization in own_organizations:
        assert organization.name in names
    content = page.content()
    for organization in foreign_organizations:
        assert organization.name not in content
    problems += accessibility_problems(page)
    screenshot(page, "dashboard-drilldown")

    # … and the people of the city administration.
    administration = region.organizations["kaluga_admin"]
    report_table(page).get_by_role("link", name=administration.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(administration.name)
    staff = [person for person in region.people if person.organization == administration]
    shown = "\n".join(body_row_names(page))
    for person in staff:
        if person.is_active:
            assert person.last_name in shown
    outsiders = [person for person in region.people if person.municipality != kaluga]
    for person in outsiders:
        assert person.last_name not in shown
    problems += accessibility_problems(page)

    # The people table names people: it is prepared as a job, followed on the jobs page.
    page.get_by_role("button", name="XLSX", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/reports/exports/jobs/")
    job = ExportJob.objects.get(user=kaluga_manager)
    row = page.locator("#export-jobs tbody tr").first
    link = row.get_by_role("link", name="Скачать")
    expect(link).to_be_visible(timeout=30_000)
    filename, content = download(page, link.click)
    assert filename.endswith(".xlsx")
    job.refresh_from_db()
    assert job.is_done
    text = xlsx_text(content)
    for person in staff:
        if person.is_active:
            assert person.last_name in text
    for person in outsiders:
        assert person.last_name not in text

    assert problems == [], "\n".join(problems)
    assert page.foreign_requests == []


def test_the_dashboard_has_no_serious_accessibility_violations(page, region, kaluga_manager):
    log_in(page, kaluga_manager)
    page.goto("/reports/")
    assert report_table(page).is_visible()
    problems = accessibility_problems(page)
    assert problems == [], "\n".join(problems)


def test_a_wide_table_scrolls_in_its_frame_with_the_first_column_in_view(page, region, regional_manager):
    """At 1280 px the dashboard's 16 columns do not fit: the table scrolls inside its frame (by mouse or
    keyboard), the page itself does not, and the municipality column stays where it was."""
    log_in(page, regional_manager)
    page.goto("/reports/")
    frame = page.locator(".table-wrap").first
    assert frame.evaluate("element => element.scrollWidth > element.clientWidth")  # wider than the frame
    assert no_sideways_scroll(page)  # the page is not
    first = report_table(page).locator("tbody th[scope=row]").first
    before = first.bounding_box()["x"]
    frame.evaluate("element => { element.scrollLeft = element.scrollWidth; }")
    last_header = report_table(page).locator("thead th").last
    page.wait_for_function("element => element.scrollLeft > 0", arg=frame.element_handle())
    assert first.bounding_box()["x"] == before  # sticky
    assert last_header.bounding_box()["x"] + last_header.bounding_box()["width"] <= 1280 + 1  # reachable
    assert frame.get_attribute("tabindex") == "0"  # focusable, so arrow keys scroll it


def test_a_regional_manager_downloads_the_plan_report(page, regional_manager, screenshot):
    from playwright.sync_api import expect

    plan, items = load_2024_plan()
    log_in(page, regional_manager)
    page.goto("/reports/exports/plan-report/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Отчёт о выполнении плана противодействия коррупции"
    )
    # This year has no plan here: the page says so and offers the year that has one.
    expect(page.locator("#plan-choice-notice")).to_contain_text("в реестре нет")
    page.get_by_role("link", name=str(plan.year), exact=True).click()
    expect(page.get_by_label("Год")).to_have_value(str(plan.year))
    expect(page.get_by_label("План")).to_have_value("")  # the plan of the period's year
    expect(page.locator("#plan-choice")).to_contain_text(f"{plan.year} год")
    screenshot(page, "plan-report")
    problems = accessibility_problems(page)

    filename, content = download(page, lambda: page.get_by_role("button", name="Скачать DOCX").click())
    assert filename.endswith(".docx")
    text = docx_text(content)
    numbers = [number for number in items if number.startswith("5.")]
    assert "5.2" in numbers
    for number in numbers:
        assert number in text, number

    filename, content = download(page, lambda: page.get_by_role("button", name="Скачать XLSX").click())
    assert filename.endswith(".xlsx")
    text = xlsx_text(content)
    for number in numbers:
        assert number in text, number

    assert problems == [], "\n".join(problems)
    assert page.foreign_requests == []
