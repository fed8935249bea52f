"""A SCORM lesson counts as studied when its package reports it completed: that feeds the course's
completion and certificate; the button «Я изучил(а) урок» does not count for it. Also what the person
sees (the lesson, the course's progress), the trainer's upload form, the personal data and the demo."""

import io
import json

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data

from cms.moderation import ensure_moderation
from courses.demo import SCORM_LESSON_SLUG, build_demo_courses
from courses.exceptions import StudiedByPackage
from courses.factories import make_course, make_course_index, make_lesson
from courses.models import Certificate, Enrollment, LessonPage, LessonProgress, ScormPackage, ScormRecord
from courses.privacy import clear_scorm_resume_data, my_courses
from courses.scorm.runtime import apply_commit, clean_commit, is_done
from courses.services import enrol, mark_studied
from courses.tests.scorm_zips import (
    corrupt_entry,
    make_scorm_lesson,
    make_zip,
    package_12,
    package_2004,
    scorm_root,  # noqa: F401 (fixture)
    upload,
)
from people.factories import make_person
from people.models import User
from people.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scorm_root")]
SESSION = "c" * 32


@pytest.fixture
def course():
    make_course_index()
    ensure_moderation()
    return make_course()


@pytest.fixture
def servant(course):
    person = make_person()
    enrol(person, course, Enrollment.Source.SELF)
    return person


def runtime_url(lesson):
    return reverse("courses:scorm_runtime", kwargs={"pk": lesson.pk, "package_pk": lesson.scorm_package_id})


def commit(client, lesson, **data):
    data.setdefault("session", SESSION)
    response = client.post(runtime_url(lesson), json.dumps(data), content_type="application/json")
    assert response.status_code == 200, response.content.decode()
    return response.json()


def enrollment_of(person, course):
    return Enrollment.objects.active().get(user=person, course=course)


# --- when a package counts as completed ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "values", "done"),
    [
        ("1.2", {"lesson_status": "incomplete"}, False),
        ("1.2", {"lesson_status": "browsed"}, False),
        ("1.2", {"lesson_status": "failed"}, False),
        ("1.2", {"lesson_status": "completed"}, True),
        ("1.2", {"lesson_status": "passed"}, True),
        ("2004", {"completion_status": "incomplete"}, False),
        ("2004", {"completion_status": "completed"}, True),
        ("2004", {"completion_status": "completed", "success_status": "unknown"}, True),
        ("2004", {"completion_status": "completed", "success_status": "failed"}, False),
        ("2004", {"completion_status": "incomplete", "success_status": "passed"}, True),
        ("2004", {"success_status": "passed"}, True),
    ],
)
def test_what_counts_as_completed(version, values, done):
    record = ScormRecord()
    from django.utils import timezone

    apply_commit(record, clean_commit({"session": SESSION, **values}, version), version, timezone.now())
    assert is_done(record, version) is done
    assert (record.completed_at is not None) is done


def test_a_failed_2004_test_completes_when_passed_later():
    from django.utils import timezone

    record = ScormRecord()
    now = timezone.now()
    apply_commit(record, clean_commit({"session": SESSION, "completion_status": "completed",
                                       "success_status": "failed"}, "2004"), "2004", now)  # fmt: skip
    assert record.completed_at is None
    apply_commit(record, clean_commit({"session": SESSION, "success_status": "passed"}, "2004"), "2004", now)
    assert record.completed_at == now


# --- feeding the course --------------------------------------------------------------------------------


def test_completing_the_package_studies_the_lesson_and_completes_the_course(client, course, servant):
    plain = make_lesson(course)
    lesson = make_scorm_lesson(course)
    enrollment = enrollment_of(servant, course)
    mark_studied(enrollment, plain)
    client.force_login(servant)
    commit(client, lesson, lesson_status="incomplete", score_raw="40")
    assert not LessonProgress.objects.filter(lesson=lesson, studied_at__isnull=False).exists()
    enrollment.refresh_from_db()
    assert enrollment.completed_at is None

    answer = commit(client, lesson, lesson_status="passed", score_raw="90", score_max="100")
    assert answer["completed"] is True
    progress = LessonProgress.objects.get(enrollment=enrollment, lesson=lesson)
    assert progress.studied_at is not None
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    certificate = Certificate.objects.get(user=servant, course=course)
    assert enrollment.certificate == certificate
    assert enrollment.progress() == (2, 2)


