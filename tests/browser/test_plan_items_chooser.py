"""In a real browser: a trainer links a new course to a plan item with the one plan-items chooser —
grouped by plan, the earlier plan folded, a search box that narrows the list."""

import re

import pytest

from cms.models import PlanItem
from cms.moderation import ensure_moderation
from cms.plan_loading import BUNDLED_PLAN_2024, load_plan, read_plan_json
from cms.plan_years import copy_plan
from courses.factories import make_course_index
from courses.models import CoursePage
from people.factories import make_person
from people.roles import Role

from .accessibility import serious_violations
from .admin_pages import PASSWORD, admin_log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]


def test_a_trainer_finds_and_links_a_plan_item(page, home_page):
    from playwright.sync_api import expect

    catalogue = make_course_index(home_page)
    ensure_moderation()
    load_plan(read_plan_json(BUNDLED_PLAN_2024))
    copy_plan(PlanItem.objects.of_year(2024).first().section.plan, 2026)
    seminar_item = PlanItem.objects.of_year(2026).get(number="5.2")
    trainer = make_person(role=Role.TRAINER, username="o.petrova", password=PASSWORD)

    admin_log_in(page, trainer)
    page.goto(f"/admin/pages/add/courses/coursepage/{catalogue.pk}/")
    page.locator("#id_title").fill("Антикоррупционные стандарты")
    page.get_by_role("textbox", name="Кратко о курсе").fill("Стандарты поведения служащего.")
    page.locator("#id_hours").fill("4")

    chooser = page.locator("[data-plan-items]")
    expect(chooser.locator('details[data-year="2026"]')).to_have_attribute("open", "")
    expect(chooser.locator('details[data-year="2024"]')).not_to_have_attribute("open", "")
    search = chooser.get_by_label("Найти мероприятие плана")
    search.fill("5.2 ")
    visible = chooser.locator("li:visible")
    expect(visible).to_have_count(2)  # 5.2 of each plan; the earlier plan opened to show it
    expect(chooser.locator('details[data-year="2024"]')).to_have_attribute("open", "")
    search.fill("нет такого мероприятия")
    expect(chooser.get_by_text("Ничего не найдено.")).to_be_visible()
    search.fill("5.2 ")
    chooser.locator('details[data-year="2026"]').get_by_label(re.compile(r"\b5\.2 ")).check()
    # the chooser's own part of the page (Wagtail's rich-text editor has findings of its own)
    mine = [found for found in serious_violations(page) if "plan_items" in found or "plan-items" in found]
    assert mine == []

    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.get_by_text("создана")).to_be_visible()
    course = CoursePage.objects.get(title="Антикоррупционные стандарты")
    assert [item.pk for item in course.get_latest_revision_as_object().plan_items.all()] == [seminar_item.pk]
