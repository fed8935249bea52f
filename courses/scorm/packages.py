"""A trainer's SCORM zip: checked before anything is written, then unpacked into private storage.

The checks (docs/scorm.md): a zip of at most ``SCORM_MAX_UPLOAD_SIZE`` bytes and ``SCORM_MAX_FILES``
entries; no entry outside the package (``..``, an absolute path or a drive letter), no symbolic link, no
encrypted entry; at most ``SCORM_MAX_UNPACKED_SIZE`` bytes unpacked and no entry (nor the whole zip)
unpacking more than ``SCORM_MAX_COMPRESSION_RATIO`` times its packed size (a zip bomb);
``imsmanifest.xml`` at the root, readable, with a SCORM version and a launch file that is in the zip;
and every file of the zip readable with its checksum (CRC) right, so that unpacking cannot fail later.

Unpacking writes into a fresh folder under ``SCORM_ROOT`` (never over existing files, never following
links), counts the bytes really written against the limits and moves the folder into place only when
everything was written. The folder stays only if the transaction that records the package commits: a
lesson save rolled back after the upload (a later error in the same save) removes it again.
"""

import lzma
import os
import shutil
import stat
import uuid
import weakref
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .errors import PackageError
from .manifest import Manifest, parse_manifest

MANIFEST = "imsmanifest.xml"
MANIFEST_MAX_SIZE = 5 * 1024 * 1024
# Small entries may pack very well (a file of spaces) without being a threat; the per-entry ratio is
# checked from this unpacked size on, the limit on the total size always.
RATIO_FLOOR = 1024 * 1024
CHUNK = 64 * 1024
# What reading a damaged entry may raise: zipfile's own errors (a bad CRC among them), the decompressors'.
READ_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, OSError, EOFError, ValueError)


@dataclass(frozen=True)
class CheckedPackage:
    manifest: Manifest
    entries: tuple  # ((ZipInfo, normalized path), …) of the files, without directories
    unpacked_size: int


def entry_path(info):
    """The normalized relative path of an entry, or :class:`PackageError` if it points outside."""
    name = info.filename
    shown = name[:200]
    if "\x00" in name or any(ord(char) < 32 for char in name):
        raise PackageError(_("Недопустимое имя файла в архиве: %(name)r") % {"name": shown})
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise PackageError(
            _("В архиве файл с абсолютным путём: %(name)s. Такой архив не принимается.") % {"name": shown}
        )
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise PackageError(
            _("В архиве файл вне папки пакета («..» в пути): %(name)s. Такой архив не принимается.")
            % {"name": shown}
        )
    return "/".join(parts)


def is_symlink(info):
    return stat.S_ISLNK(info.external_attr >> 16)


def check_limits(total, packed, count):
    if count > settings.SCORM_MAX_FILES:
        raise PackageError(
            _("Файлов в архиве: %(count)d, допускается не более %(limit)d.")
            % {"count": count, "limit": settings.SCORM_MAX_FILES}
        )
    if total > settings.SCORM_MAX_UNPACKED_SIZE:
        raise PackageError(
            _("В распакованном виде пакет занимает больше %(limit)s. Уменьшите видео и картинки.")
            % {"limit": filesizeformat(settings.SCORM_MAX_UNPACKED_SIZE)}
        )
    if packed and total > RATIO_FLOOR and total / packed > settings.SCORM_MAX_COMPRESSION_RATIO:
        raise PackageError(_("Архив сжат подозрительно сильно (похоже на «zip-бомбу») и не принимается."))


