"""In a real browser, at desktop and phone size: a municipal manager handles an appeal.

The campaign is over; a servant of the manager's municipality failed it and appealed one answer. The
manager opens the campaign's participants, the servant's page and the attempt (every question as drawn,
the answer, when it was saved, the key, the points), changes the points of that answer with the
commission's decision as the reason, and sees the new result: passed. The history keeps who, when, why
and the values before and after. Then the manager prints the municipality's protocol (PDF, entered in
the audit log of personal-data exports): it shows the new result and the commission's signature block;
and the servant downloads their own result sheet, which says the same. No serious accessibility
violation on the pages of the journey.

A manager's extra time reaches a test page that is already open (the countdown goes on past the
deadline the page knew, instead of finishing the attempt early).
"""

import datetime
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from people.factories import make_municipal_manager, make_municipality, make_organization, make_person
from quizzes.factories import make_campaign, make_municipal_audience, make_quiz, make_single_choice
from quizzes.models import PersonOperation, Sitting
from quizzes.services import finish_sitting, save_answer, start_campaign_sitting
from reports.models import ExportAuditEntry

from .accessibility import serious_violations
from .journeys import PASSWORD, VIEWPORTS, log_in, new_page, no_sideways_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

REASON = "Решение апелляционной комиссии от 12.05 № 3: ответ засчитан"


@pytest.fixture
def appeal(home_page):
    town = make_municipality("Город Обнинск")
    questions = [
        make_single_choice(
            text="Кому направляется уведомление о подарке?", correct="Представителю нанимателя"
        ),
        make_single_choice(
            text="В какой срок уведомляют о получении подарка?",
            correct="Не позднее трёх рабочих дней",
            wrong=("В течение месяца", "Уведомлять не нужно"),
        ),
    ]
    quiz = make_quiz(questions, attempts_allowed=1, pass_mark=100)
    now = timezone.now()
    campaign = make_campaign(
        quiz,
        make_municipal_audience(town),
        now - datetime.timedelta(days=3),
        now - datetime.timedelta(days=1),
        title="Тестирование муниципальных служащих",
    )
    servant = make_person(
        make_organization(town, "Администрация города Обнинска"),
        username="o.smirnova", last_name="Смирнова", first_name="Ольга", password=PASSWORD,
    )  # fmt: skip
    when = now - datetime.timedelta(days=2)
    sitting = start_campaign_sitting(servant, campaign, now=when)
    for seq, snapshot in enumerate(sitting.questions(), start=1):
        correct = snapshot["key"]["correct"][0]
        choice = correct if seq == 1 else next(o["id"] for o in snapshot["options"] if o["id"] != correct)
        save_answer(sitting, snapshot["id"], {"choice": choice}, seq, now=when)
    finish_sitting(sitting, now=when)
    assert sitting.percent == 50 and not sitting.passed
    manager = make_municipal_manager(
        town, username="obninsk.manager", last_name="Орлова", first_name="Мария", password=PASSWORD
    )
    return {
        "campaign": campaign,
        "sitting": sitting,
        "manager": manager,
        "servant": servant,
        "question": questions[1],
    }


