"""In a real browser: a municipal manager invites their municipality from the admin («Приглашения»), the
letter reaches a real SMTP server (aiosmtpd), the servant opens its set-password link, sets a password,
signs in, finds the test campaign of their municipality in «Мой кабинет» (with the extra time granted to
them), takes the test and sees the result — at desktop and at phone size; the code page and the print
page of codes have no serious accessibility violations."""

import datetime
import re
import time

import pytest
from django.utils import timezone

from people.factories import make_municipal_manager, make_municipality, make_organization, make_person
from quizzes.factories import (
    make_campaign,
    make_municipal_audience,
    make_quiz,
    make_single_choice,
    make_true_false,
)
from quizzes.models import ExtraTime, Sitting
from tests.smtp import smtp_server_fixture  # noqa: F401

from .accessibility import serious_violations
from .journeys import PASSWORD, VIEWPORTS, log_in, no_sideways_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

NEW_PASSWORD = "Осенний-лист-2024"
LINK = re.compile(r"https?://\S+/invitation/\S+/")
CAMPAIGN = "Тестирование муниципальных служащих Обнинска"


@pytest.fixture
def obninsk(home_page):
    municipality = make_municipality("Городской округ «Город Обнинск»")
    office = make_organization(municipality, "Администрация города Обнинска")
    manager = make_municipal_manager(
        municipality, username="obninsk", email="obninsk@example.org", password=PASSWORD
    )
    servant = make_person(
        office, username="a.smirnova@obninsk.example", email="a.smirnova@obninsk.example",
        last_name="Смирнова", first_name="Анна", patronymic="Викторовна",
    )  # fmt: skip
    without_email = make_person(office, username="tn3003", email="", last_name="Сёмин", first_name="Пётр")
    quiz = make_quiz(
        [
            make_single_choice(
                text="Кому направляется уведомление о подарке?", correct="Представителю нанимателя"
            ),
            make_true_false(text="Служащий вправе получать подарки в связи с должностью.", value=False),
        ],
        time_limit=30,
        pass_mark=100,
    )
    now = timezone.now()
    campaign = make_campaign(
        quiz,
        make_municipal_audience(municipality),
        now - datetime.timedelta(hours=1),
        now + datetime.timedelta(days=7),
        title=CAMPAIGN,
    )
    ExtraTime.objects.create(campaign=campaign, user=servant, minutes=10)  # e.g. a disability accommodation
    return {
        "municipality": municipality,
        "manager": manager,
        "servant": servant,
        "without_email": without_email,
        "campaign": campaign,
    }


