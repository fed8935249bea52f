"""A person's own result sheet (PDF): their result and the topics, never a key the review withholds,
for the owner only."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from people.audience import Audience
from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from quizzes.factories import correct_answer, make_category, make_quiz, make_single_choice
from quizzes.models import Quiz, TestCampaign
from quizzes.services import finish_sitting, save_answer, start_campaign_sitting
from reports.models import ExportAuditEntry

pytestmark = pytest.mark.django_db

SECRET_EXPLANATION = "Пояснение: обязанность установлена частью 2 статьи 11"
SECRET_NORM = "Федеральный закон № 273-ФЗ, статья 11, часть 2"
RIGHT = "Представителю нанимателя письменно"
WRONG = "Никому не сообщать"
HOSTILE_NAME = '=HYPERLINK("http://evil.example/","Иванов")'


def question(category, text):
    return make_single_choice(
        category,
        text=text,
        correct=RIGHT,
        wrong=(WRONG, "В прокуратуру"),
        explanation=SECRET_EXPLANATION,
        legal_norm=SECRET_NORM,
    )


@pytest.fixture
def world():
    obninsk = make_municipality("Город Обнинск")
    audience = Audience.objects.create(title="Обнинск")
    audience.municipalities.add(obninsk)
    conflict, gifts = make_category("Конфликт интересов"), make_category("Подарки")
    questions = [
        question(conflict, "Кому сообщить о конфликте интересов?"),
        question(conflict, "Что такое личная заинтересованность?"),
        question(gifts, "Можно ли принять подарок?"),
    ]
    organization = make_organization(obninsk, "Администрация города Обнинска")
    return {
        "obninsk": obninsk,
        "audience": audience,
        "questions": questions,
        "organization": organization,
        "person": make_person(
            organization, last_name="Ёлкина", first_name="Мария", patronymic="Петровна", position="Специалист"
        ),
    }


def open_campaign(world, questions=None, title="Весеннее тестирование", **quiz_fields):
    quiz_fields = {"pass_mark": 50, "review_policy": Quiz.ReviewPolicy.AFTER_ATTEMPT, **quiz_fields}
    now = timezone.now()
    return TestCampaign.objects.create(
        title=title,
        quiz=make_quiz(questions or world["questions"], title=f"Тест: {title}", **quiz_fields),
        audience=world["audience"],
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=2),
    )


def take(person, campaign, right):
    """Answer the first ``right`` questions correctly, the others wrong, and finish."""
    now = timezone.now()
    sitting = start_campaign_sitting(person, campaign, now=now)
    for index, snapshot in enumerate(sitting.questions()):
        if index < right:
            answer = correct_answer(snapshot)
        else:
            answer = {"choice": next(o["id"] for o in snapshot["options"] if o["text"] == WRONG)}
        save_answer(sitting, snapshot["id"], answer, seq=1, now=now)
    return finish_sitting(sitting, now=now)


def sheet_url(sitting):
    return reverse("quizzes:result_sheet", args=[sitting.pk])


def sheet_text(client, sitting):
    response = client.get(sheet_url(sitting))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    return re.sub(r"\s+", " ", " ".join(pages))


def assert_no_key(text):
    for secret in (RIGHT, WRONG, SECRET_EXPLANATION, SECRET_NORM, "Кому сообщить о конфликте"):
        assert secret not in text


def test_the_sheet_shows_the_result_and_the_topics(client, world):
    campaign = open_campaign(world)  # one attempt: used up, nothing left to withhold
    sitting = take(world["person"], campaign, right=2)
    client.force_login(world["person"])
    text = sheet_text(client, sitting)
    assert "Лист результатов" in text
    assert "Ёлкина Мария Петровна" in text
    assert "Администрация города Обнинска" in text and "Специалист" in text
    assert "«Весеннее тестирование»" in text and "Тест: Весеннее тестирование" in text
    assert "Попытка 1" in text
    assert timezone.localtime(sitting.finished_at).strftime("%d.%m.%Y") in text
    assert "Набрано баллов 2 из 3" in text
    assert "Результат, % 66,67" in text
    assert "Проходной балл, % 50" in text
    assert "Итог тест пройден" in text
    assert "Результаты по темам" in text
    assert "Конфликт интересов 2 2 из 2 100,0" in text
    assert "Подарки 1 0 из 1 0,0" in text
    assert "Страница 1 из 1" in text
    assert_no_key(text)
    assert not ExportAuditEntry.objects.exists()  # own data: not an export of personal data


def test_with_an_attempt_left_nothing_per_topic_is_shown(client, world):
    campaign = open_campaign(world, attempts_allowed=2)
    sitting = take(world["person"], campaign, right=1)
    client.force_login(world["person"])
    text = sheet_text(client, sitting)
    assert "Набрано баллов 1 из 3" in text and "тест не пройден" in text
    assert "Конфликт интересов" not in text and "Подарки" not in text
    assert "Вопросы, которые могут встретиться вам в открытом тестировании или курсе (3)" in text
    assert_no_key(text)


def test_questions_still_open_elsewhere_are_left_out_of_the_topics(client, world):
    gift = world["questions"][2]
    campaign = open_campaign(world)
    open_campaign(world, questions=[gift], title="Осеннее тестирование")  # not started: the gift is live
    sitting = take(world["person"], campaign, right=3)
    client.force_login(world["person"])
    text = sheet_text(client, sitting)
    assert "Конфликт интересов 2 2 из 2 100,0" in text
    assert "Подарки" not in text
    assert "(1)" in text
    assert_no_key(text)


@pytest.mark.parametrize("policy", [Quiz.ReviewPolicy.NEVER, Quiz.ReviewPolicy.AFTER_CLOSE])
def test_without_a_review_there_are_no_topics_either(client, world, policy):
    sitting = take(world["person"], open_campaign(world, review_policy=policy), right=3)
    client.force_login(world["person"])
    text = sheet_text(client, sitting)
    assert "Набрано баллов 3 из 3" in text
    assert "Конфликт интересов" not in text and "Подарки" not in text
    assert "Результаты по темам будут показаны вместе с разбором ответов" in text
    assert_no_key(text)


def test_only_the_owner_gets_the_sheet(client, world):
    sitting = take(world["person"], open_campaign(world), right=3)
    url = sheet_url(sitting)
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    for stranger in (
        make_person(world["organization"]),
        make_municipal_manager(world["obninsk"]),
        make_regional_manager(),
    ):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
    assert client.get(reverse("quizzes:result_sheet", args=[999_999])).status_code == 404


def test_a_sitting_in_progress_has_no_sheet_yet(client, world):
    sitting = start_campaign_sitting(world["person"], open_campaign(world), now=timezone.now())
    client.force_login(world["person"])
    response = client.get(sheet_url(sitting))
    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes:result", args=[sitting.pk])
    page = client.get(reverse("quizzes:result", args=[sitting.pk]), follow=True).content.decode()
    assert sheet_url(sitting) not in page


def test_the_result_page_offers_the_sheet(client, world):
    sitting = take(world["person"], open_campaign(world), right=3)
    client.force_login(world["person"])
    page = client.get(reverse("quizzes:result", args=[sitting.pk])).content.decode()
    assert f'href="{sheet_url(sitting)}"' in page


def test_a_hostile_and_very_long_name_is_printed_as_text(client, world):
    person = make_person(
        make_organization(world["obninsk"], "Учреждение " + "О" * 480),
        last_name=HOSTILE_NAME,
        first_name="Я" * 150,
        patronymic="Ё" * 150,
        position="Должность " + "Д" * 490,
    )
    sitting = take(person, open_campaign(world), right=3)
    client.force_login(person)
    text = re.sub(r"\s+", "", sheet_text(client, sitting))
    assert HOSTILE_NAME in text
    assert "Я" * 100 in text
