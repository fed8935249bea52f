"""In a real browser: the annual report on the plan, from next year's plan to the public DOCX.

A regional manager makes next year's plan with «План по образцу», adds the draft report for this year
under the section «Противодействие коррупции» (its texts prefilled on creation), writes the text of an
item the platform does not measure (2.2) and submits the report to «Проверка и публикация». A second
regional manager approves it from the admin dashboard: the report is published with its figures frozen
and its DOCX attached, and an anonymous visitor downloads the DOCX from the public page.
"""

import pytest
from django.utils import timezone
from docx import Document

from cms.models import Plan, PlanItem
from cms.moderation import ensure_moderation
from cms.plan_years import copy_plan
from people.factories import make_regional_manager
from reports.models import PlanReportIndexPage, PlanReportPage
from reports.tests.plan_dataset import load_2024_plan

from .admin_pages import PASSWORD, admin_log_in, submit_for_moderation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

TEXT_2_2 = "Отчёт за год рассмотрен комиссией по координации и размещён на портале."


@pytest.fixture
def section(home_page):
    plan, _items = load_2024_plan()
    year = timezone.localdate().year
    if year != plan.year:
        copy_plan(plan, year)
    index = home_page.add_child(
        instance=PlanReportIndexPage(title="Противодействие коррупции", slug="protivodejstvie-korrupcii")
    )
    index.save_revision().publish()
    ensure_moderation()
    return index


def manager(username, last_name):
    return make_regional_manager(
        username=username,
        email=f"{username}@example.org",
        last_name=last_name,
        first_name="Игорь",
        password=PASSWORD,
    )


def test_a_regional_manager_drafts_and_another_approves_the_report_and_a_visitor_downloads_it(
    browser, page, live_server, section
):
    from playwright.sync_api import expect

    author = manager("a.orlova", "Орлова")
    reviewer = manager("i.sokolov", "Соколов")
    year = timezone.localdate().year
    admin_log_in(page, author)

    # Next year's plan, as a copy of this year's.
    page.goto("/admin/plans/copy/")
    page.get_by_role("button", name="Создать план").click()
    expect(page.locator(".messages")).to_contain_text("создан по образцу")
    assert Plan.objects.filter(year=year + 1).exists()

    # The draft of this year's report, under the section.
    page.goto(f"/admin/pages/{section.pk}/add_subpage/")
    page.locator("#id_title").fill(f"Отчёт об исполнении плана за {year} год")
    plan = Plan.objects.get(year=year)
    page.locator("#id_plan").select_option(str(plan.pk))
    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.locator(".messages")).to_contain_text(f"за {year} год")
    report = PlanReportPage.objects.get(plan=plan)
    assert not report.live and report.texts.count() == PlanItem.objects.filter(section__plan=plan).count()

    # The text of 2.2, which the platform does not measure.
    item = PlanItem.objects.get(section__plan=plan, number="2.2")
    page.goto(f"/admin/pages/{report.pk}/edit/")
    selects = page.locator("select[name^='texts-'][name$='-item']")
    names = selects.evaluate_all(
        "(els, pk) => els.filter(e => e.value === pk).map(e => e.name)", str(item.pk)
    )
    prefix = names[0].rsplit("-", 1)[0]
    child = page.locator(f"#inline_child_{prefix}")
    editor = child.locator("[contenteditable=true]").first
    editor.scroll_into_view_if_needed()
    editor.click()
    editor.fill(TEXT_2_2)
    expect(editor).to_contain_text(TEXT_2_2)
    submit_for_moderation(page)

    # Another regional manager approves it from the dashboard.
    reviewer_context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", viewport={"width": 1280, "height": 800}
    )
    anonymous = browser.new_context(base_url=live_server.url, locale="ru-RU")
    try:
        review = reviewer_context.new_page()
        admin_log_in(review, reviewer)
        row = review.locator("main").get_by_role("row").filter(has_text=f"за {year} год")
        expect(row).to_have_count(1)
        row.get_by_role("button").last.click()
        row.get_by_role("button", name="Одобрить", exact=True).click()
        expect(review.locator("main").get_by_role("row").filter(has_text=f"за {year} год")).to_have_count(0)

        report = PlanReportPage.objects.get(pk=report.pk)
        assert report.live and report.figures is not None and report.document is not None

        # A visitor finds it in the section and downloads the DOCX.
        visitor = anonymous.new_page()
        assert visitor.goto(section.url).status == 200
        visitor.get_by_role("link", name=report.title).click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text(report.title)
        expect(visitor.get_by_text(TEXT_2_2)).to_be_visible()
        with visitor.expect_download() as download_info:
            visitor.get_by_role("link", name="Скачать отчёт (DOCX)").click()
        path = download_info.value.path()
        document = Document(str(path))
        text = "\n".join(p.text for p in document.paragraphs)
        assert TEXT_2_2 in text
        assert f"2.2. {item.title}" in text
        assert "5.1. " in text and "Как считалось: " in text
    finally:
        reviewer_context.close()
        anonymous.close()
