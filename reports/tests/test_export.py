"""Exports of any registered table: writers, the inline path, background jobs with progress, download,
and who may do what (scope on every path)."""

import csv
import io
from urllib.parse import urlencode

import pytest
from django.http import Http404
from django.urls import reverse
from openpyxl import load_workbook

from people.factories import make_municipal_manager, make_municipality, make_person, make_regional_manager
from people.roles import Role
from reports import tables
from reports.exports import services
from reports.exports.writers import write_table
from reports.models import ExportAuditEntry, ExportJob
from reports.period import Period
from reports.tables import Column, ReportRequest, Table, register_table
from reports.tasks import run_export

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("export_root")]


PEOPLE_KEY = "test_people_export"


@register_table(PEOPLE_KEY, "Люди (тест)", personal=True)
def _people_table(request):
    """A personal table registered by the test: people in the user's scope, narrowed by ``municipality``."""
    scope = request.scope
    people = scope.people()
    if request.params.get("municipality"):
        municipality = scope.get_municipality_or_404(request.params["municipality"])
        people = people.filter(municipality=municipality)
    return Table(
        title="Люди",
        columns=[Column("name", "ФИО"), Column("score", "Балл", numeric=True)],
        rows=[{"name": str(p), "score": 1.5} for p in people.order_by("pk")],
        personal=True,
    )


@pytest.fixture
def region():
    north, south = make_municipality(name="Северный район"), make_municipality(name="Южный район")
    for _n in range(3):
        make_person(municipality=north)
    make_person(municipality=south, last_name="=HYPERLINK(1)")
    return {"north": north, "south": south}


def sample_table():
    return Table(
        title="Проба: таблица/1",
        columns=[Column("name", "Наименование"), Column("count", "Число", numeric=True)],
        rows=[{"name": "Бабынинский район", "count": 3}, {"name": "=cmd", "count": 2.5}],
        footer={"name": "Итого", "count": 5.5},
    )


@register_table("test_counts", "Числа")
def _counts_table(request):
    return sample_table()


def test_csv_is_utf8_with_bom_semicolons_and_a_decimal_comma():
    content = write_table(sample_table(), "csv")
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Наименование", "Число"], ["Бабынинский район", "3"], ["'=cmd", "2,5"], ["Итого", "5,5"]]


def test_xlsx_reads_back_with_numbers_as_numbers():
    workbook = load_workbook(io.BytesIO(write_table(sample_table(), "xlsx")))
    sheet = workbook.active
    assert sheet.title == "Проба  таблица 1"
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Наименование", "Число"],
        ["Бабынинский район", 3],
        ["'=cmd", 2.5],
        ["Итого", 5.5],
    ]


def test_progress_is_reported_up_to_the_end():
    table = Table("T", [Column("n", "N")], [{"n": n} for n in range(1200)])
    seen = []
    write_table(table, "csv", lambda done, total: seen.append((done, total)))
    assert seen == [(500, 1200), (1000, 1200), (1200, 1200)]


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def export_url(key):
    return reverse("reports_exports:export", args=[key])


def export(client, user, url, **params):
    """Export as the dashboard's buttons do: a POST to the URL with the query string."""
    client.force_login(user)
    return client.post(f"{url}?{urlencode(params)}")


def test_small_tables_are_exported_at_once_and_not_audited(client, region):
    manager = make_regional_manager()
    response = export(client, manager, export_url("test_counts"), format="csv", year="2024")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="test_counts-20240101-20241231.csv"'
    assert response.content.decode("utf-8-sig").startswith("Наименование;Число")
    assert not ExportAuditEntry.objects.exists()
    assert not ExportJob.objects.exists()


