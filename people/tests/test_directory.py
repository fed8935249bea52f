"""Sign-in with the organization's directory, against a real OpenLDAP server (tests/ldap_server.py).

Without Debian's slapd these tests are skipped, unless REQUIRE_LDAP=1 (CI), when they fail.
"""

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from config.env import env_pairs
from people.checks import directory_over_tls, directory_settings
from people.factories import make_municipality, make_organization, make_person
from people.invitations.services import InvitationError, invite_person, not_activated
from people.models import Municipality, ServiceCategory, User
from people.privacy.anonymize import anonymize_people
from people.roles import Role, assign_role, roles_of
from tests.ldap_server import (
    DIRECTORY_BACKEND,
    PASSWORD,
    directory_fixture,  # noqa: F401
    group_dn,
    ldap_server_fixture,  # noqa: F401
    person_dn,
)
from tests.smtp import free_port

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
LOCAL_PASSWORD = "Пароль-этого-сайта-7"
OFFICE = "10.40.0.7"
UNAVAILABLE = "служба каталога (Active Directory) сейчас недоступна"


@pytest.fixture
def region(db):
    babynino = make_municipality(
        name="Бабынинский муниципальный район", short_name="Бабынинский район", oktmo="29604000"
    )
    obninsk = make_municipality(
        name="Городской округ «Город Обнинск»",
        short_name="Обнинск",
        kind=Municipality.Kind.URBAN_OKRUG,
        oktmo="29715000",
    )
    administration = make_organization(
        municipality=babynino, name="Администрация муниципального района «Бабынинский район»"
    )
    minfin = make_organization(name="Министерство финансов Калужской области")
    return {"babynino": babynino, "obninsk": obninsk, "administration": administration, "minfin": minfin}


def sign_in(client, login, password=PASSWORD, url=None, ip=OFFICE):
    return client.post(url or reverse("login"), {"username": login, "password": password}, REMOTE_ADDR=ip)


def signed_in(response):
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def page_text(response):
    return response.content.decode()


# --- a servant signs in with the directory login and password -------------------------------------


def test_a_servant_signs_in_with_the_directory_password_and_gets_an_account(client, directory, region):
    assert not User.objects.filter(username="ivanova").exists()
    response = sign_in(client, "ivanova")
    assert signed_in(response), page_text(response)
    person = User.objects.get(username="ivanova")
    assert int(client.session["_auth_user_id"]) == person.pk
    assert client.session["_auth_user_backend"] == DIRECTORY_BACKEND
    # directory attributes → the account's fields («Анна Петровна» in givenName is split)
    assert (person.last_name, person.first_name, person.patronymic) == ("Иванова", "Анна", "Петровна")
    assert person.email == "ivanova@babynino.kaluga.test"
    assert person.position == "Главный специалист отдела кадров"
    assert person.personnel_number == "1001"
    # the OU of the DN through DIRECTORY_ORGANIZATIONS → organization, and its municipality
    assert person.organization == region["administration"]
    assert person.municipality == region["babynino"]
    assert person.category == ServiceCategory.MUNICIPAL
    assert roles_of(person) == {Role.SERVANT}
    assert person.directory_dn == person_dn("ivanova").lower()  # as django-auth-ldap gives it
    assert not person.has_usable_password()
    assert client.get(reverse("cabinet")).status_code == 200


def test_a_wrong_directory_password_signs_nobody_in_and_makes_no_account(client, directory, region):
    response = sign_in(client, "ivanova", "неверный")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="ivanova").exists()


def test_an_unknown_login_and_an_empty_password_are_refused(rf, directory, region):
    request = rf.post("/login/", REMOTE_ADDR=OFFICE)
    assert authenticate(request, username="nobody", password=PASSWORD) is None
    # an empty password would be an anonymous bind, which the directory "accepts"
    assert authenticate(request, username="ivanova", password="") is None
    assert not User.objects.exists()


def test_filter_characters_in_the_login_find_nobody(rf, directory, region):
    """The login goes into the LDAP filter escaped: «*» is not a wildcard that matches the first entry."""
    request = rf.post("/login/", REMOTE_ADDR=OFFICE)
    for login in ("*", "ivan*", "*)(uid=*", "ivanova)(|(uid=*"):
        assert authenticate(request, username=login, password=PASSWORD) is None
    assert not User.objects.exists()


