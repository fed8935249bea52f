"""In a real browser: a servant asks the authorized body a question with an attachment; a regional
manager finds it among the open questions, reads the attachment's name and answers; the servant sees the
notice and the answer in «Мой кабинет»; the manager publishes the question, anonymised, in the materials
library, where anybody finds it by searching. At desktop and phone size the pages have no serious
accessibility violations and the servant's pages no sideways scroll."""

import pytest

from cms.models import MaterialIndexPage, MaterialKind, MaterialPage
from cms.moderation import ensure_moderation
from events.models import Consultation, ConsultationTopic
from people.factories import make_municipality, make_organization, make_person, make_regional_manager

from .accessibility import serious_violations
from .journeys import PASSWORD, VIEWPORTS, log_in, new_page, no_sideways_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

SUBJECT = "Подарок на юбилей администрации"
ANSWER = "Уведомление о получении подарка подаётся не позднее трёх рабочих дней."


@pytest.fixture
def region(home_page):
    ensure_moderation()  # regional managers publish in the library (a flush took the page rights away)
    ConsultationTopic.objects.get_or_create(name="Подарки", defaults={"position": 30})
    home_page.add_child(instance=MaterialIndexPage(title="Библиотека материалов", slug="materials"))
    town = make_municipality("Город Обнинск")
    office = make_organization(town, "Администрация города Обнинска")
    make_person(office, username="sidorova", last_name="Сидорова", first_name="Анна", password=PASSWORD)
    make_regional_manager(username="region", last_name="Орлов", first_name="Андрей", password=PASSWORD)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_question_is_answered_and_published_as_faq(browser, live_server, settings, tmp_path, region, size):
    from playwright.sync_api import expect

    settings.SITE_URL = live_server.url
    settings.CONSULTATION_FILES_ROOT = str(tmp_path / "consultations")
    context, page = new_page(browser, live_server, VIEWPORTS[size])
    problems = []

    def check(page):
        problems.extend(f"{page.url}: {problem}" for problem in serious_violations(page))

    try:
        # the servant asks, with a document attached
        page.context.clear_cookies()
        log_in(page, "sidorova")
        page.get_by_role("link", name="Задать вопрос").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Вопрос в уполномоченный орган")
        page.get_by_label("Тема").select_option(label="Подарки")
        page.get_by_label("Вопрос кратко").fill(SUBJECT)
        page.locator("#id_text").fill(
            "Я, Сидорова Анна, получила на юбилее администрации вазу. Нужно ли уведомлять?"
        )
        page.get_by_label("Вложение (необязательно)").set_input_files(
            {"name": "приглашение.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 invitation"}
        )
        assert no_sideways_scroll(page), page.url
        check(page)
        page.get_by_role("button", name="Отправить вопрос").click()
        expect(page.get_by_text("Вопрос отправлен в уполномоченный орган.")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
        expect(page.get_by_role("link", name="приглашение.pdf")).to_be_visible()
        assert no_sideways_scroll(page), page.url
        check(page)

        # a regional manager finds it among the open questions and answers
        page.context.clear_cookies()
        log_in(page, "region")
        page.goto("/consultations/manage/")
        expect(page.locator("#open-questions")).to_contain_text(SUBJECT)
        check(page)
        page.locator("#open-questions").get_by_role("link", name=SUBJECT).click()
        expect(page.locator("#consultation-facts")).to_contain_text("Администрация города Обнинска")
        page.get_by_label("Текст").fill(ANSWER)
        check(page)
        page.get_by_role("button", name="Отправить ответ").click()
        expect(page.get_by_text("Ответ отправлен")).to_be_visible()
        expect(page.locator("#consultation-thread")).to_contain_text(ANSWER)

        # the servant sees the notice and the answer in the cabinet
        page.context.clear_cookies()
        log_in(page, "sidorova")
        expect(page.locator(".notices")).to_contain_text(
            f"Уполномоченный орган ответил на ваш вопрос «{SUBJECT}»."
        )
        assert no_sideways_scroll(page), page.url
        check(page)
        page.locator(".notices").get_by_role("link", name="Открыть переписку").click()
        expect(page.locator("#consultation-thread")).to_contain_text(ANSWER)
        assert no_sideways_scroll(page), page.url

        # the manager publishes it, anonymised, in the library
        page.context.clear_cookies()
        log_in(page, "region")
        consultation = Consultation.objects.get()
        page.goto(f"/consultations/{consultation.pk}/")
        page.get_by_role("link", name="Опубликовать в библиотеке материалов").click()
        question = page.get_by_label("Вопрос, как он будет опубликован")
        assert "Сидорова" not in question.input_value() and "вазу" in question.input_value()
        page.get_by_label("Заголовок").fill("Уведомление о подарке, полученном на юбилее")
        check(page)
        page.get_by_role("button", name="Опубликовать", exact=True).click()
        expect(page.get_by_text("Вопрос и ответ опубликованы в библиотеке материалов.")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Уведомление о подарке, полученном на юбилее"
        )

        # anybody finds it in the library's search
        page.context.clear_cookies()
        page.goto("/materials/?q=вазу")
        results = page.locator("main")
        expect(
            results.get_by_role("link", name="Уведомление о подарке, полученном на юбилее")
        ).to_be_visible()
        expect(results).not_to_contain_text("Сидорова")
        assert no_sideways_scroll(page), page.url
        check(page)
    finally:
        context.close()
    assert MaterialPage.objects.get().kind == MaterialKind.FAQ
    assert not problems, "\n".join(problems)
