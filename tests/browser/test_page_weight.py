"""The weight budget (issue 17): what a first visit downloads, uncompressed, with an empty cache —
servant pages under 150 KB, the manager dashboard under 300 KB. Rural servants are on slow links, and
staff pages must not carry the Wagtail editor's toolbar where nothing is edited."""

import datetime

import pytest
from django.utils import timezone

from courses.factories import make_course, make_course_index, make_lesson
from events.factories import make_event, make_event_index
from people.factories import make_municipality, make_person, make_regional_manager
from quizzes.factories import make_campaign, make_municipal_audience, make_quiz, make_single_choice

from .journeys import PASSWORD, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

KB = 1024
SERVANT_BUDGET = 150 * KB
DASHBOARD_BUDGET = 300 * KB


def first_load_bytes(browser, live_server, username, path):
    """Bytes of every response of a first visit to ``path`` after signing in (cache empty)."""
    context = browser.new_context(base_url=live_server.url, locale="ru-RU")
    try:
        page = context.new_page()
        log_in(page, username)
        page.close()
        fresh = context.new_page()
        sizes = []
        fresh.on(
            "requestfinished", lambda request: sizes.append((request.url, len(request.response().body())))
        )
        with_cache_off = context.new_cdp_session(fresh)
        with_cache_off.send("Network.setCacheDisabled", {"cacheDisabled": True})
        fresh.goto(path)
        fresh.wait_for_load_state("networkidle")
        return sum(size for _url, size in sizes), sizes
    finally:
        context.close()


@pytest.fixture
def region(home_page):
    town = make_municipality("Город Обнинск")
    now = timezone.now()
    campaign = make_campaign(make_quiz([make_single_choice()]), make_municipal_audience(town),
                             now - datetime.timedelta(days=1), now + datetime.timedelta(days=3))  # fmt: skip
    course = make_course(make_course_index(home_page), title="Основы противодействия коррупции")
    make_lesson(course)
    event = make_event(make_event_index(home_page), title="Семинар о конфликте интересов")
    make_person(municipality=town, username="servant", password=PASSWORD)
    make_regional_manager(username="regional", password=PASSWORD)
    return {"campaign": campaign, "course": course, "event": event}


def test_servant_pages_stay_under_150_kb(browser, live_server, region):
    paths = ["/cabinet/", "/tests/", f"/tests/campaigns/{region['campaign'].pk}/", region["course"].url,
             region["event"].url]  # fmt: skip
    weights = {path: first_load_bytes(browser, live_server, "servant", path) for path in paths}
    print({path: round(total / KB, 1) for path, (total, _sizes) in weights.items()})  # pytest -s shows it
    over = {path: (total, sizes) for path, (total, sizes) in weights.items() if total >= SERVANT_BUDGET}
    assert not over, over
    assert all(total > 10 * KB for total, _sizes in weights.values())  # the measure sees the pages


def test_the_manager_dashboard_stays_under_300_kb(browser, live_server, region):
    total, sizes = first_load_bytes(browser, live_server, "regional", "/reports/")
    print({"/reports/": round(total / KB, 1)})
    assert total < DASHBOARD_BUDGET, sorted(sizes, key=lambda entry: -entry[1])[:5]
    cabinet, sizes = first_load_bytes(browser, live_server, "regional", "/cabinet/")
    assert cabinet < SERVANT_BUDGET, sorted(sizes, key=lambda entry: -entry[1])[:5]
