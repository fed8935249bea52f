"""The testing area of the Wagtail admin: access, question forms of every type, import, grading."""

import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from people.audience import Audience
from people.factories import make_municipal_manager, make_municipality, make_person, make_regional_manager
from people.roles import Role
from quizzes.factories import make_category, make_essay, make_quiz, make_single_choice, make_true_false
from quizzes.models import QUESTION_TYPES, Category, Question, Quiz, Response, TestCampaign
from quizzes.services import finish_sitting, save_answer, start_sitting

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parent.parent / "importing" / "tests" / "samples"
QUESTIONS_URL = "/admin/quizzes/questions/"
IMPORT_URL = "/admin/quizzes/import/"
GRADING_URL = "/admin/quizzes/grading/"


@pytest.fixture
def trainer_client(client):
    client.force_login(make_person(role=Role.TRAINER))
    return client


@pytest.fixture
def category():
    return make_category("Конфликт интересов")


def management(prefix, rows):
    return {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        **{f"{prefix}-{i}-{name}": value for i, row in enumerate(rows) for name, value in row.items()},
    }


def question_data(kind, category, text):
    data = {
        "category": str(category.pk),
        "text": text,
        "text_format": "plain",
        "points": "2",
        "legal_norm": "273-ФЗ, ст. 10",
    }
    options = [
        {"text": "Уведомить представителя нанимателя", "fraction": "1", "order": "0"},
        {"text": "Промолчать", "fraction": "0", "order": "1"},
        {"text": "Уволиться", "fraction": "0", "order": "2"},
    ]
    match kind:
        case "single":
            data |= management("choices", options)
        case "multiple":
            options[0]["fraction"] = options[2]["fraction"] = "0.5"
            data |= {"grading": "partial"} | management("choices", options)
        case "truefalse":
            data |= {"correct_value": "on"}
        case "short":
            answers = [
                {"text": "конфликт интересов", "fraction": "1", "order": "0"},
                {"text": "конфликт*", "fraction": "0.5", "feedback": "Неточно.", "order": "1"},
            ]
            data |= {"loose_spelling": "on"} | management("short_answers", answers)
        case "numeric":
            answers = [{"value": "3", "tolerance": "0", "fraction": "1", "order": "0"}]
            data |= {"unit": "дней"} | management("numeric_answers", answers)
        case "matching":
            pairs = [
                {"left": "Статья 10", "right": "Понятие конфликта интересов", "order": "0"},
                {"left": "Статья 11", "right": "Порядок урегулирования", "order": "1"},
                {"left": "", "right": "Лишний вариант", "order": "2"},
            ]
            data |= management("pairs", pairs)
    return data


def add_url(kind):
    return reverse(f"quizzes_question_{kind}:add")


# --- Access


@pytest.mark.parametrize(
    "url",
    [QUESTIONS_URL, QUESTIONS_URL + "new/", "/admin/quizzes/questions/single/new/", IMPORT_URL, GRADING_URL],
)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


@pytest.mark.parametrize("url", [QUESTIONS_URL, IMPORT_URL, GRADING_URL, "/admin/quizzes/quizzes/"])
def test_servant_has_no_access(client, url):
    client.force_login(make_person())

    response = client.get(url)

    assert response.status_code == 302
    assert not response["Location"].startswith(url)


@pytest.mark.parametrize("url", [QUESTIONS_URL, IMPORT_URL, GRADING_URL, "/admin/quizzes/categories/"])
def test_municipal_manager_cannot_reach_the_bank(client, url):
    client.force_login(make_municipal_manager(make_municipality()))

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert IMPORT_URL not in home and GRADING_URL not in home and QUESTIONS_URL not in home


def test_servant_cannot_create_a_question_by_post(client, category):
    client.force_login(make_person())

    client.post(add_url("truefalse"), question_data("truefalse", category, "Взлом"))

    assert not Question.objects.exists()


def test_trainer_sees_the_menu_but_not_people(trainer_client):
    home = trainer_client.get(reverse("wagtailadmin_home")).content.decode()

    assert IMPORT_URL in home and GRADING_URL in home and QUESTIONS_URL in home
    assert trainer_client.get("/admin/users/").status_code == 302
    trainer = trainer_client.get(reverse("wagtailadmin_home")).wsgi_request.user
    assert not any(perm.startswith("people.") for perm in trainer.get_all_permissions())


# --- The bank