def test_the_wagtail_admin_login_signs_a_trainer_in_through_the_directory(client, directory, region):
    response = sign_in(client, "petrov", url=reverse("wagtailadmin_login"))
    assert signed_in(response), page_text(response)
    assert client.get("/admin/").status_code == 200
    person = User.objects.get(username="petrov")
    assert roles_of(person) == {Role.SERVANT, Role.TRAINER, Role.ORGANIZER}
    assert person.organization == region["minfin"]
    assert person.municipality is None  # a regional body
    assert person.category == ServiceCategory.STATE_CIVIL


def test_the_next_sign_in_brings_the_account_up_to_date(client, directory, region):
    assert signed_in(sign_in(client, "ivanova"))
    client.logout()
    directory.replace(person_dn("ivanova"), "title", ["Начальник отдела кадров"])
    directory.replace(person_dn("ivanova"), "sn", ["Сергеева"])
    assert signed_in(sign_in(client, "ivanova"))
    person = User.objects.get(username="ivanova")
    assert person.position == "Начальник отдела кадров"
    assert person.last_name == "Сергеева"
    assert User.objects.count() == 1


# --- finding an existing account -------------------------------------------------------------------


def test_an_account_with_the_same_login_becomes_the_directory_account(client, directory, region):
    local = make_person(username="IVANOVA", email="old@example.org", password=LOCAL_PASSWORD)
    assert signed_in(sign_in(client, "ivanova"))
    local.refresh_from_db()
    assert int(client.session["_auth_user_id"]) == local.pk
    assert local.email == "ivanova@babynino.kaluga.test"
    assert local.directory_dn == person_dn("ivanova").lower()
    assert not local.has_usable_password()  # the local password is gone…
    client.logout()
    assert not signed_in(sign_in(client, "ivanova", LOCAL_PASSWORD))  # …and does not sign in


def test_an_account_is_found_by_email_when_configured(client, settings, directory, region):
    imported = make_person(username="a.ivanova", email="ivanova@babynino.kaluga.test", personnel_number="")
    settings.DIRECTORY_MATCH_BY = ["email"]
    assert signed_in(sign_in(client, "ivanova"))
    assert int(client.session["_auth_user_id"]) == imported.pk
    imported.refresh_from_db()
    assert imported.username == "a.ivanova"  # the login here stays
    assert imported.personnel_number == "1001"
    assert User.objects.count() == 1


def test_an_account_is_found_by_personnel_number_when_configured(client, settings, directory, region):
    imported = make_person(username="from-roster", email="", personnel_number="1001")
    settings.DIRECTORY_MATCH_BY = ["personnel_number"]
    assert signed_in(sign_in(client, "ivanova"))
    assert int(client.session["_auth_user_id"]) == imported.pk
    assert User.objects.count() == 1


def test_without_match_by_a_namesake_email_is_not_taken_from_another_account(
    client, directory, region, caplog
):
    other = make_person(username="someone", email="ivanova@babynino.kaluga.test", personnel_number="1001")
    with caplog.at_level(logging.WARNING, logger="people.directory"):
        assert signed_in(sign_in(client, "ivanova"))
    created = User.objects.get(username="ivanova")
    assert created.pk != other.pk
    assert created.email == "" and created.personnel_number == ""  # both belong to another account
    assert "e-mail ivanova@babynino.kaluga.test of another account" in caplog.text
    assert "personnel number 1001 of another account" in caplog.text


def test_a_superuser_is_never_signed_in_by_the_directory(client, directory, region):
    admin = User.objects.create_superuser("ivanova", "root@example.org", LOCAL_PASSWORD)
    assert not signed_in(sign_in(client, "ivanova"))  # the directory password
    admin.refresh_from_db()
    assert admin.directory_dn == "" and admin.has_usable_password()
    assert signed_in(sign_in(client, "ivanova", LOCAL_PASSWORD))  # still the local way in


def test_an_inactive_account_is_not_signed_in_by_the_directory(rf, client, directory, region):
    leaver = make_person(username="ivanova")
    User.objects.filter(pk=leaver.pk).deactivate()
    assert not signed_in(sign_in(client, "ivanova"))
    # refused by the backend itself (not only by the login form), before anything is written
    assert authenticate(rf.post("/login/", REMOTE_ADDR=OFFICE), username="ivanova", password=PASSWORD) is None
    leaver.refresh_from_db()
    assert not leaver.is_active and leaver.directory_dn == ""


