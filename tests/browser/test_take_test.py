"""In a real browser: a servant takes a test through a reload and a dropped connection.

Logs in, opens /tests/, starts the campaign, answers, reloads mid-test and sees the answers restored,
goes offline and answers (shown as not saved), comes back online (shown as saved), finishes and sees the
result; then every answer is checked in the database.
"""

import datetime
import re

import pytest
from django.utils import timezone

from people.audience import Audience
from people.factories import make_municipality, make_organization, make_person
from quizzes.factories import make_quiz_of_every_type
from quizzes.models import Response, Sitting, TestCampaign

from .journeys import PASSWORD, PHONE, log_in, new_page, no_sideways_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]


@pytest.fixture
def campaign():
    municipality = make_municipality("Муниципальный район «Бабынинский район»")
    audience = Audience.objects.create(title="Бабынинский район")
    audience.municipalities.add(municipality)
    quiz = make_quiz_of_every_type(time_limit=30)
    now = timezone.now()
    return TestCampaign.objects.create(
        title="Тестирование муниципальных служащих",
        quiz=quiz,
        audience=audience,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
    )


@pytest.fixture
def servant(campaign):
    organization = make_organization(
        campaign.audience.municipalities.get(), "Администрация Бабынинского района"
    )
    return make_person(
        organization,
        email="anna.smirnova@example.org",
        first_name="Анна",
        last_name="Смирнова",
        password=PASSWORD,
    )


def shown(page):
    """The question on screen (the others are in the page, hidden)."""
    return page.locator("fieldset.take-item:visible")


def status(page, question_id):
    return page.locator(f"#take-status-{question_id}")


def test_servant_takes_a_test_through_a_reload_and_a_dropped_connection(
    page, live_server, servant, campaign, screenshot
):
    from playwright.sync_api import expect

    log_in(page, servant.email, until=f"{live_server.url}/cabinet/")

    page.goto("/tests/")
    page.get_by_role("link", name=campaign.title).click()
    page.get_by_role("button", name="Начать тест").click()
    expect(page).to_have_url(re.compile(r"/tests/sittings/\d+/$"))
    sitting = Sitting.objects.get(user=servant)
    ids = sitting.question_order
    snapshots = sitting.questions()
    expect(page.get_by_text("Вопрос 1 из 7")).to_be_visible()
    expect(page.locator("#take-clock")).to_have_text(re.compile(r"^(29|30):\d\d$"))

    # 1. single choice
    shown(page).get_by_label("Представителю нанимателя", exact=True).check()
    expect(status(page, ids[0])).to_have_text("сохранено")
    # 2. multiple choice
    page.get_by_role("button", name="Далее").click()
    shown(page).get_by_label("Верный 1", exact=True).check()
    shown(page).get_by_label("Верный 2", exact=True).check()
    expect(status(page, ids[1])).to_have_text("сохранено")
    # 3. true / false
    page.get_by_role("button", name="Далее").click()
    shown(page).get_by_label("Неверно", exact=True).check()
    expect(status(page, ids[2])).to_have_text("сохранено")
    # 4. short text, saved after a pause in typing
    page.get_by_role("button", name="Далее").click()
    shown(page).get_by_label("Ваш ответ", exact=True).fill("конфликт интересов")
    expect(status(page, ids[3])).to_have_text("сохранено")
    screenshot(page, "take-test-desktop")

    # A reload mid-test: the saved answers come back, and the sequence numbers continue.
    page.reload()
    expect(page.get_by_text("Вопрос 4 из 7")).to_be_visible()
    expect(shown(page).get_by_label("Ваш ответ", exact=True)).to_have_value("конфликт интересов")
    page.locator(f"#take-index-{ids[0]}").click()
    expect(shown(page).get_by_label("Представителю нанимателя", exact=True)).to_be_checked()
    page.locator(f"#take-index-{ids[2]}").click()
    expect(shown(page).get_by_label("Неверно", exact=True)).to_be_checked()
    shown(page).get_by_label("Верно", exact=True).check()  # change the answer after the reload
    expect(status(page, ids[2])).to_have_text("сохранено")

    # The connection drops: the answer is kept and shown as not saved.
    page.context.set_offline(True)
    page.locator(f"#take-index-{ids[4]}").click()
    shown(page).get_by_label("Ваш ответ", exact=True).fill("3")
    expect(status(page, ids[4])).to_have_text("не сохранено, повторим")
    expect(page.locator("#take-connection")).to_contain_text("Нет связи")
    # Back online: it is resent and saved.
    page.context.set_offline(False)
    expect(status(page, ids[4])).to_have_text("сохранено", timeout=20_000)
    expect(page.locator("#take-connection")).to_have_text("")

    # 6. matching: each left item gets its right text
    page.get_by_role("button", name="Далее").click()
    matching = snapshots[5]
    right_by_key = {item["id"]: item["text"] for item in matching["right"]}
    for left in matching["left"]:
        shown(page).get_by_label(left["text"], exact=True).select_option(
            value=matching["key"]["pairs"][str(left["id"])]
        )
    expect(status(page, ids[5])).to_have_text("сохранено")
    # 7. essay
    page.get_by_role("button", name="Далее").click()
    shown(page).get_by_label("Ваш ответ", exact=True).fill(
        "Уведомляю представителя нанимателя в письменной форме."
    )
    expect(status(page, ids[6])).to_have_text("сохранено")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Завершить тест").click()
    expect(page).to_have_url(f"{live_server.url}/tests/sittings/{sitting.pk}/result/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Результат")
    expect(page.get_by_text("Развёрнутые ответы проверит преподаватель")).to_be_visible()

    sitting.refresh_from_db()
    assert sitting.state == Sitting.State.NEEDS_GRADING
    answers = {r.question_id: r for r in Response.objects.filter(sitting=sitting)}
    assert set(answers) == set(ids)
    options = {o["text"]: o["id"] for o in snapshots[0]["options"] + snapshots[1]["options"]}
    assert answers[ids[0]].answer == {"choice": options["Представителю нанимателя"]}
    assert sorted(answers[ids[1]].answer["choices"]) == sorted([options["Верный 1"], options["Верный 2"]])
    assert answers[ids[2]].answer == {"value": True}
    assert answers[ids[2]].seq > 1  # changed after the reload: the sequence went on
    assert answers[ids[3]].answer == {"text": "конфликт интересов"}
    assert answers[ids[4]].answer == {"value": "3"}
    assert answers[ids[5]].answer == {"pairs": matching["key"]["pairs"]}
    assert set(right_by_key) >= set(answers[ids[5]].answer["pairs"].values())
    assert answers[ids[6]].answer == {"text": "Уведомляю представителя нанимателя в письменной форме."}
    assert page.foreign_requests == []
    assert [failed for failed in page.failed_responses if "/api/" not in failed[1]] == []


