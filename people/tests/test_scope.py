"""A municipal manager of Obninsk never sees a person of Kaluga city, on any query path."""

import pytest
from django.http import Http404

from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from people.models import Municipality, User
from people.roles import Role
from people.scope import Scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    kaluga = make_municipality("Городской округ «Город Калуга»", kind=Municipality.Kind.URBAN_OKRUG)
    obninsk = make_municipality("Городской округ «Город Обнинск»", kind=Municipality.Kind.URBAN_OKRUG)
    borovsk = make_municipality("Муниципальный район «Боровский район»")
    balabanovo = make_municipality(
        "Городское поселение «Город Балабаново»", kind=Municipality.Kind.URBAN_SETTLEMENT, parent=borovsk
    )
    kaluga_admin = make_organization(kaluga, "Городская Управа города Калуги")
    obninsk_admin = make_organization(obninsk, "Администрация города Обнинска")
    regional = make_organization(None, "Министерство финансов Калужской области")
    return {
        "kaluga": kaluga,
        "obninsk": obninsk,
        "borovsk": borovsk,
        "balabanovo": balabanovo,
        "kaluga_person": make_person(kaluga_admin),
        "obninsk_person": make_person(obninsk_admin),
        "regional_person": make_person(regional),
        "settlement_person": make_person(municipality=balabanovo),
    }


def test_municipal_manager_of_obninsk_sees_only_obninsk(region):
    manager = make_municipal_manager(region["obninsk"])
    scope = Scope.for_user(manager)

    people = set(scope.people())
    assert region["obninsk_person"] in people
    assert region["kaluga_person"] not in people
    assert region["regional_person"] not in people
    assert region["settlement_person"] not in people

    assert list(scope.municipalities()) == [region["obninsk"]]
    assert {o.municipality_id for o in scope.organizations()} == {region["obninsk"].pk}
    assert (
        scope.filter(User.objects.all(), "organization__municipality")
        .filter(pk=region["kaluga_person"].pk)
        .count()
        == 0
    )
    assert scope.covers_municipality(region["obninsk"])
    assert not scope.covers_municipality(region["kaluga"])
    with pytest.raises(Http404):
        scope.get_person_or_404(region["kaluga_person"].pk)
    with pytest.raises(Http404):
        scope.get_municipality_or_404(region["kaluga"].pk)
    assert scope.get_person_or_404(region["obninsk_person"].pk) == region["obninsk_person"]


def test_district_manager_sees_settlements_of_the_district(region):
    scope = Scope.for_user(make_municipal_manager(region["borovsk"]))
    assert region["settlement_person"] in set(scope.people())
    assert set(scope.municipalities()) == {region["borovsk"], region["balabanovo"]}
    assert scope.covers_municipality(region["balabanovo"])


def test_regional_manager_sees_everybody(region):
    scope = Scope.for_user(make_regional_manager())
    people = set(scope.people())
    for key in ("kaluga_person", "obninsk_person", "regional_person", "settlement_person"):
        assert region[key] in people
    assert scope.municipalities().count() == Municipality.objects.count()


@pytest.mark.parametrize("role", [Role.SERVANT, Role.TRAINER, None])
def test_other_roles_see_nobody(region, role):
    person = make_person(municipality=region["kaluga"], role=role)
    scope = Scope.for_user(person)
    assert scope.is_empty
    assert scope.people().count() == 0
    assert scope.municipalities().count() == 0
    assert scope.organizations().count() == 0
    with pytest.raises(Http404):
        scope.get_person_or_404(person.pk)


def test_municipal_manager_without_municipality_sees_nobody(region):
    manager = make_person(role=Role.MUNICIPAL_MANAGER)
    assert Scope.for_user(manager).people().count() == 0


def test_bad_ids_are_not_found(region):
    scope = Scope.for_user(make_regional_manager())
    for bad in ("abc", None, 10**9):
        with pytest.raises(Http404):
            scope.get_person_or_404(bad)


def test_a_personal_export_without_an_audit_log_is_refused(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from people import personal_exports

    monkeypatch.setattr(personal_exports, "_recorders", [])
    export = personal_exports.PersonalExport(
        user=None, key="people", title="Люди", format="csv", scope="вся область", row_count=1
    )
    with pytest.raises(ImproperlyConfigured):
        personal_exports.record_export(export)
