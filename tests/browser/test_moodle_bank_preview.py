"""In a real browser: a trainer uploads a bank exported from Moodle (Moodle XML, with a picture), previews
a question as a servant sees it, tries an answer and sees the score; then copies a quiz for next year.
Nothing the preview does is saved."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from people.factories import make_person
from people.roles import Role
from quizzes.factories import make_quiz
from quizzes.models import Question, Quiz, Response, Sitting

from .accessibility import serious_violations
from .admin_pages import PASSWORD, admin_log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

MOODLE_BANK = Path(settings.BASE_DIR) / "quizzes" / "importing" / "tests" / "samples" / "moodle_export.xml"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_trainer_imports_a_moodle_bank_and_previews_a_question(page, live_server, screenshot):
    from playwright.sync_api import expect

    trainer = make_person(role=Role.TRAINER, password=PASSWORD)
    admin_log_in(page, trainer)

    page.goto("/admin/quizzes/import/")
    page.get_by_label("Файл с вопросами").set_input_files(str(MOODLE_BANK))
    page.get_by_role("button", name="Загрузить").click()
    expect(page.get_by_text("Импорт завершён: добавлено вопросов — 7, пропущено — 0.")).to_be_visible()

    question = Question.objects.get(name="Срок уведомления о подарке")
    page.goto(f"/admin/quizzes/questions/{question.pk}/preview/")
    expect(page.get_by_text("Предварительный просмотр для преподавателя")).to_be_visible()
    item = page.locator(f"#plain-{question.pk}")
    expect(item.locator("b", has_text="пяти")).to_be_visible()  # the HTML of an option is shown as HTML
    picture = item.locator(".take-text img")
    expect(picture).to_have_attribute("alt", "Схема уведомления")
    assert picture.get_attribute("src").startswith("/media/images/")
    assert serious_violations(page) == []

    item.get_by_label("Не позднее пяти рабочих дней").check()
    page.get_by_role("button", name="Проверить ответы").click()
    expect(page.get_by_text("Частично верно: баллов — 1 из 2.")).to_be_visible()
    expect(page.get_by_text("Набрано баллов: 1 из 2 (50,0 %).")).to_be_visible()
    expect(page.locator(f"#plain-{question.pk}").get_by_label("Не позднее пяти рабочих дней")).to_be_checked()
    screenshot(page, "question-preview")
    assert not Sitting.objects.exists() and not Response.objects.exists()
    assert page.foreign_requests == []


def test_a_trainer_copies_last_years_quiz(page, live_server):
    from playwright.sync_api import expect

    trainer = make_person(role=Role.TRAINER, password=PASSWORD)
    quiz = make_quiz(title="Ежегодное тестирование 2025", pass_mark=80)
    admin_log_in(page, trainer)
    page.goto(f"/admin/quizzes/quizzes/{quiz.pk}/duplicate/")
    page.locator("[data-duplicate-form]").get_by_role("button", name="Создать копию").click()
    expect(page.get_by_text("Создана копия: «Ежегодное тестирование 2025 (копия)».")).to_be_visible()
    copy = Quiz.objects.get(title="Ежегодное тестирование 2025 (копия)")
    assert copy.pass_mark == 80
    expect(page).to_have_url(re.compile(rf"/admin/quizzes/quizzes/edit/{copy.pk}/$"))
