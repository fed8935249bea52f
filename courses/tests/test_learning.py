"""Enrolment, lesson progress and completion with the final quiz."""

import datetime

import pytest
from django.utils import timezone

from courses.exceptions import LessonNotInCourse, LessonsNotStudied, SelfEnrollmentClosed
from courses.factories import make_course, make_lesson
from courses.models import Certificate, Enrollment, LessonProgress
from courses.services import check_completion, enrol, mark_studied, practice_context, start_final_quiz
from quizzes.services import finish_sitting, save_answer, start_sitting

from .conftest import take_quiz

pytestmark = pytest.mark.django_db
Source = Enrollment.Source


def test_enrolling_twice_gives_the_same_enrolment(servant):
    course = make_course()
    first = enrol(servant, course)
    assert enrol(servant, course) == first
    assert Enrollment.objects.filter(user=servant, course=course).count() == 1
    assert first.source == Source.SELF


def test_self_enrolment_needs_the_course_to_allow_it(servant):
    course = make_course(self_enrollment=False)
    with pytest.raises(SelfEnrollmentClosed):
        enrol(servant, course)
    assigned = enrol(servant, course, Source.ASSIGNED, due_date=datetime.date(2030, 5, 1))
    assert assigned.source == Source.ASSIGNED
    assert enrol(servant, course) == assigned  # already enrolled: no error


def test_an_assignment_on_top_of_self_enrolment_keeps_the_earlier_due_date(servant):
    course = make_course()
    enrollment = enrol(servant, course)
    enrol(servant, course, Source.ASSIGNED, due_date=datetime.date(2030, 5, 1))
    enrol(servant, course, Source.ASSIGNED, due_date=datetime.date(2030, 9, 1))
    enrollment.refresh_from_db()
    assert (enrollment.source, enrollment.due_date) == (Source.ASSIGNED, datetime.date(2030, 5, 1))


def test_a_new_active_enrolment_is_possible_after_the_old_one_is_archived(servant):
    course = make_course()
    old = enrol(servant, course)
    old.is_active = False
    old.save()
    new = enrol(servant, course)
    assert new != old


def test_marking_a_lesson_studied_is_idempotent(servant):
    course = make_course()
    lesson = make_lesson(course)
    make_lesson(course)
    enrollment = enrol(servant, course)
    first = mark_studied(enrollment, lesson)
    again = mark_studied(enrollment, lesson, now=timezone.now() + datetime.timedelta(days=1))
    assert again.studied_at == first.studied_at
    assert LessonProgress.objects.filter(enrollment=enrollment).count() == 1
    assert enrollment.progress() == (1, 2)


def test_a_lesson_of_another_course_cannot_be_marked(servant):
    enrollment = enrol(servant, make_course(lessons=1))
    stranger = make_lesson(make_course())
    with pytest.raises(LessonNotInCourse):
        mark_studied(enrollment, stranger)


def test_unpublished_lessons_do_not_count(servant):
    course = make_course()
    lesson = make_lesson(course)
    draft = make_lesson(course)
    draft.unpublish()
    enrollment = enrol(servant, course)
    mark_studied(enrollment, lesson)
    enrollment.refresh_from_db()
    assert enrollment.is_completed


def test_course_without_quiz_completes_when_every_lesson_is_studied(servant):
    course = make_course()
    lessons = [make_lesson(course), make_lesson(course)]
    enrollment = enrol(servant, course)
    mark_studied(enrollment, lessons[0])
    assert not check_completion(enrollment)
    assert enrollment.completed_at is None
    mark_studied(enrollment, lessons[1])
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    assert enrollment.certificate is not None


def test_an_empty_course_is_never_complete(servant):
    enrollment = enrol(servant, make_course())
    assert not check_completion(enrollment)


def test_lessons_studied_but_quiz_not_passed_is_not_complete(servant, course_with_quiz):
    course, lessons = course_with_quiz
    enrollment = enrol(servant, course)
    for lesson in lessons:
        mark_studied(enrollment, lesson)
    assert not check_completion(enrollment)
    take_quiz(servant, course, right=False)
    assert not check_completion(enrollment)
    assert not Certificate.objects.exists()


def test_quiz_passed_but_lessons_not_studied_is_not_complete(servant, course_with_quiz):
    course, lessons = course_with_quiz
    enrollment = enrol(servant, course)
    take_quiz(servant, course)  # e.g. in a campaign, before the course
    mark_studied(enrollment, lessons[0])
    assert not check_completion(enrollment)


