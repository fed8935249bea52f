"""The files of a lesson's SCORM package: only for those who may see the lesson, nothing outside the
package, the right content types, nosniff, and a relaxed but sandboxed policy of their own."""

import pytest
from django.urls import reverse

from cms.moderation import ensure_moderation
from courses.factories import make_course, make_course_index
from courses.models import Enrollment
from courses.services import enrol
from courses.tests.scorm_zips import (
    PAGE,
    make_scorm_lesson,
    package_12,
    scorm_root,  # noqa: F401 (fixture)
)
from people.factories import make_person, make_regional_manager
from people.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scorm_root")]

EXTRA = {
    "res/app.js": "window.started = true;",
    "res/style.css": "body { color: #000 }",
    "res/pic.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    "res/clip.mp4": b"\0\0\0\x18ftypmp42",
    "res/data.bin": b"\x00\x01",
    "res/.hidden": "secret",
    "res/page.php": "<?php echo 1;",
}


@pytest.fixture
def course():
    make_course_index()
    ensure_moderation()
    return make_course()


@pytest.fixture
def lesson(course):
    return make_scorm_lesson(course, package_12(extra=EXTRA))


@pytest.fixture
def servant(course):
    person = make_person()
    enrol(person, course, Enrollment.Source.SELF)
    return person


def file_url(lesson, path, package=None):
    package_pk = package.pk if package else lesson.scorm_package_id
    return reverse("courses:scorm_file", kwargs={"pk": lesson.pk, "package_pk": package_pk, "path": path})


def content(response):
    return (
        b"".join(response.streaming_content) if hasattr(response, "streaming_content") else response.content
    )


def test_anonymous_goes_to_the_login_page(client, lesson):
    response = client.get(file_url(lesson, "res/index.html"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_enrolled_person_gets_the_launch_page(client, lesson, servant):
    client.force_login(servant)
    response = client.get(file_url(lesson, "res/index.html"))
    assert response.status_code == 200
    assert content(response).decode() == PAGE
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "private" in response["Cache-Control"]


def test_the_package_has_its_own_sandboxed_policy(client, lesson, servant):
    client.force_login(servant)
    policy = client.get(file_url(lesson, "res/index.html"))["Content-Security-Policy"]
    directives = {part.strip().split(" ", 1)[0]: part.strip() for part in policy.split(";")}
    assert "'unsafe-inline'" in directives["script-src"]  # the package's own inline scripts
    assert directives["frame-ancestors"] == "frame-ancestors 'self'"  # framed by the lesson page only
    assert directives["sandbox"].startswith("sandbox allow-scripts allow-same-origin")
    assert "allow-top-navigation" not in policy
    assert directives["default-src"] == "default-src 'self'"
    assert directives["connect-src"] == "connect-src 'self'"
    assert "http" not in policy  # nothing from other sites


def test_the_lesson_page_itself_keeps_the_strict_policy(client, lesson, servant):
    client.force_login(servant)
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert 'id="scorm-player"' in html and "courses/scorm-player.js" in html
    assert "scorm-again/scorm12.min.js" in html


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("res/app.js", "text/javascript; charset=utf-8"),
        ("res/style.css", "text/css; charset=utf-8"),
        ("res/pic.svg", "image/svg+xml"),
        ("res/clip.mp4", "video/mp4"),
        ("res/data.bin", "application/octet-stream"),
        ("res/page.php", "application/octet-stream"),  # never run, never rendered
        ("imsmanifest.xml", "application/xml"),
    ],
)
def test_content_types(client, lesson, servant, path, content_type):
    client.force_login(servant)
    response = client.get(file_url(lesson, path))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "res/",  # a folder: no listing
        "res",
        "res/missing.html",
        "res/../imsmanifest.xml",
        "res/%2e%2e/imsmanifest.xml",
        "../../../../etc/passwd",
        "res/..%2f..%2fetc/passwd",
        "%2e%2e/%2e%2e/etc/passwd",
        "res/.hidden",
        "res//index.html",
        "res\\index.html",
        "./res/index.html",
    ],
)
def test_traversal_and_folders_are_not_found(client, lesson, servant, path):
    client.force_login(servant)
    url = file_url(lesson, "x").removesuffix("x") + path
    assert client.get(url).status_code == 404


def test_a_link_inside_the_package_folder_is_not_followed(client, lesson, servant, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    (lesson.scorm_package.folder / "res" / "link.txt").symlink_to(outside)
    client.force_login(servant)
    assert client.get(file_url(lesson, "res/link.txt")).status_code == 404


def test_not_enrolled_is_not_found(client, lesson):
    client.force_login(make_person())
    assert client.get(file_url(lesson, "res/index.html")).status_code == 404


def test_enrolled_in_another_course_is_not_found(client, lesson):
    other = make_course()
    person = make_person()
    enrol(person, other, Enrollment.Source.SELF)
    other_lesson = make_scorm_lesson(other)
    client.force_login(person)
    assert client.get(file_url(other_lesson, "res/index.html")).status_code == 200
    assert client.get(file_url(lesson, "res/index.html")).status_code == 404
    # another lesson's package through this person's lesson: not found either
    assert (
        client.get(file_url(other_lesson, "res/index.html", package=lesson.scorm_package)).status_code == 404
    )


def test_an_unpublished_lesson_is_not_found_for_learners(client, lesson, servant):
    lesson.unpublish()
    client.force_login(servant)
    assert client.get(file_url(lesson, "res/index.html")).status_code == 404


def test_staff_who_may_edit_the_course_preview_it(client, lesson):
    for person in (make_person(role=Role.TRAINER), make_regional_manager()):
        client.force_login(person)
        assert client.get(file_url(lesson, "res/index.html")).status_code == 200


def test_a_draft_package_is_previewed_by_editors_only(client, course, lesson, servant):
    from courses.scorm.packages import create_package
    from courses.tests.scorm_zips import upload

    live_package = lesson.scorm_package
    draft_package = create_package(upload(package_12(title="Новая версия")), course)
    lesson.scorm_package = draft_package
    lesson.save_revision()  # a draft: the live lesson keeps its package
    client.force_login(servant)
    assert client.get(file_url(lesson, "res/index.html", package=draft_package)).status_code == 404
    assert client.get(file_url(lesson, "res/index.html", package=live_package)).status_code == 200
    client.force_login(make_person(role=Role.TRAINER))
    assert client.get(file_url(lesson, "res/index.html", package=draft_package)).status_code == 200


def test_only_get_and_head(client, lesson, servant):
    client.force_login(servant)
    assert client.post(file_url(lesson, "res/index.html")).status_code == 405
    assert client.head(file_url(lesson, "res/index.html")).status_code == 200
