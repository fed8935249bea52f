"""In a real browser: a municipal manager runs their own. They import the roster of their municipality (a
row about another municipality is refused), make an audience of it, open a local campaign on a quiz the
authorized body has opened to municipalities, choosing from their own audiences only. The admin pages have
no serious accessibility violations. At desktop size: the admin's work is done at a desk (the servants'
journeys run at phone size too)."""

import datetime

import pytest
from django.utils import timezone

from people.audience import Audience
from people.factories import make_municipal_manager, make_municipality, make_organization
from people.models import User
from quizzes.factories import make_quiz, make_single_choice
from quizzes.models import TestCampaign

from .accessibility import serious_violations
from .admin_pages import PASSWORD, admin_log_in
from .journeys import DESKTOP, new_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

VIEWPORTS = {"desktop": DESKTOP}
ROSTER = (
    "Фамилия;Имя;Email;Муниципальное образование;Организация;Категория\n"
    "Смирнова;Анна;a.smirnova@kozelsk.example;Козельский район;Администрация Козельского района;"
    "муниципальный служащий\n"
    "Сёмин;Пётр;p.semin@kozelsk.example;Город Козельск;;муниципальный служащий\n"
    "Чужой;Иван;i.chuzhoy@obninsk.example;Город Обнинск;Администрация города Обнинска;"
    "муниципальный служащий\n"
)


@pytest.fixture
def kozelsk(home_page):
    district = make_municipality("Муниципальный район «Козельский район»", short_name="Козельский район")
    make_municipality(
        "Городское поселение «Город Козельск»",
        kind=district.Kind.URBAN_SETTLEMENT,
        parent=district,
        short_name="Город Козельск",
    )
    make_organization(district, "Администрация Козельского района")
    obninsk = make_municipality("Городской округ «Город Обнинск»", kind=district.Kind.URBAN_OKRUG,
                                short_name="Город Обнинск")  # fmt: skip
    make_organization(obninsk, "Администрация города Обнинска")
    Audience.objects.create(title="Вся область").municipalities.add(district, obninsk)
    make_quiz([make_single_choice()], title="Основы противодействия коррупции", municipal_use=True)
    make_quiz([make_single_choice()], title="Тест для государственных служащих")
    manager = make_municipal_manager(district, username="kozelsk", last_name="Лебедева", first_name="Нина",
                                     password=PASSWORD)  # fmt: skip
    return {"district": district, "manager": manager}


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_municipal_manager_imports_their_roster_and_opens_a_local_campaign(
    browser, live_server, kozelsk, size, tmp_path, screenshot
):
    from playwright.sync_api import expect

    roster = tmp_path / "kozelsk.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    context, page = new_page(browser, live_server, VIEWPORTS[size])
    problems = []
    try:
        admin_log_in(page, kozelsk["manager"])

        # the roster: two rows of the district and its settlement, one of another municipality
        page.goto("/admin/people/import/")
        expect(page.get_by_text("Вы загружаете список своего муниципального образования")).to_be_visible()
        page.get_by_label("Файл со списком людей").set_input_files(str(roster))
        page.get_by_label("Пропускать строки с ошибками").check()
        page.get_by_role("button", name="Импортировать").click()
        expect(page.locator('[data-count="created"]')).to_have_text("2")
        expect(page.locator('[data-count="rejected"]')).to_have_text("1")
        expect(page.locator("main")).to_contain_text("не входит в ваше (Козельский район)")
        problems += [f"{page.url}: {problem}" for problem in serious_violations(page)]
        screenshot(page, f"municipal-import-{size}")
        assert set(
            User.objects.filter(email__endswith="kozelsk.example").values_list("last_name", flat=True)
        ) == {
            "Смирнова",
            "Сёмин",
        }
        assert not User.objects.filter(last_name="Чужой").exists()

        # an audience of the municipality: its owner is set, whatever the form shows
        page.goto("/admin/snippets/people/audience/add/")
        page.locator("#id_title").fill("Служащие Козельского района")
        page.get_by_label("Козельский район", exact=True).check()
        page.get_by_role("button", name="Сохранить").click()
        expect(page.locator(".messages")).to_be_visible()
        audience = Audience.objects.get(title="Служащие Козельского района")
        assert audience.owner_municipality == kozelsk["district"]

        # the campaign: only the quiz opened to municipalities and their own audiences are offered
        page.goto("/admin/quizzes/campaigns/new/")
        quiz_options = page.locator("#id_quiz option").all_inner_texts()
        assert "Основы противодействия коррупции" in quiz_options
        assert "Тест для государственных служащих" not in quiz_options
        page.locator("#id_title").fill("Тестирование служащих Козельского района")
        page.locator("#id_quiz").select_option(label="Основы противодействия коррупции")
        now = timezone.localtime()
        page.locator("#id_opens_at").fill((now - datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"))
        page.locator("#id_closes_at").fill((now + datetime.timedelta(days=14)).strftime("%Y-%m-%d %H:%M"))
        problems += [f"{page.url}: {problem}" for problem in serious_violations(page)]
        page.locator("#id_audience-chooser .unchosen [data-chooser-action-choose]").click()
        modal = page.locator(".modal")
        expect(modal).to_contain_text("Служащие Козельского района")
        expect(modal).not_to_contain_text("Вся область")  # the region's audience is not theirs
        modal.get_by_role("link", name="Служащие Козельского района").click()
        expect(page.locator("#id_audience-chooser [data-chooser-title]")).to_have_text(
            "Служащие Козельского района"
        )
        page.get_by_role("button", name="Создать").click()
        expect(page.locator(".messages")).to_contain_text("Тестирование служащих Козельского района")
        screenshot(page, f"municipal-campaigns-{size}")
        campaign = TestCampaign.objects.get(title="Тестирование служащих Козельского района")
        assert campaign.created_by == kozelsk["manager"]
        assert set(campaign.expected_participants().values_list("last_name", flat=True)) == {
            "Смирнова",
            "Сёмин",
            "Лебедева",
        }

        # the results page counts the local campaign for its manager
        page.goto(f"/manage/tests/campaigns/{campaign.pk}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(
            "Тестирование служащих Козельского района"
        )
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_the_date_pickers_buttons_have_names(browser, live_server, kozelsk):
    """The campaign date picker, open: its month, «today» and time arrows are named for screen readers."""
    from playwright.sync_api import expect

    context, page = new_page(browser, live_server, DESKTOP)
    try:
        admin_log_in(page, kozelsk["manager"])
        page.goto("/admin/quizzes/campaigns/new/")
        page.locator("#id_closes_at").focus()
        picker = page.locator(".xdsoft_datetimepicker:visible")
        expect(picker).to_have_count(1)
        for name in ("Предыдущий месяц", "Сегодня", "Следующий месяц", "Раньше", "Позже"):
            expect(picker.get_by_role("button", name=name, exact=True)).to_be_visible()
        assert serious_violations(page) == []
    finally:
        context.close()