# --- organization, municipality, category ----------------------------------------------------------


def test_a_person_moved_in_the_directory_moves_here_too(client, directory, region):
    person = make_person(username="ivanova", municipality=region["obninsk"])
    assert signed_in(sign_in(client, "ivanova"))
    person.refresh_from_db()
    assert person.organization == region["administration"]
    assert person.municipality == region["babynino"]


def test_a_municipality_is_found_by_its_name_in_the_dn(client, directory, region):
    assert signed_in(sign_in(client, "smirnova"))  # ou=Обнинск, no table entry: the short name matches
    person = User.objects.get(username="smirnova")
    assert person.municipality == region["obninsk"] and person.organization is None


def test_the_municipalities_table_maps_a_directory_value(client, settings, directory, region):
    settings.DIRECTORY_MUNICIPALITIES = [
        ("Управление без названия в справочнике", f"id:{region['obninsk'].pk}")
    ]
    assert signed_in(sign_in(client, "kuznetsov"))
    assert User.objects.get(username="kuznetsov").municipality == region["obninsk"]


def test_unknown_place_and_category_leave_the_fields_empty_and_are_logged(client, directory, region, caplog):
    with caplog.at_level(logging.WARNING, logger="people.directory"):
        response = sign_in(client, "kuznetsov")
    assert signed_in(response)
    person = User.objects.get(username="kuznetsov")
    assert person.organization is None and person.municipality is None
    assert person.category == ServiceCategory.OTHER
    assert "names no organization or municipality" in caplog.text
    assert "names no category" in caplog.text


def test_a_table_entry_naming_no_record_is_logged_not_a_500(client, settings, directory, region, caplog):
    settings.DIRECTORY_ORGANIZATIONS = [("Администрация Бабынинского района", "Такой организации нет")]
    with caplog.at_level(logging.WARNING, logger="people.directory"):
        assert signed_in(sign_in(client, "ivanova"))
    person = User.objects.get(username="ivanova")
    # the next OU up, «Бабынинский район», is the municipality's short name
    assert person.organization is None and person.municipality == region["babynino"]
    assert "which is no Organization" in caplog.text


def test_a_department_attribute_maps_as_active_directory_has_it(client, settings, directory, region):
    """Active Directory's way: sAMAccountName, middleName, department, employeeID."""
    settings.DIRECTORY_USER_FILTER = "(sAMAccountName=%(user)s)"
    settings.DIRECTORY_GROUP_TYPE = "activeDirectory"
    settings.DIRECTORY_GROUP_FILTER = "(objectClass=groupOfNames)"
    settings.DIRECTORY_ATTRIBUTES = {**settings.DIRECTORY_ATTRIBUTES, "personnel_number": "employeeID"}
    settings.DIRECTORY_PLACE_ATTRIBUTE = "department"
    settings.DIRECTORY_ORGANIZATIONS = []  # the department is the organization's own name
    settings.DIRECTORY_CATEGORY_ATTRIBUTE = ""
    assert signed_in(sign_in(client, "volkova"))
    person = User.objects.get(username="volkova")
    assert (person.last_name, person.first_name, person.patronymic) == ("Волкова", "Ольга", "Игоревна")
    assert person.personnel_number == "5001"
    assert person.organization == region["minfin"]
    assert person.directory_dn == person_dn("volkova").lower()


# --- roles from groups -----------------------------------------------------------------------------


def test_groups_give_roles_and_taking_a_person_out_of_a_group_takes_the_role(client, directory, region):
    assert signed_in(sign_in(client, "petrov"))
    person = User.objects.get(username="petrov")
    assert roles_of(person) == {Role.SERVANT, Role.TRAINER, Role.ORGANIZER}
    client.logout()
    directory.replace(group_dn("lms-trainers"), "member", [person_dn("orlova")])
    assert signed_in(sign_in(client, "petrov"))
    assert roles_of(person) == {Role.SERVANT, Role.ORGANIZER}


