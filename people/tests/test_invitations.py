"""Invitations of people without a password: a letter with a set-password link (valid
INVITATION_VALID_DAYS, once), sent on import if asked and again per person or municipality by a manager
within scope, recorded; printed one-time codes for people without e-mail (hashed, once, expiring,
limited by the lockout; the file entered in the audit log of personal data)."""

import datetime
import re
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from people.importing import import_people
from people.invitations import services
from people.invitations.models import Invitation
from people.invitations.tokens import invitation_tokens
from people.mail import deliver_due
from people.mail.models import OutgoingMail
from people.models import Municipality, User
from people.roles import Role
from people.tests.test_import_service import good_rows, region, write_csv  # noqa: F401
from reports.models import ExportAuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "Летний-дождь-2024"
LINK = re.compile(r"https?://\S+/invitation/\S+/")


@pytest.fixture
def town():
    """Обнинск with a settlement: two people with e-mail, one without, one who has a password; Калуга."""
    obninsk = make_municipality("Город Обнинск")
    village = make_municipality("Село Кривское", kind=Municipality.Kind.RURAL_SETTLEMENT, parent=obninsk)
    office = make_organization(obninsk, "Администрация города Обнинска")
    people = {
        "anna": make_person(office, email="anna@obninsk.example", first_name="Анна", patronymic="Петровна"),
        "boris": make_person(make_organization(village), email="boris@obninsk.example"),
        "no_email": make_person(office, email="", username="tn2002", last_name="Сёмин"),
        "active": make_person(office, email="done@obninsk.example", password="Уже-задан-пароль-1"),
    }
    kaluga = make_municipality("Город Калуга")
    stranger = make_person(make_organization(kaluga), email="kaluga@example.org")
    return {"obninsk": obninsk, "kaluga": kaluga, "people": people, "stranger": stranger}


def manager_of(municipality):
    """A municipal manager who has a password (else they would be one of the people to invite)."""
    return make_municipal_manager(municipality, password=PASSWORD)


def letter_link(letter):
    [link] = LINK.findall(letter.body)
    return link


def sent_letters():
    deliver_due()
    return list(mail.outbox)


# --- the letter and its link ---------------------------------------------------------------------


def test_the_letter_goes_to_people_with_email_and_no_password(town, settings):
    settings.SITE_URL = "https://learn.example.ru"
    result = services.invite_by_email(User.objects.all())
    assert (result.sent, result.without_email) == (3, 1)  # Анна, Борис, the Калуга person; not Сёмин
    letters = {letter.to[0]: letter for letter in sent_letters()}
    assert set(letters) == {"anna@obninsk.example", "boris@obninsk.example", "kaluga@example.org"}
    letter = letters["anna@obninsk.example"]
    assert letter.subject == "Приглашение на сайт «Антикор: обучение»: задайте пароль"
    assert "Здравствуйте, Анна Петровна!" in letter.body
    assert f"Ваш логин: {town['people']['anna'].username}" in letter.body
    assert letter_link(letter).startswith("https://learn.example.ru/invitation/")
    invitation = Invitation.objects.get(person=town["people"]["anna"])
    assert (invitation.channel, invitation.sent_by_name) == ("email", "система")
    assert invitation.mail.kind == "invitation"


def test_the_link_sets_the_password_once_and_then_the_person_logs_in(client, town):
    anna = town["people"]["anna"]
    services.invite_by_email(User.objects.filter(pk=anna.pk))
    [letter] = sent_letters()
    path = letter_link(letter).split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.context["validlink"] is True
    assert "Создание пароля" in response.content.decode()
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert response["Location"] == reverse("password_reset_complete")
    anna.refresh_from_db()
    assert anna.check_password(PASSWORD)
    assert client.post(reverse("login"), {"username": anna.email, "password": PASSWORD}).status_code == 302

    again = client.get("/" + path, follow=True)
    assert again.context["validlink"] is False
    assert "уже была использована" in again.content.decode()