def check_package(uploaded):
    """Check an uploaded file (a Django ``UploadedFile`` or an open binary file); returns
    :class:`CheckedPackage` or raises :class:`PackageError` with the reason in Russian."""
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, os.SEEK_END)
        size = uploaded.tell()
    if size > settings.SCORM_MAX_UPLOAD_SIZE:
        raise PackageError(
            _("Файл больше %(limit)s: такой пакет не принимается.")
            % {"limit": filesizeformat(settings.SCORM_MAX_UPLOAD_SIZE)}
        )
    uploaded.seek(0)
    try:
        archive = zipfile.ZipFile(uploaded)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise PackageError(
            _("Это не zip-архив. Загрузите пакет, экспортированный как SCORM 1.2 или SCORM 2004 (.zip).")
        ) from None
    with archive:
        infos = archive.infolist()
        check_limits(0, 0, len(infos))
        entries, seen, total, packed = [], set(), 0, 0
        for info in infos:
            path = entry_path(info)
            if is_symlink(info):
                raise PackageError(
                    _("В архиве символическая ссылка: %(name)s. Такой архив не принимается.")
                    % {"name": info.filename[:200]}
                )
            if info.flag_bits & 0x1:
                raise PackageError(_("Архив защищён паролем: загрузите архив без пароля."))
            if info.is_dir() or not path:
                continue
            if path.lower() in seen:
                raise PackageError(_("В архиве дважды один и тот же файл: %(name)s.") % {"name": path[:200]})
            seen.add(path.lower())
            if info.file_size > RATIO_FLOOR and (
                info.file_size / max(info.compress_size, 1) > settings.SCORM_MAX_COMPRESSION_RATIO
            ):
                raise PackageError(
                    _(
                        "Файл %(name)s сжат подозрительно сильно (похоже на «zip-бомбу»); "
                        "архив не принимается."
                    )
                    % {"name": path[:200]}
                )
            total += info.file_size
            packed += info.compress_size
            entries.append((info, path))
        check_limits(total, packed, len(entries))
        manifest_entry = next((info for info, path in entries if path == MANIFEST), None)
        if manifest_entry is None:
            nested = next((path for _info, path in entries if path.endswith("/" + MANIFEST)), None)
            hint = (
                _(" Он найден в папке %(folder)s: упакуйте содержимое этой папки, а не саму папку.")
                % {"folder": nested.rsplit("/", 1)[0]}
                if nested
                else ""
            )
            raise PackageError(_("В корне архива нет файла imsmanifest.xml: это не пакет SCORM.") + hint)
        if manifest_entry.file_size > MANIFEST_MAX_SIZE:
            raise PackageError(_("Файл imsmanifest.xml слишком велик."))
        try:
            data = archive.read(manifest_entry)
        except (*READ_ERRORS, NotImplementedError):
            raise PackageError(_("Архив повреждён: не удалось прочитать imsmanifest.xml.")) from None
        manifest = parse_manifest(data)
        if manifest.launch_path not in {path for _info, path in entries}:  # served case-sensitively
            raise PackageError(
                _("Файл запуска %(path)s, указанный в манифесте, отсутствует в архиве.")
                % {"path": manifest.launch_path[:200]}
            )
        for info, path in entries:
            verify_entry(archive, info, path)
    return CheckedPackage(manifest=manifest, entries=tuple(entries), unpacked_size=total)


def verify_entry(archive, info, path):
    """Read one entry to its end (zipfile checks its CRC there) without keeping it: a damaged file
    anywhere in the zip is refused now, in the form, not when the package is unpacked."""
    read = 0
    try:
        with archive.open(info) as source:
            while chunk := source.read(CHUNK):
                read += len(chunk)
                if read > info.file_size:
                    raise zipfile.BadZipFile("more data than declared")
    except NotImplementedError:
        raise PackageError(
            _(
                "Файл %(name)s сжат способом, который не поддерживается. Сохраните архив заново "
                "с обычным сжатием ZIP (Deflate)."
            )
            % {"name": path[:200]}
        ) from None
    except READ_ERRORS:
        raise PackageError(
            _(
                "Архив повреждён: файл %(name)s не удаётся прочитать (не сходится контрольная сумма "
                "или нарушено сжатие). Экспортируйте пакет заново и загрузите новый архив."
            )
            % {"name": path[:200]}
        ) from None
    if read != info.file_size:
        raise PackageError(
            _("Архив повреждён: размер файла %(name)s не сходится с указанным в архиве.")
            % {"name": path[:200]}
        )