def pdf_text(download):
    """The text of a downloaded PDF, line breaks as spaces (table cells wrap)."""
    reader = PdfReader(download.path())
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_a_manager_handles_an_appeal(browser, live_server, appeal, size, screenshot):
    from playwright.sync_api import expect

    context, page = new_page(browser, live_server, VIEWPORTS[size])
    problems = []
    try:
        log_in(page, appeal["manager"])
        page.goto("/manage/tests/")
        page.get_by_role("link", name="Тестирование муниципальных служащих").click()
        page.get_by_role("link", name="Участники", exact=True).click()
        page.get_by_role("link", name="Смирнова Ольга").click()
        expect(page.get_by_role("heading", name="Смирнова Ольга")).to_be_visible()
        expect(page.get_by_text("Тестирование закрыто")).to_be_visible()
        problems += [f"{page.url}: {problem}" for problem in serious_violations(page)]
        assert no_sideways_scroll(page, slack=1), page.url

        page.get_by_role("link", name="Попытка 1").click()
        facts = page.locator("#sitting-result")
        expect(facts).to_contain_text("50%")
        expect(facts).to_contain_text("тест не сдан")
        second = page.locator(f"#question-{appeal['question'].pk}")
        expect(second).to_contain_text("В какой срок уведомляют о получении подарка?")
        expect(second).to_contain_text("Не позднее трёх рабочих дней — верный")
        expect(second.locator(".item-earned")).to_have_text("0 из 1")
        problems += [f"{page.url}: {problem}" for problem in serious_violations(page)]
        assert no_sideways_scroll(page, slack=1), page.url
        screenshot(page, f"appeal-attempt-{size}")

        second.get_by_text("Изменить баллы за ответ (апелляция)").click()
        second.get_by_label("Баллы за ответ").fill("1")
        second.get_by_label("Причина").fill(REASON)
        second.get_by_role("button", name="Сохранить баллы").click()

        expect(page.get_by_role("status")).to_contain_text("Результат попытки: 100%, тест сдан")
        expect(page.locator("#sitting-result")).to_contain_text("тест сдан")
        second = page.locator(f"#question-{appeal['question'].pk}")
        expect(second).to_contain_text("баллы изменены вручную")
        expect(second.locator(".item-earned")).to_have_text("1 из 1")
        history = page.locator("table.history-table")
        expect(history).to_contain_text(REASON)
        expect(history).to_contain_text("Орлова Мария")
        expect(history).to_contain_text("результат, %: 50 → 100")
        problems += [f"{page.url}: {problem}" for problem in serious_violations(page)]
        assert no_sideways_scroll(page, slack=1), page.url
        screenshot(page, f"appeal-done-{size}")

        # The protocol of the municipality: the new result, and the commission signs it.
        page.goto("/manage/tests/")
        page.get_by_role("link", name="Тестирование муниципальных служащих").click()
        with page.expect_download() as download:
            page.get_by_role("button", name="протокол, Город Обнинск").click()
        assert download.value.suggested_filename == (
            f"protocol-{appeal['campaign'].pk}-{appeal['manager'].municipality_id}.pdf"
        )
        protocol = pdf_text(download.value)
        assert "Протокол результатов тестирования" in protocol
        assert "«Тестирование муниципальных служащих»" in protocol
        row = re.search(r"\d+ Смирнова Ольга .*?(?= \d+ [А-ЯЁ]| Итоги)", protocol)
        assert row, protocol
        assert "2 из 2" in row.group(0) and "100,00" in row.group(0), row.group(0)
        assert re.search(r"(?<!не )сдал\b", row.group(0)), row.group(0)
        assert "не сдал" not in protocol
        assert "Сдали 1" in protocol
        for label in ("Подписи членов комиссии", "Председатель комиссии", "Члены комиссии:",
                      "Секретарь комиссии", "(подпись)", "(расшифровка подписи)"):  # fmt: skip
            assert label in protocol, label
    finally:
        context.close()

    sitting = Sitting.objects.get(pk=appeal["sitting"].pk)
    assert (sitting.percent, sitting.passed) == (100, True)
    entry = PersonOperation.objects.get()
    assert entry.reason == REASON and entry.actor == appeal["manager"]
    audit = ExportAuditEntry.objects.get()
    assert (audit.user, audit.table_key, audit.format, audit.row_count) == (
        appeal["manager"],
        "campaign_protocol",
        "pdf",
        2,  # the manager works in the town: expected too
    )
    assert audit.params == {
        "Тестирование": "Тестирование муниципальных служащих",
        "Муниципальное образование": "Город Обнинск",
    }
    assert not problems, "\n".join(problems)

    # The servant's own result sheet says the same.
    context, page = new_page(browser, live_server, VIEWPORTS[size])
    try:
        log_in(page, appeal["servant"])
        page.goto("/tests/")
        page.get_by_role("link", name="Результат", exact=True).click()
        with page.expect_download() as download:
            page.get_by_role("link", name="Скачать лист результатов (PDF)").click()
        sheet = pdf_text(download.value)
        assert "Смирнова Ольга" in sheet
        assert "Набрано баллов 2 из 2" in sheet and "Результат, % 100,00" in sheet, sheet
        assert "Итог тест пройден" in sheet, sheet
        assert no_sideways_scroll(page, slack=1), page.url
    finally:
        context.close()
    assert ExportAuditEntry.objects.count() == 1  # one's own sheet is not an export of others' data


