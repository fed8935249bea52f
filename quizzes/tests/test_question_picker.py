"""The question picker of the quiz form: the bank filtered by text, category and tag (issue 16)."""

import json

import pytest
from django.urls import reverse

from people.factories import make_person
from people.roles import Role
from quizzes.factories import make_category, make_quiz, make_single_choice

pytestmark = pytest.mark.django_db

PICKER_URL = "/admin/quizzes/question-picker/"


@pytest.fixture
def trainer_client(client):
    client.force_login(make_person(role=Role.TRAINER))
    return client


@pytest.fixture
def bank():
    gifts = make_category("Подарки")
    conflict = make_category("Конфликт интересов")
    sub = make_category("Родственники", parent=conflict)
    questions = {
        "gift": make_single_choice(gifts, text="Можно ли принять подарок?"),
        "gift_norm": make_single_choice(gifts, text="Порядок сдачи подарка"),
        "conflict": make_single_choice(conflict, text="Что такое конфликт интересов?"),
        "relatives": make_single_choice(sub, text="Кто относится к близким родственникам?"),
    }
    questions["gift"].tags.set(["подарки", "273-ФЗ"])
    questions["conflict"].tags.set(["273-ФЗ"])
    questions["relatives"].tags.set(["родственники"])
    retired = make_single_choice(conflict, text="Старый вопрос о конфликте")
    retired.tags.set(["273-ФЗ"])
    retired.is_retired = True
    retired.save()
    return {"categories": {"gifts": gifts, "conflict": conflict}, **questions}


def listed(client, url=PICKER_URL, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    body = response.content.decode()
    try:
        html = json.loads(body).get("html", "")  # the modal answers with JSON
    except ValueError:
        html = body
    return html


def shown(html, bank):
    texts = {
        "gift": "Можно ли принять подарок?",
        "gift_norm": "Порядок сдачи подарка",
        "conflict": "Что такое конфликт интересов?",
        "relatives": "Кто относится к близким родственникам?",
        "retired": "Старый вопрос",
    }
    return {name for name, text in texts.items() if text in html}


def test_the_picker_filters_by_tag(trainer_client, bank):
    html = listed(trainer_client, tag="273-ФЗ")
    assert shown(html, bank) == {"gift", "conflict"}  # the retired one is never offered
    assert shown(listed(trainer_client, tag="родственники"), bank) == {"relatives"}


def test_the_picker_offers_the_tags_in_use(trainer_client, bank):
    html = listed(trainer_client)
    for name in ("273-ФЗ", "подарки", "родственники"):
        assert f'value="{name}"' in html
    assert shown(html, bank) == {"gift", "gift_norm", "conflict", "relatives"}


def test_the_picker_filters_by_category_with_subcategories_and_by_text(trainer_client, bank):
    conflict = bank["categories"]["conflict"]
    assert shown(listed(trainer_client, category=conflict.pk), bank) == {"conflict", "relatives"}
    assert shown(listed(trainer_client, q="подар"), bank) == {"gift", "gift_norm"}
    both = listed(trainer_client, PICKER_URL + "results/", q="подар", tag="подарки")
    assert shown(both, bank) == {"gift"}
    combined = listed(trainer_client, category=conflict.pk, tag="273-ФЗ")
    assert shown(combined, bank) == {"conflict"}


def test_an_unknown_tag_is_a_form_error_not_a_500(trainer_client, bank):
    html = listed(trainer_client, tag="нет такой")
    assert shown(html, bank) == {"gift", "gift_norm", "conflict", "relatives"}  # the filter is not applied


def test_the_quiz_form_uses_the_picker(trainer_client, bank):
    quiz = make_quiz([bank["conflict"]], title="Подарки")
    page = trainer_client.get(reverse("quizzes_quiz:edit", args=[quiz.pk])).content.decode()
    assert PICKER_URL in page
    assert "Выбрать другой вопрос" in page  # the row with a question shows it, the empty rows offer a choice
    assert "Что такое конфликт интересов?" in page
    chosen = trainer_client.get(f"{PICKER_URL}chosen/{bank['gift'].pk}/")
    assert chosen.status_code == 200
    assert chosen.json()["result"]["id"] == str(bank["gift"].pk)


def test_the_bank_listing_filters_by_tag(trainer_client, bank):
    page = trainer_client.get("/admin/quizzes/questions/", {"tag": "родственники"}).content.decode()
    assert "Кто относится к близким родственникам?" in page
    assert "Можно ли принять подарок?" not in page


def test_a_servant_cannot_open_the_picker(client, bank):
    client.force_login(make_person())
    response = client.get(PICKER_URL)
    assert response.status_code in (302, 403)
