"""In a real browser: a servant opens the site, logs in with email, sees the cabinet, logs out."""

import re

import pytest
from django.contrib.sessions.models import Session

from people.factories import make_municipality, make_organization, make_person

from .journeys import PASSWORD

# The live server runs in another thread and sees only committed data: transactional tests.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]


@pytest.fixture
def servant():
    organization = make_organization(
        make_municipality("Муниципальный район «Бабынинский район»"), "Администрация Бабынинского района"
    )
    return make_person(
        organization,
        email="anna.smirnova@example.org",
        last_name="Смирнова",
        first_name="Анна",
        patronymic="Викторовна",
        position="ведущий специалист",
        password=PASSWORD,
    )


def test_servant_logs_in_with_email_sees_cabinet_and_logs_out(page, live_server, servant, screenshot):
    from playwright.sync_api import expect

    page.goto("/")
    expect(page).to_have_title("Антикор: обучение")
    assert page.locator("html").get_attribute("lang") == "ru"

    page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Войти").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    page.get_by_label("Логин или email").fill("Anna.Smirnova@Example.org")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()

    expect(page).to_have_url(f"{live_server.url}/cabinet/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Мой кабинет")
    expect(page.get_by_role("heading", name=servant.get_full_name())).to_be_visible()
    expect(page.get_by_text(servant.organization.name)).to_be_visible()
    assert Session.objects.count() == 1
    screenshot(page, "cabinet")

    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(
        page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Войти")
    ).to_be_visible()
    page.goto("/cabinet/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/cabinet/$"))

    assert page.foreign_requests == []
    assert page.failed_responses == []


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page):
    from playwright.sync_api import expect

    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Перейти к содержанию")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
