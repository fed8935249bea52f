"""In a real browser: one review per course (issue 21).

A trainer writes a course with three lessons in the Wagtail admin, saving each as a draft (a lesson has
no «Отправить…» of its own), and submits the course once. A regional manager sees on the dashboard one
course waiting, with its three lessons listed and a link to each lesson's submitted version, and
approves it once: the course and the three lessons are live. In a second journey the manager returns
the course with a comment from its editor: nothing is published, and the trainer reads the comment on
the course and on a lesson, which they may edit again.
"""

import re

import pytest
from wagtail.models import WorkflowState

from cms.moderation import ensure_moderation
from courses.factories import make_course_index
from courses.models import CoursePage, LessonPage

from .accessibility import serious_violations
from .admin_pages import (
    SUBMIT,
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

COURSE_TITLE = "Антикоррупционное поведение служащего"
COURSE_SUMMARY = "Запреты, ограничения и обязанности, и как их соблюдать."
LESSONS = [
    (
        "Запреты и ограничения",
        "Служащему запрещено получать вознаграждения в связи с исполнением обязанностей.",
    ),
    (
        "Уведомление о склонении",
        "О каждом случае склонения к коррупции служащий уведомляет представителя нанимателя.",
    ),
    ("Подарки", "Подарок, полученный в связи с протокольным мероприятием, сдаётся по акту."),
]
COMMENT = "В уроке о подарках нет ссылки на постановление о порядке сдачи подарка."


@pytest.fixture
def catalogue(home_page):
    """The course catalogue, with the moderation set up as ``migrate`` does."""
    index = make_course_index(home_page)
    ensure_moderation()
    return index


@pytest.fixture
def trainer(catalogue):
    return make_trainer()


@pytest.fixture
def reviewer(catalogue):
    return make_reviewer()


def save_draft(page, title):
    from playwright.sync_api import expect

    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.locator(".messages")).to_contain_text(title)


def write_course_with_lessons(page, catalogue):
    """The trainer's part: a course and three lessons, all saved as drafts, then the course submitted."""
    from playwright.sync_api import expect

    page.goto(f"/admin/pages/add/courses/coursepage/{catalogue.pk}/")
    page.locator("#id_title").fill(COURSE_TITLE)
    page.get_by_role("textbox", name="Кратко о курсе").fill(COURSE_SUMMARY)
    page.locator("#id_hours").fill("4")
    save_draft(page, COURSE_TITLE)
    course = CoursePage.objects.get(title=COURSE_TITLE)

    for title, text in LESSONS:
        page.goto(f"/admin/pages/{course.pk}/add_subpage/")
        expect(page).to_have_url(re.compile(rf"/admin/pages/add/courses/lessonpage/{course.pk}/$"))
        expect(page.get_by_text("Урок отправляется на проверку вместе с курсом")).to_be_visible()
        expect(page.get_by_role("button", name=SUBMIT)).to_have_count(0)  # no separate submission
        page.locator("#id_title").fill(title)
        body = page.get_by_role("region", name="Содержание урока")
        insert_block(page, body, "Текст")
        body.locator("[contenteditable=true]").first.fill(text)
        expect(body.locator("[contenteditable=true]").first).to_contain_text(text)
        wait_until_still(body)
        save_draft(page, title)

    # The course's editor lists what goes to review with it, and the course is submitted once.
    page.goto(f"/admin/pages/{course.pk}/edit/")
    pending = page.locator("[data-pending-lessons] li")
    expect(pending).to_have_count(3)
    for (title, _text), item in zip(LESSONS, pending.all(), strict=True):
        expect(item).to_contain_text(title)
        expect(item).to_contain_text("новый урок")
    submit_for_moderation(page)
    lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    assert [lesson.title for lesson in lessons] == [title for title, _text in LESSONS]
    assert in_moderation(course)
    assert not any(in_moderation(lesson) for lesson in lessons)
    assert not course.live and not any(lesson.live for lesson in lessons)
    return course, lessons