def test_roles_nobody_maps_stay_as_a_manager_gave_them(client, settings, directory, region):
    settings.DIRECTORY_ROLE_GROUPS = [(group_dn("lms-trainers"), "trainer")]
    person = make_person(username="ivanova")
    assign_role(person, Role.ORGANIZER)  # given by hand in the admin; organizers are not mapped
    assign_role(person, Role.TRAINER)  # trainers are: ivanova is not in lms-trainers
    assert signed_in(sign_in(client, "ivanova"))
    assert roles_of(person) == {Role.SERVANT, Role.ORGANIZER}


def test_a_municipal_manager_manages_their_own_municipality(client, directory, region):
    assert signed_in(sign_in(client, "smirnova"))
    person = User.objects.get(username="smirnova")
    assert Role.MUNICIPAL_MANAGER in roles_of(person)
    assert person.managed_municipality == region["obninsk"]


def test_a_regional_manager_comes_from_their_group(client, directory, region):
    assert signed_in(sign_in(client, "orlova", url=reverse("wagtailadmin_login")))
    person = User.objects.get(username="orlova")
    assert roles_of(person) == {Role.SERVANT, Role.REGIONAL_MANAGER}
    assert person.has_perm("people.view_region_statistics")


def test_the_required_group_keeps_others_out(client, settings, directory, region):
    settings.DIRECTORY_REQUIRE_GROUP = group_dn("lms-users")
    assert not signed_in(sign_in(client, "outsider"))
    assert not User.objects.filter(username="outsider").exists()
    assert signed_in(sign_in(client, "ivanova"))


# --- removed or disabled in the directory ----------------------------------------------------------


def test_a_person_removed_from_the_directory_cannot_sign_in(client, directory, region):
    assert signed_in(sign_in(client, "ivanova"))
    client.logout()
    directory.delete(person_dn("ivanova"))
    assert not signed_in(sign_in(client, "ivanova"))
    assert User.objects.get(username="ivanova").is_active  # the account stays (figures, history)


def test_a_local_password_of_a_directory_account_does_not_bypass_the_removal(client, directory, region):
    assert signed_in(sign_in(client, "ivanova"))
    client.logout()
    person = User.objects.get(username="ivanova")
    person.set_password(LOCAL_PASSWORD)  # an admin, an old invitation code, the Django admin…
    person.save()
    directory.delete(person_dn("ivanova"))
    for login in ("ivanova", "ivanova@babynino.kaluga.test"):
        assert not signed_in(sign_in(client, login, LOCAL_PASSWORD))


def test_a_disabled_active_directory_account_cannot_sign_in(client, settings, directory, region):
    """userAccountControl 514: ACCOUNTDISABLE set; the same entry with 512 signs in."""
    settings.DIRECTORY_USER_FILTER = "(sAMAccountName=%(user)s)"
    assert not signed_in(sign_in(client, "zaitsev"))
    assert not User.objects.filter(username="zaitsev").exists()
    directory.replace(person_dn("zaitsev"), "userAccountControl", ["512"])
    assert signed_in(sign_in(client, "zaitsev"))
    client.logout()
    directory.replace(person_dn("zaitsev"), "userAccountControl", ["514"])
    assert not signed_in(sign_in(client, "zaitsev"))