def _write_entry(archive, info, target, budget):
    """Copy one entry, never more bytes than it declared nor than the budget; returns bytes written."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    written = 0
    with archive.open(info) as source, os.fdopen(os.open(target, flags, 0o640), "wb") as destination:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            if written > info.file_size or written > budget:
                raise PackageError(_("Архив повреждён или сжат подозрительно (размер файла не сходится)."))
            destination.write(chunk)
    return written


def unpack(uploaded, checked, folder):
    """Unpack a checked package into ``folder`` (which must not exist yet)."""
    folder = Path(folder)
    root = folder.parent
    root.mkdir(parents=True, exist_ok=True, mode=0o750)
    staging = root / f".incoming-{uuid.uuid4().hex}"
    staging.mkdir(mode=0o750)
    staging_resolved = staging.resolve()
    budget = settings.SCORM_MAX_UNPACKED_SIZE
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            for info, path in checked.entries:
                target = staging.joinpath(*path.split("/"))
                if not target.resolve().is_relative_to(staging_resolved):
                    raise PackageError(_("В архиве файл вне папки пакета: %(name)s.") % {"name": path[:200]})
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
                budget -= _write_entry(archive, info, target, budget)
        staging.rename(folder)
    except (*READ_ERRORS, NotImplementedError):
        shutil.rmtree(staging, ignore_errors=True)
        raise PackageError(_("Архив повреждён: не удалось его распаковать.")) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def create_package(uploaded, course, user=None, checked=None):
    """Check (unless already ``checked``), unpack and record a package uploaded for ``course``.

    The unpacked folder is kept only when the transaction around this call commits (at once outside
    a transaction); if it (or the savepoint it is in) is rolled back, the folder is removed."""
    from ..models import ScormPackage

    checked = checked or check_package(uploaded)
    package = ScormPackage(
        course=course,
        version=checked.manifest.version,
        title=checked.manifest.title,
        launch=checked.manifest.launch,
        original_name=os.path.basename(getattr(uploaded, "name", "") or "")[:255],
        file_count=len(checked.entries),
        unpacked_size=checked.unpacked_size,
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )
    unpack(uploaded, checked, package.folder)
    try:
        package.save()
    except BaseException:
        remove_folder(package.folder)
        raise
    _remove_unless_committed(package)
    return package


class _UncommittedFolder:
    """A package folder waiting for its transaction: removed when this object is discarded, unless
    :meth:`keep` (the ``on_commit`` callback) ran first. Django drops the callbacks of a transaction or
    savepoint that is rolled back; nothing else refers to this object, so it goes with them."""

    def __init__(self, folder, key):
        self._finalizer = weakref.finalize(self, _remove_unrecorded, str(folder), key)

    def keep(self):
        self._finalizer.detach()


def _remove_unrecorded(folder, key):
    """Remove a folder whose package is not recorded. (The callback is also dropped, after the commit,
    when an earlier ``on_commit`` callback raised: the row then exists and the folder stays.)"""
    from ..models import ScormPackage

    if not _recorded(ScormPackage.objects.filter(key=key)):
        shutil.rmtree(folder, ignore_errors=True)


def _recorded(queryset):
    """Whether ``queryset`` has a row, asked only when the connection may be queried: not in the middle
    of rolling back the outermost transaction (autocommit still off, no atomic block), which is a
    rollback anyway; any error counts as not recorded."""
    connection = transaction.get_connection(queryset.db)
    try:
        if connection.connection is None or not (connection.in_atomic_block or connection.get_autocommit()):
            return False
        return queryset.exists()
    except Exception:  # a broken transaction or connection: it is being rolled back
        return False


def _remove_unless_committed(package):
    # A function of its own so that no frame (an exception's traceback, say) keeps the object alive.
    transaction.on_commit(_UncommittedFolder(package.folder, package.key).keep)


def remove_folder(folder):
    """Remove an unpacked package (when its record is deleted)."""
    shutil.rmtree(folder, ignore_errors=True)
