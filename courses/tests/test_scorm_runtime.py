"""The run-time endpoint of a lesson's SCORM package: the launch state, and commits checked, recorded
by the rules (status never lower, best score, time accumulated, resume data) for the person only."""

import json

import pytest
from django.urls import reverse

from cms.moderation import ensure_moderation
from courses.factories import make_course, make_course_index
from courses.models import Enrollment, ScormRecord
from courses.scorm.runtime import LIMITS
from courses.services import enrol
from courses.tests.scorm_zips import (
    make_scorm_lesson,
    package_12,
    package_2004,
    scorm_root,  # noqa: F401 (fixture)
)
from people.factories import make_person
from people.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scorm_root")]

SESSION, SESSION_2 = "a" * 32, "b" * 32


@pytest.fixture
def course():
    make_course_index()
    ensure_moderation()
    return make_course()


@pytest.fixture
def lesson(course):
    return make_scorm_lesson(course, package_12())


@pytest.fixture
def lesson_2004(course):
    return make_scorm_lesson(course, package_2004())


@pytest.fixture
def servant(course):
    person = make_person(last_name="Смирнова", first_name="Анна")
    enrol(person, course, Enrollment.Source.SELF)
    return person


@pytest.fixture
def learner(client, servant):
    client.force_login(servant)
    return client


def url(lesson):
    return reverse("courses:scorm_runtime", kwargs={"pk": lesson.pk, "package_pk": lesson.scorm_package_id})


def post(client, lesson, **data):
    data.setdefault("session", SESSION)
    return client.post(url(lesson), json.dumps(data), content_type="application/json")


def record_of(person, lesson):
    return ScormRecord.objects.get(enrollment__user=person, lesson=lesson)


# --- the launch --------------------------------------------------------------------------------------


def test_a_first_launch_starts_from_the_beginning(learner, lesson):
    state = learner.get(url(lesson)).json()
    assert state["version"] == "1.2" and state["records"] is True
    core = state["cmi"]["core"]
    assert core["entry"] == "ab-initio"
    assert core["lesson_status"] == "not attempted"
    assert core["student_name"] == "Смирнова, Анна"
    assert state["cmi"]["suspend_data"] == ""


def test_the_next_launch_resumes_with_the_suspend_data(learner, servant, lesson):
    response = post(
        learner, lesson, lesson_status="incomplete", location="slide-3", suspend_data='{"slide":2}',
        session_time="00:02:05", exit="suspend",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    core = learner.get(url(lesson)).json()["cmi"]["core"]
    assert core["entry"] == "resume"
    assert core["lesson_location"] == "slide-3"
    assert core["lesson_status"] == "incomplete"
    assert core["total_time"] == "0000:02:05.00"
    assert learner.get(url(lesson)).json()["cmi"]["suspend_data"] == '{"slide":2}'


def test_a_2004_launch(learner, lesson_2004):
    score = {"score_raw": "40", "score_min": "0", "score_max": "100", "score_scaled": "0.4"}
    post(learner, lesson_2004, completion_status="incomplete", location="p2", suspend_data="xyz",
         session_time="PT1M30S", **score)  # fmt: skip
    cmi = learner.get(url(lesson_2004)).json()["cmi"]
    assert (cmi["entry"], cmi["location"], cmi["suspend_data"]) == ("resume", "p2", "xyz")
    assert cmi["completion_status"] == "incomplete" and cmi["success_status"] == "unknown"
    assert cmi["total_time"] == "PT0H1M30S"
    assert cmi["score"] == {"raw": "40", "min": "0", "max": "100", "scaled": "0.4"}
    assert cmi["learner_name"] == "Смирнова, Анна"


# --- what is recorded ----------------------------------------------------------------------------------


def test_status_is_never_lowered(learner, servant, lesson):
    post(learner, lesson, lesson_status="completed")
    post(learner, lesson, lesson_status="incomplete")
    post(learner, lesson, lesson_status="failed")
    assert record_of(servant, lesson).lesson_status == "completed"
    post(learner, lesson, lesson_status="passed")
    post(learner, lesson, lesson_status="not attempted")
    assert record_of(servant, lesson).lesson_status == "passed"


def test_2004_statuses_are_never_lowered(learner, servant, lesson_2004):
    post(learner, lesson_2004, completion_status="completed", success_status="passed")
    post(learner, lesson_2004, completion_status="incomplete", success_status="failed")
    record = record_of(servant, lesson_2004)
    assert (record.completion_status, record.success_status) == ("completed", "passed")


def test_time_accumulates_over_sessions_not_over_commits(learner, servant, lesson):
    post(learner, lesson, session_time="00:01:00")
    post(learner, lesson, session_time="00:03:00")  # the same session, later: replaces
    assert record_of(servant, lesson).time_spent_seconds == 180
    post(learner, lesson, session=SESSION_2, session_time="00:00:30")
    assert record_of(servant, lesson).time_spent_seconds == 210
    post(learner, lesson, session=SESSION_2, session_time="00:02:00")
    assert record_of(servant, lesson).time_spent_seconds == 300
    assert learner.get(url(lesson)).json()["cmi"]["core"]["total_time"] == "0000:05:00.00"


def test_a_session_counts_at_most_twelve_hours(learner, servant, lesson):
    post(learner, lesson, session_time="9999:00:00")
    assert record_of(servant, lesson).time_spent_seconds == 12 * 3600


def test_the_best_score_is_kept(learner, servant, lesson):
    post(learner, lesson, score_raw="60", score_min="0", score_max="100")
    post(learner, lesson, score_raw="90", score_min="0", score_max="100")
    post(learner, lesson, score_raw="10", score_min="0", score_max="100")
    record = record_of(servant, lesson)
    assert record.score_raw == 90
    assert record.score_label() == "90 из 100"


def test_the_answer_tells_status_and_score(learner, lesson):
    answer = post(learner, lesson, lesson_status="passed", score_raw="80", score_max="100").json()
    assert answer == {"saved": True, "completed": True, "status": "сдан", "score": "80 из 100"}


# --- refused ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "word"),
    [
        ({"lesson_status": "done"}, "lesson_status"),
        ({"lesson_status": 5}, "lesson_status"),
        ({"score_raw": "many"}, "score_raw"),
        ({"score_raw": "101"}, "score_raw"),
        ({"score_raw": "NaN"}, "score_raw"),
        ({"score_raw": True}, "score_raw"),
        ({"suspend_data": "x" * (LIMITS["1.2"]["suspend_data"] + 1)}, "4096"),
        ({"suspend_data": ["x"]}, "suspend_data"),
        ({"location": "x" * 256}, "255"),
        ({"session_time": "soon"}, "Время сеанса"),
        ({"session_time": "PT1H"}, "Время сеанса"),  # a 2004 duration in a 1.2 package
        ({"exit": "normal"}, "exit"),  # 2004 only
        ({"completion_status": "completed"}, "Неизвестные поля"),  # 2004 only
        ({"cmi.core.lesson_status": "passed"}, "Неизвестные поля"),
        ({"session": "short"}, "ключ сеанса"),
        ({"session": None}, "ключ сеанса"),
    ],
)
def test_garbage_is_a_russian_400(learner, servant, lesson, data, word):
    response = post(learner, lesson, **data)
    assert response.status_code == 400
    assert word in response.json()["error"]
    assert not ScormRecord.objects.exists()


