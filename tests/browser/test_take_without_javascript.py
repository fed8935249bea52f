"""In a real browser with JavaScript off, on a phone: the servant starts the campaign, answers on the
plain form, saves, comes back, finishes and sees the result. The intro never starts a sitting the
browser cannot take."""

import re

import pytest

from quizzes.models import Response, Sitting

from .journeys import PHONE, log_in, new_context
from .test_take_test import campaign, servant  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]


@pytest.fixture
def phone_without_js(browser, live_server):
    context = new_context(browser, live_server, PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


def no_horizontal_scroll(page):
    width = page.locator("body").bounding_box()["width"]
    assert width <= PHONE["width"], width
    for box in page.locator("form#take-plain input, form#take-plain select, form#take-plain textarea").all():
        bounds = box.bounding_box()
        assert bounds is None or bounds["x"] + bounds["width"] <= PHONE["width"] + 1, bounds


def test_a_test_taken_with_javascript_off_on_a_phone(phone_without_js, live_server, servant, campaign):  # noqa: F811
    from playwright.sync_api import expect

    page = phone_without_js
    log_in(page, servant.email)
    page.goto(f"/tests/campaigns/{campaign.pk}/")
    page.get_by_role("button", name="Начать тест").click()
    expect(page).to_have_url(re.compile(r"/tests/sittings/\d+/$"))
    sitting = Sitting.objects.get(user=servant)
    snapshots = sitting.questions()
    form = page.locator("form#take-plain")
    expect(form).to_be_visible()
    expect(form.get_by_text("Вопрос 1 из 7")).to_be_visible()
    no_horizontal_scroll(page)

    form.get_by_label("Представителю нанимателя", exact=True).check()
    item = page.locator(f"#plain-{sitting.question_order[1]}")
    item.get_by_label("Верный 1", exact=True).check()
    item.get_by_label("Верный 2", exact=True).check()
    page.locator(f"#plain-{sitting.question_order[2]}").get_by_label("Неверно", exact=True).check()
    page.locator(f"#plain-{sitting.question_order[3]}").get_by_label("Ваш ответ").fill("конфликт интересов")
    page.locator(f"#plain-{sitting.question_order[4]}").get_by_label(re.compile("Ваш ответ")).fill("3")
    form.get_by_role("button", name="Сохранить ответы").click()
    expect(page.get_by_text("Ответы сохранены.")).to_be_visible()
    assert Response.objects.filter(sitting=sitting).count() == 5

    matching = snapshots[5]
    for left in matching["left"]:
        page.get_by_label(left["text"], exact=True).select_option(
            value=matching["key"]["pairs"][str(left["id"])]
        )
    page.locator(f"#plain-{sitting.question_order[6]}").get_by_label("Ваш ответ").fill("Письменно.")
    expect(page.locator(f"#plain-{sitting.question_order[3]}").get_by_label("Ваш ответ")).to_have_value(
        "конфликт интересов"
    )
    form.get_by_role("button", name="Сохранить и завершить тест").click()
    expect(page).to_have_url(f"{live_server.url}/tests/sittings/{sitting.pk}/result/")
    expect(page.get_by_text("Развёрнутые ответы проверит преподаватель")).to_be_visible()
    sitting.refresh_from_db()
    assert sitting.state == Sitting.State.NEEDS_GRADING
    fractions = dict(Response.objects.filter(sitting=sitting).values_list("question_id", "fraction"))
    assert [fractions[pk] for pk in sitting.question_order[:6]] == [1, 1, 1, 1, 1, 1]
