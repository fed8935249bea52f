"""In a real browser: a municipal manager writes to those of their municipality who have not started a
campaign (the admin's «Рассылки»: choose, preview, send); the letter reaches a real SMTP server and the
servant without an e-mail address finds the message in «Мой кабинет». At desktop and phone size the
pages have no serious accessibility violations and the cabinet no sideways scroll."""

import datetime
import time

import pytest
from django.utils import timezone

from people.broadcasts.models import Broadcast
from people.factories import make_municipal_manager, make_municipality, make_organization, make_person
from quizzes.factories import make_campaign, make_municipal_audience, make_quiz, make_single_choice
from quizzes.services import start_campaign_sitting
from tests.smtp import smtp_server_fixture  # noqa: F401

from .accessibility import serious_violations
from .journeys import PASSWORD, VIEWPORTS, log_in, new_page, no_sideways_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

SUBJECT = "Тестирование закрывается в пятницу"


@pytest.fixture
def obninsk(home_page):
    town = make_municipality("Город Обнинск")
    office = make_organization(town, "Администрация города Обнинска")
    now = timezone.now()
    campaign = make_campaign(
        make_quiz([make_single_choice()]),
        make_municipal_audience(town),
        now - datetime.timedelta(days=1),
        now + datetime.timedelta(days=3),
        title="Тестирование муниципальных служащих",
    )
    waiting = make_person(office, username="a.smirnova", last_name="Смирнова", first_name="Анна",
                          email="a.smirnova@obninsk.example")  # fmt: skip
    no_email = make_person(office, username="tn3003", last_name="Сёмин", first_name="Пётр", email="",
                           password=PASSWORD)  # fmt: skip
    started = make_person(office, last_name="Начавшая", first_name="Ольга")
    start_campaign_sitting(started, campaign)
    manager = make_municipal_manager(town, username="obninsk", last_name="Орлова", first_name="Мария",
                                     email="", password=PASSWORD)  # fmt: skip
    return {"campaign": campaign, "waiting": waiting, "no_email": no_email, "manager": manager}


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_manager_writes_to_those_who_have_not_started(
    browser, live_server, smtp_server, settings, obninsk, size, screenshot
):
    from playwright.sync_api import expect

    settings.SITE_URL = live_server.url
    context, page = new_page(browser, live_server, VIEWPORTS[size])
    problems = []
    try:
        log_in(page, "obninsk")
        page.goto("/admin/reports/broadcasts/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Рассылки")
        page.get_by_role("link", name="Новая рассылка").click()
        page.get_by_label("по тестированию").check()
        page.locator("main").get_by_label("Тестирование", exact=True).select_option(
            label="Тестирование муниципальных служащих"
        )
        page.get_by_label("Состояние в тестировании").select_option(label="не приступали")
        page.get_by_label("Тема").fill(SUBJECT)
        page.get_by_label("Текст сообщения").fill("Пройдите тестирование до пятницы.\nЭто займёт 20 минут.")
        problems += [f"{page.url}: {problem}" for problem in serious_violations(page)]
        page.get_by_role("button", name="Показать получателей").click()

        # the manager is one of Obninsk's servants too and has not started either
        expect(page.get_by_role("heading", name="Получатели: 3 чел.")).to_be_visible()
        recipients = page.locator("#recipients")
        expect(recipients).to_contain_text("Смирнова Анна")
        expect(recipients).to_contain_text("Сёмин Пётр")
        expect(recipients).not_to_contain_text("Начавшая")
        problems += [f"{page.url}: {problem}" for problem in serious_violations(page)]
        screenshot(page, f"broadcast-preview-{size}")
        page.get_by_role("button", name="Отправить (3 чел.)").click()

        expect(page.get_by_text("Сообщение отправлено: получателей — 3, писем — 1.")).to_be_visible()
        expect(page.locator("#broadcast-facts")).to_contain_text("не приступали")
        page.reload()  # the admin's message fades in: check the page itself
        problems += [f"{page.url}: {problem}" for problem in serious_violations(page)]

        deadline = time.monotonic() + 15
        while not smtp_server.envelopes and time.monotonic() < deadline:
            time.sleep(0.1)
        [letter] = smtp_server.messages()
        assert str(letter["Subject"]).strip() == SUBJECT
        assert "Пройдите тестирование до пятницы." in letter.get_body(preferencelist=("plain",)).get_content()

        page.context.clear_cookies()
        log_in(page, "tn3003")
        notices = page.locator(".notices")
        expect(notices).to_contain_text(SUBJECT)
        expect(notices).to_contain_text("Это займёт 20 минут.")
        expect(notices.get_by_role("link", name="Перейти к тестированию")).to_be_visible()
        assert no_sideways_scroll(page), page.url
        problems += [f"{page.url}: {problem}" for problem in serious_violations(page)]
        screenshot(page, f"broadcast-cabinet-{size}")
    finally:
        context.close()
    assert Broadcast.objects.get().recipient_count == 3
    assert not problems, "\n".join(problems)
