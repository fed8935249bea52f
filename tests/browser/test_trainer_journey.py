"""In a real browser: a trainer writes a course and a seminar in the Wagtail admin, a regional manager
publishes them through moderation.

The trainer logs in at /admin/login/, adds a course with a lesson (a rich-text paragraph) under the
catalogue, saving both as drafts, and submits the course (its lessons go with it) to the workflow
«Проверка и публикация»; adds a seminar under the events index with a material in its StreamField and
submits it too; uploads the demo GIFT bank on the question import page and reads the per-question
report. The course is not public yet (404 to an anonymous visitor). Then, in a second browser context,
a regional manager approves the course from the admin dashboard, and the course is live with its
lesson: 200 to an anonymous visitor, with the lesson in it and no serious accessibility violations.
(One review per course in detail: test_course_review_journey.py.)
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.models import Page

from cms.moderation import ensure_moderation
from courses.factories import make_course_index
from courses.models import CoursePage, LessonPage
from events.factories import make_event_index
from events.models import EventPage
from quizzes.models import Question
from quizzes.richtext import to_plain

from .accessibility import serious_violations
from .admin_pages import (
    admin_log_in,
    in_moderation,
    insert_block,
    make_reviewer,
    make_trainer,
    submit_for_moderation,
    wait_until_still,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

COURSE_TITLE = "Конфликт интересов на муниципальной службе"
COURSE_SUMMARY = "Как распознать, предотвратить и урегулировать конфликт интересов."
LESSON_TITLE = "Что такое конфликт интересов"
LESSON_TEXT = "Личная заинтересованность служащего влияет на исполнение должностных обязанностей."
EVENT_TITLE = "Семинар о конфликте интересов"
GIFT_BANK = Path(settings.BASE_DIR) / "quizzes" / "demo_data" / "bank.gift"


@pytest.fixture
def sections(home_page):
    """The course catalogue and the events index, with the moderation set up as ``migrate`` does."""
    catalogue = make_course_index(home_page)
    events = make_event_index(home_page)
    ensure_moderation()
    return catalogue, events


@pytest.fixture
def trainer(sections):
    return make_trainer()


@pytest.fixture
def reviewer(sections):
    return make_reviewer()


def test_a_trainer_writes_a_course_and_a_seminar_and_a_regional_manager_publishes_the_course(
    browser, page, live_server, sections, trainer, reviewer, screenshot
):
    from playwright.sync_api import expect

    catalogue, events = sections
    admin_log_in(page, trainer)

    # The course, added from the page explorer under the catalogue.
    page.goto(f"/admin/pages/{catalogue.pk}/")
    page.get_by_role("link", name="Добавить дочернюю страницу").first.click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/add/courses/coursepage/{catalogue.pk}/$"))
    expect(page.get_by_role("button", name="Опубликовать")).to_have_count(0)  # trainers never publish
    page.locator("#id_title").fill(COURSE_TITLE)
    page.get_by_role("textbox", name="Кратко о курсе").fill(COURSE_SUMMARY)
    page.locator("#id_hours").fill("6")
    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.locator(".messages")).to_contain_text(COURSE_TITLE)
    course = CoursePage.objects.get(title=COURSE_TITLE)
    assert course.slug == "konflikt-interesov-na-municipalnoj-sluzhbe"  # transliterated, not Cyrillic
    assert not course.live

    # Its lesson: a rich-text paragraph in the StreamField.
    page.goto(f"/admin/pages/{course.pk}/add_subpage/")
    expect(page).to_have_url(re.compile(rf"/admin/pages/add/courses/lessonpage/{course.pk}/$"))
    page.locator("#id_title").fill(LESSON_TITLE)
    body = page.get_by_role("region", name="Содержание урока")
    insert_block(page, body, "Текст")
    body.locator("[contenteditable=true]").first.fill(LESSON_TEXT)
    expect(body.locator("[contenteditable=true]").first).to_contain_text(LESSON_TEXT)
    wait_until_still(body)
    screenshot(page, "admin-lesson-editor")
    page.get_by_role("button", name="Сохранить черновик").click()  # a lesson goes to review with its course
    expect(page.locator(".messages")).to_contain_text(LESSON_TITLE)
    lesson = LessonPage.objects.child_of(course).get()
    assert lesson.title == LESSON_TITLE
    assert lesson.slug == "chto-takoe-konflikt-interesov"
    assert not lesson.live
    page.goto(f"/admin/pages/{course.pk}/edit/")
    submit_for_moderation(page)
    assert in_moderation(course)
    assert not in_moderation(lesson)

    # A seminar with a material: a legal quote with a link to the law's text.
    page.goto(f"/admin/pages/{events.pk}/add_subpage/")
    expect(page).to_have_url(re.compile(rf"/admin/pages/add/events/eventpage/{events.pk}/$"))
    page.locator("#id_title").fill(EVENT_TITLE)
    page.locator("#id_start").fill("2030-03-12 10:00")
    page.locator("#id_end").fill("2030-03-12 12:00")
    page.keyboard.press("Escape")  # close the date picker
    materials = page.get_by_role("region", name="Материалы")
    insert_block(page, materials, "Цитата из нормативного акта")
    materials.get_by_role("textbox", name="Текст нормы или цитаты").fill(
        "Конфликт интересов — ситуация, при которой личная заинтересованность влияет на исполнение "
        "должностных обязанностей."
    )
    materials.get_by_role("textbox", name="Источник").fill("273-ФЗ, ст. 10")
    materials.get_by_role("textbox", name="Ссылка на текст документа").fill(
        "http://pravo.gov.ru/proxy/ips/?docbody=&nd=102126657"
    )
    submit_for_moderation(page)
    event = EventPage.objects.get(title=EVENT_TITLE)
    assert not event.live
    assert in_moderation(event)
    [material] = event.get_latest_revision_as_object().materials
    assert material.block_type == "quote"
    assert material.value["source"] == "273-ФЗ, ст. 10"

    # The demo GIFT bank on the question import page: a report line per question.
    assert Question.objects.count() == 0
    page.goto("/admin/quizzes/import/")
    page.get_by_label("Файл с вопросами").set_input_files(str(GIFT_BANK))
    page.get_by_role("button", name="Загрузить").click()
    report = page.locator("[data-import-report]")
    expect(report).to_be_visible()
    imported = Question.objects.count()
    assert imported > 0
    expect(report.locator("tbody tr")).to_have_count(imported)
    expect(report.locator("tbody tr").filter(has_text="добавлен")).to_have_count(imported)
    first = Question.objects.order_by("pk").first()
    expect(report.locator("tbody tr").first).to_contain_text(to_plain(first.text, first.text_format)[:60])
    expect(report).to_contain_text(f"добавлено вопросов — {imported}")
    screenshot(page, "gift-import-report")

    # Not public before approval.
    anonymous = browser.new_context(base_url=live_server.url, locale="ru-RU")
    reviewer_context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", viewport={"width": 1280, "height": 800}
    )
    try:
        visitor = anonymous.new_page()
        assert visitor.goto(course.url).status == 404
        assert visitor.goto(lesson.url).status == 404

        # The regional manager approves the course (its lesson with it) from the admin dashboard.
        review = reviewer_context.new_page()
        admin_log_in(review, reviewer)
        awaiting = review.locator("main")
        for title in (COURSE_TITLE, EVENT_TITLE):
            expect(awaiting.get_by_role("row").filter(has_text=title)).to_have_count(1)
        expect(awaiting.get_by_role("row").filter(has_text=LESSON_TITLE)).to_have_count(0)
        screenshot(review, "admin-moderation")
        for title in (COURSE_TITLE,):
            row = awaiting.get_by_role("row").filter(has_text=title)
            row.get_by_role("button").last.click()
            row.get_by_role("button", name="Одобрить", exact=True).click()
            expect(awaiting.get_by_role("row").filter(has_text=title)).to_have_count(0)
        expect(awaiting.get_by_role("row").filter(has_text=EVENT_TITLE)).to_have_count(1)

        course.refresh_from_db()
        lesson.refresh_from_db()
        assert course.live and lesson.live
        assert not Page.objects.get(pk=event.pk).live  # not approved yet
        assert not in_moderation(course)

        # Now public.
        response = visitor.goto(course.url)
        assert response.status == 200
        expect(visitor.get_by_role("heading", level=1)).to_have_text(COURSE_TITLE)
        expect(visitor.get_by_text(COURSE_SUMMARY).first).to_be_visible()
        lessons = visitor.get_by_role("region", name="Уроки")
        expect(lessons.get_by_role("listitem")).to_have_text([LESSON_TITLE])
        problems = serious_violations(visitor)
        assert problems == [], "\n".join(problems)
        assert visitor.goto(lesson.url).status in (200, 302)  # lessons may ask a visitor to log in
    finally:
        reviewer_context.close()
        anonymous.close()

    assert page.foreign_requests == []


def test_a_trainer_uploads_a_document_into_a_seminars_materials(page, sections, trainer):
    from playwright.sync_api import expect

    _catalogue, events = sections
    admin_log_in(page, trainer)
    page.goto(f"/admin/pages/{events.pk}/add_subpage/")
    page.locator("#id_title").fill(EVENT_TITLE)
    page.locator("#id_start").fill("2030-03-12 10:00")
    page.locator("#id_end").fill("2030-03-12 12:00")
    page.keyboard.press("Escape")
    materials = page.get_by_role("region", name="Материалы")
    insert_block(page, materials, "Документ")
    materials.get_by_role("button", name="Выберите документ").click()
    chooser = page.get_by_role("dialog")
    chooser.get_by_role("tab", name="Загрузка").click()
    chooser.get_by_label("Заголовок").fill("Памятка о подарках")
    chooser.get_by_label("Файл").set_input_files(
        files=[{"name": "memo.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    chooser.get_by_role("button", name="Загрузка").click()
    expect(chooser).to_be_hidden()
    expect(materials).to_contain_text("Памятка о подарках")
    submit_for_moderation(page)
    [material] = EventPage.objects.get(title=EVENT_TITLE).get_latest_revision_as_object().materials
    assert material.value["document"].title == "Памятка о подарках"


def test_the_admin_loads_nothing_from_outside(page, trainer):
    admin_log_in(page, trainer)
    page.goto("/admin/pages/")
    page.wait_for_load_state("networkidle")
    assert page.foreign_requests == []
