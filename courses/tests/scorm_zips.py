"""Zips for the SCORM tests: well-formed packages and the broken or hostile ones uploads must refuse."""

import io
import stat
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m" version="1"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>{title}</title>
    <item identifier="i1" identifierref="r1"><title>Слайды</title></item>
  </organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="{href}"/></resources>
</manifest>"""

MANIFEST_2004 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>{schemaversion}</schemaversion></metadata>
  <organizations default="org2">
    <organization identifier="org1"><title>Не та</title>
      <item identifier="x" identifierref="r_other"><title>Не тот</title></item></organization>
    <organization identifier="org2"><title>{title}</title>
      <item identifier="folder"><title>Раздел</title>
        <item identifier="i1" identifierref="r1"><title>Первый</title></item>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="r_other" type="webcontent" adlcp:scormType="sco" href="other.html"/>
    <resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="{href}"/>
  </resources>
</manifest>"""

PAGE = "<!DOCTYPE html><html><head><title>SCO</title></head><body><p>Слайд 1</p></body></html>"


def make_zip(entries, symlinks=(), compression=zipfile.ZIP_DEFLATED):
    """Bytes of a zip with ``entries`` {name: str|bytes} and ``symlinks`` {name: target}."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content.encode() if isinstance(content, str) else content)
        for name, target in dict(symlinks).items():
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


def package_12(title="Курс iSpring", href="res/index.html", extra=None):
    entries = {"imsmanifest.xml": MANIFEST_12.format(title=title, href=href), "res/index.html": PAGE}
    entries.update(extra or {})
    return make_zip(entries)


def package_2004(title="Курс Articulate", href="scormcontent/index.html", schemaversion="2004 4th Edition"):
    return make_zip(
        {
            "imsmanifest.xml": MANIFEST_2004.format(title=title, href=href, schemaversion=schemaversion),
            "scormcontent/index.html": PAGE,
            "other.html": PAGE,
        }
    )


def upload(data, name="package.zip"):
    return SimpleUploadedFile(name, data, content_type="application/zip")


@pytest.fixture
def scorm_root(settings, tmp_path):
    settings.SCORM_ROOT = tmp_path / "scorm"
    return settings.SCORM_ROOT


def make_scorm_lesson(course, data=None, **fields):
    """A live lesson of ``course`` holding a package made of ``data`` (a SCORM 1.2 zip by default)."""
    from courses.factories import make_lesson
    from courses.scorm.packages import create_package

    package = create_package(upload(data or package_12()), course)
    return make_lesson(course, body=[], scorm_package=package, **fields)


def corrupt_entry(data, name):
    """``data`` (a zip) with one byte of the packed data of entry ``name`` changed: its CRC (or, packed,
    its deflate stream) no longer matches, while the directory, the names and the sizes stay intact."""
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(name)
    header = info.header_offset
    assert data[header : header + 4] == b"PK\x03\x04"
    name_length = int.from_bytes(data[header + 26 : header + 28], "little")
    extra_length = int.from_bytes(data[header + 28 : header + 30], "little")
    start = header + 30 + name_length + extra_length
    data[start + info.compress_size // 2] ^= 0xFF
    return bytes(data)