def test_a_session_ends_when_the_account_is_deactivated(client, directory, region):
    assert signed_in(sign_in(client, "ivanova"))
    assert client.get(reverse("cabinet")).status_code == 200
    User.objects.filter(username="ivanova").deactivate()
    response = client.get(reverse("cabinet"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# --- local accounts beside the directory -----------------------------------------------------------


def test_local_accounts_still_sign_in(client, directory, region):
    local = make_person(username="local-trainer", password=LOCAL_PASSWORD, role=Role.TRAINER)
    assert signed_in(sign_in(client, "local-trainer", LOCAL_PASSWORD))
    assert client.session["_auth_user_backend"] == "people.backends.UsernameOrEmailBackend"
    client.logout()
    assert signed_in(sign_in(client, local.email, LOCAL_PASSWORD))
    local.refresh_from_db()
    assert local.directory_dn == "" and local.has_usable_password()


def test_the_login_page_says_which_password_to_use_only_with_the_directory_on(client, settings, directory):
    hint = "учётной записи вашей организации"
    assert hint in page_text(client.get(reverse("login")))
    settings.AUTH_LDAP_SERVER_URI = ""
    assert hint not in page_text(client.get(reverse("login")))


# --- the directory down ----------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["login", "wagtailadmin_login", "admin:login"])
def test_directory_down_gives_a_clear_russian_message_not_a_500(
    client, settings, directory, region, url_name
):
    settings.AUTH_LDAP_SERVER_URI = f"ldap://127.0.0.1:{free_port()}/"  # nothing listens there
    response = sign_in(client, "ivanova", url=reverse(url_name))
    assert response.status_code == 200
    assert UNAVAILABLE in page_text(response)
    assert "_auth_user_id" not in client.session


def test_directory_down_local_accounts_still_sign_in(client, settings, directory, region):
    make_person(username="local", password=LOCAL_PASSWORD)
    settings.AUTH_LDAP_SERVER_URI = f"ldap://127.0.0.1:{free_port()}/"
    assert signed_in(sign_in(client, "local", LOCAL_PASSWORD))


def test_a_wrong_password_while_the_directory_answers_is_not_called_unavailable(client, directory, region):
    response = sign_in(client, "ivanova", "неверный")
    assert UNAVAILABLE not in page_text(response)


def test_a_directory_that_hangs_times_out_with_the_message(client, settings, directory, region):
    settings.DIRECTORY_TIMEOUT = 1
    directory.pause()
    try:
        started = time.monotonic()
        response = sign_in(client, "ivanova")
        elapsed = time.monotonic() - started
    finally:
        directory.resume()
    assert response.status_code == 200
    assert UNAVAILABLE in page_text(response)
    assert elapsed < 10
    assert signed_in(sign_in(client, "ivanova"))  # back again


def test_a_refused_service_account_is_reported_as_unavailable(client, settings, directory, region, caplog):
    settings.AUTH_LDAP_BIND_PASSWORD = "устаревший"
    with caplog.at_level(logging.ERROR, logger="people.directory"):
        response = sign_in(client, "ivanova")
    assert UNAVAILABLE in page_text(response)
    assert "did not answer" in caplog.text


# --- the lockout covers directory logins -----------------------------------------------------------


def fail(client, login, times, url=None):
    for _ in range(times):
        response = sign_in(client, login, "неверный", url=url)
    return response


def test_wrong_directory_passwords_lock_the_login_like_local_ones(client, settings, directory, region):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert fail(client, "ivanova", 4).status_code == 200
    assert fail(client, "ivanova", 1).status_code == 429
    response = sign_in(client, "ivanova")  # the right directory password, during the lockout
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="ivanova").exists()
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"ivanova"}
    # from another address the person still signs in
    assert signed_in(sign_in(client, "ivanova", ip="10.40.9.9"))


def test_the_lockout_of_a_directory_account_covers_the_admin_logins(client, directory, region):
    assert signed_in(sign_in(client, "petrov"))
    client.logout()
    fail(client, "petrov", 3, url=reverse("wagtailadmin_login"))
    fail(client, "petrov", 2)
    for url in (reverse("login"), reverse("wagtailadmin_login"), reverse("admin:login")):
        assert sign_in(client, "petrov", url=url).status_code == 429


def test_a_success_resets_the_count_for_directory_logins(client, directory, region):
    fail(client, "ivanova", 4)
    assert signed_in(sign_in(client, "ivanova"))
    client.logout()
    fail(client, "ivanova", 4)
    assert signed_in(sign_in(client, "ivanova"))


# --- no local password for directory accounts ------------------------------------------------------


def test_password_reset_and_invitations_leave_directory_accounts_out(
    client, settings, directory, region, django_capture_on_commit_callbacks
):
    assert signed_in(sign_in(client, "ivanova"))
    client.logout()
    person = User.objects.get(username="ivanova")
    assert not not_activated().filter(pk=person.pk).exists()
    with pytest.raises(InvitationError, match="учётной записью организации"):
        invite_person(person, sent_by=None)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": person.email})
    assert mail.outbox == []
    # with directory sign-in off again, they are ordinary accounts without a password
    settings.AUTH_LDAP_SERVER_URI = ""
    assert not_activated().filter(pk=person.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": person.email})
    assert [message.to for message in mail.outbox] == [[person.email]]


def test_anonymizing_a_leaver_forgets_the_directory_entry(client, directory, region):
    assert signed_in(sign_in(client, "ivanova"))
    User.objects.filter(username="ivanova").deactivate()
    anonymize_people(User.objects.all(), timezone.now())
    assert User.objects.get().directory_dn == ""


# --- settings and checks (no server needed) --------------------------------------------------------


def settings_backends(**env):
    code = "from django.conf import settings; print(settings.AUTHENTICATION_BACKENDS)"
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AUTH_LDAP_", "DIRECTORY_"))}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.test", **env)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result


