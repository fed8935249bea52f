"""Old export files are removed: expired jobs (finished long ago, or stuck), their files, and files in the
export folder that no job refers to; the audit log survives, downloads of purged jobs are "not found"."""

import os
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from people.factories import make_municipality, make_person
from reports.exports.retention import purge_exports
from reports.management.commands import purge_exports as purge_command
from reports.models import ExportAuditEntry, ExportJob

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("export_root")]

Status = ExportJob.Status
NOW = timezone.now()
DAY = timedelta(days=1)


@pytest.fixture
def user():
    return make_person(municipality=make_municipality())


def make_job(user, status=Status.DONE, created=None, finished=None, content=b"", name="t.csv"):
    job = ExportJob.objects.create(
        user=user,
        table_key="t",
        format="csv",
        status=status,
        created_at=created or NOW,
        finished_at=finished,
    )
    if content:
        job.file.save(name, ContentFile(content))
    return job


def age(path, days):
    """Make a file look ``days`` old."""
    stamp = (NOW - timedelta(days=days)).timestamp()
    os.utime(path, (stamp, stamp))


def write(path, content=b"x", days=0):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    age(path, days)
    return path


def test_expired_are_finished_jobs_past_the_retention_and_jobs_stuck_for_a_day(user, settings):
    expired = {
        make_job(user, Status.DONE, created=NOW - 40 * DAY, finished=NOW - 31 * DAY).pk,
        make_job(user, Status.FAILED, created=NOW - 31 * DAY).pk,  # no finished_at: by created_at
        make_job(user, Status.RUNNING, created=NOW - 2 * DAY).pk,
        make_job(user, Status.QUEUED, created=NOW - 25 * timedelta(hours=1)).pk,
    }
    make_job(user, Status.DONE, created=NOW - 40 * DAY, finished=NOW - 29 * DAY)  # by finished_at
    make_job(user, Status.FAILED, created=NOW - 29 * DAY)
    make_job(user, Status.RUNNING, created=NOW - 23 * timedelta(hours=1))
    make_job(user, Status.QUEUED, created=NOW)
    assert set(ExportJob.objects.expired(now=NOW).values_list("pk", flat=True)) == expired

    assert ExportJob.objects.expired(now=NOW, days=28).count() == 6
    settings.REPORTS_EXPORT_RETENTION_DAYS = 28
    assert ExportJob.objects.expired(now=NOW).count() == 6
    assert ExportJob.objects.expired().count() == 6  # now by default


def test_purge_removes_files_and_jobs_and_keeps_the_audit_log(user, export_root):
    old = make_job(user, created=NOW - 40 * DAY, finished=NOW - 31 * DAY, content=b"12345")
    stuck = make_job(user, Status.RUNNING, created=NOW - 2 * DAY, content=b"123", name="partial.csv")
    gone = make_job(user, Status.FAILED, created=NOW - 31 * DAY, content=b"1", name="gone.csv")
    os.remove(gone.file.path)  # a missing file is not an error
    fresh = make_job(user, finished=NOW - DAY, content=b"keep", name="fresh.csv")
    entry = ExportAuditEntry.objects.create(
        user=user,
        username="u",
        table_key="t",
        table_title="Люди",
        format="csv",
        scope="вся область",
        period="2024 год",
        params={"x": "1"},
        row_count=4,
        job=old,
    )
    old_path, stuck_path = old.file.path, stuck.file.path

    result = purge_exports(now=NOW)

    assert (result.jobs, result.files, result.bytes, result.orphans) == (3, 2, 8, 0)
    assert not os.path.exists(old_path) and not os.path.exists(stuck_path)
    assert list(ExportJob.objects.all()) == [fresh]
    assert os.path.exists(fresh.file.path)
    kept = ExportAuditEntry.objects.get()
    assert (kept.pk, kept.user, kept.table_title, kept.params, kept.row_count, kept.created_at) == (
        entry.pk,
        user,
        "Люди",
        {"x": "1"},
        4,
        entry.created_at,
    )
    assert kept.job is None  # the job row is gone (SET_NULL); the entry keeps everything it says

    again = purge_exports(now=NOW)  # idempotent
    assert (again.jobs, again.files, again.bytes, again.orphans) == (0, 0, 0, 0)


