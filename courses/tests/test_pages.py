"""Course pages in the tree, and what a visitor sees of a course and its lessons."""

import pytest
from wagtail.models import Page

from cms.models import HomePage, StandardPage
from courses.factories import make_course, make_course_index, make_lesson
from courses.models import CourseIndexPage, CoursePage, LessonPage, LessonProgress
from courses.services import enrol, mark_studied

pytestmark = pytest.mark.django_db


def test_page_tree_rules():
    home = HomePage.objects.first()
    index = make_course_index(home)
    course = make_course(index)
    assert CourseIndexPage.allowed_parent_page_models() == [HomePage]
    assert CourseIndexPage.allowed_subpage_models() == [CoursePage]
    assert not CourseIndexPage.can_create_at(home)  # one catalogue
    assert CoursePage.can_create_at(index)
    assert not CoursePage.can_create_at(home)
    assert CoursePage.allowed_subpage_models() == [LessonPage]
    assert LessonPage.can_create_at(course)
    assert not LessonPage.can_create_at(index)
    assert LessonPage.allowed_subpage_models() == []
    standard = StandardPage(title="О проекте", slug="about")
    home.add_child(instance=standard)
    assert not LessonPage.can_create_at(standard)
    assert not CoursePage.can_create_at(Page.objects.get(pk=standard.pk))


def test_courses_and_lessons_are_searchable():
    course_fields = {field.field_name for field in CoursePage.search_fields}
    lesson_fields = {field.field_name for field in LessonPage.search_fields}
    assert {"title", "summary", "audience_text"} <= course_fields
    assert {"title", "body"} <= lesson_fields


def test_catalogue_lists_live_courses(client):
    live = make_course(title="Открытый курс")
    draft = make_course(title="Черновик курса")
    draft.unpublish()
    response = client.get(live.get_parent().url)
    assert list(response.context["courses"]) == [live]


def test_lesson_body_is_hidden_from_people_not_enrolled(client, servant):
    course = make_course()
    lesson = make_lesson(course, body=[("paragraph", "<p>Секретное содержание урока</p>")])

    anonymous = client.get(lesson.url).content.decode()
    assert "Секретное содержание урока" not in anonymous
    assert "Войдите, чтобы записаться" in anonymous

    client.force_login(servant)
    html = client.get(lesson.url).content.decode()
    assert "Секретное содержание урока" not in html
    assert "Записаться" in html
    assert not LessonProgress.objects.exists()

    enrol(servant, course)
    html = client.get(lesson.url).content.decode()
    assert "Секретное содержание урока" in html
    assert "Я изучил(а) урок" in html


def test_course_page_offers_enrolment_only_when_self_enrolment_is_open(client, servant):
    open_course = make_course(lessons=1)
    closed_course = make_course(lessons=1, self_enrollment=False)
    client.force_login(servant)
    assert "Записаться" in client.get(open_course.url).content.decode()
    html = client.get(closed_course.url).content.decode()
    assert "Записаться" not in html
    assert "самостоятельная запись закрыта" in html


def test_opening_a_lesson_records_the_opening_only(client, servant):
    course = make_course()
    lesson = make_lesson(course)
    enrollment = enrol(servant, course)
    client.force_login(servant)
    client.get(lesson.url)
    client.get(lesson.url)
    progress = LessonProgress.objects.get(enrollment=enrollment, lesson=lesson)
    assert progress.opened_at is not None
    assert progress.studied_at is None


def test_course_page_continues_at_the_first_unstudied_lesson(client, servant):
    course = make_course()
    first, second, third = (make_lesson(course, title=f"Урок номер {n}") for n in (1, 2, 3))
    enrollment = enrol(servant, course)
    client.force_login(servant)

    response = client.get(course.url)
    assert response.context["next_lesson"] == first
    assert "Начать обучение" in response.content.decode()

    mark_studied(enrollment, first)
    mark_studied(enrollment, third)
    response = client.get(course.url)
    assert response.context["next_lesson"] == second
    html = response.content.decode()
    assert "Продолжить" in html
    assert f'href="{second.url}"' in html
    assert response.context["studied_count"] == 2
