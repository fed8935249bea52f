"""One review per course: a trainer submits a course with its new and changed lessons once; a regional
manager sees the whole set and approves it (everything is published at once) or returns it."""

import datetime
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Page, Revision, TaskState, WorkflowState

from cms.moderation import ensure_moderation
from courses.factories import make_course, make_course_index, make_lesson
from courses.models import CoursePage, CourseReviewLesson, LessonPage
from events.factories import make_event_index
from events.models import EventPage
from people.factories import make_person, make_regional_manager
from people.roles import Role

from .forms import course_form, lesson_form

pytestmark = pytest.mark.django_db

COMMENT = "Во втором уроке нет ссылки на 273-ФЗ."
START = datetime.datetime(2030, 3, 12, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def catalogue():
    index = make_course_index()
    ensure_moderation()
    return index


@pytest.fixture
def trainer_user(catalogue):
    return make_person(role=Role.TRAINER)


@pytest.fixture
def reviewer_user(catalogue):
    return make_regional_manager()


@pytest.fixture
def trainer(client, trainer_user):
    client.force_login(trainer_user)
    return client


@pytest.fixture
def reviewer(client, reviewer_user):
    """A second client: the trainer's and the reviewer's sessions side by side."""
    from django.test import Client

    other = Client()
    other.force_login(reviewer_user)
    return other


def draft(page, parent, user=None):
    """Add ``page`` under ``parent`` as a never-published draft with a revision, as the editor does."""
    page.live = False
    parent.add_child(instance=page)
    page.save_revision(user=user)
    return page


@pytest.fixture
def new_course(catalogue, trainer_user):
    """A new course with three lessons, all drafts: nothing has been published yet."""
    course = draft(
        CoursePage(title="Конфликт интересов", slug="conflict", summary="Как его урегулировать.", hours=6),
        catalogue,
        trainer_user,
    )
    lessons = [
        draft(
            LessonPage(title=title, slug=f"lesson-{n}", body=[("paragraph", f"<p>{title}.</p>")]),
            course,
            trainer_user,
        )
        for n, title in enumerate(["Понятие", "Уведомление", "Урегулирование"], start=1)
    ]
    return course, lessons


def submit_course(client, course):
    response = client.post(f"/admin/pages/{course.pk}/edit/", course_form(course, **{"action-submit": "1"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    return WorkflowState.objects.get(
        base_content_type__model="page", object_id=str(course.pk), status=WorkflowState.STATUS_IN_PROGRESS
    )


def current_task_state(course):
    return TaskState.objects.get(
        workflow_state__object_id=str(course.pk),
        workflow_state__base_content_type__model="page",
        status=TaskState.STATUS_IN_PROGRESS,
    )


def act(client, course, action, **data):
    task_state = current_task_state(course)
    url = reverse("wagtailadmin_pages:workflow_action", args=[course.pk, action, task_state.pk])
    response = client.post(url, data)
    assert response.status_code in (200, 302), response.content.decode()[:3000]
    return task_state


def refreshed(*pages):
    return [type(page).objects.get(pk=page.pk) for page in pages]


def own_workflow_states(page):
    return WorkflowState.objects.filter(base_content_type__model="page", object_id=str(page.pk))


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- submitted once, approved once -----------------------------------------------------------------


def test_a_course_is_submitted_with_its_lessons_and_approved_once(trainer, reviewer, new_course):
    course, lessons = new_course
    state = submit_course(trainer, course)

    # One review: the course's; the three lessons are bound to it at the revisions they had.
    entries = CourseReviewLesson.objects.filter(task_state=state.current_task_state).order_by("lesson__path")
    assert [(e.lesson_id, e.revision_id, e.is_new) for e in entries] == [
        (lesson.pk, lesson.get_latest_revision().pk, True) for lesson in lessons
    ]
    for lesson in lessons:
        assert not own_workflow_states(lesson).exists()

    # The reviewer sees the whole set: in the course's editor and on the dashboard, with a link to
    # each lesson's submitted version.
    editor = reviewer.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    dashboard = reviewer.get("/admin/").content.decode()
    for html in (editor, dashboard):
        for lesson in lessons:
            assert lesson.title in html
            view = reverse(
                "wagtailadmin_pages:revisions_view", args=[lesson.pk, lesson.get_latest_revision().pk]
            )
            assert view in html
    assert "Курсы на проверке: состав" in dashboard
    assert (
        reviewer.get(
            reverse(
                "wagtailadmin_pages:revisions_view", args=[lessons[0].pk, lessons[0].get_latest_revision().pk]
            )
        ).status_code
        == 200
    )
    assert "Курсы на проверке: состав" not in trainer.get("/admin/").content.decode()  # not theirs to review

    act(reviewer, course, "approve")

    course, *lessons = refreshed(course, *lessons)
    assert course.live
    assert all(lesson.live for lesson in lessons)
    assert [lesson.live_revision_id for lesson in lessons] == [entry.revision_id for entry in entries]
    assert [lesson.title for lesson in course.lessons()] == ["Понятие", "Уведомление", "Урегулирование"]
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_only_new_and_changed_lessons_go_with_the_course(trainer, reviewer, catalogue, trainer_user):
    course = make_course(catalogue)
    course.save_revision(user=trainer_user)
    unchanged, changed = make_lesson(course), make_lesson(course)
    changed.title = "Подарки (новая редакция)"
    changed.save_revision(user=trainer_user)
    added = draft(LessonPage(title="Новый урок", slug="added", body=[]), course, trainer_user)

    state = submit_course(trainer, course)

    entries = {e.lesson_id: e for e in CourseReviewLesson.objects.filter(task_state=state.current_task_state)}
    assert set(entries) == {changed.pk, added.pk}
    assert not entries[changed.pk].is_new and entries[added.pk].is_new
    editor = reviewer.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    compare = reverse(
        "wagtailadmin_pages:revisions_compare", args=[changed.pk, "live", entries[changed.pk].revision_id]
    )
    assert compare in editor
    assert reviewer.get(compare).status_code == 200
    course_compare = reverse(
        "wagtailadmin_pages:revisions_compare", args=[course.pk, "live", course.get_latest_revision().pk]
    )
    assert reviewer.get(course_compare).status_code == 200

    act(reviewer, course, "approve")
    unchanged, changed, added = refreshed(unchanged, changed, added)
    assert changed.title == "Подарки (новая редакция)" and not changed.has_unpublished_changes
    assert added.live
    assert unchanged.live and unchanged.live_revision_id is None  # untouched


def test_approving_publishes_the_course_and_its_lessons_in_one_transaction(reviewer_user, new_course):
    course, lessons = new_course
    workflow = course.get_workflow()
    workflow.start(course, reviewer_user)
    task_state = current_task_state(course)
    failing = lessons[2].get_latest_revision().pk
    original = Revision.publish

    def publish(revision, *args, **kwargs):
        if revision.pk == failing:
            raise RuntimeError("диск переполнен")
        return original(revision, *args, **kwargs)

    with mock.patch.object(Revision, "publish", publish), pytest.raises(RuntimeError):
        task_state.task.specific.on_action(task_state, reviewer_user, "approve")

    course, *lessons = refreshed(course, *lessons)
    assert not course.live
    assert not any(lesson.live for lesson in lessons)


# --- lessons are not moderated on their own -----------------------------------------------------------


def test_a_lesson_is_never_submitted_on_its_own(trainer, catalogue, trainer_user):
    course = make_course(catalogue)
    lesson = make_lesson(course)
    add_url = f"/admin/pages/add/courses/lessonpage/{course.pk}/"

    assert 'name="action-submit"' not in trainer.get(add_url).content.decode()
    assert 'name="action-submit"' not in trainer.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert 'name="action-submit"' in trainer.get(f"/admin/pages/{course.pk}/edit/").content.decode()

    # A form sent with «Отправить…» anyway (an old tab): saved as a draft, the trainer is told why.
    response = trainer.post(add_url, lesson_form(**{"action-submit": "1"}))
    assert response.status_code == 302
    new = LessonPage.objects.get(slug="gifts")
    assert not new.live
    assert not own_workflow_states(new).exists()
    assert any("уроки отправляются на проверку вместе с курсом" in text for text in texts(response))

    response = trainer.post(
        f"/admin/pages/{lesson.pk}/edit/",
        lesson_form(title="Правка", slug=lesson.slug, **{"action-submit": "1"}),
    )
    assert response.status_code == 302
    assert not own_workflow_states(lesson).exists()
    lesson.refresh_from_db()
    assert lesson.has_unpublished_changes
    edit = trainer.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert "Урок отправляется на проверку вместе с курсом" in edit


def test_a_lesson_in_a_review_of_its_own_is_taken_into_the_course_review(
    trainer, reviewer, new_course, trainer_user
):
    """A lesson submitted alone before this rule: the course's review takes it over."""
    course, lessons = new_course
    own = Page.get_workflow(lessons[0]).start(lessons[0], trainer_user)  # as Wagtail did for any page

    state = submit_course(trainer, course)

    own.refresh_from_db()
    assert own.status == WorkflowState.STATUS_CANCELLED
    assert CourseReviewLesson.objects.filter(task_state=state.current_task_state, lesson=lessons[0]).exists()
    assert (
        list(
            TaskState.objects.reviewable_by(make_regional_manager()).filter(
                workflow_state__object_id=str(lessons[0].pk)
            )
        )
        == []
    )
    act(reviewer, course, "approve")
    assert LessonPage.objects.get(pk=lessons[0].pk).live


# --- while in review ---------------------------------------------------------------------------------


def test_while_the_course_is_in_review_its_lessons_are_locked_for_the_trainer(trainer, reviewer, new_course):
    course, lessons = new_course
    lesson = lessons[1]
    submit_course(trainer, course)
    before = lesson.get_latest_revision().pk

    edit = trainer.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert "Урок проверяется вместе с курсом «Конфликт интересов»" in edit
    trainer.post(f"/admin/pages/{lesson.pk}/edit/", lesson_form(title="Тайная правка", slug=lesson.slug))
    assert LessonPage.objects.get(pk=lesson.pk).get_latest_revision().pk == before

    # No lesson is added to a course under review, nor deleted from it.
    response = trainer.get(f"/admin/pages/add/courses/lessonpage/{course.pk}/")
    assert response.status_code == 302
    assert any("новый урок можно добавить, когда проверяющий примет решение" in t for t in texts(response))
    response = trainer.post(f"/admin/pages/{lesson.pk}/delete/")
    assert LessonPage.objects.filter(pk=lesson.pk).exists()
    assert any("удалить его можно, когда проверяющий примет решение" in t for t in texts(response))
    bulk_delete = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"]) + f"?id={lesson.pk}"
    response = trainer.post(bulk_delete, {})
    assert LessonPage.objects.filter(pk=lesson.pk).exists()
    assert any("удалить его можно, когда проверяющий примет решение" in t for t in texts(response))

    # The reviewer may still edit a lesson.
    response = reviewer.post(
        f"/admin/pages/{lesson.pk}/edit/", lesson_form(title="Правка проверяющего", slug=lesson.slug)
    )
    assert response.status_code == 302
    assert LessonPage.objects.get(pk=lesson.pk).get_latest_revision().pk != before


def test_a_lesson_changed_after_submission_is_not_published_unseen(trainer, reviewer, new_course):
    course, lessons = new_course
    lesson = lessons[0]
    state = submit_course(trainer, course)
    submitted = lesson.get_latest_revision()

    later = LessonPage.objects.get(pk=lesson.pk)
    later.title = "Правка после отправки"
    later.save_revision()

    editor = reviewer.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    assert "Урок изменён после отправки: будет опубликована отправленная версия" in editor
    act(reviewer, course, "approve")

    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.live
    assert lesson.live_revision_id == submitted.pk
    assert lesson.title == "Понятие"  # what the reviewer saw
    assert lesson.has_unpublished_changes  # the later change waits as a draft
    assert lesson.get_latest_revision_as_object().title == "Правка после отправки"
    assert state.current_task_state.revision.object_id == str(course.pk)


def test_a_lesson_the_reviewer_published_meanwhile_is_not_rolled_back(trainer, reviewer, new_course):
    course, lessons = new_course
    submit_course(trainer, course)
    lesson = LessonPage.objects.get(pk=lessons[0].pk)
    lesson.title = "Понятие (исправлено проверяющим)"
    lesson.save_revision().publish()  # the reviewer's own fix, published directly during the review

    act(reviewer, course, "approve")

    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.title == "Понятие (исправлено проверяющим)"
    assert lesson.live_revision_id == lesson.latest_revision_id


# --- returned ----------------------------------------------------------------------------------------


def test_requesting_changes_publishes_nothing_and_returns_the_lessons(trainer, reviewer, new_course):
    course, lessons = new_course
    submit_course(trainer, course)

    act(reviewer, course, "reject", comment=COMMENT)

    course, *lessons = refreshed(course, *lessons)
    assert not course.live and not any(lesson.live for lesson in lessons)
    state = WorkflowState.objects.get(object_id=str(course.pk), base_content_type__model="page")
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    # The trainer sees the comment on the course and on each lesson, and may edit the lessons again.
    assert COMMENT in trainer.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    lesson = lessons[1]
    edit = trainer.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert COMMENT in edit and "возвращён на доработку" in edit
    response = trainer.post(
        f"/admin/pages/{lesson.pk}/edit/",
        lesson_form(title="Уведомление", slug=lesson.slug, text="Статья 11 273-ФЗ."),
    )
    assert response.status_code == 302
    fixed = LessonPage.objects.get(pk=lesson.pk).get_latest_revision()

    # Resubmitted once: the lessons are bound again, at their new revisions.
    state = submit_course(trainer, course)
    entry = CourseReviewLesson.objects.get(task_state=state.current_task_state, lesson=lesson)
    assert entry.revision_id == fixed.pk
    act(reviewer, course, "approve")
    course, *lessons = refreshed(course, *lessons)
    assert course.live and all(lesson.live for lesson in lessons)
    assert "273-ФЗ" in str(lessons[1].body)


# --- a course does not go live without its lessons ---------------------------------------------------


def test_a_course_is_not_published_directly_while_its_lessons_are_unpublished(reviewer, new_course):
    course, lessons = new_course
    response = reviewer.post(
        f"/admin/pages/{course.pk}/edit/", course_form(course, **{"action-publish": "1"})
    )
    assert response.status_code == 302
    assert not CoursePage.objects.get(pk=course.pk).live
    assert any("Курс выходит в свет вместе с уроками через проверку" in t for t in texts(response))

    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={course.pk}"
    response = reviewer.post(bulk, {"include_descendants": "on"})
    assert not CoursePage.objects.get(pk=course.pk).live
    assert not any(LessonPage.objects.get(pk=lesson.pk).live for lesson in lessons)
    assert any("Курс выходит в свет вместе с уроками через проверку" in t for t in texts(response))

    # Once its lessons are live, the course may be published directly.
    for lesson in lessons:
        lesson.get_latest_revision().publish()
    response = reviewer.post(
        f"/admin/pages/{course.pk}/edit/", course_form(course, **{"action-publish": "1"})
    )
    assert CoursePage.objects.get(pk=course.pk).live


# --- other sections are moderated as before ---------------------------------------------------------


def test_other_pages_are_still_submitted_and_approved_on_their_own(trainer, reviewer, trainer_user):
    events = make_event_index()
    ensure_moderation()
    seminar = draft(
        EventPage(title="Семинар", slug="seminar", start=START, end=START + datetime.timedelta(hours=2)),
        events,
        trainer_user,
    )
    seminar.get_workflow().start(seminar, trainer_user)
    assert not CourseReviewLesson.objects.exists()
    act(reviewer, seminar, "approve")
    assert EventPage.objects.get(pk=seminar.pk).live
