"""Private folders for uploaded and generated files: outside MEDIA_ROOT, under no public URL.

Report exports, consultation attachments and the contest's works and consent forms are read only by the
views that check who may have them. Each kind has an optional setting naming its folder (default
``var/<folder>`` of the project), read on every use rather than at import time, so tests can point it to a
temporary folder. Models take the storage through a module-level callable, so migrations do not freeze a
path.
"""

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone


class PrivateFolderStorage(FileSystemStorage):
    def __init__(self, setting, default_folder):
        self.setting = setting
        self.default_folder = default_folder
        super().__init__()

    @property
    def base_location(self):
        root = getattr(settings, self.setting, None)
        return str(root or Path(settings.BASE_DIR) / "var" / self.default_folder)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None  # FileSystemStorage.url() then refuses: the files have no public address

    def _clear_cached_properties(self, setting, **kwargs):
        pass  # nothing is cached: the setting is read on every use


def random_file_name(filename):
    """``YYYY/MM/<random>.<ext>``: only the (checked) extension of the person's file name is kept."""
    extension = os.path.splitext(filename)[1].lower()[:10]
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"
