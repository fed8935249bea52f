"""In a real browser (issue 18): a regional manager, who organizes every event and edits its page, gives a
seminar an audience in the Wagtail editor (registration limited to it) and sends the invitations; a
servant in the audience registers from the invitation in «Мой кабинет», a servant outside cannot; after
the seminar the servant leaves feedback from the cabinet; the organizer sees expected against attended
and the feedback results. The site pages run at desktop and at 360 px phone size (no sideways scroll,
no serious accessibility violations); the admin editor at desktop size in both runs."""

import datetime
import re

import pytest
from django.utils import timezone

from cms.moderation import ensure_moderation
from events.factories import make_event
from events.models import Attendance, EventFeedback, EventInvitation, EventPage, Registration
from people.audience import Audience
from people.factories import make_municipality, make_organization, make_person, make_regional_manager

from .accessibility import serious_violations
from .journeys import PASSWORD, VIEWPORTS, log_in, new_page, no_sideways_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

CABINET = re.compile(r"/cabinet/$")
AUDIENCE = "Кадровые службы"
TITLE = "Семинар для кадровых служб"
COMMENT = "Полезно: разобрали ошибки в справках о доходах."


@pytest.fixture
def world():
    ensure_moderation()
    town = make_municipality("Город Обнинск")
    office = make_organization(town, "Администрация города Обнинска")
    Audience.objects.create(title=AUDIENCE, hr_only=True)
    return {
        "event": make_event(title=TITLE, start=timezone.now() + datetime.timedelta(days=3)),
        "member": make_person(
            office,
            username="hr.anna",
            first_name="Анна",
            last_name="Кадрова",
            is_hr_service=True,
            password=PASSWORD,
        ),
        "outsider": make_person(
            office, username="p.petrov", first_name="Пётр", last_name="Петров", password=PASSWORD
        ),
        "organizer": make_regional_manager(username="region", last_name="Орлов", password=PASSWORD),
    }


def check(page, problems):
    if not no_sideways_scroll(page, slack=1):
        problems.append(f"{page.url}: sideways scroll")
    problems.extend(f"{page.url}: {problem}" for problem in serious_violations(page))


def set_audience_in_the_editor(page, event):
    from playwright.sync_api import expect

    page.goto(f"/admin/pages/{event.pk}/edit/")
    page.locator("#id_audience-chooser [data-chooser-action-choose]").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("link", name=AUDIENCE).click()
    expect(page.locator("#id_audience-chooser")).to_contain_text(AUDIENCE)
    page.locator("#id_registration_mode").select_option("audience")
    # «Опубликовать» from the action menu (sent as that button, whatever the menu's animation does)
    page.get_by_role("button", name="Больше действий").click()
    with page.expect_navigation():
        page.locator("button[name='action-publish']").evaluate("button => button.form.requestSubmit(button)")
    expect(page.locator(".messages")).to_contain_text("опубликована")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_seminar_for_its_audience_from_invitation_to_feedback(browser, live_server, settings, world, size):
    from playwright.sync_api import expect

    settings.SITE_URL = live_server.url
    event = world["event"]
    problems = []
    admin_context, admin = new_page(browser, live_server, VIEWPORTS["desktop"])
    context, page = new_page(browser, live_server, VIEWPORTS[size])
    try:
        # The organizer chooses the audience and sends the invitations.
        log_in(admin, "region", until=CABINET)
        set_audience_in_the_editor(admin, event)
        event.refresh_from_db()
        assert event.audience.title == AUDIENCE and event.registration_limited
        admin.goto(event.url)
        admin.get_by_role("link", name="Приглашения аудитории").click()
        expect(admin.locator("#invitation-counts")).to_contain_text(AUDIENCE)
        admin.get_by_role("button", name="Разослать приглашения (получателей: 1)").click()
        expect(admin.get_by_text("Приглашения разосланы, получателей: 1.")).to_be_visible()
        assert list(EventInvitation.objects.values_list("user__username", flat=True)) == ["hr.anna"]

        # The servant in the audience registers from the invitation in the cabinet.
        log_in(page, "hr.anna", until=CABINET)
        invitations = page.locator(".invitations")
        expect(invitations).to_contain_text(TITLE)
        check(page, problems)
        invitations.get_by_role("button", name="Зарегистрироваться").click()
        expect(page.get_by_text("Вы зарегистрированы на мероприятие.")).to_be_visible()
        check(page, problems)
        assert Registration.objects.filter(event=event, user=world["member"]).exists()

        # The servant outside the audience cannot.
        page.context.clear_cookies()
        log_in(page, "p.petrov", until=CABINET)
        page.goto(event.url)
        expect(page.locator("#registration-limited")).to_contain_text("только для его аудитории")
        expect(page.get_by_role("button", name="Зарегистрироваться")).to_have_count(0)
        check(page, problems)
        assert not Registration.objects.filter(user=world["outsider"]).exists()

        # The seminar takes place; the servant checked in. Afterwards: feedback from the cabinet.
        start = timezone.now() - datetime.timedelta(hours=3)
        EventPage.objects.filter(pk=event.pk).update(start=start, end=start + datetime.timedelta(hours=2))
        Attendance.objects.create(event=event, user=world["member"], checked_in_at=start)
        page.context.clear_cookies()
        log_in(page, "hr.anna", until=CABINET)
        page.locator(".event-feedback").get_by_role("link", name="Оставить отзыв").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Отзыв о мероприятии")
        check(page, problems)
        page.get_by_role("button", name="Отправить отзыв").click()  # no marks: refused, said why
        expect(page.locator(".errorlist").first).to_contain_text("Поставьте оценку от 1 до 5.")
        for legend, mark in (("Полезность", "5"), ("Понятность", "4"), ("Организация", "4")):
            page.get_by_role("group", name=re.compile(legend)).get_by_label(mark, exact=True).check()
        page.get_by_label("Комментарий (необязательно)").fill(COMMENT)
        page.get_by_role("button", name="Отправить отзыв").click()
        expect(page.get_by_text("Спасибо! Ваш отзыв о мероприятии сохранён.")).to_be_visible()
        check(page, problems)
        assert EventFeedback.objects.get().usefulness == 5

        # The organizer sees expected against attended and the results, without names.
        admin.goto(f"/events/{event.pk}/attendance/")
        table = admin.locator("#audience-attendance")
        expect(table).to_contain_text("Город Обнинск")
        expect(table.locator("tfoot")).to_contain_text("100")
        page.context.clear_cookies()
        log_in(page, "region", until=CABINET)
        page.goto(f"/events/{event.pk}/feedback/results/")
        expect(page.locator("#feedback-summary")).to_contain_text("Отзывов: 1")
        expect(page.locator("#rating-usefulness .rating-average")).to_have_text("5")
        expect(page.locator("#feedback-comments")).to_contain_text(COMMENT)
        expect(page.locator("main")).not_to_contain_text("Кадрова")
        check(page, problems)
    finally:
        context.close()
        admin_context.close()
    assert not problems, "\n".join(problems)
