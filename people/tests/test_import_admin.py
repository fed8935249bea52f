"""The roster upload page in the Wagtail admin: who may use it, and what it shows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.factories import make_municipal_manager, make_person, make_regional_manager
from people.models import User

# ``region`` is a fixture: the municipalities and organizations the sample rows name.
from people.tests.test_import_service import good_rows, person_row, region, write_csv, write_xlsx  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("region")]

URL = "/admin/people/import/"


def upload(path, content_type="text/csv"):
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type=content_type)


@pytest.fixture
def roster(tmp_path):
    return write_csv(tmp_path / "roster.csv", good_rows())


@pytest.fixture
def manager_client(client):
    client.force_login(make_regional_manager(password="Secret-pass-123"))
    return client


def test_url_is_registered_in_the_admin():
    assert reverse("people_import") == URL


def test_anonymous_is_sent_to_the_login_page(client, roster):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))

    client.post(URL, {"file": upload(roster)})
    assert not User.objects.exists()


def test_servant_is_turned_away_and_imports_nothing(client, roster):
    client.force_login(make_person())

    assert client.get(URL).status_code == 302
    response = client.post(URL, {"file": upload(roster)})

    assert response.status_code == 302
    assert User.objects.count() == 1


def test_municipal_manager_without_a_municipality_is_forbidden(client, roster):
    from people.roles import Role

    client.force_login(make_person(role=Role.MUNICIPAL_MANAGER))

    response = client.post(URL, {"file": upload(roster), "import": "1"})

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert User.objects.count() == 1
    assert client.get(URL, headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403


def test_municipal_manager_imports_only_their_municipality(client, roster, region):  # noqa: F811
    """The good rows name Babynino, its settlement and a regional body: the body's row is refused."""
    client.force_login(make_municipal_manager(region["babynino"]))
    page = client.get(URL).content.decode()
    assert "Вы загружаете список своего муниципального образования: Бабынинский район" in page

    response = client.post(URL, {"file": upload(roster), "import": "1", "skip_invalid": "on"})

    report = response.context["report"]
    assert (report.created, report.rejected, report.saved) == (2, 1, True)
    assert "не входит в ваше (Бабынинский район)" in response.content.decode()
    assert not User.objects.filter(organization=region["minfin"]).exists()


def test_menu_item_is_shown_only_to_those_who_may_import(client, region):  # noqa: F811
    from people.roles import Role

    client.force_login(make_person(role=Role.MUNICIPAL_MANAGER))  # no municipality of their own
    assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()

    client.force_login(make_municipal_manager(region["babynino"]))
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()

    client.force_login(make_regional_manager())
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()


def test_regional_manager_uploads_and_sees_the_report(manager_client, roster):
    page = manager_client.get(URL)
    assert page.status_code == 200
    assert 'type="file"' in page.content.decode()

    response = manager_client.post(URL, {"file": upload(roster), "import": "1"})

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.created, report.saved) == (3, True)
    html = response.content.decode()
    assert "Импорт выполнен." in html
    assert '<td data-count="created">3</td>' in html
    assert User.objects.filter(email="ivanov@example.org").exists()


def test_check_only_writes_nothing_and_shows_what_would_happen(manager_client, roster):
    response = manager_client.post(URL, {"file": upload(roster), "check": "1"})

    html = response.content.decode()
    assert "Проверка без записи" in html
    assert "Будет создано" in html
    assert User.objects.count() == 1  # only the manager


def test_bad_rows_are_shown_as_a_table_with_line_numbers(manager_client, tmp_path):
    rows = [person_row(), person_row(email="x@example.org", number="9", municipality="Тридевятый район")]
    response = manager_client.post(
        URL, {"file": upload(write_csv(tmp_path / "bad.csv", rows)), "import": "1"}
    )

    html = response.content.decode()
    assert "Ничего не импортировано" in html
    assert "<td>3</td><td>неизвестное муниципальное образование «Тридевятый район»</td>" in html
    assert User.objects.count() == 1


def test_skip_invalid_checkbox_imports_the_good_rows(manager_client, tmp_path):
    rows = [person_row(), person_row(email="x@example.org", number="9", first="")]
    path = write_csv(tmp_path / "bad.csv", rows)

    response = manager_client.post(URL, {"file": upload(path), "skip_invalid": "on", "import": "1"})

    assert response.context["report"].created == 1
    assert User.objects.filter(email="ivanov@example.org").exists()


