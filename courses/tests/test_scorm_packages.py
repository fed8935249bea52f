"""A trainer's SCORM upload: what is refused (with a Russian reason) and what is unpacked."""

import gc
import io
import zipfile

import pytest
from django.db import transaction

from courses.factories import make_course
from courses.models import ScormPackage
from courses.scorm.errors import PackageError
from courses.scorm.packages import check_package, create_package
from courses.tests.scorm_zips import (
    MANIFEST_12,
    PAGE,
    corrupt_entry,
    make_zip,
    package_12,
    package_2004,
    scorm_root,  # noqa: F401 (fixture)
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scorm_root")]


def refused(data, *words):
    with pytest.raises(PackageError) as caught:
        check_package(upload(data))
    for word in words:
        assert word in caught.value.message, caught.value.message
    return caught.value.message


def manifest(href="index.html"):
    return MANIFEST_12.format(title="Курс", href=href)


# --- well-formed packages -------------------------------------------------------------------------------


def test_a_scorm_12_package_from_ispring():
    checked = check_package(upload(package_12()))
    assert checked.manifest.version == "1.2"
    assert checked.manifest.launch == "res/index.html"
    assert checked.manifest.title == "Курс iSpring"
    assert {path for _info, path in checked.entries} == {"imsmanifest.xml", "res/index.html"}


def test_a_scorm_2004_package_launches_the_default_organizations_first_item():
    checked = check_package(upload(package_2004()))
    assert checked.manifest.version == "2004"
    assert checked.manifest.launch == "scormcontent/index.html"  # not org1's other.html
    assert checked.manifest.title == "Курс Articulate"


@pytest.mark.parametrize("schemaversion", ["CAM 1.3", "2004 3rd Edition", "2004 4th Edition"])
def test_the_2004_editions_are_recognised(schemaversion):
    assert check_package(upload(package_2004(schemaversion=schemaversion))).manifest.version == "2004"


def test_without_schemaversion_the_namespaces_tell_the_version():
    text_12 = manifest().replace("<schemaversion>1.2</schemaversion>", "")
    assert (
        check_package(upload(make_zip({"imsmanifest.xml": text_12, "index.html": PAGE}))).manifest.version
        == "1.2"
    )
    data = package_2004(schemaversion="")
    assert check_package(upload(data)).manifest.version == "2004"


def test_a_version_that_is_neither_is_refused():
    text = (
        '<manifest xmlns="urn:x"><metadata><schemaversion>9.9</schemaversion></metadata>'
        '<organizations/><resources><resource identifier="r" href="index.html"/></resources></manifest>'
    )
    refused(make_zip({"imsmanifest.xml": text, "index.html": PAGE}), "версию SCORM")


def test_the_launch_keeps_the_items_parameters():
    text = manifest().replace('identifierref="r1"', 'identifierref="r1" parameters="?slide=1"')
    checked = check_package(upload(make_zip({"imsmanifest.xml": text, "index.html": PAGE})))
    assert checked.manifest.launch == "index.html?slide=1"
    assert checked.manifest.launch_path == "index.html"


def test_create_package_unpacks_into_its_own_private_folder(settings):
    course = make_course()
    package = create_package(upload(package_12(extra={"res/img/pic.png": b"\x89PNG"})), course)
    assert package.folder.parent == settings.SCORM_ROOT
    assert (package.folder / "res" / "index.html").read_text() == PAGE
    assert (package.folder / "res" / "img" / "pic.png").read_bytes() == b"\x89PNG"
    assert (package.file_count, package.version, package.original_name) == (3, "1.2", "package.zip")
    assert not str(package.folder).startswith(str(settings.MEDIA_ROOT))
    assert [p.name for p in settings.SCORM_ROOT.iterdir()] == [package.key.hex]  # no staging left
    assert ScormPackage.objects.get() == package


# --- refused uploads ------------------------------------------------------------------------------------


def test_not_a_zip():
    refused(b"%PDF-1.4 not a zip at all", "не zip-архив")


def test_too_large_an_upload(settings):
    settings.SCORM_MAX_UPLOAD_SIZE = 100
    refused(package_12(), "больше")


def test_missing_manifest():
    refused(make_zip({"index.html": PAGE}), "imsmanifest.xml")


def test_a_manifest_in_a_folder_gets_a_hint():
    message = refused(
        make_zip({"course/imsmanifest.xml": manifest(), "course/index.html": PAGE}), "imsmanifest"
    )
    assert "course" in message


def test_missing_launch_file():
    refused(make_zip({"imsmanifest.xml": manifest("index.html")}), "index.html", "отсутствует")


@pytest.mark.parametrize("name", ["../evil.html", "res/../../evil.html", "..\\..\\evil.html"])
def test_path_traversal_in_an_entry(name):
    refused(make_zip({"imsmanifest.xml": manifest(), "index.html": PAGE, name: "x"}), "..")


@pytest.mark.parametrize("name", ["/etc/cron.d/evil", "C:/Windows/evil.html", "\\evil.html"])
def test_absolute_path_in_an_entry(name):
    refused(make_zip({"imsmanifest.xml": manifest(), "index.html": PAGE, name: "x"}), "абсолютным путём")


def test_a_symbolic_link_entry():
    data = make_zip({"imsmanifest.xml": manifest(), "index.html": PAGE}, symlinks={"passwd": "/etc/passwd"})
    refused(data, "символическая ссылка")


@pytest.mark.parametrize("href", ["../outside.html", "/index.html", "http://evil.example/x.html"])
def test_a_launch_file_outside_the_package(href):
    refused(make_zip({"imsmanifest.xml": manifest(href), "index.html": PAGE}), "вне пакета")


def test_a_zip_bomb_by_compression_ratio():
    bomb = make_zip(
        {"imsmanifest.xml": manifest(), "index.html": PAGE, "res/zeros.bin": b"\0" * (20 * 1024 * 1024)}
    )
    assert len(bomb) < 100_000
    refused(bomb, "zip-бомбу")


def test_a_zip_bomb_by_total_size(settings):
    settings.SCORM_MAX_UNPACKED_SIZE = 50_000
    files = {f"res/part{n}.bin": bytes(range(256)) * 40 for n in range(10)}  # ~100 kB, hardly packs
    data = make_zip(
        {"imsmanifest.xml": manifest(), "index.html": PAGE, **files}, compression=zipfile.ZIP_STORED
    )
    refused(data, "распакованном виде")


def test_too_many_files(settings):
    settings.SCORM_MAX_FILES = 5
    files = {f"res/{n}.txt": "x" for n in range(10)}
    refused(make_zip({"imsmanifest.xml": manifest(), "index.html": PAGE, **files}), "не более 5")


def test_a_password_protected_entry():
    data = bytearray(package_12())
    # Set the "encrypted" flag of every entry in the central directory (signature PK\1\2, flags at +8).
    position = data.find(b"PK\x01\x02")
    while position != -1:
        data[position + 8] |= 0x1
        position = data.find(b"PK\x01\x02", position + 4)
    refused(bytes(data), "паролем")


def test_a_manifest_with_entities_is_refused_not_expanded():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        "<manifest>&b;</manifest>"
    )
    refused(make_zip({"imsmanifest.xml": laughs, "index.html": PAGE}), "imsmanifest.xml")


