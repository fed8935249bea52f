"""Manager pages of the operations on one person's test: access by role and scope (another municipality's
person is "not found"), a reason on every form, Russian 4xx for bad input with nothing written, the staff
view of an attempt with its key."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from people.roles import Role
from quizzes.factories import make_campaign, make_municipal_audience, make_quiz, make_single_choice
from quizzes.models import AttemptAllowance, ExtraTime, PersonOperation, Sitting
from quizzes.services import start_campaign_sitting
from quizzes.tests.test_person_operations import REASON, sit

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def world():
    obninsk = make_municipality("Город Обнинск")
    kaluga = make_municipality("Город Калуга")
    audience = make_municipal_audience(obninsk, title="Обнинск и Калуга")
    audience.municipalities.add(kaluga)
    questions = [
        make_single_choice(text="Кому сообщать о подарке?"),
        make_single_choice(),
        make_single_choice(),
    ]
    quiz = make_quiz(questions, time_limit=30, attempts_allowed=1, pass_mark=60)
    campaign = make_campaign(
        quiz, audience, NOW - datetime.timedelta(days=1), NOW + datetime.timedelta(days=1)
    )
    person = make_person(make_organization(obninsk), last_name="Смирнова", first_name="Ольга")
    stranger = make_person(make_organization(kaluga), last_name="Кузнецов", first_name="Пётр")
    return {
        "obninsk": obninsk,
        "kaluga": kaluga,
        "campaign": campaign,
        "person": person,
        "stranger": stranger,
        "sitting": sit(person, campaign, right=[1]),
        "stranger_sitting": sit(stranger, campaign, right=[1]),
        "manager": make_municipal_manager(obninsk),
        "kaluga_manager": make_municipal_manager(kaluga),
        "regional": make_regional_manager(),
    }


def person_urls(world, person="person", sitting="sitting"):
    campaign = world["campaign"].pk
    pk = world[person].pk
    sitting = world[sitting]
    return {
        "person": reverse("quizzes_manage:person", args=[campaign, pk]),
        "sitting": reverse("quizzes_manage:sitting", args=[campaign, sitting.pk]),
        "extra_time": reverse("quizzes_manage:person_extra_time", args=[campaign, pk]),
        "extra_attempt": reverse("quizzes_manage:person_extra_attempt", args=[campaign, pk]),
        "reset": reverse("quizzes_manage:sitting_reset", args=[campaign, sitting.pk]),
        "override": reverse(
            "quizzes_manage:answer_override", args=[campaign, sitting.pk, sitting.question_order[0]]
        ),
    }


POSTS = {
    "extra_time": {"time-minutes": "15", "time-reason": REASON},
    "extra_attempt": {"attempt-reason": REASON},
    "reset": {"reset-reason": REASON},
}


def override_data(world, points="1", reason=REASON, sitting="sitting"):
    prefix = f"q{world[sitting].question_order[0]}"
    return {f"{prefix}-points": points, f"{prefix}-reason": reason}


# --- access --------------------------------------------------------------------------------------------


def test_the_managers_of_the_persons_municipality_and_region_see_the_pages(client, world):
    for manager in (world["manager"], world["regional"]):
        client.force_login(manager)
        for name in ("person", "sitting"):
            response = client.get(person_urls(world)[name])
            assert response.status_code == 200, (manager, name)
            assert "Смирнова" in response.content.decode()


def test_another_municipalitys_person_is_not_found_for_a_municipal_manager(client, world):
    client.force_login(world["manager"])
    urls = person_urls(world, "stranger", "stranger_sitting")
    for name in ("person", "sitting"):
        assert client.get(urls[name]).status_code == 404, name
    for name, data in [*POSTS.items(), ("override", override_data(world, sitting="stranger_sitting"))]:
        assert client.post(urls[name], data).status_code == 404, name
    stranger = world["stranger_sitting"]
    stranger.refresh_from_db()
    assert stranger.state == Sitting.State.FINISHED and stranger.percent == world["sitting"].percent
    assert not PersonOperation.objects.exists() and not ExtraTime.objects.exists()
    assert not AttemptAllowance.objects.exists()


def test_a_sitting_of_another_campaign_or_a_person_outside_it_is_not_found(client, world):
    client.force_login(world["regional"])
    other = make_campaign(
        world["campaign"].quiz,
        make_municipal_audience(world["obninsk"]),
        NOW - datetime.timedelta(days=1),
        NOW,
    )
    assert (
        client.get(reverse("quizzes_manage:sitting", args=[other.pk, world["sitting"].pk])).status_code == 404
    )
    outsider = make_person(make_organization(make_municipality("Людиновский район")))
    campaign = world["campaign"].pk
    assert client.get(reverse("quizzes_manage:person", args=[campaign, outsider.pk])).status_code == 404
    assert client.get(reverse("quizzes_manage:person", args=[campaign, 2**64])).status_code == 404


@pytest.mark.parametrize("role", [Role.SERVANT, Role.TRAINER, Role.ORGANIZER])
def test_servants_trainers_and_organizers_are_refused(client, world, role):
    client.force_login(make_person(make_organization(world["obninsk"]), role=role))
    urls = person_urls(world)
    for name in ("person", "sitting"):
        assert client.get(urls[name]).status_code == 403, name
    for name, data in [*POSTS.items(), ("override", override_data(world))]:
        assert client.post(urls[name], data).status_code == 403, name
    assert client.get(reverse("quizzes_manage:regrade", args=[world["campaign"].pk])).status_code == 403
    assert not PersonOperation.objects.exists()


def test_anonymous_is_sent_to_login_and_operations_are_post_only(client, world):
    urls = person_urls(world)
    for url in urls.values():
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(world["manager"])
    for name in ("extra_time", "extra_attempt", "reset", "override"):
        assert client.get(urls[name]).status_code == 405, name


def test_a_manager_gets_no_operation_on_their_own_test(client, world):
    manager = world["manager"]  # works in Обнинск: in the audience, and in their own scope
    own = sit(manager, world["campaign"], right=[0])
    world["own"] = own
    client.force_login(manager)
    urls = person_urls({**world, "me": manager}, "me", "own")
    page = client.get(urls["person"])
    assert page.status_code == 200
    assert "Дать ещё одну попытку" not in page.content.decode()
    for name, data in [*POSTS.items(), ("override", override_data(world, sitting="own"))]:
        assert client.post(urls[name], data).status_code == 403, name
    assert not PersonOperation.objects.exists()


def test_only_regional_managers_regrade(client, world):
    url = reverse("quizzes_manage:regrade", args=[world["campaign"].pk])
    client.force_login(world["manager"])
    assert client.get(url).status_code == 403
    results = client.get(reverse("quizzes_manage:results", args=[world["campaign"].pk])).content.decode()
    assert "Пересчёт после исправления ключа" not in results
    client.force_login(world["regional"])
    assert client.get(url).status_code == 200
    results = client.get(reverse("quizzes_manage:results", args=[world["campaign"].pk])).content.decode()
    assert "Пересчёт после исправления ключа" in results


# --- the forms -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["extra_time", "extra_attempt", "reset", "override"])
def test_a_form_without_a_reason_is_a_russian_400_and_writes_nothing(client, world, name):
    client.force_login(world["manager"])
    data = (
        override_data(world, reason="  ")
        if name == "override"
        else {key: ("   " if key.endswith("reason") else value) for key, value in POSTS[name].items()}
    )
    response = client.post(person_urls(world)[name], data)
    assert response.status_code == 400
    assert "Укажите причину." in response.content.decode()
    sitting = world["sitting"]
    sitting.refresh_from_db()
    assert sitting.state == Sitting.State.FINISHED
    assert not PersonOperation.objects.exists() and not ExtraTime.objects.exists()


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ("5", "от 0 до 1"),
        ("-1", "от 0 до 1"),
        ("один", "Баллы должны быть числом."),
        ("0,505", "двумя знаками"),
    ],
)
def test_override_points_out_of_bounds_are_a_russian_400(client, world, points, message):
    client.force_login(world["manager"])
    response = client.post(person_urls(world)["override"], override_data(world, points))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not PersonOperation.objects.exists()


def test_extra_minutes_out_of_bounds_are_a_russian_400(client, world):
    client.force_login(world["manager"])
    data = {"time-minutes": "100000", "time-reason": REASON}
    response = client.post(person_urls(world)["extra_time"], data)
    assert response.status_code == 400
    assert "240" in response.content.decode()
    assert not ExtraTime.objects.exists()


def test_a_refused_operation_is_a_409_with_the_reason_why(client, world):
    client.force_login(world["manager"])
    urls = person_urls(world)
    assert client.post(urls["reset"], POSTS["reset"]).status_code == 302
    response = client.post(urls["reset"], POSTS["reset"])
    assert response.status_code == 409
    assert "Попытка уже аннулирована." in response.content.decode()
    closed = world["campaign"]
    closed.closes_at = NOW - datetime.timedelta(minutes=1)
    closed.save()
    response = client.post(urls["extra_attempt"], POSTS["extra_attempt"])
    assert response.status_code == 409
    assert "Тестирование уже закрыто" in response.content.decode()
    assert PersonOperation.objects.count() == 1


def test_operations_through_the_pages(client, world):
    client.force_login(world["manager"])
    urls = person_urls(world)
    person = world["person"]
    response = client.post(urls["extra_time"], POSTS["extra_time"])
    assert response.status_code == 302 and response["Location"] == urls["person"]
    assert ExtraTime.objects.get(user=person).minutes == 15
    assert client.post(urls["extra_attempt"], POSTS["extra_attempt"]).status_code == 302
    assert AttemptAllowance.objects.get(user=person).extra_attempts == 1
    page = client.get(urls["person"]).content.decode()
    assert "по тесту 1, дополнительно 1; использовано 1, осталось 1" in page
    assert "30 мин + 15 мин дополнительно" in page
    assert page.count(REASON) == 2  # both in the history
    assert client.post(urls["reset"], POSTS["reset"]).status_code == 302
    world["sitting"].refresh_from_db()
    assert world["sitting"].state == Sitting.State.VOID
    assert "аннулирована" in client.get(urls["person"]).content.decode()
    assert start_campaign_sitting(person, world["campaign"]).number == 2


def test_an_appeal_through_the_staff_view(client, world):
    sit(world["manager"], world["campaign"])  # their own only attempt is over: the key is not withheld
    client.force_login(world["manager"])
    urls = person_urls(world)
    sitting = world["sitting"]
    assert sitting.percent == 33 + sitting.percent % 1 and not sitting.passed  # 1 of 3
    page = client.get(urls["sitting"]).content.decode()
    assert "Кому сообщать о подарке?" in page
    assert "Верный ответ" in page and "— выбран" in page and "— верный" in page
    assert "Сохранён" in page
    response = client.post(urls["override"], override_data(world, "1"))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#question-{sitting.question_order[0]}")
    sitting.refresh_from_db()
    assert sitting.percent == 66 + sitting.percent % 1 and sitting.passed
    page = client.get(urls["sitting"]).content.decode()
    assert "баллы изменены вручную" in page and REASON in page
    assert "тест сдан" in page


def test_the_key_is_withheld_from_a_manager_who_may_still_take_the_campaign(client, world):
    manager = world["manager"]  # in the audience, no attempt yet: every question may come to them
    client.force_login(manager)
    page = client.get(person_urls(world)["sitting"]).content.decode()
    assert "скрыт: этот вопрос может встретиться вам самим" in page
    assert "— верный" not in page
    client.force_login(world["regional"])  # not in the audience
    page = client.get(person_urls(world)["sitting"]).content.decode()
    assert "скрыт:" not in page and "— верный" in page


def test_the_people_list_links_each_person_to_their_page(client, world):
    client.force_login(world["manager"])
    page = client.get(reverse("quizzes_manage:people", args=[world["campaign"].pk])).content.decode()
    assert person_urls(world)["person"] in page
    assert "Кузнецов" not in page
