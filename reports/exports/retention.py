"""Purging old export files: the files of expired jobs and the jobs themselves, plus orphan files.

A job is expired when it finished (done or failed) more than ``REPORTS_EXPORT_RETENTION_DAYS`` days ago
(30 by default) or has been queued or running for more than a day (see ``ExportJob.objects.expired``).
Its file is removed from the export storage (a missing file is not an error), then its row. The audit
log survives: ``ExportAuditEntry.job`` is ``SET_NULL``, so an entry loses only its link to the deleted
job and keeps everything it records (who, when, which table, scope, period, parameters, rows).

Files in the export folder that no job refers to (left by a crash) are removed once they are older
than the retention. Only regular files named like an export (``<user id>/<year>/<month>/<name>.xlsx``
or ``.csv``, see ``export_upload_to``) are candidates; symbolic links are never followed or removed,
so nothing outside the folder is touched.
"""

import logging
import os
import re
import stat
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import SuspiciousFileOperation
from django.utils import timezone

from ..models import ExportFormat, ExportJob, export_retention_days
from .storage import export_storage

logger = logging.getLogger(__name__)

ORPHAN_NAME = re.compile(r"\d+/\d{4}/\d{2}/[^/]+\.(" + "|".join(map(re.escape, ExportFormat.values)) + ")")
DELETE_BATCH = 500


@dataclass
class PurgeResult:
    jobs: int = 0  # job rows deleted
    files: int = 0  # files removed, orphans included
    bytes: int = 0
    orphans: int = 0  # files removed that no job referred to


def purge_exports(now=None, days=None, dry_run=False):
    """Remove expired jobs with their files and old orphan files; with ``dry_run`` only count them."""
    now = now or timezone.now()
    days = export_retention_days() if days is None else days
    if days < 1:
        # A younger file may belong to a job being saved right now (its row not yet committed).
        raise ValueError("the retention of export files must be at least one day")
    storage = export_storage()
    result = PurgeResult()
    referenced = set(ExportJob.objects.exclude(file="").values_list("file", flat=True))

    purged = []
    for pk, name in ExportJob.objects.expired(now, days).values_list("pk", "file").iterator():
        if name:
            try:
                path = storage.path(name)
            except SuspiciousFileOperation:
                logger.warning("export job %s refers to a file outside the export folder: %r", pk, name)
            else:
                size = _remove(path, dry_run)
                if size is False:
                    continue  # keep the job: the next run tries again
                if size is not None:
                    result.files += 1
                    result.bytes += size
        purged.append(pk)
    result.jobs = len(purged)
    if not dry_run:
        for start in range(0, len(purged), DELETE_BATCH):
            ExportJob.objects.filter(pk__in=purged[start : start + DELETE_BATCH]).delete()

    cutoff = (now - timedelta(days=days)).timestamp()
    for path, size in _orphans(storage.location, referenced, cutoff):
        if _remove(path, dry_run) is not False:
            result.files += 1
            result.orphans += 1
            result.bytes += size
    return result


def _remove(path, dry_run):
    """Remove a regular file: its size, ``None`` when there is nothing to remove, ``False`` on failure."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError:
        logger.exception("cannot read export file %s", path)
        return False
    if not stat.S_ISREG(info.st_mode):
        logger.warning("not removing %s: not a regular file", path)
        return None
    if not dry_run:
        try:
            os.remove(path)
        except FileNotFoundError:
            return None
        except OSError:
            logger.exception("cannot remove export file %s", path)
            return False
    return info.st_size


def _orphans(root, referenced, cutoff):
    """``(path, size)`` of export files under ``root`` no job refers to, last changed before ``cutoff``."""
    for folder, _subfolders, filenames in os.walk(root):  # symbolic links to folders are not entered
        for filename in filenames:
            path = os.path.join(folder, filename)
            name = os.path.relpath(path, root).replace(os.sep, "/")
            if name in referenced or not ORPHAN_NAME.fullmatch(name):
                continue
            try:
                info = os.lstat(path)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff:
                yield path, info.st_size
