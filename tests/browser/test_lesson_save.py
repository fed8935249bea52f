"""A lesson written and saved at once is saved whole (issue 17: a body was lost once in five saves).

Wagtail 8's autosave turns a new page's add form into an edit form half a second after a change; a
«Сохранить черновик» pressed while that request is in flight posted the add form again («slug already
used») and the page stayed as autosave had created it, without its body. The platform turns autosave
off (WAGTAIL_AUTOSAVE_INTERVAL = 0, config/settings/base.py): this test runs with the real setting and
types and saves at once, several times."""

import pytest
from django.conf import settings

from courses.factories import make_course, make_course_index
from courses.models import LessonPage
from people.factories import make_person
from people.roles import Role

from .admin_pages import PASSWORD, admin_log_in, insert_block

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

TIMES = 5


def test_autosave_is_off():
    assert settings.WAGTAIL_AUTOSAVE_INTERVAL == 0


def test_a_lesson_typed_and_saved_at_once_keeps_its_body(page, home_page):
    from playwright.sync_api import expect

    course = make_course(make_course_index(home_page), title="Конфликт интересов")
    trainer = make_person(role=Role.TRAINER, username="o.petrova", password=PASSWORD)
    admin_log_in(page, trainer)
    for n in range(1, TIMES + 1):
        page.goto(f"/admin/pages/add/courses/lessonpage/{course.pk}/")
        page.locator("#id_title").fill(f"Урок {n}")
        body = page.get_by_role("region", name="Содержание урока")
        insert_block(page, body, "Текст")
        body.locator("[contenteditable=true]").first.fill(f"Текст урока номер {n}")
        page.get_by_role("button", name="Сохранить черновик").click()  # at once, no pause
        expect(page.locator(".messages")).to_contain_text(f"Урок {n}")
    lessons = LessonPage.objects.child_of(course).order_by("pk")
    assert [lesson.title for lesson in lessons] == [f"Урок {n}" for n in range(1, TIMES + 1)]
    for n, lesson in enumerate(lessons, start=1):
        body = str(lesson.get_latest_revision_as_object().body)
        assert f"Текст урока номер {n}" in body