@pytest.mark.parametrize(
    ("data", "word"),
    [
        ({"suspend_data": "x" * 64001}, "64000"),
        ({"score_scaled": "1.5"}, "score_scaled"),
        ({"success_status": "completed"}, "success_status"),
        ({"lesson_status": "passed"}, "Неизвестные поля"),
        ({"session_time": "00:01:00"}, "Время сеанса"),
    ],
)
def test_garbage_in_2004_is_a_russian_400(learner, lesson_2004, data, word):
    response = post(learner, lesson_2004, **data)
    assert response.status_code == 400 and word in response.json()["error"]


def test_2004_takes_its_longer_suspend_data(learner, servant, lesson_2004):
    assert post(learner, lesson_2004, suspend_data="x" * 64000).status_code == 200
    assert len(record_of(servant, lesson_2004).suspend_data) == 64000


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("not json", "application/json"),
        ("[1, 2]", "application/json"),
        ("null", "application/json"),
        ('"text"', "application/json"),
        (b"\xff\xfe", "application/json"),
        ("[" * 100_000 + "]" * 100_000, "application/json"),
        ("lesson_status=passed", "application/x-www-form-urlencoded"),
        ('{"score_raw": ' + "9" * 5000 + "}", "application/json"),  # int() refuses over 4300 digits
        ('{"session": "' + "a" * 32 + '", "suspend_data": "' + "x" * 300_000 + '"}', "application/json"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_400(learner, lesson, body, content_type):
    response = learner.post(url(lesson), body, content_type=content_type)
    assert response.status_code == 400
    assert response.json()["error"]


def test_commits_need_the_csrf_token(servant, lesson):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(servant)
    response = client.post(url(lesson), json.dumps({"session": SESSION}), content_type="application/json")
    assert response.status_code == 403
    assert not ScormRecord.objects.exists()


# --- whose record ---------------------------------------------------------------------------------------


def test_anonymous_goes_to_the_login_page(client, lesson):
    assert client.get(url(lesson)).status_code == 302
    assert post(client, lesson, lesson_status="passed").status_code == 302
    assert not ScormRecord.objects.exists()


def test_a_person_writes_only_their_own_record(client, servant, lesson):
    other = make_person()
    enrol(other, lesson.get_parent().specific, Enrollment.Source.SELF)
    client.force_login(other)
    post(client, lesson, lesson_status="passed")
    assert record_of(other, lesson).lesson_status == "passed"
    assert not ScormRecord.objects.filter(enrollment__user=servant).exists()
    client.force_login(servant)
    assert client.get(url(lesson)).json()["cmi"]["core"]["lesson_status"] == "not attempted"


def test_not_enrolled_is_not_found(client, lesson):
    client.force_login(make_person())
    assert client.get(url(lesson)).status_code == 404
    assert post(client, lesson, lesson_status="passed").status_code == 404


def test_another_courses_lesson_is_not_found(client, servant):
    other_lesson = make_scorm_lesson(make_course())
    client.force_login(servant)
    assert post(client, other_lesson, lesson_status="passed").status_code == 404
    assert not ScormRecord.objects.exists()


def test_staff_previews_are_not_recorded(client, lesson):
    client.force_login(make_person(role=Role.TRAINER))
    state = client.get(url(lesson)).json()
    assert state["records"] is False
    response = post(client, lesson, lesson_status="passed")
    assert response.status_code == 403
    assert "Предпросмотр" in response.json()["error"]
    assert not ScormRecord.objects.exists()


def test_a_withdrawn_enrolment_records_nothing(client, servant, lesson):
    Enrollment.objects.filter(user=servant).update(is_active=False)
    client.force_login(servant)
    assert post(client, lesson, lesson_status="passed").status_code == 404