def test_trainer_lists_questions_of_all_types_with_filters(trainer_client, category):
    other = make_category("Подарки")
    single = make_single_choice(category, text="Вопрос о конфликте", legal_norm="273-ФЗ, ст. 10")
    truefalse = make_true_false(other, text="Вопрос о подарке", legal_norm="Постановление № 10")

    page = trainer_client.get(QUESTIONS_URL).content.decode()
    assert "Вопрос о конфликте" in page and "Вопрос о подарке" in page
    assert reverse("quizzes_question_single:edit", args=[single.pk]) in page
    assert reverse("quizzes_question_truefalse:edit", args=[truefalse.pk]) in page

    by_type = trainer_client.get(QUESTIONS_URL, {"kind": "truefalse"}).content.decode()
    assert "Вопрос о подарке" in by_type and "Вопрос о конфликте" not in by_type
    by_category = trainer_client.get(QUESTIONS_URL, {"category": category.pk}).content.decode()
    assert "Вопрос о конфликте" in by_category and "Вопрос о подарке" not in by_category
    by_norm = trainer_client.get(QUESTIONS_URL, {"legal_norm": "273-ФЗ"}).content.decode()
    assert "Вопрос о конфликте" in by_norm and "Вопрос о подарке" not in by_norm
    truefalse.is_retired = True
    truefalse.save()
    retired = trainer_client.get(QUESTIONS_URL, {"is_retired": "true"}).content.decode()
    assert "Вопрос о подарке" in retired and "Вопрос о конфликте" not in retired


def test_add_offers_every_type(trainer_client):
    page = trainer_client.get(QUESTIONS_URL + "new/").content.decode()

    for kind in QUESTION_TYPES:
        assert add_url(kind) in page


@pytest.mark.parametrize("kind", list(QUESTION_TYPES))
def test_trainer_creates_a_question_of_each_type(trainer_client, category, kind):
    form = trainer_client.get(add_url(kind))
    assert form.status_code == 200

    response = trainer_client.post(add_url(kind), question_data(kind, category, "Новый вопрос " + kind))

    assert response.status_code == 302, response.context and response.context["form"].errors
    question = Question.objects.get(text="Новый вопрос " + kind)
    assert question.kind == kind
    assert question.points == Decimal(2) and question.category == category
    assert question.problems() == []
    if kind == "single":
        assert [(c.text, c.fraction) for c in question.choices.all()][:2] == [
            ("Уведомить представителя нанимателя", 1),
            ("Промолчать", 0),
        ]
    if kind == "multiple":
        assert question.grading == "partial" and question.choices.filter(fraction=Decimal("0.5")).count() == 2
    if kind == "short":
        assert [(a.text, a.fraction) for a in question.short_answers.all()] == [
            ("конфликт интересов", 1),
            ("конфликт*", Decimal("0.5")),
        ]
    if kind == "matching":
        assert question.pairs.count() == 3
    if kind == "numeric":
        assert ([a.value for a in question.numeric_answers.all()], question.unit) == ([Decimal(3)], "дней")


def test_single_choice_without_a_full_marks_option_is_refused(trainer_client, category):
    data = question_data("single", category, "Плохой вопрос")
    data["choices-0-fraction"] = "0.5"

    response = trainer_client.post(add_url("single"), data)

    assert response.status_code == 200
    assert "Хотя бы один вариант должен давать полный балл (долю 1)." in response.content.decode()
    assert not Question.objects.exists()


def test_single_choice_may_give_full_marks_for_two_options_as_in_moodle(trainer_client, category):
    data = question_data("single", category, "Два верных варианта")
    data["choices-1-fraction"] = "1"

    response = trainer_client.post(add_url("single"), data)

    assert response.status_code == 302
    assert Question.objects.get().problems() == []


def test_matching_needs_two_pairs(trainer_client, category):
    data = question_data("matching", category, "Одна пара")
    data |= management("pairs", [{"left": "Статья 10", "right": "Конфликт", "order": "0"}])

    response = trainer_client.post(add_url("matching"), data)

    assert response.status_code == 200 and not Question.objects.exists()


def test_editing_changes_the_options(trainer_client, category):
    question = make_single_choice(category, text="Старый текст")
    choices = list(question.choices.all())
    url = reverse("quizzes_question_single:edit", args=[question.pk])
    page = trainer_client.get(url)
    assert page.status_code == 200 and "Старый текст" in page.content.decode()
    data = {"category": category.pk, "text": "Новый текст", "text_format": "plain", "points": "1"}
    data |= {
        "choices-TOTAL_FORMS": str(len(choices)),
        "choices-INITIAL_FORMS": str(len(choices)),
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    for i, choice in enumerate(choices):
        data |= {
            f"choices-{i}-id": choice.pk,
            f"choices-{i}-question": question.pk,
            f"choices-{i}-text": choice.text + " (испр.)",
            f"choices-{i}-order": i,
            f"choices-{i}-fraction": choice.fraction,
        }
    data["choices-2-DELETE"] = "on"

    response = trainer_client.post(url, data)

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "Новый текст"
    assert [c.text for c in question.choices.all()] == [c.text + " (испр.)" for c in choices[:2]]


def test_edit_page_warns_when_an_open_campaign_uses_the_question(trainer_client, category):
    fixed = make_single_choice(category, text="В тесте")
    drawn = make_true_false(make_category("Подтема", parent=category), text="Из выборки")
    idle = make_true_false(make_category("Другое"), text="Не используется")
    now = timezone.now()
    TestCampaign.objects.create(
        title="Весеннее тестирование",
        quiz=make_quiz([fixed], draws=[(category, 1)]),
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=1),
        audience=Audience.objects.create(title="Все"),
    )

    def page(question):
        url = reverse(f"quizzes_question_{question.kind}:edit", args=[question.pk])
        return trainer_client.get(url).content.decode()

    assert "Весеннее тестирование" in page(fixed) and "data-open-campaigns-warning" in page(fixed)
    assert "Весеннее тестирование" in page(drawn)
    assert "data-open-campaigns-warning" not in page(idle)


