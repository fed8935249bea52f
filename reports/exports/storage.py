"""Where export files live: outside MEDIA_ROOT, never under a public URL; only the download view reads them.

``REPORTS_EXPORT_ROOT`` (a setting, optional) names the folder; by default ``var/exports`` of the project.
The location is read on every use, not at import time, so tests can point it to a temporary folder.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class ExportStorage(FileSystemStorage):
    @property
    def base_location(self):
        root = getattr(settings, "REPORTS_EXPORT_ROOT", None)
        return str(root or Path(settings.BASE_DIR) / "var" / "exports")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None  # FileSystemStorage.url() then refuses: the files have no public address

    def _clear_cached_properties(self, setting, **kwargs):
        pass


_storage = ExportStorage()


def export_storage():
    """The storage of ExportJob.file (a callable, so migrations do not freeze a path)."""
    return _storage