def test_when_time_is_up_the_page_says_so_and_shows_the_result(page, live_server, servant, campaign):
    from playwright.sync_api import expect

    from quizzes.services import start_campaign_sitting

    sitting = start_campaign_sitting(servant, campaign)
    Sitting.objects.filter(pk=sitting.pk).update(deadline=timezone.now() + datetime.timedelta(seconds=6))
    log_in(page, servant.email)
    page.goto(f"/tests/sittings/{sitting.pk}/")
    shown(page).get_by_label("Представителю нанимателя", exact=True).check()
    expect(status(page, sitting.question_order[0])).to_have_text("сохранено")

    expect(page.locator("#take-message")).to_contain_text("Время вышло", timeout=15_000)
    expect(page).to_have_url(f"{live_server.url}/tests/sittings/{sitting.pk}/result/", timeout=15_000)
    sitting.refresh_from_db()
    assert not sitting.is_in_progress
    assert sitting.finished_at == sitting.deadline  # finished by the clock, never later than the deadline
    assert Response.objects.filter(sitting=sitting).count() == 1


def test_every_question_type_fits_a_phone(browser, live_server, servant, campaign, screenshot):
    """At 360 px every question — short answers, numbers, matching with long options — fits the
    screen: no sideways scroll on the test page (issue 17)."""
    from playwright.sync_api import expect

    context, page = new_page(browser, live_server, PHONE)
    try:
        log_in(page, servant.email)
        page.goto("/tests/")
        page.get_by_role("link", name=campaign.title).click()
        page.get_by_role("button", name="Начать тест").click()
        expect(page).to_have_url(re.compile(r"/tests/sittings/\d+/$"))
        too_wide = []
        for number in range(1, 8):
            expect(page.get_by_text(f"Вопрос {number} из 7")).to_be_visible()
            if not no_sideways_scroll(page):
                too_wide.append((number, page.evaluate("document.documentElement.scrollWidth")))
            if number == 4:  # the question of the desktop screenshot
                screenshot(page, "take-test-phone")
            if number < 7:
                page.get_by_role("button", name="Далее").click()
        assert too_wide == []
    finally:
        context.close()
