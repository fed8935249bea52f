"""In a real browser: a municipal manager, on the morning after a campaign closed, with no periodic job
having run, finds its figures right (a sitting left open counts as finished at its deadline), goes down the
dashboard to one servant and prints the training record HR files for attestation. At desktop and phone
size, with no sideways scroll and no serious accessibility violations."""

import datetime

import pytest
from django.utils import timezone

from people.factories import make_municipal_manager, make_municipality, make_organization, make_person
from quizzes.factories import (
    correct_answer,
    make_campaign,
    make_municipal_audience,
    make_quiz,
    make_single_choice,
)
from quizzes.models import Sitting
from quizzes.services import save_answer, start_campaign_sitting

from .accessibility import serious_violations
from .journeys import PASSWORD, VIEWPORTS, log_in, new_page, no_sideways_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]


@pytest.fixture
def closed_campaign(home_page):
    now = timezone.now()
    town = make_municipality("Городской округ «Город Обнинск»", short_name="Город Обнинск")
    office = make_organization(town, "Администрация города Обнинска")
    campaign = make_campaign(
        make_quiz([make_single_choice()], time_limit=30, pass_mark=60),
        make_municipal_audience(town),
        now - datetime.timedelta(days=3),
        now - datetime.timedelta(hours=12),
        title="Осеннее тестирование",
    )
    person = make_person(office, last_name="Смирнова", first_name="Ольга", patronymic="Петровна")
    when = now - datetime.timedelta(days=2)
    sitting = start_campaign_sitting(person, campaign, now=when)
    question_id = sitting.question_order[0]
    save_answer(sitting, question_id, correct_answer(sitting.question_snapshot(question_id)), 1, now=when)
    make_municipal_manager(
        town, username="obninsk", last_name="Кузнецова", first_name="Ольга", password=PASSWORD
    )
    assert Sitting.objects.get(pk=sitting.pk).state == Sitting.State.IN_PROGRESS  # no job has run
    return {"campaign": campaign, "person": person}


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_municipal_manager_opens_a_persons_record_and_prints_it(
    browser, live_server, closed_campaign, size, screenshot
):
    from playwright.sync_api import expect

    context, page = new_page(browser, live_server, VIEWPORTS[size])
    context.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    problems = []
    try:
        log_in(page, "obninsk")

        # the closed campaign: the sitting left open counts as finished (and passed) at its deadline
        page.goto(f"/manage/tests/campaigns/{closed_campaign['campaign'].pk}/")
        total = page.locator("table tfoot tr, table tr.total").last
        expect(total).to_be_visible()
        cells = total.locator("td").all_inner_texts()
        # expected (the servant and the manager, of Obninsk too), started, finished, passed
        assert cells[:4] == ["2", "1", "1", "1"], cells
        problems += [f"{page.url}: {problem}" for problem in serious_violations(page)]

        # down the dashboard to the person
        page.goto("/reports/")
        page.get_by_role("link", name="Город Обнинск").first.click()
        page.get_by_role("link", name="Администрация города Обнинска").first.click()
        page.get_by_role("link", name="Смирнова Ольга Петровна").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Смирнова Ольга Петровна")
        record = page.locator("main")
        expect(record).to_contain_text("Осеннее тестирование")
        expect(record).not_to_contain_text("проходит")
        assert no_sideways_scroll(page), page.url
        problems += [f"{page.url}: {problem}" for problem in serious_violations(page)]
        screenshot(page, f"person-record-{size}")

        # printing: the button prints, and the printed page is the record without the site's navigation
        page.get_by_role("button", name="Напечатать").click()
        assert page.evaluate("window.printed") == 1
        page.emulate_media(media="print")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.locator(".exports")).to_be_hidden()
        expect(page.locator("nav.breadcrumbs")).to_be_hidden()
    finally:
        context.close()
    assert not problems, "\n".join(problems)
