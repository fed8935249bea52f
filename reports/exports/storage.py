"""Where export files live: outside MEDIA_ROOT, never under a public URL; only the download view reads them.

``REPORTS_EXPORT_ROOT`` (a setting, optional) names the folder; by default ``var/exports`` of the project
(:class:`people.private_storage.PrivateFolderStorage`).
"""

from people.private_storage import PrivateFolderStorage

_storage = PrivateFolderStorage("REPORTS_EXPORT_ROOT", "exports")


def export_storage():
    """The storage of ExportJob.file (a callable, so migrations do not freeze a path)."""
    return _storage
