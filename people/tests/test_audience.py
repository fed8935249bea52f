import datetime

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from people.audience import Audience
from people.factories import make_municipality, make_organization, make_person
from people.models import Municipality, ServiceCategory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 6, 1)
ONE_MONTH = datetime.timedelta(days=30)


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


def admitted(audience, person, today=TODAY):
    """:meth:`Audience.admission_sql` asked in the database, the person's values bound."""
    sql, names = Audience.admission_sql(str(int(audience.pk)))
    values = Audience.admission_values(person, today)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", [values[name] for name in names])
        (answer,) = cursor.fetchone()
    assert answer in (True, False, 0, 1), answer  # never NULL
    return bool(answer)


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


def audience_variants(people):
    """One audience per kind of criterion, some combinations, rosters, and the empty one."""

    def audience(municipalities=(), organizations=(), roster=(), **fields):
        created = Audience.objects.create(**fields)
        created.municipalities.add(*municipalities)
        created.organizations.add(*organizations)
        created.people.add(*roster)
        return created

    return [
        audience(),
        audience(municipalities=[people["district"]]),
        audience(municipalities=[people["okrug"]], hired_within_days=365),
        audience(organizations=[people["district_admin"]]),
        audience(municipalities=[people["okrug"]], organizations=[people["district_admin"]]),
        audience(categories=[ServiceCategory.MUNICIPAL_OFFICE]),
        audience(procurement_only=True),
        audience(anticorruption_only=True),
        audience(hr_only=True),
        audience(hired_within_days=365),
        audience(roster=[people["old"], people["gone"]]),
        audience(procurement_only=True, roster=[people["settler"]]),
        # audiences of a municipality: the owner limits rule and roster alike
        audience(owner_municipality=people["district"], municipalities=[people["district"]]),
        audience(owner_municipality=people["district"], procurement_only=True),
        audience(owner_municipality=people["district"], roster=[people["old"], people["settler"]]),
        audience(owner_municipality=people["okrug"], municipalities=[people["district"], people["okrug"]]),
    ]


def test_includes_and_admission_sql_agree_with_members_for_every_kind_of_rule(people):
    for audience in audience_variants(people):
        expected = members(audience)
        for person in people.values():
            if isinstance(person, type(people["buyer"])):
                assert audience.includes(person, today=TODAY) == (person in expected), (audience.pk, person)
                assert admitted(audience, person) == (person in expected), (audience.pk, person)


def test_admission_sql_counts_the_days_of_service_as_rule_condition_does(people):
    audience = Audience.objects.create(hired_within_days=10)
    person = people["new"]  # hired 10 days before TODAY
    assert not admitted(audience, person)  # since = today - 10 days: hired on it is not "after"
    assert admitted(audience, person, today=TODAY - datetime.timedelta(days=1))
    assert admitted(audience, person, today=person.hire_date)  # the first day
    assert not admitted(audience, person, today=person.hire_date - datetime.timedelta(days=1))  # not yet
    person.hire_date = None
    assert not admitted(audience, person)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_three_forms_of_the_rule_agree_on_any_audience_and_person(people, data):
    """Random audiences (any mix of criteria, roster and owner) and random people: members(), includes()
    and admission_sql() give the same answer."""
    places = [people["district"], people["okrug"], people["settler"].municipality, None]
    organizations = [people["district_admin"], people["new"].organization, None]
    everyone = [person for person in people.values() if isinstance(person, type(people["buyer"]))]
    with transaction.atomic():
        person = make_person(
            organization=data.draw(st.sampled_from(organizations)),
            municipality=data.draw(st.sampled_from(places)),
            category=data.draw(st.sampled_from([*ServiceCategory.values, ""])),
            has_procurement_duties=data.draw(st.booleans()),
            has_anticorruption_duties=data.draw(st.booleans()),
            is_hr_service=data.draw(st.booleans()),
            is_active=data.draw(st.booleans()),
            hire_date=data.draw(
                st.none() | st.dates(TODAY - datetime.timedelta(days=800), TODAY + ONE_MONTH)
            ),
        )
        audience = Audience.objects.create(
            categories=data.draw(st.lists(st.sampled_from(ServiceCategory.values), unique=True, max_size=2)),
            procurement_only=data.draw(st.booleans()),
            anticorruption_only=data.draw(st.booleans()),
            hr_only=data.draw(st.booleans()),
            hired_within_days=data.draw(st.none() | st.integers(0, 400)),
            owner_municipality=data.draw(st.sampled_from([None, people["district"], people["okrug"]])),
        )
        audience.municipalities.add(*data.draw(st.sets(st.sampled_from(places[:3]), max_size=2)))
        audience.organizations.add(*data.draw(st.sets(st.sampled_from(organizations[:2]), max_size=2)))
        audience.people.add(*data.draw(st.sets(st.sampled_from([*everyone, person]), max_size=3)))
        expected = members(audience)
        for someone in [person, *everyone]:
            member = someone in expected
            assert audience.includes(someone, today=TODAY) == member, (audience.pk, someone)
            assert admitted(audience, someone) == member, (audience.pk, someone)
        transaction.set_rollback(True)


def test_includes_is_one_query(people, django_assert_num_queries):
    audience = Audience.objects.create(procurement_only=True)
    audience.municipalities.add(people["district"])
    audience.organizations.add(people["district_admin"])
    audience.people.add(people["old"])
    with django_assert_num_queries(1):
        assert audience.includes(people["buyer"])
    with django_assert_num_queries(1):
        assert audience.includes(people["old"])  # on the roster
    with django_assert_num_queries(1):
        assert not audience.includes(people["settler"])


def test_includes_reads_the_person_afresh(people):
    audience = Audience.objects.create(procurement_only=True)
    stale = people["buyer"]
    type(stale).objects.filter(pk=stale.pk).update(is_active=False)
    assert not audience.includes(stale)


def test_facts_read_along_with_another_query_need_no_query_of_their_own(people, django_assert_num_queries):
    audience = Audience.objects.create()
    audience.municipalities.add(people["district"])
    settler = people["settler"]
    row = (
        Audience.objects.filter(pk=audience.pk)
        .annotate(**Audience.membership_facts('"people_audience"."id"', settler, prefix="fact_"))
        .get()
    )
    facts = {name: getattr(row, "fact_" + name) for name in Audience.MEMBERSHIP_FACTS}
    with django_assert_num_queries(0):
        assert audience.includes(settler, facts=facts)  # a settlement of the chosen district


def test_an_audience_of_a_municipality_holds_only_its_people_and_settlements(people):
    audience = Audience.objects.create(owner_municipality=people["district"], procurement_only=True)
    audience.people.add(people["old"], people["settler"])  # old: of the okrug; settler: a settlement
    assert members(audience) == {people["buyer"], people["settler"]}
    assert not audience.includes(people["old"])


def test_an_audience_of_a_municipality_cannot_reach_another_by_its_rule(people):
    audience = Audience.objects.create(owner_municipality=people["okrug"])
    audience.municipalities.add(people["district"])
    assert members(audience) == set()
    assert not audience.includes(people["buyer"])