def test_a_2004_package_completed_but_failed_does_not_count(client, course, servant):
    lesson = make_scorm_lesson(course, package_2004())
    client.force_login(servant)
    commit(client, lesson, completion_status="completed", success_status="failed", score_scaled="0.3")
    assert not LessonProgress.objects.filter(lesson=lesson, studied_at__isnull=False).exists()
    commit(client, lesson, completion_status="completed", success_status="passed", score_scaled="0.8")
    assert LessonProgress.objects.get(lesson=lesson).studied_at is not None
    assert Certificate.objects.filter(user=servant, course=course).exists()


def test_the_button_does_not_study_a_scorm_lesson(client, course, servant):
    lesson = make_scorm_lesson(course)
    with pytest.raises(StudiedByPackage):
        mark_studied(enrollment_of(servant, course), lesson)
    client.force_login(servant)
    response = client.post(reverse("courses:mark_studied", args=[lesson.pk]), follow=True)
    assert "засчитывается, когда вы пройдёте его до конца" in response.content.decode()
    assert not LessonProgress.objects.filter(lesson=lesson, studied_at__isnull=False).exists()
    assert not Certificate.objects.exists()


def test_a_recertification_starts_the_package_afresh(client, course, servant):
    lesson = make_scorm_lesson(course)
    client.force_login(servant)
    commit(client, lesson, lesson_status="passed", suspend_data="end")
    old = enrollment_of(servant, course)
    old.is_active = False
    old.save()
    Enrollment.objects.create(user=servant, course=course)
    state = client.get(runtime_url(lesson)).json()["cmi"]
    assert state["core"]["lesson_status"] == "not attempted" and state["suspend_data"] == ""
    commit(client, lesson, lesson_status="passed")
    assert LessonProgress.objects.filter(enrollment=enrollment_of(servant, course), lesson=lesson).exists()


# --- what the person sees -------------------------------------------------------------------------------


def test_the_lesson_and_the_course_show_status_and_score(client, course, servant):
    lesson = make_scorm_lesson(course, title="Интерактивный урок о подарках")
    client.force_login(servant)
    html = client.get(lesson.url).content.decode()
    assert "не начат" in html and "Я изучил(а) урок" not in html
    commit(client, lesson, lesson_status="passed", score_raw="85", score_min="0", score_max="100")
    html = client.get(lesson.url).content.decode()
    assert "сдан" in html and "85 из 100" in html and "Урок изучен" in html
    course_html = client.get(course.url).content.decode()
    assert "85 из 100" in course_html
    assert "Курс завершён" in course_html


def test_an_editor_sees_the_preview_note_and_nothing_is_recorded(client, course):
    lesson = make_scorm_lesson(course)
    client.force_login(make_person(role=Role.TRAINER))
    html = client.get(lesson.url).content.decode()
    assert 'data-records="0"' in html and "Предпросмотр: прохождение не сохраняется." in html


# --- the trainer's upload -------------------------------------------------------------------------------


@pytest.fixture
def trainer(client, course):
    client.force_login(make_person(role=Role.TRAINER))
    return client


PAGE_WITH_MEDIA = (
    "<!DOCTYPE html><html><body>" + "<p>Слайд 2: подарки и их стоимость.</p>" * 200 + "</body></html>"
)


def lesson_data(**extra):
    from wagtail.test.utils.form_data import rich_text, streamfield

    return nested_form_data(
        {
            "title": "Интерактивный урок",
            "slug": "interaktivnyj",
            "intro": "",
            "body": streamfield([("paragraph", rich_text("<p>Вступление</p>"))]),
            **extra,
        }
    )


