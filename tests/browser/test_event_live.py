"""In two real browsers: a servant registers, checks in with the code and asks a question; a moderator
watching the stream page in another browser context sees the attendance counter and the question
change live, without reloading, and marks the question answered, which the servant sees live too.
The servant's browser at desktop and phone size (the moderator's at desktop), every page it sees
without sideways scroll.

Served by daphne (WebSockets), see tests/browser/asgi_server.py.
"""

import datetime
import re

import pytest
from django.utils import timezone

from events.factories import make_event
from events.models import Attendance, EventPage, Question, Registration
from people.factories import make_municipality, make_organization, make_person, make_regional_manager
from tests.browser.asgi_server import asgi_daphne_fixture, asgi_live_server_fixture  # noqa: F401

from .journeys import PASSWORD, VIEWPORTS, log_in, new_page, no_sideways_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

VIEWPORT = {"width": 1280, "height": 900}  # the moderator's
CABINET = re.compile(r"/cabinet/$")
QUESTION = "Нужно ли уведомлять о подарке стоимостью до 3000 рублей? <b>срочно</b>"
LIVE_WITHIN = 5_000  # ms; the server sends at once, the margin is for a loaded machine


@pytest.fixture
def event():
    """A hybrid seminar starting in ten minutes: registration is still open, check-in already is."""
    return make_event(
        title="Семинар с муниципальными служащими по вопросам противодействия коррупции",
        format=EventPage.Format.HYBRID,
        start=timezone.now() + datetime.timedelta(minutes=10),
        broadcast_url="https://vks.example/antikor-seminar",
    )


@pytest.fixture
def servant():
    municipality = make_municipality("Муниципальный район «Бабынинский район»")
    return make_person(
        make_organization(municipality, "Администрация Бабынинского района"),
        email="anna.smirnova@example.org",
        first_name="Анна",
        patronymic="Сергеевна",
        last_name="Смирнова",
        password=PASSWORD,
    )


@pytest.fixture
def moderator():
    return make_regional_manager(email="moderator@example.org", last_name="Петрова", password=PASSWORD)


def question_item(page, text):
    return page.locator("#question-list li.question").filter(has_text=text)


def fits(page):
    assert no_sideways_scroll(page), f"{page.url} scrolls sideways"


@pytest.mark.parametrize("size", VIEWPORTS)
def test_question_asked_live_is_answered_by_a_moderator_in_another_browser(
    browser, asgi_live_server, event, servant, moderator, size, screenshot
):
    from playwright.sync_api import expect

    server = asgi_live_server
    moderator_context, moderator_page = new_page(browser, server, VIEWPORT)
    servant_context, servant_page = new_page(browser, server, VIEWPORTS[size])
    errors = []
    for page in (moderator_page, servant_page):
        page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        # The moderator watches the stream page, connected live.
        log_in(moderator_page, moderator.email, until=CABINET)
        moderator_page.goto(f"/events/{event.pk}/stream/")
        expect(moderator_page.locator("#questions[data-live='1']")).to_be_attached()
        expect(moderator_page.locator("#live-total")).to_have_text("0")
        expect(moderator_page.locator("#no-questions")).to_be_visible()

        # The servant registers and checks in with the code the organizers show.
        log_in(servant_page, servant.email, until=CABINET)
        servant_page.goto(event.url)
        fits(servant_page)
        servant_page.get_by_role("button", name="Зарегистрироваться").click()
        expect(servant_page.get_by_text("Вы зарегистрированы.", exact=True)).to_be_visible()
        fits(servant_page)
        assert Registration.objects.filter(event=event, user=servant).exists()
        servant_page.get_by_label("Код присутствия").fill(event.check_in_code.lower())
        servant_page.get_by_role("button", name="Отметиться").click()
        expect(servant_page.get_by_text("Вы отмечены как присутствующий на мероприятии.")).to_be_visible()
        assert Attendance.objects.filter(event=event, user=servant).exists()
        fits(servant_page)
        screenshot(servant_page, f"event-{size}")

        # The moderator's counter follows the check-in without a reload.
        expect(moderator_page.locator("#live-total")).to_have_text("1", timeout=LIVE_WITHIN)
        expect(moderator_page.locator("#live-attendance")).to_contain_text("Бабынинский район")

        # The servant asks over the WebSocket.
        servant_page.get_by_role("link", name="Страница трансляции").click()
        expect(servant_page.locator("#questions[data-live='1']")).to_be_attached()
        fits(servant_page)
        servant_page.get_by_label("Ваш вопрос").fill(QUESTION)
        servant_page.get_by_role("button", name="Задать вопрос").click()
        expect(question_item(servant_page, QUESTION)).to_be_visible(timeout=LIVE_WITHIN)
        expect(servant_page.get_by_label("Ваш вопрос")).to_have_value("")
        # Shown as text: the markup the servant typed is not turned into an element.
        expect(servant_page.locator("#question-list b")).to_have_count(0)

        # It appears live for the moderator, who marks it answered.
        item = question_item(moderator_page, QUESTION)
        expect(item).to_be_visible(timeout=LIVE_WITHIN)
        expect(item).to_contain_text("Смирнова А. С., Муниципальный район «Бабынинский район»")
        expect(item).to_contain_text("ожидает ответа")
        if size == "desktop":  # the moderator's browser is the same in both runs
            screenshot(moderator_page, "event-live-moderator")
        item.get_by_role("button", name="Отметить отвеченным").click()
        expect(question_item(moderator_page, QUESTION)).to_contain_text("отвечен", timeout=LIVE_WITHIN)

        # The servant sees the new state without reloading.
        expect(question_item(servant_page, QUESTION).locator(".question__state")).to_have_text(
            "отвечен", timeout=LIVE_WITHIN
        )
        fits(servant_page)
        screenshot(servant_page, f"event-live-participant-{size}")
        question = Question.objects.get()
        assert (question.text, question.author, question.state) == (QUESTION, servant, "answered")
        assert question.moderated_by == moderator
        assert errors == []
    finally:
        servant_context.close()
        moderator_context.close()
