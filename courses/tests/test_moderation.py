"""Through the Wagtail admin: a trainer writes a lesson and submits its course, a regional manager
publishes them.

Trainers write only in their sections and never publish; they see neither people nor results.
"""

import pytest
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, streamfield

from cms.models import HomePage, StandardPage
from cms.moderation import ensure_moderation
from courses.factories import make_course, make_course_index, make_lesson
from courses.models import LessonPage
from people.factories import make_person, make_regional_manager
from people.roles import Role

from .forms import course_form, lesson_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = make_course(make_course_index())
    ensure_moderation()  # what migrate (or the index page's creation, once committed) does
    return course


@pytest.fixture
def trainer(client):
    client.force_login(make_person(role=Role.TRAINER))
    return client


def denied(response):
    """Wagtail answers a missing permission with 403, or with a redirect away from the page."""
    return response.status_code == 403 or (
        response.status_code == 302 and "/login/" not in response["Location"]
    )


def test_a_trainer_writes_a_lesson_submits_its_course_a_regional_manager_approves_it(client, trainer, course):
    """Lessons go to review with their course (``courses.review``; the rules in test_course_review.py)."""
    add_url = f"/admin/pages/add/courses/lessonpage/{course.pk}/"
    form = trainer.get(add_url)
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="action-submit"' not in html  # a lesson is submitted with its course
    assert 'name="action-publish"' not in html

    response = trainer.post(add_url, lesson_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson = LessonPage.objects.get(slug="gifts")
    assert not lesson.live

    # Publishing by hand is not the trainer's: the request saves a draft at most.
    response = trainer.post(
        f"/admin/pages/{lesson.pk}/edit/",
        lesson_form(title="Подарки (исправлено)", **{"action-publish": "1"}),
    )
    assert response.status_code in (200, 302)
    lesson.refresh_from_db()
    assert not lesson.live
    assert 'name="action-publish"' not in trainer.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()

    response = trainer.post(f"/admin/pages/{course.pk}/edit/", course_form(course, **{"action-submit": "1"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(course.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Проверка и публикация"

    # Nor can the trainer approve their own submission.
    task_state = TaskState.objects.get(workflow_state=state, status=TaskState.STATUS_IN_PROGRESS)
    approve_url = reverse("wagtailadmin_pages:workflow_action", args=[course.pk, "approve", task_state.pk])
    assert denied(trainer.post(approve_url, {}))
    lesson.refresh_from_db()
    assert not lesson.live

    client.force_login(make_regional_manager())
    edit = client.get(f"/admin/pages/{course.pk}/edit/")
    assert edit.status_code == 200
    assert "approve" in edit.content.decode()
    response = client.post(approve_url, {})
    assert response.status_code in (200, 302)
    lesson.refresh_from_db()
    assert lesson.live
    assert lesson.title == "Подарки (исправлено)"
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_a_trainer_edits_lessons_in_the_catalogue(trainer, course):
    lesson = make_lesson(course)
    assert trainer.get(f"/admin/pages/{lesson.pk}/edit/").status_code == 200
    assert trainer.get(f"/admin/pages/{course.pk}/edit/").status_code == 200
    assert trainer.get(f"/admin/pages/add/courses/coursepage/{course.get_parent().pk}/").status_code == 200


def test_a_trainer_cannot_touch_pages_outside_the_sections(trainer, course):
    home = HomePage.objects.get()
    about = home.add_child(instance=StandardPage(title="О проекте", slug="about"))
    assert denied(trainer.get(f"/admin/pages/{home.pk}/edit/"))
    assert denied(trainer.get(f"/admin/pages/{about.pk}/edit/"))
    assert denied(trainer.get(f"/admin/pages/add/cms/standardpage/{home.pk}/"))
    response = trainer.post(
        f"/admin/pages/{about.pk}/edit/",
        nested_form_data({"title": "Взломано", "slug": "about", "intro": "", "body": streamfield([])}),
    )
    assert denied(response)
    about.refresh_from_db()
    assert about.title == "О проекте"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/people/import/",
        "/admin/users/",
        "/admin/groups/",
        "/admin/snippets/people/audience/",
        "/admin/courses/assignments/",
        "/manage/tests/",
        "/courses/manage/overdue/",
    ],
)
def test_a_trainer_sees_neither_people_nor_results(trainer, url):
    assert denied(trainer.get(url)), url


def test_a_trainer_cannot_download_the_overdue_list(trainer):
    assert trainer.post("/courses/manage/overdue.csv").status_code == 403