def test_the_link_lasts_the_configured_days(town, settings):
    settings.INVITATION_VALID_DAYS = 14
    anna = town["people"]["anna"]
    token = invitation_tokens.make_token(anna)
    now = datetime.datetime.now()
    with mock.patch.object(
        invitation_tokens, "_now", return_value=now + datetime.timedelta(days=13, hours=23)
    ):
        assert invitation_tokens.check_token(anna, token)
    with mock.patch.object(
        invitation_tokens, "_now", return_value=now + datetime.timedelta(days=14, hours=1)
    ):
        assert not invitation_tokens.check_token(anna, token)
    # Not a password-reset token, and a reset token is not an invitation one.
    from django.contrib.auth.tokens import default_token_generator

    assert not default_token_generator.check_token(anna, token)
    assert not invitation_tokens.check_token(anna, default_token_generator.make_token(anna))


# --- on import -----------------------------------------------------------------------------------


def test_the_import_invites_the_new_people_when_asked(tmp_path, region):  # noqa: F811
    roster = write_csv(tmp_path / "roster.csv", good_rows())
    report = import_people(roster, invite=True)
    assert (report.created, report.invited, report.new_without_email) == (3, 2, 1)
    assert any("Приглашений по email поставлено в очередь: 2" in line for line in report.summary_lines())
    assert sorted(letter.to[0] for letter in sent_letters()) == ["ivanov@example.org", "petrova@example.org"]
    # A second import of the same file invites nobody again.
    assert import_people(roster, invite=True).invited == 0


def test_the_import_invites_nobody_unless_asked_or_in_a_dry_run(tmp_path, region):  # noqa: F811
    roster = write_csv(tmp_path / "roster.csv", good_rows())
    assert import_people(roster, invite=True, dry_run=True).invited == 0
    assert import_people(roster).invited == 0
    assert not OutgoingMail.objects.exists() and not Invitation.objects.exists()


def test_the_command_and_the_admin_page_offer_it(tmp_path, region, client, capsys):  # noqa: F811
    roster = write_csv(tmp_path / "roster.csv", good_rows())
    call_command("import_people", str(roster), "--invite")
    assert "Приглашений по email поставлено в очередь: 2" in capsys.readouterr().out
    assert Invitation.objects.count() == 2

    client.force_login(make_regional_manager(password=PASSWORD))
    page = client.get(reverse("people_import")).content.decode()
    assert 'name="invite"' in page and "Пригласить новых людей по email" in page
    rows = good_rows()
    rows[0]["Email"], rows[0]["Табельный номер"] = "novyi@example.org", "3003"
    upload = SimpleUploadedFile("roster.csv", write_csv(tmp_path / "second.csv", rows[:1]).read_bytes())
    response = client.post(reverse("people_import"), {"file": upload, "invite": "on", "import": "1"})
    assert 'data-count="invited">1<' in response.content.decode()
    invitation = Invitation.objects.get(person__email="novyi@example.org")
    assert invitation.sent_by == response.wsgi_request.user


# --- managers' pages -------------------------------------------------------------------------------