def test_the_regrade_and_roster_pages_are_accessible_on_a_phone(browser, live_server, appeal):
    """A regional manager's dry run of a regrade and an audience's roster with search results, at 360 px:
    no serious accessibility violation and no sideways scroll of the page."""
    from playwright.sync_api import expect

    from people.factories import make_regional_manager
    from quizzes.models import Choice

    question = appeal["question"]
    Choice.objects.filter(question=question).update(fraction=0)
    fixed = Choice.objects.get(question=question, text="В течение месяца")
    fixed.fraction = 1
    fixed.save()
    regional = make_regional_manager(username="region.manager", last_name="Соколов", password=PASSWORD)
    context, page = new_page(browser, live_server, VIEWPORTS["phone"])
    problems = []
    try:
        log_in(page, regional)
        page.goto(f"/manage/tests/campaigns/{appeal['campaign'].pk}/regrade/?question={question.pk}")
        expect(page.locator("#regrade-changed")).to_have_text("1")
        expect(page.locator("table.regrade-table")).to_contain_text("Смирнова Ольга")
        problems += [f"{page.url}: {problem}" for problem in serious_violations(page)]
        assert no_sideways_scroll(page, slack=1), page.url
        page.get_by_role("link", name="Поимённый список аудитории тестирования").click()
        page.get_by_label("Фамилия, имя или email").fill("смирнова")
        page.get_by_role("button", name="Найти людей").click()
        expect(page.get_by_label("Смирнова Ольга")).to_be_visible()
        problems += [f"{page.url}: {problem}" for problem in serious_violations(page)]
        assert no_sideways_scroll(page, slack=1), page.url
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def running(home_page):
    """An open campaign with a 30-minute test, a servant of the town and its manager."""
    town = make_municipality("Город Обнинск")
    quiz = make_quiz(
        [
            make_single_choice(
                text="Кому направляется уведомление о подарке?", correct="Представителю нанимателя"
            )
        ],
        time_limit=30,
    )
    now = timezone.now()
    campaign = make_campaign(
        quiz,
        make_municipal_audience(town),
        now - datetime.timedelta(hours=1),
        now + datetime.timedelta(days=1),
        title="Тестирование муниципальных служащих",
    )
    servant = make_person(
        make_organization(town, "Администрация города Обнинска"),
        username="o.smirnova", last_name="Смирнова", first_name="Ольга", password=PASSWORD,
    )  # fmt: skip
    manager = make_municipal_manager(
        town, username="obninsk.manager", last_name="Орлова", first_name="Мария", password=PASSWORD
    )
    return {"campaign": campaign, "servant": servant, "manager": manager}


def test_extra_time_granted_during_a_sitting_reaches_the_open_test_page(browser, live_server, running):
    """The servant's test page counts down to the deadline it last heard of. A manager grants extra time
    while the page is open: when the page's countdown reaches zero it asks the server first and goes on
    with the time granted, instead of finishing the attempt early. (The page's clock is Playwright's
    fake one, so the minute passes at once.)"""
    from playwright.sync_api import expect

    from quizzes.services import start_campaign_sitting

    campaign, servant = running["campaign"], running["servant"]
    manager_context, manager_page = new_page(browser, live_server, VIEWPORTS["desktop"])
    servant_context, servant_page = new_page(browser, live_server, VIEWPORTS["desktop"])
    contexts = [manager_context, servant_context]
    try:
        log_in(manager_page, running["manager"])
        manager_page.goto(f"/manage/tests/campaigns/{campaign.pk}/people/{servant.pk}/")
        form = manager_page.locator("form").filter(
            has=manager_page.get_by_role("button", name="Назначить время")
        )
        form.get_by_label("Дополнительное время, минут").fill("10")
        form.get_by_label("Причина").fill("Заявление о технических неполадках от 12.05")

        # The servant has been taking the test for 29 minutes: one is left.
        now = timezone.now()
        sitting = start_campaign_sitting(servant, campaign)
        Sitting.objects.filter(pk=sitting.pk).update(
            started_at=now - datetime.timedelta(minutes=29), deadline=now + datetime.timedelta(minutes=1)
        )
        log_in(servant_page, servant)
        servant_page.clock.install()
        servant_page.goto(f"/tests/sittings/{sitting.pk}/")
        clock = servant_page.locator("#take-clock")
        expect(clock).to_have_text(re.compile(r"^(0|1):\d\d$"))

        form.get_by_role("button", name="Назначить время").click()
        expect(manager_page.get_by_role("status")).to_contain_text("Дополнительное время назначено: 10 мин.")

        servant_page.clock.fast_forward("01:05")  # past the deadline the page knew
        expect(clock).to_have_text(re.compile(r"^1[01]:\d\d$"))
        expect(servant_page.locator("#take-message")).to_have_text("")
        servant_page.get_by_label("Представителю нанимателя", exact=True).check()
        expect(servant_page.locator(f"#take-status-{sitting.question_order[0]}")).to_have_text("сохранено")
    finally:
        for context in contexts:
            context.close()
    sitting.refresh_from_db()
    assert sitting.is_in_progress
    assert sitting.deadline == sitting.started_at + datetime.timedelta(minutes=40)