def test_trainer_manages_categories_and_quizzes(trainer_client, category):
    question = make_single_choice(category)
    response = trainer_client.post(
        "/admin/quizzes/categories/new/", {"name": "Подарки", "parent": category.pk, "description": ""}
    )
    assert response.status_code == 302
    assert Category.objects.get(name="Подарки").parent == category

    data = {
        "title": "Итоговый тест",
        "description": "",
        "time_limit": "30",
        "pass_mark": "70",
        "attempts_allowed": "2",
        "grading_method": "best",
        "review_policy": "after_attempt",
        **management("questions", [{"question": question.pk, "order": "0"}]),
        **management(
            "draws", [{"category": category.pk, "count": "1", "include_subcategories": "on", "order": "0"}]
        ),
    }
    response = trainer_client.post("/admin/quizzes/quizzes/new/", data)

    assert response.status_code == 302
    quiz = Quiz.objects.get(title="Итоговый тест")
    assert list(quiz.questions.all()) == [Question.objects.get(pk=question.pk)]
    assert quiz.draws.get().category == category


def test_trainer_sees_campaigns_but_only_a_regional_manager_creates_them(client, trainer_client):
    assert trainer_client.get("/admin/quizzes/campaigns/").status_code == 200
    assert trainer_client.get("/admin/quizzes/campaigns/new/").status_code == 302

    manager = make_regional_manager()
    client.force_login(manager)
    quiz = make_quiz([make_true_false()])
    audience = Audience.objects.create(title="Все")
    response = client.post(
        "/admin/quizzes/campaigns/new/",
        {
            "title": "Осень",
            "description": "",
            "quiz": quiz.pk,
            "opens_at": "2025-10-01 09:00",
            "closes_at": "2025-10-15 18:00",
            "audience": audience.pk,
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    assert TestCampaign.objects.get(title="Осень").created_by == manager


def test_the_campaign_form_sets_the_notices(client):
    client.force_login(make_regional_manager())
    page = client.get("/admin/quizzes/campaigns/new/").content.decode()
    for label in ("Сообщить аудитории об открытии", "Напомнить не завершившим за N дней до закрытия"):
        assert label in page
    fields = {
        "title": "Осень",
        "description": "",
        "quiz": make_quiz([make_true_false()]).pk,
        "opens_at": "2025-10-01 09:00",
        "closes_at": "2025-10-15 18:00",
        "audience": Audience.objects.create(title="Все").pk,
        "is_published": "on",
        "notify_opening": "on",
        "notify_result": "on",
    }
    assert (
        client.post("/admin/quizzes/campaigns/new/", {**fields, "remind_days_before": "31"}).status_code
        == 200
    )
    assert (
        client.post("/admin/quizzes/campaigns/new/", {**fields, "remind_days_before": "3"}).status_code == 302
    )
    campaign = TestCampaign.objects.get(title="Осень")
    assert (campaign.notify_opening, campaign.remind_days_before, campaign.notify_result) == (True, 3, True)


# --- Import page


def upload(name):
    return SimpleUploadedFile(name, (SAMPLES / name).read_bytes())


def test_trainer_uploads_a_gift_file_and_sees_the_report(trainer_client):
    page = trainer_client.get(IMPORT_URL)
    assert page.status_code == 200 and 'type="file"' in page.content.decode()

    response = trainer_client.post(IMPORT_URL, {"file": upload("anticorruption.gift")})

    html = response.content.decode()
    assert response.status_code == 200 and "data-import-report" in html
    count = Question.objects.count()
    assert count > 5
    assert html.count("добавлен</td>") == count
    assert "Противодействие коррупции / Подарки" in html


def test_check_only_saves_nothing(trainer_client, category):
    response = trainer_client.post(
        IMPORT_URL, {"file": upload("anticorruption_aiken.txt"), "category": category.pk, "dry_run": "on"}
    )

    assert "будет добавлено" in response.content.decode()
    assert not Question.objects.exists()


def test_broken_file_shows_every_error_with_its_line(trainer_client):
    response = trainer_client.post(IMPORT_URL, {"file": upload("broken.gift")})

    html = response.content.decode()
    assert "data-import-errors" in html and "Ничего не импортировано" in html
    assert "Не удалось" in html or "<td>4</td>" in html
    assert not Question.objects.exists()


def test_upload_refuses_other_files_and_big_ones(trainer_client, monkeypatch):
    response = trainer_client.post(IMPORT_URL, {"file": SimpleUploadedFile("roster.csv", b"a;b")})
    assert "Загрузите файл .gift, .txt, .xml или .xlsx." in response.content.decode()

    monkeypatch.setattr("quizzes.admin_views.importing.MAX_UPLOAD_SIZE", 10)
    response = trainer_client.post(IMPORT_URL, {"file": upload("anticorruption.gift")})
    assert "Файл больше" in response.content.decode()
    assert not Question.objects.exists()


def test_template_download_is_the_xlsx_template(trainer_client, tmp_path):
    response = trainer_client.get(IMPORT_URL + "template.xlsx")

    assert response.status_code == 200
    path = tmp_path / "t.xlsx"
    path.write_bytes(response.content)
    assert openpyxl.load_workbook(path).sheetnames[0] == "Вопросы"
    assert IMPORT_URL + "template.xlsx" in trainer_client.get(IMPORT_URL).content.decode()


# --- Grading queue


@pytest.fixture
def essay_sitting():
    essay = make_essay(text="Опишите порядок уведомления о конфликте интересов.", points=4)
    quiz = make_quiz([essay, make_true_false()], title="Итоговый тест по 273-ФЗ")
    person = make_person(last_name="Секретнов")
    sitting = start_sitting(person, quiz)
    save_answer(sitting, essay.pk, {"text": "Служащий письменно уведомляет представителя нанимателя."}, 1)
    finish_sitting(sitting)
    return sitting


def test_queue_lists_essays_without_names(trainer_client, essay_sitting):
    html = trainer_client.get(GRADING_URL).content.decode()

    assert "Опишите порядок уведомления" in html
    assert "Служащий письменно уведомляет" in html
    assert "Итоговый тест по 273-ФЗ" in html
    assert f"№ {essay_sitting.pk}" in html
    assert "Секретнов" not in html


def test_trainer_grades_an_essay_in_points(trainer_client, essay_sitting):
    response_row = Response.objects.awaiting_grading().get()

    response = trainer_client.post(
        GRADING_URL, {"response": response_row.pk, "points": "3", "comment": "Не указан срок."}
    )

    assert response.status_code == 302
    response_row.refresh_from_db()
    assert response_row.fraction == Decimal("0.75")
    assert response_row.grader_comment == "Не указан срок."
    essay_sitting.refresh_from_db()
    assert essay_sitting.state == "finished" and essay_sitting.score == Decimal(3)
    assert "Все ответы проверены." in trainer_client.get(GRADING_URL).content.decode()


def test_grade_out_of_range_is_refused_in_russian(trainer_client, essay_sitting):
    response_row = Response.objects.awaiting_grading().get()

    response = trainer_client.post(GRADING_URL, {"response": response_row.pk, "fraction": "1.5"})

    assert response.status_code == 400
    assert "Оценка должна быть числом от 0 до 1." in response.content.decode()
    assert Response.objects.awaiting_grading().count() == 1


def test_grade_needs_fraction_or_points(trainer_client, essay_sitting):
    response_row = Response.objects.awaiting_grading().get()

    response = trainer_client.post(GRADING_URL, {"response": response_row.pk})

    assert response.status_code == 400
    assert "Укажите либо долю балла, либо баллы." in response.content.decode()


def test_servant_cannot_grade(client, essay_sitting):
    client.force_login(make_person())
    response_row = Response.objects.awaiting_grading().get()

    client.post(GRADING_URL, {"response": response_row.pk, "fraction": "1"})

    assert Response.objects.awaiting_grading().count() == 1


def test_a_zero_point_essay_graded_in_points_is_refused_not_a_500(trainer_client):
    essay = make_essay(points=0)
    sitting = start_sitting(make_person(), make_quiz([essay]))
    save_answer(sitting, essay.pk, {"text": "Ответ."}, 1)
    finish_sitting(sitting)
    response_row = Response.objects.awaiting_grading().get()
    response = trainer_client.post(GRADING_URL, {"response": response_row.pk, "points": "1"})
    assert response.status_code == 400
    assert "Вопрос стоит 0 баллов: укажите долю балла, а не баллы." in response.content.decode()
    assert trainer_client.post(GRADING_URL, {"response": response_row.pk, "fraction": "1"}).status_code == 302
