"""The named roster of an audience on the managers' pages (/manage/audiences/): within the manager's
scope, with a reason, recorded in the audience's history."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from people.audience import Audience
from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from people.roles import Role
from people.rosters import ADDED, REMOVED, RosterError, add_to_roster, remove_from_roster

pytestmark = pytest.mark.django_db

REASON = "Принята на работу 02.06, в кадровом реестре ещё нет даты приёма"


@pytest.fixture
def world():
    obninsk = make_municipality("Город Обнинск")
    kaluga = make_municipality("Город Калуга")
    audience = Audience.objects.create(title="Впервые поступившие на службу")
    audience.hired_within_days = 365
    audience.save()
    return {
        "audience": audience,
        "newcomer": make_person(make_organization(obninsk), last_name="Новикова", first_name="Анна"),
        "stranger": make_person(make_organization(kaluga), last_name="Калужский", first_name="Пётр"),
        "manager": make_municipal_manager(obninsk),
        "regional": make_regional_manager(),
    }


def roster_url(world):
    return reverse("audience_roster", args=[world["audience"].pk])


def test_a_municipal_manager_adds_a_newcomer_of_their_municipality_with_a_reason(client, world):
    audience, newcomer = world["audience"], world["newcomer"]
    assert not audience.includes(newcomer)
    client.force_login(world["manager"])
    found = client.get(roster_url(world), {"q": "новикова"})  # lower case Cyrillic
    assert found.status_code == 200 and "Новикова" in found.content.decode()
    response = client.post(
        roster_url(world) + "?q=новикова",
        {"add-action": "add", "add-people": [newcomer.pk], "add-reason": REASON},
    )
    assert response.status_code == 302
    assert audience.includes(newcomer)
    entry = ModelLogEntry.objects.for_instance(audience).get(action=ADDED)
    assert entry.user == world["manager"] and entry.data == {"person": newcomer.pk, "reason": REASON}
    assert entry.message == f"Добавление в поимённый список: Новикова Анна. Причина: {REASON}"
    page = client.get(roster_url(world)).content.decode()
    assert "Новикова" in page and REASON in page


def test_a_person_of_another_municipality_is_neither_found_nor_added(client, world):
    client.force_login(world["manager"])
    assert client.get(roster_url(world), {"q": "Калужский"}).context["found"] == []
    response = client.post(
        roster_url(world), {"add-action": "add", "add-people": [world["stranger"].pk], "add-reason": REASON}
    )
    assert response.status_code == 400
    assert not world["audience"].people.exists()
    with pytest.raises(RosterError):
        add_to_roster(world["manager"], world["audience"], [world["stranger"]], REASON)
    assert not ModelLogEntry.objects.filter(action=ADDED).exists()


def test_a_municipal_manager_sees_only_the_people_of_their_scope_on_a_roster(client, world):
    world["audience"].people.add(world["newcomer"], world["stranger"])
    client.force_login(world["manager"])
    page = client.get(roster_url(world)).content.decode()
    assert "Новикова" in page and "Калужский" not in page
    listing = client.get(reverse("audience_rosters")).content.decode()
    assert "Впервые поступившие на службу" in listing
    client.force_login(world["regional"])
    page = client.get(roster_url(world)).content.decode()
    assert "Новикова" in page and "Калужский" in page


def test_a_change_needs_a_reason_and_a_missing_one_writes_nothing(client, world):
    client.force_login(world["manager"])
    response = client.post(
        roster_url(world), {"add-action": "add", "add-people": [world["newcomer"].pk], "add-reason": "   "}
    )
    assert response.status_code == 400 and "Укажите причину." in response.content.decode()
    assert not world["audience"].people.exists()
    with pytest.raises(RosterError):
        add_to_roster(world["regional"], world["audience"], [world["newcomer"]], "")


def test_removing_from_the_roster_is_recorded_too(client, world):
    audience = world["audience"]
    audience.people.add(world["newcomer"], world["stranger"])
    client.force_login(world["manager"])
    response = client.post(
        roster_url(world),
        {
            "remove-action": "remove",
            "remove-people": [world["newcomer"].pk],
            "remove-reason": "Ошибочно добавлена",
        },
    )
    assert response.status_code == 302
    assert list(audience.people.all()) == [world["stranger"]]
    assert (
        ModelLogEntry.objects.for_instance(audience).get(action=REMOVED).data["reason"]
        == "Ошибочно добавлена"
    )
    response = client.post(
        roster_url(world),
        {"remove-action": "remove", "remove-people": [world["stranger"].pk], "remove-reason": "Чужой"},
    )
    assert response.status_code == 400  # not theirs to remove
    with pytest.raises(RosterError):
        remove_from_roster(world["manager"], audience, [world["stranger"]], "Чужой")
    assert list(audience.people.all()) == [world["stranger"]]


def test_inactive_people_are_not_added(world):
    world["newcomer"].is_active = False
    world["newcomer"].save()
    with pytest.raises(RosterError):
        add_to_roster(world["regional"], world["audience"], [world["newcomer"]], REASON)
    assert not world["audience"].people.exists()


@pytest.mark.parametrize("role", [Role.SERVANT, Role.TRAINER, Role.ORGANIZER])
def test_nobody_but_managers_gets_in(client, world, role):
    client.force_login(make_person(role=role))
    assert client.get(reverse("audience_rosters")).status_code == 403
    assert client.get(roster_url(world)).status_code == 403
    response = client.post(
        roster_url(world), {"add-action": "add", "add-people": [world["newcomer"].pk], "add-reason": REASON}
    )
    assert response.status_code == 403
    assert not world["audience"].people.exists()


def test_anonymous_is_sent_to_login_and_a_missing_audience_is_not_found(client, world):
    response = client.get(reverse("audience_rosters"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(world["regional"])
    assert client.get(reverse("audience_roster", args=[999_999])).status_code == 404
    assert client.get(reverse("audience_roster", args=[2**64])).status_code == 404


def test_the_roster_pages_import_nothing_of_the_domain_apps():
    import ast
    from pathlib import Path

    for name in ("rosters.py", "roster_views.py"):
        tree = ast.parse((Path(__file__).resolve().parent.parent / name).read_text(encoding="utf-8"))
        modules = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        modules |= {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        }
        assert not {m for m in modules if m.split(".")[0] in ("quizzes", "courses", "events", "reports")}


def test_a_municipal_manager_works_only_on_the_audiences_that_concern_their_municipality(client, world):
    kaluga_only = Audience.objects.create(title="Городская Управа города Калуги")
    kaluga_only.municipalities.add(world["stranger"].municipality)
    client.force_login(world["manager"])
    listing = client.get(reverse("audience_rosters")).content.decode()
    assert "Впервые поступившие на службу" in listing  # a rule for the whole region
    assert "Городская Управа" not in listing
    assert client.get(reverse("audience_roster", args=[kaluga_only.pk])).status_code == 404
    response = client.post(
        reverse("audience_roster", args=[kaluga_only.pk]),
        {"add-action": "add", "add-people": [world["newcomer"].pk], "add-reason": REASON},
    )
    assert response.status_code == 404 and not kaluga_only.people.exists()
    client.force_login(world["regional"])
    assert client.get(reverse("audience_roster", args=[kaluga_only.pk])).status_code == 200


@pytest.mark.parametrize("value", [str(2**64), "-1", "²", "1e3", ""])
def test_a_hostile_id_is_a_russian_400_not_a_500(client, world, value):
    client.force_login(world["regional"])
    response = client.post(
        roster_url(world), {"add-action": "add", "add-people": [value], "add-reason": REASON}
    )
    assert response.status_code == 400
    assert not world["audience"].people.exists()