def test_lessons_and_passed_quiz_complete_the_course_with_one_certificate(servant, course_with_quiz):
    course, lessons = course_with_quiz
    enrollment = enrol(servant, course)
    for lesson in lessons:
        mark_studied(enrollment, lesson)
    take_quiz(servant, course, right=False)
    take_quiz(servant, course)
    assert check_completion(enrollment)
    assert check_completion(enrollment)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    certificate = Certificate.objects.get()
    assert enrollment.certificate == certificate
    assert (certificate.user, certificate.course, certificate.hours) == (servant, course, course.hours)
    assert certificate.holder_name == "Петров Павел Игоревич"
    issued = timezone.localdate(certificate.issued_at)
    assert certificate.valid_until.year == issued.year + 3


def test_course_without_certificate_completes_without_one(servant):
    course = make_course(issues_certificate=False)
    lesson = make_lesson(course)
    enrollment = enrol(servant, course)
    mark_studied(enrollment, lesson)
    enrollment.refresh_from_db()
    assert enrollment.is_completed
    assert enrollment.certificate is None
    assert not Certificate.objects.exists()


def test_final_quiz_opens_after_the_lessons(servant, course_with_quiz):
    course, lessons = course_with_quiz
    enrollment = enrol(servant, course)
    with pytest.raises(LessonsNotStudied):
        start_final_quiz(enrollment)
    for lesson in lessons:
        mark_studied(enrollment, lesson)
    sitting = start_final_quiz(enrollment)
    assert (sitting.user, sitting.quiz, sitting.campaign) == (servant, course.final_quiz, None)
    assert start_final_quiz(enrollment) == sitting  # resumed, not a second one


def test_a_passed_final_sitting_completes_the_course_on_commit(
    servant, course_with_quiz, django_capture_on_commit_callbacks
):
    course, lessons = course_with_quiz
    enrollment = enrol(servant, course)
    for lesson in lessons:
        mark_studied(enrollment, lesson)
    with django_capture_on_commit_callbacks(execute=True):
        take_quiz(servant, course, right=False)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        take_quiz(servant, course)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    assert enrollment.certificate is not None


def test_the_same_quiz_passed_elsewhere_does_not_complete_the_course(servant, course_with_quiz):
    """The final quiz's result belongs to the course: a pass of the same quiz in a lesson's practice
    block (or a campaign) is not the course's pass."""
    course, lessons = course_with_quiz
    enrollment = enrol(servant, course)
    for lesson in lessons:
        mark_studied(enrollment, lesson)
    sitting = start_sitting(servant, course.final_quiz, context=practice_context(lessons[0]))
    for snapshot in sitting.questions():
        save_answer(sitting, snapshot["id"], {"value": snapshot["key"]["value"]}, 1)
    assert finish_sitting(sitting).passed
    assert not check_completion(enrollment)
    take_quiz(servant, course)
    assert check_completion(enrollment)


def test_a_practice_review_withholds_the_questions_of_the_final_test_still_ahead(servant, course_with_quiz):
    """The lesson's «Проверь себя» on the final quiz's questions: its review would be the final test's
    key. Withheld while the person can still take the final test; shown once the course is done."""
    from quizzes.api.review import review_items

    course, lessons = course_with_quiz
    enrollment = enrol(servant, course)
    practice = start_sitting(servant, course.final_quiz, context=practice_context(lessons[0]))
    for snapshot in practice.questions():
        save_answer(practice, snapshot["id"], {"value": snapshot["key"]["value"]}, 1)
    finish_sitting(practice)
    assert practice.may_review()
    [item] = review_items(practice)
    assert item["withheld"] and item["correct_answer_text"] == "" and item["is_correct"] is None
    for lesson in lessons:
        mark_studied(enrollment, lesson)
    take_quiz(servant, course)
    assert check_completion(enrollment)
    [item] = review_items(practice)
    assert not item["withheld"] and item["correct_answer_text"] == "Верно" and item["is_correct"]


def test_the_final_tests_result_page_links_the_certificate(client, servant, course_with_quiz):
    from django.urls import reverse

    course, lessons = course_with_quiz
    enrollment = enrol(servant, course)
    mark_studied(enrollment, lessons[0])
    client.force_login(servant)

    failed = take_quiz(servant, course, right=False)
    page = client.get(reverse("quizzes:result", args=[failed.pk])).content.decode()
    assert "Сертификат" not in page and "Итоговый тест сдан" not in page

    passed = take_quiz(servant, course)  # a lesson is still unstudied
    page = client.get(reverse("quizzes:result", args=[passed.pk])).content.decode()
    assert f"Итоговый тест сдан. Курс «{course.title}» будет завершён, когда будут изучены все уроки." in page
    for lesson in lessons[1:]:
        mark_studied(enrollment, lesson)
    page = client.get(reverse("quizzes:result", args=[passed.pk])).content.decode()
    certificate = Certificate.objects.get()
    assert f"Курс «{course.title}» завершён. Сертификат № {certificate.number}." in page
    assert f'href="{certificate.get_pdf_url()}"' in page and "Скачать сертификат (PDF)" in page
