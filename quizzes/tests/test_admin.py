"""The Django admin pages for the bank, quizzes and sittings open for a superuser."""

import pytest
from django.urls import reverse

from people.factories import make_person
from quizzes.factories import make_matching, make_quiz, make_single_choice, make_true_false
from quizzes.models import SingleChoiceQuestion
from quizzes.services import start_sitting

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_person(is_staff=True, is_superuser=True))
    return client


def test_bank_pages_open(admin_client):
    single, matching = make_single_choice(), make_matching()
    quiz = make_quiz([single, make_true_false()])
    start_sitting(make_person(), quiz)
    pages = [
        reverse("admin:quizzes_question_changelist"),
        reverse("admin:quizzes_question_add"),
        reverse("admin:quizzes_question_change", args=[single.pk]),
        reverse("admin:quizzes_question_change", args=[matching.pk]),
        reverse("admin:quizzes_category_changelist"),
        reverse("admin:quizzes_quiz_change", args=[quiz.pk]),
        reverse("admin:quizzes_sitting_changelist"),
    ]
    for url in pages:
        response = admin_client.get(url, follow=True)
        assert response.status_code == 200, url
    changelist = admin_client.get(reverse("admin:quizzes_question_changelist")).content.decode()
    assert str(SingleChoiceQuestion._meta.verbose_name) in changelist


def test_change_page_of_a_choice_question_shows_its_options(admin_client):
    question = make_single_choice(correct="Уведомить представителя нанимателя")
    page = admin_client.get(reverse("admin:quizzes_question_change", args=[question.pk]), follow=True)
    assert "Уведомить представителя нанимателя" in page.content.decode()
