"""Enrol, "Я изучил(а) урок", the final and practice quizzes through the web."""

import pytest
from django.urls import reverse

from courses.factories import make_course, make_lesson
from courses.models import Enrollment, LessonProgress
from courses.services import enrol, mark_studied
from quizzes.factories import make_quiz, make_true_false
from quizzes.models import Sitting

pytestmark = pytest.mark.django_db


def test_enrol_by_post(client, servant):
    course = make_course(lessons=1)
    client.force_login(servant)
    response = client.post(reverse("courses:enrol", args=[course.pk]))
    assert response.status_code == 302
    assert Enrollment.objects.filter(user=servant, course=course, source="self").exists()


def test_enrol_in_a_closed_course_is_refused(client, servant):
    course = make_course(lessons=1, self_enrollment=False)
    client.force_login(servant)
    client.post(reverse("courses:enrol", args=[course.pk]))
    assert not Enrollment.objects.exists()


def test_enrol_in_a_draft_is_404(client, servant):
    course = make_course()
    course.unpublish()
    client.force_login(servant)
    assert client.post(reverse("courses:enrol", args=[course.pk])).status_code == 404


def test_mark_studied_goes_on_to_the_next_lesson(client, servant):
    course = make_course()
    first, second = make_lesson(course), make_lesson(course)
    enrollment = enrol(servant, course)
    client.force_login(servant)
    response = client.post(reverse("courses:mark_studied", args=[first.pk]))
    assert response["Location"] == second.url
    assert LessonProgress.objects.get(enrollment=enrollment, lesson=first).studied_at is not None
    response = client.post(reverse("courses:mark_studied", args=[second.pk]))
    assert response["Location"] == course.url
    enrollment.refresh_from_db()
    assert enrollment.is_completed


def test_mark_studied_needs_an_enrolment_and_a_post(client, servant):
    lesson = make_lesson(make_course())
    client.force_login(servant)
    assert client.post(reverse("courses:mark_studied", args=[lesson.pk])).status_code == 404
    enrol(servant, lesson.get_parent().specific)
    assert client.get(reverse("courses:mark_studied", args=[lesson.pk])).status_code == 405


def test_final_quiz_opens_the_test_page(client, servant, course_with_quiz):
    course, lessons = course_with_quiz
    enrollment = enrol(servant, course)
    client.force_login(servant)
    url = reverse("courses:final_quiz", args=[course.pk])
    response = client.post(url)
    assert response["Location"] == course.url  # lessons first
    assert not Sitting.objects.exists()
    for lesson in lessons:
        mark_studied(enrollment, lesson)
    response = client.post(url)
    sitting = Sitting.objects.get(user=servant)
    assert response["Location"] == f"/tests/sittings/{sitting.pk}/"
    assert sitting.campaign is None


def test_final_quiz_of_a_course_one_is_not_enrolled_in_is_404(client, servant, course_with_quiz):
    course, _lessons = course_with_quiz
    client.force_login(servant)
    assert client.post(reverse("courses:final_quiz", args=[course.pk])).status_code == 404


def test_course_page_picks_up_a_passed_final_quiz(client, servant, course_with_quiz):
    from .conftest import take_quiz

    course, lessons = course_with_quiz
    enrollment = enrol(servant, course)
    for lesson in lessons:
        mark_studied(enrollment, lesson)
    take_quiz(servant, course)  # finished on the test page; no on_commit in this test
    enrollment.refresh_from_db()
    assert enrollment.completed_at is None
    client.force_login(servant)
    html = client.get(course.url).content.decode()
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    assert enrollment.certificate.get_absolute_url() in html


def test_practice_quiz_only_for_the_quiz_of_the_lesson(client, servant):
    practice = make_quiz([make_true_false()], attempts_allowed=0)
    other = make_quiz([make_true_false()])
    course = make_course()
    lesson = make_lesson(
        course,
        body=[("check_yourself", {"title": "Проверь себя", "text": "", "quiz": practice})],
    )
    client.force_login(servant)
    html = client.get(lesson.url).content.decode()
    assert "доступен записавшимся" in html

    enrol(servant, course)
    html = client.get(lesson.url).content.decode()
    url = reverse("courses:practice_quiz", args=[lesson.pk, practice.pk])
    assert url in html
    response = client.post(url)
    sitting = Sitting.objects.get(user=servant, quiz=practice)
    assert response["Location"] == f"/tests/sittings/{sitting.pk}/"
    assert client.post(reverse("courses:practice_quiz", args=[lesson.pk, other.pk])).status_code == 404
    assert not Sitting.objects.filter(quiz=other).exists()