def wait_for_letters(smtp_server, count, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(smtp_server.envelopes) >= count:
            return smtp_server.messages()
        time.sleep(0.1)
    raise AssertionError(f"{len(smtp_server.envelopes)} letters arrived, {count} expected")


def shown(page):
    """The question on screen (the others are in the page, hidden)."""
    return page.locator("fieldset.take-item:visible")


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_a_manager_invites_a_municipality_and_the_servant_sets_a_password_and_takes_the_test(
    page, live_server, smtp_server, settings, obninsk, size, screenshot
):
    from playwright.sync_api import expect

    settings.SITE_URL = live_server.url  # links in the letter lead to this server
    page.set_viewport_size(VIEWPORTS[size])

    log_in(page, "obninsk")

    page.goto("/admin/people/invitations/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Приглашения")
    row = page.locator(f'tr[data-bucket="{obninsk["municipality"].pk}"]')
    expect(row.locator('[data-count="waiting_email"]')).to_have_text("1")
    expect(row.locator('[data-count="waiting_no_email"]')).to_have_text("1")
    screenshot(page, "invitations")
    row.get_by_role("button", name=re.compile("^Пригласить по email")).click()
    expect(page.get_by_text("приглашений поставлено в очередь отправки — 1")).to_be_visible()

    [letter] = wait_for_letters(smtp_server, 1)
    assert [a.addr_spec for a in letter["To"].addresses] == ["a.smirnova@obninsk.example"]
    body = letter.get_body(preferencelist=("plain",)).get_content()
    assert "Здравствуйте, Анна Викторовна!" in body
    [link] = LINK.findall(body)
    assert link.startswith(live_server.url + "/invitation/")

    page.context.clear_cookies()  # the servant, in a browser of their own
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Создание пароля")
    expect(page.get_by_text("a.smirnova@obninsk.example").first).to_be_visible()
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Сохранить пароль").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Пароль сохранён")

    page.get_by_role("main").get_by_role("link", name="Войти").click()
    page.get_by_label("Логин или email").fill("a.smirnova@obninsk.example")
    page.get_by_label("Пароль").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(f"{live_server.url}/cabinet/")
    expect(page.get_by_role("heading", name="Смирнова Анна Викторовна")).to_be_visible()
    assert no_sideways_scroll(page, slack=1), page.url

    # «Мой кабинет» lists the open campaign of the servant's municipality.
    page.get_by_role("main").get_by_role("link", name=CAMPAIGN).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CAMPAIGN)
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("40 минут")  # 30 of the test and the 10 granted to her
    expect(facts).to_contain_text("в том числе дополнительное время — 10 мин.")
    expect(facts).to_contain_text("Не начат")
    assert no_sideways_scroll(page, slack=1), page.url
    page.get_by_role("button", name="Начать тест").click()
    expect(page).to_have_url(re.compile(r"/tests/sittings/\d+/$"))
    sitting = Sitting.objects.get(user=obninsk["servant"])
    expect(page.get_by_text("Вопрос 1 из 2")).to_be_visible()
    expect(page.locator("#take-clock")).to_have_text(re.compile(r"^(39|40):\d\d$"))
    shown(page).get_by_label("Представителю нанимателя", exact=True).check()
    expect(page.locator(f"#take-status-{sitting.question_order[0]}")).to_have_text("сохранено")
    page.get_by_role("button", name="Далее").click()
    shown(page).get_by_label("Неверно", exact=True).check()
    expect(page.locator(f"#take-status-{sitting.question_order[1]}")).to_have_text("сохранено")
    assert no_sideways_scroll(page, slack=1), page.url
    screenshot(page, f"invited-servant-takes-the-test-{size}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Завершить тест").click()

    expect(page).to_have_url(f"{live_server.url}/tests/sittings/{sitting.pk}/result/")
    expect(page.locator(".result-percent")).to_have_text("100%")
    expect(page.locator(".result-passed")).to_have_text("Тест пройден")
    assert no_sideways_scroll(page, slack=1), page.url
    sitting.refresh_from_db()
    assert (sitting.state, sitting.percent, sitting.passed) == (Sitting.State.FINISHED, 100, True)
    assert sitting.deadline == sitting.started_at + datetime.timedelta(minutes=40)
    assert page.failed_responses == []

    page.goto(link)  # the link worked once
    expect(page.get_by_role("heading", level=1)).to_have_text("Ссылка недействительна")
    assert page.foreign_requests == []


def test_codes_are_printed_and_a_code_sets_the_password(page, live_server, settings, obninsk, screenshot):
    from playwright.sync_api import expect

    settings.SITE_URL = live_server.url
    log_in(page, "obninsk")

    page.goto(f"/admin/people/invitations/{obninsk['municipality'].pk}/")
    page.get_by_role("button", name="Показать для печати").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Коды для создания пароля")
    slip = page.locator(f'li.slip[data-person="{obninsk["without_email"].pk}"]')
    expect(slip.locator(".slip__login")).to_have_text("tn3003")
    code = slip.locator(".slip__code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code)
    assert serious_violations(page) == []
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Напечатать")).to_be_hidden()
    screenshot(page, "invitation-codes")
    page.emulate_media(media="screen")

    page.context.clear_cookies()
    page.goto("/login/")
    page.get_by_role("link", name="Нет email? Войти по коду из списка").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Вход по коду из списка")
    assert serious_violations(page) == []
    page.get_by_label("Логин").fill("tn3003")
    page.get_by_label("Код из списка").fill(code.lower())
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Сохранить пароль").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Пароль сохранён")
    assert page.failed_responses == []
