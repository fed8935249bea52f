"""demo_data fills the region with servants and four demo accounts that really work."""

import re
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from people import demo
from people.models import Municipality, Organization, ServiceCategory, User
from people.roles import Role, roles_of
from people.scope import Scope

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def only_the_people_part(monkeypatch):
    """These tests are about the people part: other apps' builders (courses, quizzes…) stay out."""
    monkeypatch.setattr(demo, "_BUILDERS", {})


SERVANTS = 120
FIXED = {"trainer", "organizer", "region", "obninsk", "servant"}


def run_demo(servants=SERVANTS, seed=7, **options):
    out = StringIO()
    call_command("demo_data", servants=servants, seed=seed, force=True, stdout=out, **options)
    return out.getvalue()


def mass_servants():
    return User.objects.filter(username__regex=r"^servant\d{5}$")


def printed_credentials(output):
    """{login: (password, role)} from the table the command prints at the end."""
    table = output.split("Демонстрационные учётные записи\n", 1)[1].splitlines()[2:]
    rows = [re.split(r"\s{2,}", line.strip()) for line in table if line.strip()]
    return {row[0]: (row[1], row[2]) for row in rows}


@pytest.fixture
def output():
    return run_demo()


def test_loads_the_region_when_missing(output):
    assert Municipality.objects.top_level().count() == 26
    assert "Справочник региона не загружен" in output


def test_creates_servants_spread_over_the_region(output):
    servants = mass_servants()
    assert servants.count() == SERVANTS
    assert servants.filter(organization__isnull=True).count() == 0
    municipalities = set(servants.exclude(municipality=None).values_list("municipality", flat=True))
    assert len(municipalities) >= 15
    kinds = set(servants.values_list("organization__kind", flat=True))
    assert {
        Organization.Kind.LOCAL_ADMINISTRATION,
        Organization.Kind.REPRESENTATIVE_BODY,
        Organization.Kind.MUNICIPAL_INSTITUTION,
        Organization.Kind.REGIONAL_EXECUTIVE,
    } <= kinds
    assert all(roles_of(user) == {Role.SERVANT} for user in servants.prefetch_related("groups"))


def test_categories_match_the_workplace(output):
    servants = mass_servants().select_related("organization")
    categories = {user.category for user in servants}
    assert {
        ServiceCategory.MUNICIPAL,
        ServiceCategory.STATE_CIVIL,
        ServiceCategory.MUNICIPAL_OFFICE,
        ServiceCategory.SUBORDINATE_EMPLOYEE,
    } <= categories
    by_category = {category: servants.filter(category=category).count() for category in categories}
    assert by_category[ServiceCategory.MUNICIPAL] == max(by_category.values())
    for user in servants:
        regional = user.organization.municipality_id is None
        assert (user.category == ServiceCategory.STATE_CIVIL) == regional, user.username
        assert user.municipality_id == user.organization.municipality_id
        if user.category == ServiceCategory.SUBORDINATE_EMPLOYEE:
            assert user.organization.kind == Organization.Kind.MUNICIPAL_INSTITUTION


def test_names_agree_with_gender(output):
    female_patronymics = {female for _, female in demo.PATRONYMICS}
    male_patronymics = {male for male, _ in demo.PATRONYMICS}
    female_last_names = {demo.feminine_last_name(name) for name in demo.LAST_NAMES}
    genders = set()
    for user in mass_servants():
        female = user.first_name in demo.FEMALE_FIRST_NAMES
        genders.add(female)
        if female:
            assert user.patronymic in female_patronymics, user
            assert user.last_name in female_last_names, user
        else:
            assert user.first_name in demo.MALE_FIRST_NAMES, user
            assert user.patronymic in male_patronymics, user
            assert user.last_name in demo.LAST_NAMES, user
    assert genders == {True, False}


@pytest.mark.parametrize(
    ("male", "female"),
    [
        ("Иванов", "Иванова"),
        ("Соловьёв", "Соловьёва"),
        ("Ильин", "Ильина"),
        ("Островский", "Островская"),
        ("Трубецкой", "Трубецкая"),
        ("Толстой", "Толстая"),
        ("Черных", "Черных"),
        ("Шевченко", "Шевченко"),
    ],
)
def test_feminine_last_name(male, female):
    assert demo.feminine_last_name(male) == female


def test_flags_dates_and_contacts_on_sensible_fractions(output):
    servants = mass_servants()
    for flag in ("has_procurement_duties", "has_anticorruption_duties", "is_hr_service"):
        flagged = servants.filter(**{flag: True}).count()
        assert 0 < flagged < SERVANTS / 2, flag
    newly_hired = servants.newly_hired().count()
    assert 0 < newly_hired < SERVANTS / 3
    assert not servants.filter(hire_date=None).exists()
    assert len({user.email for user in servants}) == SERVANTS
    assert len({user.personnel_number for user in servants}) == SERVANTS
    assert all(user.position for user in servants)


