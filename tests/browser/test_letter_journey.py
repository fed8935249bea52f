"""In a real browser: a regional manager sends an information letter of the library to the anti-corruption
coordinators of two municipalities; a coordinator sees the notice in «Мой кабинет», opens the letter and
presses «Ознакомлен»; the manager sees the acknowledgement per municipality and reminds the rest, who get
the reminder by mail (the locmem outbox); a second reminder at once is refused with a clear message. At
desktop and phone size the pages have no serious accessibility violations and no sideways scroll."""

import datetime

import pytest

from cms.models import MaterialIndexPage, MaterialKind, MaterialPage
from events.letters.services import MAIL_LETTER, MAIL_REMINDER
from events.models import LetterAcknowledgement
from people.factories import make_municipality, make_organization, make_person, make_regional_manager
from people.mail.models import OutgoingMail

from .accessibility import serious_violations
from .journeys import PASSWORD, VIEWPORTS, log_in, new_page, no_sideways_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

TITLE = "О представлении сведений о доходах в 2026 году"
SUBJECT = "Информационное письмо о декларационной кампании"


@pytest.fixture
def region(home_page):
    library = home_page.add_child(instance=MaterialIndexPage(title="Библиотека материалов", slug="materials"))
    library.add_child(
        instance=MaterialPage(
            title=TITLE,
            kind=MaterialKind.INFORMATION_LETTER,
            date=datetime.date(2026, 1, 15),
            summary="Сроки и порядок представления сведений о доходах.",
        )
    )
    obninsk = make_municipality("Город Обнинск")
    kaluga = make_municipality("Город Калуга")
    make_person(
        make_organization(obninsk, "Администрация города Обнинска"),
        username="sidorova",
        last_name="Сидорова",
        first_name="Анна",
        password=PASSWORD,
        has_anticorruption_duties=True,
    )
    make_person(
        make_organization(kaluga, "Администрация города Калуги"),
        username="petrov",
        last_name="Петров",
        first_name="Олег",
        email="petrov@example.org",
        password=PASSWORD,
        has_anticorruption_duties=True,
    )
    make_regional_manager(username="region", last_name="Орлов", first_name="Андрей", password=PASSWORD)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_letter_is_sent_acknowledged_and_the_rest_reminded(
    browser, live_server, settings, mailoutbox, region, size
):
    from playwright.sync_api import expect

    settings.SITE_URL = live_server.url
    context, page = new_page(browser, live_server, VIEWPORTS[size])
    problems = []

    def check(page):
        assert no_sideways_scroll(page), page.url
        problems.extend(f"{page.url}: {problem}" for problem in serious_violations(page))

    try:
        # the regional manager sends the letter to Obninsk and Kaluga
        log_in(page, "region")
        page.goto("/letters/manage/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Письма муниципалитетам")
        page.get_by_role("link", name="Новое письмо").click()
        page.get_by_label("Материал библиотеки").select_option(label=f"Информационное письмо: {TITLE}")
        page.get_by_label("Тема письма (необязательно)").fill(SUBJECT)
        page.get_by_label("Сопроводительный текст (необязательно)").fill("Просим ознакомиться до 1 марта.")
        page.get_by_label("Город Обнинск").check()
        page.get_by_label("Город Калуга").check()
        check(page)
        page.get_by_role("button", name="Отправить письмо").click()
        expect(page.get_by_text("Письмо отправлено. Получателей: 2; на почту: 2.")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
        expect(page.locator("#summary-title")).to_have_text("Ознакомились: 0 из 2")
        check(page)
        assert OutgoingMail.objects.filter(kind=MAIL_LETTER).count() == 2
        assert {message.to[0] for message in mailoutbox} >= {"petrov@example.org"}

        # the coordinator sees the notice, opens the letter and presses «Ознакомлен»
        page.context.clear_cookies()
        log_in(page, "sidorova")
        notices = page.locator(".notices")
        expect(notices).to_contain_text(SUBJECT)
        check(page)
        notices.get_by_role("link", name="Открыть письмо").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
        expect(page.locator("#letter-facts")).to_contain_text(TITLE)
        check(page)
        page.get_by_role("button", name="Ознакомлен").click()
        expect(page.get_by_text("Спасибо: отмечено, что вы ознакомились с письмом.")).to_be_visible()
        expect(page.locator("#acknowledgement")).to_contain_text("Вы ознакомились с письмом")
        expect(page.get_by_role("button", name="Ознакомлен")).to_have_count(0)
        assert LetterAcknowledgement.objects.count() == 1

        # the manager sees it per municipality and reminds the rest
        page.context.clear_cookies()
        log_in(page, "region")
        page.goto("/letters/manage/")
        page.locator("#letters").get_by_role("link", name=SUBJECT).click()
        expect(page.locator("#summary-title")).to_have_text("Ознакомились: 1 из 2")
        summary = page.locator("#letter-summary")
        expect(summary.get_by_role("row", name="Город Обнинск")).to_contain_text("1")
        expect(page.get_by_role("row", name="Сидорова Анна")).not_to_contain_text("нет")
        expect(page.get_by_role("row", name="Петров Олег")).to_contain_text("нет")
        check(page)
        mailed_before = len(mailoutbox)
        page.get_by_role("button", name="Напомнить неознакомившимся").click()
        expect(page.get_by_text("Напоминание отправлено тем, кто ещё не ознакомился: 1.")).to_be_visible()
        reminders = list(mailoutbox[mailed_before:])
        assert [message.to for message in reminders] == [["petrov@example.org"]]
        assert OutgoingMail.objects.filter(kind=MAIL_REMINDER).count() == 1
        page.get_by_role("button", name="Напомнить неознакомившимся").click()
        expect(page.get_by_text("Напоминание уже отправлено")).to_be_visible()
        assert OutgoingMail.objects.filter(kind=MAIL_REMINDER).count() == 1
        check(page)
    finally:
        context.close()
    assert not problems, "\n".join(problems)