def test_a_broken_manifest():
    refused(make_zip({"imsmanifest.xml": "<manifest><unclosed>", "index.html": PAGE}), "не является XML")


def test_a_manifest_without_a_launchable_item():
    text = manifest().replace('href="index.html"', "")
    refused(make_zip({"imsmanifest.xml": text, "index.html": PAGE}), "SCO")


def test_a_truncated_zip():
    refused(package_12()[:-30], "zip")


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_damaged_file_outside_the_manifest_is_refused_at_the_check(compression):
    """Not only the manifest and the launch file: every file's CRC is checked before anything is saved."""
    text = bytes(range(256)) * 64  # 16 kB that hardly packs
    entries = {"imsmanifest.xml": manifest(), "index.html": PAGE, "res/media/clip.bin": text}
    data = make_zip(entries, compression=compression)
    assert check_package(upload(data)).manifest.version == "1.2"
    message = refused(corrupt_entry(data, "res/media/clip.bin"), "Архив повреждён", "res/media/clip.bin")
    assert "контрольная сумма" in message


def test_nothing_is_written_for_a_refused_package(settings):
    with pytest.raises(PackageError):
        create_package(upload(make_zip({"index.html": PAGE})), make_course())
    assert not settings.SCORM_ROOT.exists() or not any(settings.SCORM_ROOT.iterdir())
    assert not ScormPackage.objects.exists()


def test_a_file_object_without_a_size_is_checked_too():
    assert check_package(io.BytesIO(package_12())).manifest.version == "1.2"


def test_a_deleted_package_takes_its_files_with_it(django_capture_on_commit_callbacks):
    package = create_package(upload(package_12()), make_course())
    assert package.folder.exists()
    with django_capture_on_commit_callbacks(execute=True):
        package.delete()
    assert not package.folder.exists()


# --- the folder follows the transaction ---------------------------------------------------------------


def test_a_rolled_back_upload_leaves_no_folder(settings):
    course = make_course()
    with pytest.raises(RuntimeError), transaction.atomic():
        package = create_package(upload(package_12()), course)
        folder = package.folder
        assert (folder / "res" / "index.html").exists()  # usable within the transaction (a preview)
        raise RuntimeError("a later error in the same save")
    assert not folder.exists()
    assert not any(settings.SCORM_ROOT.iterdir())
    assert not ScormPackage.objects.exists()


def test_a_committed_upload_keeps_its_folder(django_capture_on_commit_callbacks):
    course = make_course()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        package = create_package(upload(package_12()), course)
    assert len(callbacks) == 1
    del callbacks
    gc.collect()
    assert (package.folder / "res" / "index.html").exists()


def test_a_folder_whose_package_is_recorded_stays_even_if_its_callback_is_dropped(
    django_capture_on_commit_callbacks,
):
    """An earlier on_commit callback that raises makes Django drop the later ones after the commit:
    the package's row exists then, and its folder must not go."""
    course = make_course()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        package = create_package(upload(package_12()), course)
    callbacks.clear()
    gc.collect()
    assert (package.folder / "res" / "index.html").exists()


@pytest.mark.django_db(transaction=True)
def test_outside_a_test_transaction_a_rollback_removes_and_a_commit_keeps(settings):
    course = make_course()
    with pytest.raises(RuntimeError), transaction.atomic():
        rolled_back = create_package(upload(package_12()), course)
        raise RuntimeError("a later error in the same save")
    assert not rolled_back.folder.exists()
    with transaction.atomic():
        kept = create_package(upload(package_12()), course)
    gc.collect()
    assert (kept.folder / "res" / "index.html").exists()
    assert list(settings.SCORM_ROOT.iterdir()) == [kept.folder]
