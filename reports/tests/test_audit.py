"""The audit log of personal-data exports: append-only, written for every personal export, readable
only by regional managers (or holders of reports.view_exportauditentry)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from people.roles import Role
from reports.exports import services
from reports.exports.audit import readable_params
from reports.models import AuditLogChanged, ExportAuditEntry
from reports.period import Period
from reports.tables import ReportRequest, registered_tables

from .test_export import PEOPLE_KEY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("export_root")]


@pytest.fixture
def entry():
    manager = make_regional_manager(username="regional")
    make_person(municipality=make_municipality())
    services.export_now(ReportRequest(manager.pk, Period.year(2024), {"x": "1"}), PEOPLE_KEY, "csv")
    return ExportAuditEntry.objects.get()


def test_an_inline_personal_export_is_audited(entry):
    assert entry.username == "regional"
    assert entry.table_title == "Люди"
    assert entry.params == {"x": "1"}  # a parameter the log does not know keeps its name
    assert entry.period == "2024 год"
    assert entry.row_count == 2


def test_the_log_names_municipalities_and_organizations_not_ids(client):
    obninsk = make_municipality("Город Обнинск")
    administration = make_organization(obninsk, name="Администрация города Обнинска")
    manager = make_regional_manager()
    params = {"municipality": str(obninsk.pk), "organization": str(administration.pk), "sort": "-name"}
    services.export_now(ReportRequest(manager.pk, Period.year(2024), params), PEOPLE_KEY, "csv")
    entry = ExportAuditEntry.objects.get()
    assert entry.params == {
        "Муниципальное образование": "Город Обнинск",
        "Организация": "Администрация города Обнинска",
    }
    client.force_login(manager)
    page = client.get(reverse("reports_exports:audit")).content.decode()
    assert "Муниципальное образование: Город Обнинск" in page
    assert f"municipality={obninsk.pk}" not in page


def test_regional_bodies_and_people_without_organization_are_named():
    assert readable_params(
        {"municipality": "regional", "organization": "none", "plan": "2024", "item": "5.2"}
    ) == {
        "Муниципальное образование": "региональные органы",
        "Организация": "без организации",
        "План на год": "2024",
        "Пункт плана": "5.2",
    }
    assert readable_params({"municipality": "999999999999999999999"}) == {
        "Муниципальное образование": "№ 999999999999999999999 (не найдено)"
    }


def test_entries_cannot_be_changed_or_deleted(entry):
    entry.row_count = 0
    with pytest.raises(AuditLogChanged):
        entry.save()
    with pytest.raises(AuditLogChanged):
        entry.delete()
    with pytest.raises(AuditLogChanged):
        ExportAuditEntry.objects.all().delete()
    with pytest.raises(AuditLogChanged):
        ExportAuditEntry.objects.update(row_count=0)
    assert ExportAuditEntry.objects.get().row_count == 2


def test_regional_managers_read_the_log(client, entry):
    client.force_login(make_regional_manager())
    response = client.get(reverse("reports_exports:audit"))
    assert response.status_code == 200
    assert "Люди" in response.content.decode()
    assert "regional" in response.content.decode()


def test_the_audit_permission_alone_opens_the_log(client, entry):
    auditor = make_person(role=None)
    auditor.user_permissions.add(Permission.objects.get(codename="view_exportauditentry"))
    client.force_login(auditor)
    assert client.get(reverse("reports_exports:audit")).status_code == 200


@pytest.mark.parametrize("role", [Role.SERVANT, Role.TRAINER, Role.MUNICIPAL_MANAGER])
def test_others_may_not_read_the_log(client, entry, role):
    user = make_person(role=role)
    if role == Role.MUNICIPAL_MANAGER:
        user = make_municipal_manager(make_municipality())
    client.force_login(user)
    assert client.get(reverse("reports_exports:audit")).status_code == 403


def test_the_admin_is_read_only(admin_client, entry):
    changelist = admin_client.get(reverse("admin:reports_exportauditentry_changelist"))
    assert changelist.status_code == 200
    assert admin_client.get(reverse("admin:reports_exportauditentry_add")).status_code == 403
    delete = admin_client.post(
        reverse("admin:reports_exportauditentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert ExportAuditEntry.objects.exists()


def test_every_registered_personal_table_is_audited(client, django_capture_on_commit_callbacks):
    """Whatever tables are registered (the dashboard's ``people`` among them), exporting a personal one
    writes the audit log."""
    manager = make_regional_manager()
    make_person(municipality=make_municipality())
    client.force_login(manager)
    personal = [key for key, spec in registered_tables().items() if spec.personal]
    assert PEOPLE_KEY in personal
    for key in personal:
        before = ExportAuditEntry.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reports_exports:export", args=[key]) + "?format=csv")
        assert response.status_code == 302, key
        assert ExportAuditEntry.objects.count() == before + 1, key
        assert ExportAuditEntry.objects.order_by("-pk")[0].table_key == key
