import datetime

import pytest

from people.audience import Audience
from people.factories import make_municipality, make_organization, make_person
from people.models import Municipality, ServiceCategory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 6, 1)


@pytest.fixture
def people():
    district = make_municipality("Муниципальный район «Козельский район»")
    settlement = make_municipality(
        "Городское поселение «Город Козельск»", kind=Municipality.Kind.URBAN_SETTLEMENT, parent=district
    )
    okrug = make_municipality("Городской округ «Город Обнинск»", kind=Municipality.Kind.URBAN_OKRUG)
    district_admin = make_organization(district)
    okrug_admin = make_organization(okrug)
    return {
        "district": district,
        "okrug": okrug,
        "district_admin": district_admin,
        "buyer": make_person(district_admin, has_procurement_duties=True),
        "new": make_person(okrug_admin, hire_date=TODAY - datetime.timedelta(days=10)),
        "old": make_person(okrug_admin, hire_date=TODAY - datetime.timedelta(days=900)),
        "settler": make_person(municipality=settlement, category=ServiceCategory.MUNICIPAL_OFFICE),
        "gone": make_person(district_admin, is_active=False),
    }


def members(audience):
    return set(audience.members(today=TODAY))


def test_empty_audience_matches_nobody(people):
    assert members(Audience.objects.create()) == set()


def test_municipality_includes_its_settlements_and_skips_inactive(people):
    audience = Audience.objects.create()
    audience.municipalities.add(people["district"])
    assert members(audience) == {people["buyer"], people["settler"]}


def test_criteria_of_different_kinds_combine_with_and(people):
    audience = Audience.objects.create(procurement_only=True)
    audience.municipalities.add(people["district"], people["okrug"])
    assert members(audience) == {people["buyer"]}


def test_values_of_one_kind_combine_with_or(people):
    audience = Audience.objects.create(
        categories=[ServiceCategory.MUNICIPAL_OFFICE, ServiceCategory.STATE_CIVIL]
    )
    assert members(audience) == {people["settler"]}


def test_newly_hired(people):
    audience = Audience.objects.create(hired_within_days=365)
    assert members(audience) == {people["new"]}
    assert audience.includes(people["new"], today=TODAY)
    assert not audience.includes(people["old"], today=TODAY)


def test_roster_is_added_to_the_rule(people):
    audience = Audience.objects.create(procurement_only=True)
    audience.people.add(people["old"])
    assert members(audience) == {people["buyer"], people["old"]}


def test_unknown_category_is_rejected(people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Audience(categories=["nonsense"]).clean()
