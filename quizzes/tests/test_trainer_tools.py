"""Trainers' tools in the admin: Moodle XML on the import and export pages, preview of a question and a quiz
as a servant sees it (nothing saved), «Создать копию» of a question and a quiz; who may use them."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model

from people.factories import make_municipal_manager, make_municipality, make_person, make_regional_manager
from people.roles import Role
from quizzes.factories import (
    make_category,
    make_essay,
    make_multiple_choice,
    make_numeric,
    make_quiz,
    make_short_text,
    make_single_choice,
    make_true_false,
)
from quizzes.models import Question, Quiz, QuizDraw, QuizQuestion, Response, Sitting
from quizzes.services.exporting import export_moodle_xml

from .test_import_service import describe

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parent.parent / "importing" / "tests" / "samples" / "moodle_export.xml"
IMPORT_URL = "/admin/quizzes/import/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def trainer_client(client):
    client.force_login(make_person(role=Role.TRAINER))
    return client


@pytest.fixture
def bank():
    category = make_category("Подарки")
    single = make_single_choice(
        category,
        text="В какой срок уведомляют о подарке?",
        correct="3 рабочих дня",
        wrong=("10 дней", "Месяц"),
    )
    single.tags.set(["подарки"])
    single.name, single.id_number = "Срок уведомления", "ПОД-1"
    single.save()
    short = make_short_text(category, text="Как называется ситуация?", answers=(("конфликт*", "0.5"),))
    numeric = make_numeric(category, text="Сколько дней?", value="3", points=2)
    essay = make_essay(category, text="Опишите порядок.")
    return {"category": category, "single": single, "short": short, "numeric": numeric, "essay": essay}


# --- Moodle XML on the import page and the export page ----------------------------------------------


def test_the_import_page_takes_moodle_xml_with_the_same_dry_run_report(trainer_client):
    upload = SimpleUploadedFile("bank.xml", SAMPLE.read_bytes(), content_type="text/xml")
    response = trainer_client.post(IMPORT_URL, {"file": upload, "dry_run": "on"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Проверка прошла успешно: будет добавлено вопросов — 7, пропущено — 0." in text
    assert "Антикоррупция / Конфликт интересов" in text
    # The report shows the words of an HTML text, not its markup.
    assert "В какой срок служащий уведомляет о получении подарка?" in text and "&lt;p&gt;" not in text
    assert not Question.objects.exists() and not get_image_model().objects.exists()

    upload = SimpleUploadedFile("bank.xml", SAMPLE.read_bytes(), content_type="text/xml")
    response = trainer_client.post(IMPORT_URL, {"file": upload})
    assert "Импорт завершён: добавлено вопросов — 7, пропущено — 0." in response.content.decode()
    assert Question.objects.count() == 7 and get_image_model().objects.count() == 1


def test_a_broken_xml_file_gets_its_line_on_the_page(trainer_client):
    upload = SimpleUploadedFile(
        "bank.xml", b"<quiz>\n<question type='essay'>\n</quiz>", content_type="text/xml"
    )
    response = trainer_client.post(IMPORT_URL, {"file": upload, "dry_run": "on"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Файл не является правильным XML: mismatched tag." in text and "<td>3</td>" in text


def test_xml_files_may_be_larger_than_text_files_but_not_without_limit(trainer_client):
    big = b"<quiz>" + b" " * (6 * 1024 * 1024) + b"</quiz>"
    response = trainer_client.post(IMPORT_URL, {"file": SimpleUploadedFile("bank.xml", big), "dry_run": "on"})
    assert "Файл больше" not in response.content.decode()
    assert "В файле нет ни одного вопроса." in response.content.decode()
    huge = b"<quiz>" + b" " * (21 * 1024 * 1024) + b"</quiz>"
    response = trainer_client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("bank.xml", huge), "dry_run": "on"}
    )
    assert "Файл больше 20,0\xa0МБ." in response.content.decode()


@pytest.mark.parametrize("file_format", ["xml", "gift"])
def test_the_export_page_gives_a_file_moodle_imports(trainer_client, bank, file_format):
    url = reverse("quizzes_import:export")
    assert trainer_client.get(url).status_code == 200
    response = trainer_client.post(
        url, {"category": bank["category"].pk, "file_format": file_format, "subcategories": "on"}
    )
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="questions-{bank["category"].pk}.{file_format}"'
    )
    if file_format == "xml":
        assert response.content == export_moodle_xml(bank["category"])
    else:
        assert response.content.decode().startswith("$CATEGORY: Подарки")


# --- preview ---------------------------------------------------------------------------------------


def option_value(page, label):
    """The value of the radio button or checkbox labelled ``label`` on a preview page."""
    match = re.search(r'value="([^"]+)"[^>]*>\s*' + re.escape(label), page)
    assert match, label
    return match[1]


def test_question_preview_shows_the_question_as_the_test_page_and_scores_without_saving(trainer_client, bank):
    question = bank["single"]
    url = reverse("quizzes_question:preview", args=[question.pk])
    page = trainer_client.get(url).content.decode()
    assert "Предварительный просмотр для преподавателя" in page
    assert 'class="take-item"' in page and "В какой срок уведомляют о подарке?" in page
    assert "Вопрос 1 из 1" in page
    field = f"q-{question.pk}"

    response = trainer_client.post(
        url, {"questions": question.pk, field: option_value(page, "3 рабочих дня")}
    )
    text = response.content.decode()
    assert "Верно: баллов — 1 из 1." in text
    assert "Набрано баллов: 1 из 1 (100,0 %)." in text
    assert "checked" in text  # the answer stays shown

    response = trainer_client.post(url, {"questions": question.pk, field: option_value(page, "Месяц")})
    assert "Неверно: баллов — 0 из 1." in response.content.decode()
    assert not Sitting.objects.exists() and not Response.objects.exists()


def test_question_preview_reports_an_answer_it_cannot_take(trainer_client, bank):
    question = bank["single"]
    url = reverse("quizzes_question:preview", args=[question.pk])
    response = trainer_client.post(url, {"questions": question.pk, f"q-{question.pk}": "подделка"})
    assert response.status_code == 200
    assert "Ответ не принят" in response.content.decode()


def test_quiz_preview_draws_scores_and_counts_nothing(trainer_client, bank):
    quiz = make_quiz([bank["single"], bank["short"], bank["numeric"], bank["essay"]], pass_mark=80)
    url = reverse("quizzes_quiz:preview", args=[quiz.pk])
    page = trainer_client.get(url).content.decode()
    assert "Вопрос 4 из 4" in page and quiz.title in page
    answers = {
        "questions": [q.pk for q in (bank["single"], bank["short"], bank["numeric"], bank["essay"])],
        f"q-{bank['single'].pk}": option_value(page, "3 рабочих дня"),
        f"q-{bank['short'].pk}": "конфликтная ситуация",
        f"q-{bank['numeric'].pk}": "3",
        f"q-{bank['essay'].pk}": "Письменно.",
    }
    text = trainer_client.post(url, answers).content.decode()
    assert "Частично верно: баллов — 0,5 из 1." in text
    assert "Верно: баллов — 2 из 2." in text
    assert "Развёрнутый ответ оценивает преподаватель" in text
    assert "Набрано баллов: 3,5 из 5 (70,0 %)." in text
    assert "Развёрнутых ответов, которые оценит преподаватель: 1." in text
    assert "Проходной балл 80 % не достигнут: тест не был бы сдан." in text
    assert not Sitting.objects.exists() and not Response.objects.exists()


def test_quiz_preview_scores_only_questions_of_the_quiz(trainer_client, bank):
    quiz = make_quiz([bank["single"]])
    other = make_true_false(make_category("Чужая"), text="Чужой вопрос")
    url = reverse("quizzes_quiz:preview", args=[quiz.pk])
    text = trainer_client.post(url, {"questions": [other.pk, bank["single"].pk, "x"]}).content.decode()
    assert "Чужой вопрос" not in text and "Вопрос 1 из 1" in text


def test_quiz_preview_of_a_quiz_that_cannot_be_drawn_says_why(trainer_client):
    quiz = make_quiz(draws=[(make_category("Пустая"), 3)])
    response = trainer_client.get(reverse("quizzes_quiz:preview", args=[quiz.pk]))
    assert response.status_code == 200
    assert "а тест должен взять из неё 3" in response.content.decode()


# --- «Создать копию» -------------------------------------------------------------------------------


def test_duplicating_a_question_keeps_every_fact(trainer_client, bank):
    original = bank["single"]
    url = reverse("quizzes_question:duplicate", args=[original.pk])
    assert "Создать копию" in trainer_client.get(url).content.decode()
    response = trainer_client.post(url)
    copy = Question.objects.exclude(pk=original.pk).get(name="Срок уведомления (копия)")
    assert response.status_code == 302 and response["Location"] == reverse(
        "quizzes_question_single:edit", args=[copy.pk]
    )
    facts, copied = describe(original), describe(copy)
    assert copied.pop("name") == "Срок уведомления (копия)" and facts.pop("name") == "Срок уведомления"
    assert (copied.pop("id_number"), facts.pop("id_number")) == ("", "ПОД-1")
    assert copied == facts
    assert copy.score({"choice": copy.choices.get(text="3 рабочих дня").pk}) == 1


@pytest.mark.parametrize("maker", [make_short_text, make_numeric, make_multiple_choice])
def test_duplicating_keeps_the_answers_of_every_kind(trainer_client, maker):
    original = maker(make_category())
    trainer_client.post(reverse("quizzes_question:duplicate", args=[original.pk]))
    copy = Question.objects.exclude(pk=original.pk).get()
    facts, copied = describe(original), describe(copy)
    copied.pop("name"), facts.pop("name")
    assert copied == facts


def test_duplicating_a_quiz_keeps_its_settings_and_questions(trainer_client, bank):
    draws_from = make_category("Выборка")
    quiz = make_quiz(
        [bank["numeric"], bank["single"]],
        draws=[(draws_from, 2, False)],
        title="Ежегодное тестирование 2025",
        time_limit=40,
        pass_mark=80,
        attempts_allowed=2,
        shuffle_questions=True,
        review_policy=Quiz.ReviewPolicy.AFTER_CLOSE,
    )
    response = trainer_client.post(reverse("quizzes_quiz:duplicate", args=[quiz.pk]))
    copy = Quiz.objects.get(title="Ежегодное тестирование 2025 (копия)")
    assert response["Location"] == reverse("quizzes_quiz:edit", args=[copy.pk])
    fields = (
        "time_limit",
        "pass_mark",
        "attempts_allowed",
        "shuffle_questions",
        "shuffle_options",
        "review_policy",
    )
    assert [getattr(copy, f) for f in fields] == [getattr(quiz, f) for f in fields]
    assert list(QuizQuestion.objects.filter(quiz=copy).values_list("question_id", "order")) == [
        (bank["numeric"].pk, 0),
        (bank["single"].pk, 1),
    ]
    assert list(
        QuizDraw.objects.filter(quiz=copy).values_list("category_id", "count", "include_subcategories")
    ) == [(draws_from.pk, 2, False)]
    assert Quiz.objects.get(pk=quiz.pk).title == "Ежегодное тестирование 2025"


def test_a_long_title_still_fits_with_its_copy_mark(trainer_client):
    quiz = make_quiz(title="Т" * 255)
    trainer_client.post(reverse("quizzes_quiz:duplicate", args=[quiz.pk]))
    copy = Quiz.objects.exclude(pk=quiz.pk).get()
    assert len(copy.title) == 255 and copy.title.endswith("… (копия)")


# --- buttons and access ----------------------------------------------------------------------------


def test_the_list_and_edit_pages_offer_preview_and_copy(trainer_client, bank):
    quiz = make_quiz([bank["single"]])
    pages = [
        reverse("quizzes_question:index"),
        reverse("quizzes_question_single:edit", args=[bank["single"].pk]),
        reverse("quizzes_quiz:index"),
        reverse("quizzes_quiz:edit", args=[quiz.pk]),
    ]
    for page in pages:
        text = trainer_client.get(page).content.decode()
        assert "Просмотр как у слушателя" in text and "Создать копию" in text, page
    question_page = trainer_client.get(pages[1]).content.decode()
    assert reverse("quizzes_question:preview", args=[bank["single"].pk]) in question_page
    assert reverse("quizzes_quiz:duplicate", args=[quiz.pk]) in trainer_client.get(pages[3]).content.decode()


def tool_urls(bank):
    quiz = make_quiz([bank["single"]])
    return [
        reverse("quizzes_question:preview", args=[bank["single"].pk]),
        reverse("quizzes_question:duplicate", args=[bank["single"].pk]),
        reverse("quizzes_quiz:preview", args=[quiz.pk]),
        reverse("quizzes_quiz:duplicate", args=[quiz.pk]),
        reverse("quizzes_import:export"),
    ]


def person_of(role):
    if role == "municipal_manager":
        return make_municipal_manager(make_municipality())
    if role == "regional_manager":
        return make_regional_manager()
    return make_person(role=Role(role))


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("servant", False),
        ("organizer", False),
        ("municipal_manager", False),
        ("trainer", True),
        ("regional_manager", True),
    ],
)
def test_who_may_use_the_tools(client, bank, role, allowed):
    client.force_login(person_of(role))
    urls = tool_urls(bank)
    counts = (Question.objects.count(), Quiz.objects.count())
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            if allowed:
                assert response.status_code in (200, 302) and "/login/" not in response.get("Location", ""), (
                    url
                )
            else:
                assert response.status_code in (302, 403), (url, response.status_code)
                if response.status_code == 302:
                    assert not response["Location"].startswith(url)
    if not allowed:
        assert (Question.objects.count(), Quiz.objects.count()) == counts


def test_anonymous_is_sent_to_login(client, bank):
    for url in tool_urls(bank):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("wagtailadmin_login"))


def test_a_preview_shows_nothing_of_a_question_to_anyone_else(client, bank):
    """The preview reveals how answers score: a municipal manager (in the admin, without the bank) is sent
    back to the admin's home page, as everywhere in the bank, and shown nothing of the question."""
    client.force_login(make_municipal_manager(make_municipality()))
    response = client.get(reverse("quizzes_question:preview", args=[bank["single"].pk]))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert "3 рабочих дня" not in response.content.decode()


def test_points_in_the_preview_are_the_questions(trainer_client, bank):
    numeric = bank["numeric"]
    url = reverse("quizzes_question:preview", args=[numeric.pk])
    text = trainer_client.post(url, {"questions": numeric.pk, f"q-{numeric.pk}": "3,0"}).content.decode()
    assert "Верно: баллов — 2 из 2." in text
    assert Decimal(numeric.points) == 2
