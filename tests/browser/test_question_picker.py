"""In a real browser: a trainer adds a fixed question to a quiz through the bank's picker, finding it by
its tag among look-alike questions (quizzes/admin_views/picker.py), then saves the quiz."""

import pytest

from quizzes.factories import make_category, make_quiz, make_single_choice
from quizzes.models import QuizQuestion

from .accessibility import serious_violations
from .admin_pages import admin_log_in, make_trainer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]


def test_a_trainer_picks_a_question_for_a_quiz_by_its_tag(page, live_server):
    from playwright.sync_api import expect

    category = make_category("Подарки")
    make_single_choice(category, text="Сроки уведомления о подарке (старая редакция)")
    wanted = make_single_choice(category, text="Сроки уведомления о подарке (редакция 2024 года)")
    wanted.tags.add("редакция-2024")
    quiz = make_quiz(title="Подарки: проверка знаний")
    admin_log_in(page, make_trainer())

    page.goto(f"/admin/quizzes/quizzes/edit/{quiz.pk}/")
    page.get_by_role("button", name="Выбрать вопрос").first.click()
    modal = page.locator(".modal-dialog")
    expect(modal.get_by_role("heading", name="Выбор вопроса из банка")).to_be_visible()
    expect(modal.get_by_text("(старая редакция)")).to_be_visible()
    modal.get_by_label("Метка").select_option("редакция-2024")
    expect(modal.get_by_text("(старая редакция)")).to_have_count(0)
    # The modal itself; the form behind it is checked in test_admin_accessibility (with Wagtail's minimap).
    assert [found for found in serious_violations(page) if ".w-minimap" not in found] == []
    modal.get_by_role("link", name="Сроки уведомления о подарке (редакция 2024 года)").click()
    expect(modal).to_have_count(0)
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator(".messages")).to_contain_text("Подарки: проверка знаний")

    assert list(QuizQuestion.objects.filter(quiz=quiz).values_list("question_id", flat=True)) == [wanted.pk]