def test_the_directory_backend_is_listed_only_with_a_server_uri():
    result = settings_backends()
    assert "UsernameOrEmailBackend" in result.stdout, result.stderr
    assert "DirectoryBackend" not in result.stdout
    result = settings_backends(AUTH_LDAP_SERVER_URI="ldaps://dc1.kaluga.test")
    assert "people.backends.DirectoryBackend" in result.stdout, result.stderr
    # after the lockout and the local accounts
    assert result.stdout.index("LoginLockoutBackend") < result.stdout.index("DirectoryBackend")


def test_a_malformed_mapping_stops_the_start_naming_the_variable():
    result = settings_backends(
        AUTH_LDAP_SERVER_URI="ldaps://dc1.kaluga.test",
        DIRECTORY_ROLE_GROUPS="Преподаватели; cn=x,dc=ru=trainer",
    )
    assert result.returncode != 0
    assert "DIRECTORY_ROLE_GROUPS" in result.stderr


def test_mapping_variables_are_read_as_pairs(monkeypatch):
    monkeypatch.setenv(
        "DIRECTORY_ROLE_GROUPS",
        "CN=LMS Trainers,OU=Groups,DC=kaluga,DC=ru = trainer;\n cn=x,dc=ru=organizer ;; ",
    )
    assert env_pairs("DIRECTORY_ROLE_GROUPS") == [
        ("CN=LMS Trainers,OU=Groups,DC=kaluga,DC=ru", "trainer"),
        ("cn=x,dc=ru", "organizer"),
    ]
    monkeypatch.setenv("DIRECTORY_CATEGORIES", "Муниципальная служба=")
    with pytest.raises(ImproperlyConfigured, match="DIRECTORY_CATEGORIES"):
        env_pairs("DIRECTORY_CATEGORIES")


def test_the_system_check_names_a_wrong_mapping(settings):
    settings.AUTH_LDAP_SERVER_URI = "ldaps://dc1.kaluga.test"
    settings.DIRECTORY_USER_SEARCH_BASE = "OU=Staff,DC=kaluga,DC=ru"
    settings.DIRECTORY_GROUP_SEARCH_BASE = "OU=Groups,DC=kaluga,DC=ru"
    settings.DIRECTORY_CATEGORY_ATTRIBUTE = "employeeType"
    assert directory_settings(None) == []
    settings.DIRECTORY_ROLE_GROUPS = [("CN=LMS,OU=Groups,DC=kaluga,DC=ru", "trainr")]
    settings.DIRECTORY_CATEGORIES = [("Муниципальная служба", "муниципальный")]
    settings.DIRECTORY_ATTRIBUTES = {"is_superuser": "adminCount"}
    settings.DIRECTORY_USER_FILTER = "(sAMAccountName=ivanova)"
    messages = [message.msg for message in directory_settings(None)]
    assert {message.id for message in directory_settings(None)} == {"people.E006"}
    assert any("'trainr'" in message for message in messages)
    assert any("'муниципальный'" in message for message in messages)
    assert any("'is_superuser'" in message for message in messages)
    assert any("%(user)s" in message for message in messages)
    settings.DIRECTORY_CATEGORY_ATTRIBUTE = ""
    assert "people.W007" in {message.id for message in directory_settings(None)}
    settings.AUTH_LDAP_SERVER_URI = ""
    assert directory_settings(None) == []


def test_deploy_check_warns_of_passwords_in_clear_text(settings):
    settings.AUTH_LDAP_SERVER_URI = "ldap://dc1.kaluga.test"
    settings.AUTH_LDAP_START_TLS = False
    assert [warning.id for warning in directory_over_tls(None)] == ["people.W008"]
    settings.AUTH_LDAP_START_TLS = True
    assert directory_over_tls(None) == []
    settings.AUTH_LDAP_START_TLS = False
    settings.AUTH_LDAP_SERVER_URI = "ldaps://dc1.kaluga.test"
    assert directory_over_tls(None) == []