def test_fixed_accounts_log_in_with_the_printed_passwords(client, output):
    credentials = printed_credentials(output)
    assert set(credentials) >= FIXED
    for login in FIXED:
        password, role_label = credentials[login]
        assert client.login(username=login, password=password), login
        user = User.objects.get(username=login)
        assert {role.label for role in roles_of(user)} == {role_label}
        assert not user.is_superuser
        client.logout()


def test_fixed_accounts_have_the_right_scope(output):
    obninsk = Municipality.objects.get(short_name="Город Обнинск")
    accounts = {user.username: user for user in User.objects.filter(username__in=FIXED)}

    assert Scope.for_user(accounts["region"]).everything
    manager_scope = Scope.for_user(accounts["obninsk"])
    assert accounts["obninsk"].managed_municipality == obninsk
    assert manager_scope.municipality_ids == {obninsk.pk}
    seen = manager_scope.people()
    assert seen.filter(username="servant").exists()
    assert seen.filter(username__startswith="servant0").exists()
    assert not seen.exclude(municipality=obninsk).exists()
    assert Scope.for_user(accounts["trainer"]).is_empty
    assert Scope.for_user(accounts["servant"]).is_empty
    # the organizer sees events' people through the event (EventPage.can_organize), not the scope
    assert Scope.for_user(accounts["organizer"]).is_empty
    assert roles_of(accounts["organizer"]) == {Role.ORGANIZER}
    assert accounts["servant"].is_newly_hired()


def test_trainer_and_managers_enter_the_wagtail_admin_and_the_servant_does_not(client, output):
    password = printed_credentials(output)["trainer"][0]
    cases = [("trainer", True), ("region", True), ("obninsk", True), ("servant", False), ("organizer", False)]
    for login, allowed in cases:
        client.login(username=login, password=password)
        response = client.get(reverse("wagtailadmin_home"))
        assert (response.status_code == 200) == allowed, login
        client.logout()


def test_mass_servants_share_one_password_hash(output):
    hashes = set(User.objects.filter(username__startswith="servant").values_list("password", flat=True))
    assert len(hashes) == 1


def test_rerun_duplicates_nobody_and_tops_up(output):
    before = {user.username: (user.pk, user.get_full_name()) for user in User.objects.all()}

    second = run_demo()

    assert {user.username: (user.pk, user.get_full_name()) for user in User.objects.all()} == before
    assert "создано 0" in second
    assert set(printed_credentials(second)) >= FIXED

    run_demo(servants=SERVANTS + 30)

    assert mass_servants().count() == SERVANTS + 30
    kept = {
        user.username: (user.pk, user.get_full_name()) for user in User.objects.filter(username__in=before)
    }
    assert kept == before


def test_same_seed_gives_the_same_people(output):
    people = list(mass_servants().order_by("username").values_list("username", "last_name", "organization"))
    User.objects.filter(username__startswith="servant0").delete()

    run_demo()

    again = list(mass_servants().order_by("username").values_list("username", "last_name", "organization"))
    assert again == people


def test_registered_builder_runs_after_the_people():
    calls = []

    def builder(stdout, options):
        calls.append(
            (options["servants"], mass_servants().count(), User.objects.filter(username="trainer").exists())
        )
        stdout.write("builder ran")

    demo.register_builder(builder)
    demo.register_builder(builder)  # registering twice still runs it once
    try:
        output = run_demo(servants=10)
    finally:
        del demo._BUILDERS[builder]

    assert calls == [(10, 10, True)]
    assert "builder ran" in output


def test_refuses_to_run_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_data", servants=1, stdout=StringIO())
    assert not User.objects.exists()


@pytest.mark.slow
def test_three_thousand_servants_in_well_under_a_minute():
    started = time.perf_counter()
    run_demo(servants=3000)
    elapsed = time.perf_counter() - started

    assert mass_servants().count() == 3000
    assert elapsed < 30


def test_builders_run_by_their_order_then_as_registered(monkeypatch):
    ran = []
    monkeypatch.setattr(demo, "_BUILDERS", {})

    def builder(name):
        def build(stdout, options):
            ran.append(name)

        return build

    demo.register_builder(builder("late"), order=900)
    demo.register_builder(builder("first"))
    demo.register_builder(builder("second"))
    demo.run_builders(None, {})
    assert ran == ["first", "second", "late"]