def test_old_orphan_files_in_the_export_folder_are_removed_and_nothing_else(user, export_root, tmp_path):
    kept_job = make_job(user, finished=NOW - DAY, content=b"keep", name="kept.csv")
    age(kept_job.file.path, 100)  # referenced by a live job: kept however old
    orphan = write(export_root / "7" / "2024" / "01" / "crash.xlsx", b"123456", days=31)
    young = write(export_root / "7" / "2024" / "01" / "young.csv", days=29)  # maybe a job being saved
    foreign = write(export_root / "notes.txt", days=400)  # not an export file's name
    outside = write(tmp_path / "elsewhere" / "1" / "2024" / "01" / "old.csv", days=400)
    link = export_root / "8" / "2024" / "01" / "link.csv"
    link.parent.mkdir(parents=True)
    link.symlink_to(outside)
    (export_root / "9" / "2024" / "01").mkdir(parents=True)
    (export_root / "9" / "2024" / "01" / "data").symlink_to(outside.parent, target_is_directory=True)

    result = purge_exports(now=NOW)

    assert (result.jobs, result.files, result.bytes, result.orphans) == (0, 1, 6, 1)
    assert not orphan.exists()
    assert all(os.path.exists(path) for path in (young, foreign, outside, kept_job.file.path))
    assert link.is_symlink() and (export_root / "9" / "2024" / "01" / "data").is_symlink()


def test_dry_run_counts_and_removes_nothing(user, export_root):
    job = make_job(user, created=NOW - 40 * DAY, finished=NOW - 31 * DAY, content=b"12345")
    orphan = write(export_root / "7" / "2024" / "01" / "crash.csv", b"12", days=31)

    result = purge_exports(now=NOW, dry_run=True)

    assert (result.jobs, result.files, result.bytes, result.orphans) == (1, 2, 7, 1)
    assert ExportJob.objects.filter(pk=job.pk).exists()
    assert os.path.exists(job.file.path) and orphan.exists()


def test_retention_of_less_than_a_day_is_refused(user, settings):
    # With 0 days a file being saved (its job not yet committed) would look like an orphan.
    with pytest.raises(ValueError):
        purge_exports(days=0)
    settings.REPORTS_EXPORT_RETENTION_DAYS = 0
    with pytest.raises(ValueError):
        purge_exports()
    with pytest.raises(CommandError):
        call_command("purge_exports", "--days", "0", stdout=StringIO())


def test_command_reports_in_russian_and_is_idempotent(user, export_root):
    make_job(user, created=NOW - 40 * DAY, finished=NOW - 31 * DAY, content=b"12345")
    recent = make_job(user, finished=NOW - 3 * DAY, content=b"123", name="recent.csv")

    out = StringIO()
    call_command("purge_exports", "--dry-run", stdout=out)
    assert "Пробный запуск" in out.getvalue() and "файлов: 1" in out.getvalue()
    assert ExportJob.objects.count() == 2

    out = StringIO()
    call_command("purge_exports", stdout=out)
    assert "Удалено файлов: 1, байт: 5 (5\xa0байт), из них без выгрузки: 0; выгрузок: 1." in out.getvalue()
    assert "выгрузок: 1" in out.getvalue()

    out = StringIO()
    call_command("purge_exports", stdout=out)
    assert "Удалено файлов: 0, байт: 0" in out.getvalue()

    out = StringIO()
    call_command("purge_exports", "--days", "2", "--quiet", stdout=out)
    assert out.getvalue() == ""
    assert not ExportJob.objects.filter(pk=recent.pk).exists()

    help_text = purge_command.Command().create_parser("manage.py", "purge_exports").format_help()
    assert "Удаляет файлы выгрузок старше срока хранения" in help_text


def test_download_of_a_purged_job_is_not_found(client, user):
    job = make_job(user, created=NOW - 40 * DAY, finished=NOW - 31 * DAY, content=b"12345")
    client.force_login(user)
    url = reverse("reports_exports:download", args=[job.pk])
    assert client.get(url).status_code == 200

    purge_exports(now=NOW)

    assert client.get(url).status_code == 404
    assert client.get(reverse("reports_exports:job", args=[job.pk])).status_code == 404
    # A done job without a file (e.g. its file cleared by hand) is "not found" as well, never a 500.
    empty = make_job(user, finished=NOW)
    assert client.get(reverse("reports_exports:download", args=[empty.pk])).status_code == 404