def test_a_trainer_submits_a_three_lesson_course_once_and_a_regional_manager_approves_it_once(
    browser, page, live_server, catalogue, trainer, reviewer, screenshot
):
    from playwright.sync_api import expect

    admin_log_in(page, trainer)
    course, lessons = write_course_with_lessons(page, catalogue)

    anonymous = browser.new_context(base_url=live_server.url, locale="ru-RU")
    reviewer_context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", viewport={"width": 1280, "height": 800}
    )
    try:
        visitor = anonymous.new_page()
        assert visitor.goto(course.url).status == 404

        # The dashboard: one course waiting, not four pages; its lessons listed under it.
        review = reviewer_context.new_page()
        admin_log_in(review, reviewer)
        main = review.locator("main")
        expect(main.get_by_role("row").filter(has_text=COURSE_TITLE)).to_have_count(1)
        for title, _text in LESSONS:
            expect(main.get_by_role("row").filter(has_text=title)).to_have_count(0)
        composition = review.locator(f"[data-course-review='{course.pk}']")
        expect(composition.locator("[data-review-lesson]")).to_have_count(3)
        for title, _text in LESSONS:
            expect(composition).to_contain_text(title)
        screenshot(review, "admin-course-review")

        # The reviewer opens a lesson's submitted version from the list, then comes back.
        link = composition.locator(f"[data-review-lesson='{lessons[2].pk}']").get_by_role(
            "link", name="просмотреть"
        )
        review.goto(link.get_attribute("href"))
        expect(review.get_by_text(LESSONS[2][1])).to_be_visible()
        review.goto("/admin/")

        # One approval.
        row = main.get_by_role("row").filter(has_text=COURSE_TITLE)
        row.get_by_role("button").last.click()
        row.get_by_role("button", name="Одобрить", exact=True).click()
        expect(main.get_by_role("row").filter(has_text=COURSE_TITLE)).to_have_count(0)

        course.refresh_from_db()
        assert course.live
        assert all(LessonPage.objects.get(pk=lesson.pk).live for lesson in lessons)
        assert not in_moderation(course)

        response = visitor.goto(course.url)
        assert response.status == 200
        expect(visitor.get_by_role("heading", level=1)).to_have_text(COURSE_TITLE)
        listed = visitor.get_by_role("region", name="Уроки").get_by_role("listitem")
        expect(listed).to_have_text([title for title, _text in LESSONS])
        problems = serious_violations(visitor)
        assert problems == [], "\n".join(problems)
    finally:
        reviewer_context.close()
        anonymous.close()

    assert page.foreign_requests == []


def test_a_regional_manager_returns_a_course_with_a_comment_and_nothing_is_published(
    browser, page, live_server, catalogue, trainer, reviewer
):
    from playwright.sync_api import expect

    admin_log_in(page, trainer)
    course, lessons = write_course_with_lessons(page, catalogue)

    reviewer_context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", viewport={"width": 1280, "height": 800}
    )
    try:
        review = reviewer_context.new_page()
        admin_log_in(review, reviewer)
        # From the course's editor: the set is shown there too, then «Запрос изменений» with a comment.
        review.goto(f"/admin/pages/{course.pk}/edit/")
        expect(review.locator("[data-review-lessons] li")).to_have_count(3)
        review.get_by_role("button", name="Больше действий").click()
        review.get_by_role("button", name="Запрос изменений").click()
        dialog = review.get_by_role("dialog")
        dialog.get_by_role("textbox").fill(COMMENT)
        dialog.get_by_role("button", name="Запрос изменений").click()
        expect(review.locator(".messages")).to_contain_text(COURSE_TITLE)
    finally:
        reviewer_context.close()

    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(course.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    course.refresh_from_db()
    assert not course.live and not any(LessonPage.objects.get(pk=lesson.pk).live for lesson in lessons)

    # The trainer reads the comment on the course and on a lesson, and may edit the lesson again.
    page.goto(f"/admin/pages/{course.pk}/edit/")
    expect(page.locator("[data-review-comment]")).to_have_text(COMMENT)
    page.goto(f"/admin/pages/{lessons[2].pk}/edit/")
    expect(page.locator("[data-review-comment]")).to_have_text(COMMENT)
    page.locator("#id_title").fill("Подарки и порядок их сдачи")
    save_draft(page, "Подарки и порядок их сдачи")
    assert LessonPage.objects.get(pk=lessons[2].pk).get_latest_revision_as_object().title == (
        "Подарки и порядок их сдачи"
    )