def test_personal_tables_run_as_a_job_with_progress_download_and_audit(
    client, region, settings, django_capture_on_commit_callbacks
):
    manager = make_municipal_manager(region["north"])
    with django_capture_on_commit_callbacks(execute=True):
        response = export(client, manager, export_url(PEOPLE_KEY), format="xlsx")
    assert response.status_code == 302
    assert response.url == reverse("reports_exports:jobs")
    job = ExportJob.objects.get()
    assert (job.user, job.status, job.progress, job.row_count) == (manager, ExportJob.Status.DONE, 100, 4)
    assert job.file.path.startswith(settings.REPORTS_EXPORT_ROOT)  # not under MEDIA_ROOT

    status = client.get(reverse("reports_exports:job", args=[job.pk])).json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["download_url"] == reverse("reports_exports:download", args=[job.pk])
    download = client.get(status["download_url"])
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert len(names) == 4  # the manager and three people of the north; nobody of the south
    assert all("HYPERLINK" not in name for name in names)

    entry = ExportAuditEntry.objects.get()
    assert (entry.user, entry.table_key, entry.format, entry.row_count, entry.job) == (
        manager,
        PEOPLE_KEY,
        "xlsx",
        4,
        job,
    )
    assert entry.scope == "Северный район"

    page = client.get(reverse("reports_exports:jobs"))
    assert b"reports/export-progress.js" in page.content
    assert reverse("reports_exports:download", args=[job.pk]).encode() in page.content


def test_the_task_function_runs_a_queued_job_directly(region):
    manager = make_regional_manager()
    job = ExportJob.objects.create(
        user=manager,
        table_key=PEOPLE_KEY,
        format="csv",
        request=ReportRequest(manager.pk, Period.year(2024)).as_dict(),
    )
    assert run_export.call(job.pk) == ExportJob.Status.DONE
    job.refresh_from_db()
    assert job.progress == 100 and job.row_count == 5 and job.finished_at is not None
    text = job.file.read().decode("utf-8-sig")
    assert text.splitlines()[0] == "ФИО;Балл"
    assert "'=HYPERLINK(1)" in text
    assert ExportAuditEntry.objects.get().scope == "вся область"
    # Running it again changes nothing and writes no second audit entry.
    services.run_job(job.pk)
    assert ExportAuditEntry.objects.count() == 1


def test_the_immediate_backend_runs_an_enqueued_job(region):
    manager = make_regional_manager()
    job = services.start_job(ReportRequest(manager.pk, Period.year(2024)), PEOPLE_KEY, "xlsx")
    result = run_export.enqueue(job.pk)
    assert result.return_value == ExportJob.Status.DONE
    job.refresh_from_db()
    assert job.is_done


def test_a_job_whose_scope_shrank_fails_without_data(region):
    """The scope is the user's at run time: params out of it make the job fail, with no file."""
    manager = make_municipal_manager(region["north"])
    job = ExportJob.objects.create(
        user=manager,
        table_key=PEOPLE_KEY,
        format="csv",
        request=ReportRequest(
            manager.pk, Period.year(2024), {"municipality": str(region["south"].pk)}
        ).as_dict(),
    )
    services.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and not job.file
    assert not ExportAuditEntry.objects.exists()


def test_tampering_with_another_municipality_is_not_found(client, region):
    manager = make_municipal_manager(region["north"])
    response = export(client, manager, export_url(PEOPLE_KEY), format="csv", municipality=region["south"].pk)
    assert response.status_code == 404
    response = export(
        client, manager, export_url("plan_item"), format="csv", item="5.2", municipality=region["south"].pk
    )
    assert response.status_code == 404
    assert not ExportJob.objects.exists()
    assert not ExportAuditEntry.objects.exists()


def test_the_dashboards_regional_and_no_organization_slices_may_be_exported(client, region):
    """The people of the regional bodies and of no organization: regional managers only."""
    regional = make_regional_manager()
    municipal = make_municipal_manager(region["north"])
    url = export_url("test_counts")
    assert export(client, regional, url, format="csv", municipality="regional").status_code == 200
    assert export(client, regional, url, format="csv", organization="none").status_code == 200
    assert export(client, municipal, url, format="csv", municipality="regional").status_code == 404
    north_none = {"municipality": region["north"].pk, "organization": "none"}
    assert export(client, municipal, url, format="csv", **north_none).status_code == 200