def test_xlsx_upload_works(manager_client, tmp_path):
    path = write_xlsx(tmp_path / "roster.xlsx", good_rows())

    response = manager_client.post(URL, {"file": upload(path, "application/octet-stream"), "import": "1"})

    assert response.context["report"].created == 3


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("roster.pdf", b"%PDF-1.4", "CSV или XLSX"),
        ("roster.xlsx", "Фамилия;Имя\n".encode(), "не является"),
        ("roster.csv", b"PK\x03\x04zip", "архив"),
    ],
)
def test_file_is_checked_by_extension_and_content(manager_client, name, content, message):
    response = manager_client.post(URL, {"file": SimpleUploadedFile(name, content), "import": "1"})

    assert response.status_code == 200
    assert "report" not in response.context
    assert any(message in error for error in response.context["form"].errors["file"])


def test_file_size_is_limited(manager_client, roster, settings):
    settings.PEOPLE_IMPORT_MAX_UPLOAD_SIZE = 100

    response = manager_client.post(URL, {"file": upload(roster), "import": "1"})

    assert response.context["form"].errors["file"]
    assert User.objects.count() == 1


def test_regional_manager_cannot_edit_users_in_the_wagtail_admin(client):
    """Import rights must not open the users admin, where an editor could create superusers."""
    from people.factories import make_regional_manager

    manager = make_regional_manager()
    assert manager.has_perm("people.import_people")
    assert not manager.has_perm("people.add_user")
    assert not manager.has_perm("people.change_user")
    client.force_login(manager)
    from django.urls import reverse

    response = client.get(reverse("wagtailusers_users:add"))
    assert response.status_code in (302, 403)


def test_full_roster_is_checked_then_imported_with_the_checked_leavers(manager_client, tmp_path, region):  # noqa: F811
    from wagtail.models import ModelLogEntry

    admin = region["babynino_admin"]
    make_person(admin, email="ivanov@example.org", personnel_number="1001")
    make_person(admin, email="petrov@example.org")
    leaver = make_person(
        admin, last_name="Громова", first_name="Анна", position="Специалист", email="g@example.org"
    )
    path = write_csv(
        tmp_path / "roster.csv",
        [person_row(), person_row(last="Петров", email="petrov@example.org", number="")],
    )
    form = {"full_roster": "on"}

    unchecked = manager_client.post(URL, {**form, "file": upload(path), "import": "1"})

    html = unchecked.content.decode()
    assert "список деактивируемых не совпадает с проверенным или файл не проверяли" in html
    assert User.objects.get(pk=leaver.pk).is_active

    check = manager_client.post(URL, {**form, "file": upload(path), "check": "1"})

    html = check.content.decode()
    digest = check.context["report"].leavers_digest
    assert f'<input type="hidden" name="reviewed_leavers" value="{digest}">' in html
    assert '<td data-count="deactivated">1</td>' in html
    assert "Будут деактивированы: 1" in html
    assert "<td>Громова Анна</td>" in html
    assert User.objects.get(pk=leaver.pk).is_active

    done = manager_client.post(URL, {**form, "file": upload(path), "import": "1", "reviewed_leavers": digest})

    assert done.context["report"].saved
    assert "Деактивированы: 1" in done.content.decode()
    assert not User.objects.get(pk=leaver.pk).is_active
    [entry] = ModelLogEntry.objects.filter(object_id=str(leaver.pk))
    assert entry.user_id == done.context["request"].user.pk


def test_the_confirmation_box_lets_a_large_deactivation_through(manager_client, tmp_path, region):  # noqa: F811
    admin = region["babynino_admin"]
    leavers = [make_person(admin, email=f"left{n}@example.org") for n in range(2)]
    path = write_csv(tmp_path / "roster.csv", [person_row()])
    form = {"full_roster": "on", "file": upload(path), "import": "1"}
    digest = manager_client.post(URL, {**form, "check": "1"}).context["report"].leavers_digest

    refused = manager_client.post(URL, {**form, "file": upload(path), "reviewed_leavers": digest})

    assert "Деактивация требует подтверждения:" in refused.content.decode()
    assert all(User.objects.get(pk=person.pk).is_active for person in leavers)

    confirmed = manager_client.post(
        URL,
        {**form, "file": upload(path), "reviewed_leavers": digest, "confirm_deactivation": "on"},
    )

    assert confirmed.context["report"].saved
    assert not any(User.objects.get(pk=person.pk).is_active for person in leavers)
