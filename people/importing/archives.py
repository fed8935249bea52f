"""Guards for uploaded XLSX files (zip archives) before they are parsed.

An XLSX of a few hundred kilobytes can unpack to gigabytes (a "zip bomb"); openpyxl would then keep a
worker busy for minutes. Every import reads the sizes in the archive's directory first, which costs
nothing, and refuses the file above its limit. Used by the people import and the question import.
"""

import zipfile


class DamagedArchive(Exception):
    """The file is not a readable zip archive."""


def unpacked_size(fileobj):
    """The total size of the archive's members once unpacked; the file position is restored."""
    position = fileobj.tell()
    try:
        with zipfile.ZipFile(fileobj) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DamagedArchive from None
    finally:
        fileobj.seek(position)