def test_unknown_tables_formats_and_periods(client, region):
    manager = make_regional_manager()
    assert export(client, manager, export_url("no_such_table")).status_code == 404
    assert export(client, manager, export_url(PEOPLE_KEY), format="pdf").status_code == 400
    assert export(client, manager, export_url(PEOPLE_KEY), year="abc").status_code == 400


@pytest.mark.parametrize("role", [Role.SERVANT, Role.TRAINER])
def test_servants_and_trainers_may_not_export(client, region, role):
    user = make_person(role=role, municipality=region["north"])
    assert export(client, user, export_url(PEOPLE_KEY)).status_code == 403
    assert get(client, user, reverse("reports_exports:plan_report")).status_code == 403


def test_a_municipal_manager_without_a_municipality_may_not_export(client, region):
    manager = make_person(role=Role.MUNICIPAL_MANAGER)
    assert export(client, manager, export_url(PEOPLE_KEY)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, region):
    for url in [
        export_url(PEOPLE_KEY),
        reverse("reports_exports:jobs"),
        reverse("reports_exports:job", args=[1]),
        reverse("reports_exports:download", args=[1]),
        reverse("reports_exports:plan_report"),
        reverse("reports_exports:audit"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.url, url


def test_another_users_job_is_not_found(client, region):
    owner = make_regional_manager()
    job = services.start_job(ReportRequest(owner.pk, Period.year(2024)), PEOPLE_KEY, "csv")
    services.run_job(job.pk)
    other = make_regional_manager()
    client.force_login(other)
    assert client.get(reverse("reports_exports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports_exports:download", args=[job.pk])).status_code == 404
    assert (
        reverse("reports_exports:download", args=[job.pk]).encode()
        not in client.get(reverse("reports_exports:jobs")).content
    )


def test_an_unfinished_job_has_no_download(client, region):
    owner = make_regional_manager()
    job = ExportJob.objects.create(user=owner, table_key=PEOPLE_KEY, format="csv", request={})
    client.force_login(owner)
    assert client.get(reverse("reports_exports:download", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports_exports:job", args=[job.pk])).json()["download_url"] is None


def test_export_files_have_no_public_url(region):
    manager = make_regional_manager()
    job = services.start_job(ReportRequest(manager.pk, Period.year(2024)), PEOPLE_KEY, "csv")
    services.run_job(job.pk)
    job.refresh_from_db()
    with pytest.raises(ValueError):
        job.file.url  # noqa: B018


def test_background_can_be_asked_for_any_table(client, region, django_capture_on_commit_callbacks):
    manager = make_regional_manager()
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            export_url("plan_items") + "?format=csv&background=1", HTTP_ACCEPT="application/json"
        )
    assert response.status_code == 202
    # No plan loaded in this test: the builder's 404 becomes a failed job with a message.
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED and job.error


def test_table_registry_lookup_is_a_404():
    with pytest.raises(Http404):
        tables.table_spec("nothing")


def test_a_get_cannot_start_an_export(client, region):
    """A link or an image on another site must not start jobs or write the audit log."""
    manager = make_regional_manager()
    client.force_login(manager)
    response = client.get(export_url(PEOPLE_KEY), {"format": "csv", "background": "1"})
    assert response.status_code == 405
    assert not ExportJob.objects.exists() and not ExportAuditEntry.objects.exists()


def test_an_export_needs_the_csrf_token(region):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_regional_manager())
    assert client.post(export_url(PEOPLE_KEY) + "?format=csv").status_code == 403
    assert not ExportJob.objects.exists() and not ExportAuditEntry.objects.exists()
