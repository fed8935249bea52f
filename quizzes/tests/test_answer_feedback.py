"""Moodle's per-answer feedback (GIFT ``#…``): kept in the sitting's key, shown in the review for the
answer the person gave, never sent while the sitting runs and never for a withheld question."""

import json

import pytest
from django.test import Client

from people.factories import make_person
from quizzes.api.review import review_items
from quizzes.models import Question, Quiz, QuizQuestion, Sitting
from quizzes.services import finish_sitting, save_answer, start_sitting
from quizzes.services.importing import import_questions

pytestmark = pytest.mark.django_db

GIFT = """
::Подарок::Может ли служащий принять подарок дороже 3 000 рублей на протокольном мероприятии? {
=Может, но обязан сдать его по акту#Верно: подарок сдаётся и может быть выкуплен.
~Может и оставить себе#Нет: подарок свыше 3 000 рублей — собственность субъекта.
~Не может ни при каких условиях#Нет: получение подарка в связи с протокольным мероприятием не запрещено.
}

::Сроки::Сведения о доходах подаются не позднее 30 апреля. {T#Неверно: срок — 30 апреля.#Верно.}

::Закон::Укажите номер федерального закона «О противодействии коррупции». {
=273-ФЗ#Верно, 273-ФЗ от 25.12.2008.
=%50%273#Номер верный, но добавьте «-ФЗ».
}

::Год::В каком году принят закон № 273-ФЗ? {#=2008:0#Верно.=%50%2008:1#Почти: закон принят в 2008 году.}

::Обязанности::Что обязан сделать служащий при конфликте интересов? {
~%50%Уведомить представителя нанимателя#Да, письменно.
~%50%Принять меры по предотвращению конфликта#Да.
~%-100%Ничего не делать#Бездействие — нарушение.
}
"""


@pytest.fixture
def quiz():
    report = import_questions("bank.gift", GIFT.encode())
    assert report.ok, report.errors
    quiz = Quiz.objects.create(title="Отзывы", review_policy=Quiz.ReviewPolicy.AFTER_ATTEMPT)
    for order, question in enumerate(Question.objects.order_by("pk")):
        QuizQuestion.objects.create(quiz=quiz, question=question, order=order)
    return quiz


def by_name(sitting):
    names = dict(Question.objects.values_list("pk", "name"))
    return {names[snapshot.get("pk", snapshot["id"])]: snapshot for snapshot in sitting.questions()}


def option(snapshot, start):
    return next(o["id"] for o in snapshot["options"] if o["text"].startswith(start))


def answered(person, quiz, answers):
    sitting = start_sitting(person, quiz)
    snapshots = by_name(sitting)
    for seq, (name, make) in enumerate(answers.items(), start=1):
        save_answer(sitting, snapshots[name]["id"], make(snapshots[name]), seq)
    return finish_sitting(sitting)


def feedback(sitting):
    """``{question name: the review's feedback}``."""
    sitting = Sitting.objects.get(pk=sitting.pk)
    names = dict(Question.objects.values_list("pk", "name"))
    pks = [snapshot.get("pk", snapshot["id"]) for snapshot in sitting.questions()]
    return {names[pk]: item["feedback"] for pk, item in zip(pks, review_items(sitting), strict=True)}


def test_the_review_shows_the_feedback_of_the_answer_given(quiz):
    sitting = answered(
        make_person(),
        quiz,
        {
            "Подарок": lambda s: {"choice": option(s, "Может и оставить")},
            "Сроки": lambda s: {"value": False},
            "Закон": lambda s: {"text": "273"},
            "Год": lambda s: {"value": "2009"},
            "Обязанности": lambda s: {"choices": [option(s, "Уведомить"), option(s, "Ничего")]},
        },
    )
    assert feedback(sitting) == {
        "Подарок": ["Нет: подарок свыше 3 000 рублей — собственность субъекта."],
        "Сроки": ["Неверно: срок — 30 апреля."],
        "Закон": ["Номер верный, но добавьте «-ФЗ»."],
        "Год": ["Почти: закон принят в 2008 году."],
        "Обязанности": ["Да, письменно.", "Бездействие — нарушение."],
    }


def test_no_answer_and_an_answer_without_feedback_get_none(quiz):
    sitting = answered(make_person(), quiz, {"Закон": lambda s: {"text": "149-ФЗ"}})
    assert set(map(tuple, feedback(sitting).values())) == {()}


def test_the_feedback_is_not_sent_while_the_sitting_runs(quiz):
    person = make_person(password="Берёзовая-роща-7")
    sitting = start_sitting(person, quiz)
    client = Client()
    client.force_login(person)
    response = client.get(f"/api/v1/tests/sittings/{sitting.pk}")
    assert response.status_code == 200
    payload = response.content.decode()
    for text in ("собственность субъекта", "Неверно: срок", "добавьте «-ФЗ»", "Почти", "Бездействие"):
        assert text not in payload
    assert json.loads(payload)["questions"]  # the real payload: the questions, without their key


def test_the_result_page_shows_the_feedback(quiz):
    person = make_person()
    sitting = answered(person, quiz, {"Сроки": lambda s: {"value": True}})
    client = Client()
    client.force_login(person)
    html = client.get(f"/tests/sittings/{sitting.pk}/result/").content.decode()
    assert "Отзыв на ваш ответ" in html and "Верно." in html
