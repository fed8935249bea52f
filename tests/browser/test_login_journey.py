"""In a real browser: a servant opens the site, logs in with email, sees the cabinet, logs out; a servant
who forgot the password sets a new one from the letter's link and logs in with it. At desktop and phone
size, every page without sideways scroll."""

import re

import pytest
from django.contrib.sessions.models import Session

from people.factories import make_municipality, make_organization, make_person
from people.mail.kinds import PASSWORD_RESET
from people.mail.models import OutgoingMail

from .journeys import PASSWORD, VIEWPORTS, new_page, no_sideways_scroll, record_requests

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


def fits(page):
    assert no_sideways_scroll(page), f"{page.url} scrolls sideways"


@pytest.mark.parametrize("size", VIEWPORTS)
def test_servant_logs_in_with_email_sees_cabinet_and_logs_out(
    browser, live_server, servant, size, screenshot
):
    from playwright.sync_api import expect

    context, page = new_page(browser, live_server, VIEWPORTS[size])
    record_requests(page, live_server)
    try:
        page.goto("/")
        expect(page).to_have_title("Антикор: обучение")
        assert page.locator("html").get_attribute("lang") == "ru"
        fits(page)

        page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Войти").click()
        expect(page).to_have_url(re.compile(r"/login/$"))
        fits(page)
        page.get_by_label("Логин или email").fill("Anna.Smirnova@Example.org")
        page.get_by_label("Пароль").fill(PASSWORD)
        page.get_by_role("button", name="Войти").click()

        expect(page).to_have_url(f"{live_server.url}/cabinet/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Мой кабинет")
        expect(page.get_by_role("heading", name=servant.get_full_name())).to_be_visible()
        expect(page.get_by_text(servant.organization.name)).to_be_visible()
        assert Session.objects.count() == 1
        fits(page)
        screenshot(page, f"cabinet-{size}")

        page.get_by_role("button", name="Выйти").click()
        expect(page).to_have_url(f"{live_server.url}/")
        expect(
            page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Войти")
        ).to_be_visible()
        page.goto("/cabinet/")
        expect(page).to_have_url(re.compile(r"/login/\?next=/cabinet/$"))

        assert page.foreign_requests == []
        assert page.failed_responses == []
    finally:
        context.close()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_servant_sets_a_new_password_from_the_letter_and_logs_in_with_it(
    browser, live_server, settings, mailoutbox, servant, size, screenshot
):
    from playwright.sync_api import expect

    settings.SITE_URL = live_server.url  # the letter's link starts with the public address
    new_password = "Весенний-ручей-17"
    context, page = new_page(browser, live_server, VIEWPORTS[size])
    record_requests(page, live_server)
    heading = page.get_by_role("heading", level=1)
    try:
        page.goto("/login/")
        fits(page)
        screenshot(page, f"login-{size}")
        page.get_by_role("link", name="Забыли пароль?").click()
        expect(heading).to_have_text("Восстановление пароля")
        fits(page)
        page.locator("#id_email").fill("Anna.Smirnova@Example.org")
        page.get_by_role("button", name="Отправить ссылку").click()
        expect(heading).to_have_text("Проверьте почту")
        fits(page)

        # Delivered through the outbox at once (the tests' immediate task backend).
        assert OutgoingMail.objects.get().kind == PASSWORD_RESET
        assert len(mailoutbox) == 1
        letter = mailoutbox[0]
        assert letter.to == [servant.email]
        links = re.findall(r"https?://\S+", letter.body)
        assert len(links) == 1
        assert links[0].startswith(f"{live_server.url}/password/reset/")
        page.goto(links[0])
        expect(heading).to_have_text("Новый пароль")
        fits(page)
        page.locator("#id_new_password1").fill(new_password)
        page.locator("#id_new_password2").fill(new_password)
        page.get_by_role("button", name="Сохранить пароль").click()
        expect(heading).to_have_text("Пароль сохранён")
        fits(page)

        page.get_by_role("main").get_by_role("link", name="Войти").click()
        page.get_by_label("Логин или email").fill(servant.email)
        page.get_by_label("Пароль").fill(new_password)
        page.get_by_role("button", name="Войти").click()
        expect(page).to_have_url(f"{live_server.url}/cabinet/")
        expect(heading).to_have_text("Мой кабинет")
        fits(page)

        assert page.foreign_requests == []
        assert page.failed_responses == []
    finally:
        context.close()


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page):
    from playwright.sync_api import expect

    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Перейти к содержанию")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