def test_the_municipal_manager_sees_and_invites_own_municipality_only(client, town):
    manager = manager_of(town["obninsk"])
    client.force_login(manager)
    page = client.get(reverse("people_invitations")).content.decode()
    assert "Город Обнинск" in page and "Город Калуга" not in page
    assert f'data-bucket="{town["obninsk"].pk}"' in page
    assert 'data-count="waiting_email">2<' in page and 'data-count="waiting_no_email">1<' in page

    bucket = reverse("people_invitations_bucket", args=[town["obninsk"].pk])
    people = client.get(bucket).content.decode()
    assert "anna@obninsk.example" in people and "boris@obninsk.example" in people  # the settlement too
    assert "done@obninsk.example" not in people  # has a password

    assert client.get(reverse("people_invitations_send", args=[town["obninsk"].pk])).status_code == 405
    response = client.post(reverse("people_invitations_send", args=[town["obninsk"].pk]))
    assert response.status_code == 302
    assert sorted(Invitation.objects.values_list("person__email", flat=True)) == [
        "anna@obninsk.example",
        "boris@obninsk.example",
    ]
    assert set(Invitation.objects.values_list("sent_by", flat=True)) == {manager.pk}
    assert Invitation.objects.first().sent_by_name == f"{manager.get_short_name()} ({manager.username})"

    for url in (
        reverse("people_invitations_bucket", args=[town["kaluga"].pk]),
        reverse("people_invitations_bucket", args=["regional"]),
        reverse("people_invitations_bucket", args=["99999999999999999999999"]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("people_invitations_send", args=[town["kaluga"].pk])).status_code == 404
    assert client.post(reverse("people_invitations_person", args=[town["stranger"].pk])).status_code == 404
    assert not Invitation.objects.filter(person=town["stranger"]).exists()


def test_one_person_is_invited_again_ahead_of_bulk_mail(client, town):
    anna = town["people"]["anna"]
    client.force_login(make_regional_manager(password=PASSWORD))
    for _attempt in range(2):
        response = client.post(reverse("people_invitations_person", args=[anna.pk]), follow=True)
        assert "поставлено в очередь" in response.content.decode()
    assert Invitation.objects.filter(person=anna).count() == 2
    assert set(OutgoingMail.objects.values_list("priority", flat=True)) == {0}

    response = client.post(
        reverse("people_invitations_person", args=[town["people"]["active"].pk]), follow=True
    )
    assert "уже задал(а) пароль" in response.content.decode()
    response = client.post(
        reverse("people_invitations_person", args=[town["people"]["no_email"].pk]), follow=True
    )
    assert "нет email" in response.content.decode()
    assert Invitation.objects.count() == 2


def test_the_regional_manager_invites_the_regional_bodies_too(client):
    minfin = make_organization(None, "Министерство финансов Калужской области")
    person = make_person(minfin, email="minfin@example.org")
    client.force_login(make_regional_manager(password=PASSWORD))
    assert "Региональные органы" in client.get(reverse("people_invitations")).content.decode()
    client.post(reverse("people_invitations_send", args=["regional"]))
    assert Invitation.objects.get().person == person


@pytest.mark.parametrize("role", [Role.SERVANT, Role.TRAINER, Role.ORGANIZER])
def test_nobody_else_gets_in(client, town, role):
    client.force_login(make_person(role=role))
    for url in (
        reverse("people_invitations"),
        reverse("people_invitations_bucket", args=[town["obninsk"].pk]),
    ):
        assert client.get(url).status_code in (302, 403)
    for url in (
        reverse("people_invitations_send", args=[town["obninsk"].pk]),
        reverse("people_invitations_codes", args=[town["obninsk"].pk]),
        reverse("people_invitations_person", args=[town["people"]["anna"].pk]),
    ):
        assert client.post(url).status_code in (302, 403)
    assert not Invitation.objects.exists()


def test_anonymous_is_sent_to_the_admin_login(client, town):
    response = client.get(reverse("people_invitations"))
    assert response.status_code == 302 and reverse("wagtailadmin_login") in response["Location"]


# --- printed codes ---------------------------------------------------------------------------------


def print_codes(client, municipality, follow=False, **data):
    url = reverse("people_invitations_codes", args=[municipality.pk])
    return client.post(url, {"format": "html", **data}, follow=follow)


def codes_on(page):
    return re.findall(r'class="slip__code">([A-Z0-9-]+)<', page)


def test_codes_for_people_without_email_are_printed_once_and_stored_hashed(client, town):
    client.force_login(manager_of(town["obninsk"]))
    response = print_codes(client, town["obninsk"])
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    [code] = codes_on(page)
    assert "Сёмин" in page and "tn2002" in page and "anna@" not in page
    assert "/password/code/" in page and "people/codes-print.css" in page
    invitation = Invitation.objects.get(channel="code")
    assert code not in invitation.code_hash and len(invitation.code_hash) == 64
    assert not AccessAttempt.objects.exists()

    everybody = print_codes(client, town["obninsk"], everybody="1").content.decode()
    assert len(codes_on(everybody)) == 3  # Анна, Борис and Сёмин: everybody without a password
    assert Invitation.objects.usable_codes().count() == 3  # Сёмин's first code was replaced
    assert client.get(reverse("people_invitations_codes", args=[town["obninsk"].pk])).status_code == 405
    assert print_codes(client, town["kaluga"]).status_code == 404


def test_the_code_list_as_a_file_is_entered_in_the_audit_log(client, town):
    manager = manager_of(town["obninsk"])
    client.force_login(manager)
    response = print_codes(client, town["obninsk"], format="csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    content = response.content.decode("utf-8-sig")
    assert "Сёмин" in content and "tn2002" in content
    entry = ExportAuditEntry.objects.get()
    assert (entry.user, entry.table_key, entry.format, entry.row_count) == (
        manager,
        "invitation_codes",
        "csv",
        1,
    )
    assert entry.params["Муниципальное образование"] == "Город Обнинск"
    assert entry.scope == "Город Обнинск"


def test_nobody_to_print_for_says_so(client, town):
    town["people"]["no_email"].set_password(PASSWORD)
    town["people"]["no_email"].save()
    client.force_login(manager_of(town["obninsk"]))
    response = print_codes(client, town["obninsk"], format="csv", follow=True)
    assert "некому выдавать коды" in response.content.decode()
    assert not ExportAuditEntry.objects.exists() and not Invitation.objects.exists()


@pytest.fixture
def printed(client, town):
    client.force_login(manager_of(town["obninsk"]))
    [code] = codes_on(print_codes(client, town["obninsk"]).content.decode())
    client.logout()
    return town["people"]["no_email"], code


def use_code(client, login, code, password=PASSWORD, **extra):
    return client.post(
        reverse("password_code"),
        {"login": login, "code": code, "new_password1": password, "new_password2": password},
        **extra,
    )


def test_the_login_page_leads_to_the_code_page(client):
    login = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_code")}"' in login
    page = client.get(reverse("password_code")).content.decode()
    assert "Вход по коду из списка" in page and "Код из списка" in page


def test_a_code_sets_the_password_once(client, printed):
    person, code = printed
    response = use_code(client, "TN2002", code.lower().replace("-", " "))  # case and dashes do not matter
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_complete")
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    assert Invitation.objects.get(person=person).used_at is not None
    assert client.post(reverse("login"), {"username": "tn2002", "password": PASSWORD}).status_code == 302

    client.logout()
    again = use_code(client, "tn2002", code, password="Другой-пароль-77")
    assert again.status_code == 200 and "Неверный логин или код" in again.content.decode()
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


@pytest.mark.parametrize("how", ["password change", "admin"])
def test_a_password_set_any_other_way_ends_the_printed_codes(client, printed, how):
    """A lost slip must not reopen an account whose owner has set a password since."""
    person, code = printed
    if how == "password change":
        person.set_password("Временный-пароль-1")
        person.save()
        client.force_login(person)
        response = client.post(
            reverse("password_change"),
            {"old_password": "Временный-пароль-1", "new_password1": PASSWORD, "new_password2": PASSWORD},
        )
        assert response.status_code == 302
        client.logout()
    else:
        person.set_password(PASSWORD)
        person.save()
    assert not Invitation.objects.usable_codes().exists()
    assert (
        "Неверный логин или код"
        in use_code(client, "tn2002", code, password="Чужой-пароль-99").content.decode()
    )
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_a_weak_password_is_refused_and_the_code_stays_usable(client, printed):
    _person, code = printed
    response = use_code(client, "tn2002", code, password="12345678")
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert Invitation.objects.usable_codes().count() == 1
    assert use_code(client, "tn2002", code).status_code == 302


def test_an_expired_code_does_not_work(client, printed, settings):
    person, code = printed
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert "Неверный логин или код" in use_code(client, "tn2002", code).content.decode()
    person.refresh_from_db()
    assert not person.has_usable_password()


def test_guessing_codes_is_locked_out_like_guessing_passwords(client, printed, settings):
    person, code = printed
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = use_code(client, "tn2002", f"AAAAA-AAAA{attempt}")
    assert response.status_code == 429  # the fifth failure locks
    locked = use_code(client, "tn2002", code)  # even the right code now
    assert locked.status_code == 429 and "Вход временно заблокирован" in locked.content.decode()
    person.refresh_from_db()
    assert not person.has_usable_password()
    # Neither the codes nor the new password are kept in the attempt log.
    logged = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert "AAAAA" not in logged and PASSWORD not in logged
    # Another address is not locked (an office behind one NAT is not locked as a whole).
    assert use_code(client, "tn2002", code, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_bad_input_is_a_form_error_in_russian(client):
    response = client.post(reverse("password_code"), {"login": "", "code": "x" * 500})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Требуется заполнить это поле." in page
    assert "не более 40 символов" in page
    assert not AccessAttempt.objects.exists()  # a malformed form is no guess
