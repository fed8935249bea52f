"""In a real browser: a student registers for the students' contest, confirms the address by the link
from the letter and submits a work; the organizer puts a juror on the contest's jury list; the juror
scores the work by its code; the organizer sees the ranking, gives the work the first place and publishes
the results; the public contest page shows the winner. At desktop and phone size the pages have no
serious accessibility violations and the student's pages no sideways scroll."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from events.models import AgeGroup, Contest, Criterion, Nomination, Work
from people.factories import make_person, make_regional_manager
from people.mail.models import OutgoingMail
from people.roles import Role

from .accessibility import serious_violations
from .journeys import PASSWORD, VIEWPORTS, log_in, new_page, no_sideways_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

STUDENT_PASSWORD = "Konkurs-2026-parol"


@pytest.fixture
def contest(home_page):
    now = timezone.now()
    contest = Contest.objects.create(
        title="Вместе против коррупции",
        year=now.year,
        submissions_open_at=now - datetime.timedelta(days=1),
        submissions_close_at=now + datetime.timedelta(days=5),
        judging_start_at=now + datetime.timedelta(days=6),
        judging_end_at=now + datetime.timedelta(days=20),
        rules="Работы принимаются в электронном виде в номинациях «Плакат» и «Эссе».",
        partners="Прокуратура Калужской области\nАдминистрация Губернатора Калужской области",
    )
    Nomination.objects.create(contest=contest, title="Плакат", position=0)
    Nomination.objects.create(contest=contest, title="Эссе", position=1)
    AgeGroup.objects.create(contest=contest, title="18–25 лет", min_age=18, max_age=25)
    Criterion.objects.create(contest=contest, title="Соответствие теме", max_points=10, position=0)
    Criterion.objects.create(contest=contest, title="Оригинальность", max_points=5, position=1)
    make_person(username="jury", last_name="Жюриева", role=Role.JURY, password=PASSWORD)
    make_regional_manager(username="region", last_name="Орлов", password=PASSWORD)
    return contest


def shift(contest, **fields):
    Contest.objects.filter(pk=contest.pk).update(**fields)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_student_submits_a_juror_scores_and_the_winners_are_published(
    browser, live_server, settings, tmp_path, contest, size
):
    from playwright.sync_api import expect

    settings.SITE_URL = live_server.url
    settings.CONTEST_FILES_ROOT = str(tmp_path / "contest")
    context, page = new_page(browser, live_server, VIEWPORTS[size])
    problems = []

    def check(page):
        problems.extend(f"{page.url}: {problem}" for problem in serious_violations(page))
        assert no_sideways_scroll(page), page.url

    born = timezone.localdate().replace(year=timezone.localdate().year - 20) - datetime.timedelta(days=40)
    try:
        # the student registers on the public page
        page.goto(f"/contest/{contest.pk}/")
        expect(page.locator("#partners")).to_contain_text("Прокуратура Калужской области")
        check(page)
        page.get_by_role("link", name="Зарегистрироваться").click()
        page.locator("#id_last_name").fill("Смирнова")
        page.locator("#id_first_name").fill("Алина")
        page.get_by_label("Дата рождения").fill(born.isoformat())
        page.get_by_label("Образовательная организация").fill("КГУ им. К. Э. Циолковского")
        page.get_by_label("Электронная почта").fill("alina@example.org")
        page.locator("#id_password").fill(STUDENT_PASSWORD)
        page.get_by_label("Согласен(на) на публикацию моих имени и фамилии").check()
        page.get_by_label("Согласен(на) на обработку персональных данных").check()
        check(page)
        page.get_by_role("button", name="Зарегистрироваться").click()
        expect(page.locator("#registered")).to_contain_text("Мы отправили письмо")

        # confirms by the link from the letter and submits a work
        assert OutgoingMail.objects.filter(recipient="alina@example.org").exists()
        [letter] = [m for m in mail.outbox if m.to == ["alina@example.org"]]  # delivered through the outbox
        link = re.search(r"(/contest/confirm/[^/\s]+/)", letter.body).group(1)
        page.goto(link)
        expect(page.get_by_text("Адрес подтверждён.")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text("Мои работы")
        page.get_by_label("Номинация").select_option(label="Эссе")
        page.get_by_label("Название работы").fill("Честность начинается с меня")
        page.get_by_label("Файл работы").set_input_files(
            {"name": "esse.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 essay\n%%EOF\n"}
        )
        check(page)
        page.get_by_role("button", name="Отправить работу").click()
        expect(page.get_by_text("Работа принята.")).to_be_visible()
        code = Work.objects.get().code
        expect(page.locator("#my-works")).to_contain_text(code)
        check(page)
        # the student reaches nothing of the servants' part
        page.goto("/cabinet/")
        page.wait_for_url("**/login/**")

        # the juror scores the work by its code in the judging period
        now = timezone.now()
        shift(
            contest,
            submissions_close_at=now - datetime.timedelta(hours=2),
            judging_start_at=now - datetime.timedelta(hours=1),
        )
        # the organizer puts the juror on this contest's jury list and sees the confirmed student
        page.context.clear_cookies()
        log_in(page, "region")
        page.goto(f"/contest/{contest.pk}/manage/")
        expect(page.locator("#contestants")).to_contain_text("alina@example.org")
        expect(page.locator("#jurors-empty")).to_be_visible()
        page.locator("#jury-form").get_by_label(re.compile("Жюриева")).check()
        check(page)
        page.get_by_role("button", name="Сохранить состав жюри").click()
        expect(page.get_by_text("Состав жюри сохранён.")).to_be_visible()
        expect(page.locator("#jurors")).to_contain_text("Жюриева")
        expect(page.locator("#contest-history")).to_contain_text("Изменён состав жюри")

        page.context.clear_cookies()
        log_in(page, "jury")
        page.goto(f"/contest/{contest.pk}/jury/")
        expect(page.locator("#jury-works")).not_to_contain_text("Смирнова")
        check(page)
        page.get_by_role("link", name=code).click()
        page.get_by_label("Соответствие теме (от 0 до 10)").fill("9")
        page.get_by_label("Оригинальность (от 0 до 5)").fill("4")
        check(page)
        page.get_by_role("button", name="Сохранить оценки").click()
        expect(page.get_by_text(f"Оценки работы {code} сохранены.")).to_be_visible()
        expect(page.locator("#jury-works")).to_contain_text("13")

        # after judging the organizer sees the ranking, gives the first place and publishes
        shift(contest, judging_end_at=timezone.now() - datetime.timedelta(minutes=1))
        page.context.clear_cookies()
        log_in(page, "region")
        page.goto(f"/contest/{contest.pk}/manage/")
        ranking = page.locator(".contest-ranking")
        expect(ranking).to_contain_text(code)
        expect(ranking).to_contain_text("Смирнова Алина")
        expect(ranking).to_contain_text("13")
        check(page)
        page.get_by_label(f"Место работы {code}").select_option("1")
        ranking.get_by_role("button", name="Сохранить").click()
        expect(page.get_by_text(f"Место работы {code} сохранено.")).to_be_visible()
        page.get_by_role("button", name="Опубликовать итоги").click()
        expect(page.get_by_text("Итоги опубликованы на странице конкурса.")).to_be_visible()

        # anybody sees the winner on the public page
        page.context.clear_cookies()
        page.goto(f"/contest/{contest.pk}/")
        winners = page.locator("#winners")
        expect(winners).to_contain_text("Алина Смирнова")
        expect(winners).to_contain_text("Эссе")
        expect(winners).to_contain_text("Честность начинается с меня")
        check(page)
    finally:
        context.close()
    assert not problems, "\n".join(problems)
