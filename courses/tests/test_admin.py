"""Editors write courses and lessons in the Wagtail admin, with a "Проверь себя" quiz in a lesson."""

import pytest
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.blocks import quiz_ids_in
from courses.factories import make_course, make_course_index, make_lesson
from courses.models import LessonPage
from people.models import User
from quizzes.factories import make_quiz, make_true_false

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "x"))
    return client


def test_add_and_edit_forms_open(editor):
    index = make_course_index()
    assert editor.get(f"/admin/pages/add/courses/coursepage/{index.pk}/").status_code == 200
    course = make_course(index)
    assert editor.get(f"/admin/pages/{course.pk}/edit/").status_code == 200
    assert editor.get(f"/admin/pages/add/courses/lessonpage/{course.pk}/").status_code == 200
    quiz = make_quiz([make_true_false()], title="Self-check quiz")
    lesson = make_lesson(
        course, body=[("check_yourself", {"title": "Проверь себя", "text": "", "quiz": quiz})]
    )
    response = editor.get(f"/admin/pages/{lesson.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Self-check quiz" in html  # among the options of the quiz select box
    assert f"&quot;quiz&quot;: &quot;{quiz.pk}&quot;" in html  # the saved choice goes back to the form


def test_an_editor_adds_a_lesson_with_a_practice_quiz(editor):
    course = make_course()
    quiz = make_quiz([make_true_false()])
    data = nested_form_data(
        {
            "title": "Подарки",
            "slug": "gifts",
            "intro": "О подарках",
            "body": streamfield(
                [
                    ("paragraph", rich_text("<p>Текст урока</p>")),
                    ("check_yourself", {"title": "Проверь себя", "text": "", "quiz": quiz.pk}),
                ]
            ),
            "action-publish": "publish",
        }
    )
    response = editor.post(f"/admin/pages/add/courses/lessonpage/{course.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson = LessonPage.objects.get(slug="gifts")
    assert lesson.live
    assert quiz_ids_in(lesson.body) == {quiz.pk}


def test_preview_of_a_new_lesson_shows_its_body(editor):
    course = make_course()
    data = nested_form_data(
        {
            "title": "Урок в черновике",
            "slug": "draft",
            "intro": "",
            "body": streamfield([("paragraph", rich_text("<p>Текст для предпросмотра</p>"))]),
        }
    )
    url = f"/admin/pages/add/courses/lessonpage/{course.pk}/preview/"
    assert editor.post(url, data).json()["is_valid"]
    assert "Текст для предпросмотра" in editor.get(url).content.decode()


@pytest.mark.parametrize("shares", [True, False])
def test_the_editor_is_warned_when_practice_uses_a_running_campaigns_questions(editor, shares):
    import datetime

    from django.utils import timezone

    from people.audience import Audience
    from quizzes.models import TestCampaign

    exam_question, practice_question = make_true_false(), make_true_false()
    exam = make_quiz([exam_question], title="Экзамен")
    practice = make_quiz([exam_question if shares else practice_question], title="Практика")
    now = timezone.now()
    TestCampaign.objects.create(
        title="Осеннее тестирование",
        quiz=exam,
        audience=Audience.objects.create(title="Все"),
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=10),
    )
    data = nested_form_data(
        {
            "title": "Подарки",
            "slug": "gifts",
            "intro": "",
            "body": streamfield(
                [("check_yourself", {"title": "Проверь себя", "text": "", "quiz": practice.pk})]
            ),
        }
    )
    response = editor.post(f"/admin/pages/add/courses/lessonpage/{make_course().pk}/", data, follow=True)
    html = response.content.decode()
    warned = "Тест «Практика» в блоке «Проверь себя» содержит вопросы тестирования «Осеннее тестирование»"
    assert (warned in html) is shares