def test_a_trainer_uploads_a_package_to_a_new_lesson(trainer, course):
    data = lesson_data()
    data["scorm_upload"] = upload(package_12(), "ispring-kurs.zip")
    response = trainer.post(f"/admin/pages/add/courses/lessonpage/{course.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    lesson = LessonPage.objects.get(slug="interaktivnyj")
    package = lesson.get_latest_revision_as_object().scorm_package
    assert (package.version, package.original_name, package.course_id) == (
        "1.2",
        "ispring-kurs.zip",
        course.pk,
    )
    assert (package.folder / "res" / "index.html").exists()
    edit = trainer.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert "Сейчас в уроке" in edit and "SCORM 1.2" in edit


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip", "Это не zip-архив"),
        (make_zip({"index.html": "x"}), "нет файла imsmanifest.xml"),
        (make_zip({"imsmanifest.xml": "<manifest>", "../evil": "x"}), "вне папки пакета"),
    ],
)
def test_a_bad_package_is_a_form_error_in_russian(trainer, course, data, message):
    form = lesson_data()
    form["scorm_upload"] = upload(data)
    response = trainer.post(f"/admin/pages/add/courses/lessonpage/{course.pk}/", form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LessonPage.objects.filter(slug="interaktivnyj").exists()
    assert not ScormPackage.objects.exists()


def test_a_new_upload_goes_to_the_draft_and_the_live_lesson_keeps_its_package(trainer, course):
    lesson = make_scorm_lesson(course)
    live_package = lesson.scorm_package
    data = lesson_data(title=lesson.title, slug=lesson.slug)
    data["scorm_upload"] = upload(package_2004())
    response = trainer.post(f"/admin/pages/{lesson.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    lesson.refresh_from_db()
    assert lesson.scorm_package == live_package
    assert lesson.get_latest_revision_as_object().scorm_package.version == "2004"


def test_a_damaged_file_in_the_zip_is_a_form_error_not_a_500(trainer, course):
    data = package_12(extra={"res/slides/slide2.html": PAGE_WITH_MEDIA})
    form = lesson_data()
    form["scorm_upload"] = upload(corrupt_entry(data, "res/slides/slide2.html"))
    response = trainer.post(f"/admin/pages/add/courses/lessonpage/{course.pk}/", form)
    assert response.status_code == 200
    assert "Архив повреждён: файл res/slides/slide2.html" in response.content.decode()
    assert not LessonPage.objects.filter(slug="interaktivnyj").exists()
    assert not ScormPackage.objects.exists()


def test_an_edit_rolled_back_after_the_upload_leaves_no_folder(trainer, course, settings):
    lesson = make_scorm_lesson(course)
    live_folder = lesson.scorm_package.folder
    data = lesson_data(title=lesson.title, slug=lesson.slug)
    data["scorm_upload"] = upload(package_2004())
    # Wagtail saves the form, then the revision, in one transaction; a revision to overwrite that does
    # not exist fails after the package was unpacked, and the whole save is rolled back.
    data["overwrite_revision_id"] = "999999"
    response = trainer.post(f"/admin/pages/{lesson.pk}/edit/", data)
    assert response.status_code == 200
    assert list(ScormPackage.objects.all()) == [lesson.scorm_package]
    assert list(settings.SCORM_ROOT.iterdir()) == [live_folder]


def test_the_package_can_be_taken_off_the_lesson(trainer, course):
    lesson = make_scorm_lesson(course)
    response = trainer.post(
        f"/admin/pages/{lesson.pk}/edit/",
        lesson_data(title=lesson.title, slug=lesson.slug, scorm_remove="on"),
    )
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.get_latest_revision_as_object().scorm_package is None


# --- personal data ---------------------------------------------------------------------------------------


def test_my_data_lists_scorm_lessons_and_erasure_clears_resume_data(client, course, servant):
    lesson = make_scorm_lesson(course, title="Подарки (SCORM)")
    client.force_login(servant)
    commit(client, lesson, lesson_status="incomplete", suspend_data="typed answer", location="s2",
           score_raw="50", session_time="00:10:00")  # fmt: skip
    sheets = {sheet.title: sheet for sheet in my_courses(servant)}
    sheet = sheets["Интерактивные уроки"]
    assert sheet.in_training_record
    row = dict(zip(sheet.columns, sheet.rows[0], strict=True))
    assert (row["Урок"], row["Состояние"], row["Результат"], row["Время в уроке, мин"]) == (
        "Подарки (SCORM)", "не завершён", "50 из 100", 10,
    )  # fmt: skip
    other = make_person()
    assert "Интерактивные уроки" not in {sheet.title for sheet in my_courses(other)}

    clear_scorm_resume_data([servant.pk])
    record = ScormRecord.objects.get()
    assert (record.suspend_data, record.location, record.score_raw) == ("", "", 50)


def test_the_eraser_is_registered():
    from people.privacy.anonymize import _ERASERS

    assert clear_scorm_resume_data in _ERASERS


# --- the demo --------------------------------------------------------------------------------------------


def test_the_demo_course_has_a_scorm_lesson_once(settings):
    make_person(username="servant")
    build_demo_courses(io.StringIO(), {})
    build_demo_courses(io.StringIO(), {})
    lesson = LessonPage.objects.live().get(slug=SCORM_LESSON_SLUG)
    package = lesson.scorm_package
    assert package.version == "1.2" and (package.folder / "res" / "index.html").exists()
    assert ScormPackage.objects.count() == 1
    assert User.objects.get(username="servant").enrollments.get().course == lesson.get_parent().specific
