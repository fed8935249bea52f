"""In a real browser: a servant takes a SCORM lesson, SCORM 1.2 and SCORM 2004, on a desktop and on a
360 px phone.

The packages are made here and call the API the way iSpring's output does: look for ``API`` /
``API_1484_11`` in the parent frames, Initialize, read entry, suspend data and location, write the
location and suspend data and commit on each slide, then the score and status, then session time,
exit and Finish. The journey checks what the server recorded, the resume after a reload (the package
gets its suspend data with entry = resume), the lesson studied, the course completed with its
certificate, the score on the lesson and course pages, and that neither the strict policy of the lesson
page nor the package's own policy blocked anything.
"""

import io
import zipfile

import pytest

from courses.factories import make_course, make_course_index, make_lesson
from courses.models import Certificate, Enrollment, LessonProgress, ScormRecord
from courses.scorm.packages import create_package
from courses.services import enrol
from people.factories import make_person
from tests.browser.csp import record_violations

from .journeys import PASSWORD, VIEWPORTS, log_in, new_context

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

LESSON_TITLE = "Подарки: интерактивный урок"

MANIFEST = {
    "1.2": """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="ispring_12" version="1.0" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Подарки</title>
    <item identifier="i1" identifierref="r1"><title>Подарки</title></item></organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="res/index.html">
    <file href="res/index.html"/></resource></resources>
</manifest>""",
    "2004": """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="ispring_2004" version="1.0" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Подарки</title>
    <item identifier="i1" identifierref="r1"><title>Подарки</title></item></organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="res/index.html">
    <file href="res/index.html"/></resource></resources>
</manifest>""",
}

LAUNCH_PAGE = """<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Подарки</title><link rel="stylesheet" href="player.css"></head>
<body>
<p>Вход: <span id="entry"></span></p>
<p>Данные: <span id="suspend"></span></p>
<p>Место: <span id="location"></span></p>
<p>Статус: <span id="status"></span></p>
<p>Ученик: <span id="learner"></span></p>
<button type="button" id="next">Далее</button>
<button type="button" id="pass">Сдать тест</button>
<button type="button" id="finish">Завершить</button>
<p id="done"></p>
<script>
(function () {
  var V = "__VERSION__";
  function find(win) {
    for (var i = 0; win && i < 10; i++) {
      var api = V === "2004" ? win.API_1484_11 : win.API;
      if (api) { return api; }
      if (win.parent === win) { break; }
      win = win.parent;
    }
    return null;
  }
  var api = find(window);
  var E = V === "2004"
    ? { entry: "cmi.entry", location: "cmi.location", status: "cmi.completion_status", raw: "cmi.score.raw",
        min: "cmi.score.min", max: "cmi.score.max", time: "cmi.session_time", exit: "cmi.exit",
        learner: "cmi.learner_name" }
    : { entry: "cmi.core.entry", location: "cmi.core.lesson_location", status: "cmi.core.lesson_status",
        raw: "cmi.core.score.raw", min: "cmi.core.score.min", max: "cmi.core.score.max",
        time: "cmi.core.session_time", exit: "cmi.core.exit", learner: "cmi.core.student_name" };
  function get(name) { return V === "2004" ? api.GetValue(name) : api.LMSGetValue(name); }
  function set(name, value) {
    return V === "2004" ? api.SetValue(name, value) : api.LMSSetValue(name, value);
  }
  function commit() { return V === "2004" ? api.Commit("") : api.LMSCommit(""); }
  var started = V === "2004" ? api.Initialize("") : api.LMSInitialize("");
  document.body.setAttribute("data-initialized", started);
  document.getElementById("entry").textContent = get(E.entry);
  document.getElementById("suspend").textContent = get("cmi.suspend_data");
  document.getElementById("location").textContent = get(E.location);
  document.getElementById("status").textContent = get(E.status);
  document.getElementById("learner").textContent = get(E.learner);
  if (get(E.status) === "not attempted") { set(E.status, "incomplete"); }
  document.getElementById("next").addEventListener("click", function () {
    set(E.location, "slide-2");
    set("cmi.suspend_data", "slide=2;answers=1,0,3");
    commit();
  });
  document.getElementById("pass").addEventListener("click", function () {
    set(E.raw, "90"); set(E.min, "0"); set(E.max, "100");
    if (V === "2004") {
      set("cmi.score.scaled", "0.9");
      set("cmi.completion_status", "completed");
      set("cmi.success_status", "passed");
    } else {
      set("cmi.core.lesson_status", "passed");
    }
    commit();
  });
  document.getElementById("finish").addEventListener("click", function () {
    set(E.time, V === "2004" ? "PT42S" : "00:00:42");
    set(E.exit, "suspend");
    commit();
    var finished = V === "2004" ? api.Terminate("") : api.LMSFinish("");
    document.getElementById("done").textContent = "finished " + finished;
  });
})();
</script>
</body></html>
"""


def ispring_like_package(version):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", MANIFEST[version])
        archive.writestr("res/index.html", LAUNCH_PAGE.replace("__VERSION__", version))
        archive.writestr("res/player.css", "body { font-family: sans-serif; max-width: 100%; }")
    buffer.name = f"ispring-{version}.zip"
    return buffer


@pytest.fixture
def scorm_root(settings, tmp_path):
    settings.SCORM_ROOT = tmp_path / "scorm"
    return settings.SCORM_ROOT


@pytest.fixture
def servant():
    return make_person(
        email="olga.ivanova@example.org",
        last_name="Иванова",
        first_name="Ольга",
        patronymic="Петровна",
        password=PASSWORD,
    )


def scorm_course(home_page, servant, version):
    course = make_course(make_course_index(home_page), title=f"Подарки и этика (SCORM {version})")
    package = create_package(ispring_like_package(version), course)
    lesson = make_lesson(course, body=[], title=LESSON_TITLE, slug="podarki", scorm_package=package)
    enrol(servant, course, Enrollment.Source.ASSIGNED)
    return course, lesson


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_servant_takes_a_scorm_lesson(
    browser, live_server, home_page, scorm_root, servant, version, viewport
):
    from playwright.sync_api import expect

    course, lesson = scorm_course(home_page, servant, version)
    context = new_context(browser, live_server, VIEWPORTS[viewport])
    violations = record_violations(context)
    failed = []
    context.on(
        "response", lambda response: response.status >= 400 and failed.append((response.status, response.url))
    )
    foreign = []
    own = live_server.url.rstrip("/")
    context.on(
        "request",
        lambda request: (
            not request.url.startswith((own, "data:", "blob:", "about:")) and foreign.append(request.url)
        ),
    )
    page = context.new_page()
    try:
        log_in(page, servant.email, until=f"{live_server.url}/cabinet/")

        page.goto(lesson.url)
        expect(page.get_by_role("heading", level=1)).to_have_text(LESSON_TITLE)
        expect(page.locator("#scorm-status")).to_have_text("не начат")
        frame = page.frame_locator("#scorm-frame")
        expect(frame.locator("#entry")).to_have_text("ab-initio")
        expect(frame.locator("#learner")).to_have_text("Иванова, Ольга")
        expect(frame.locator("body")).to_have_attribute("data-initialized", "true")
        expect(page.get_by_role("button", name="Я изучил(а) урок")).to_have_count(0)

        # A slide further: the package commits its place; the server has it.
        with page.expect_response(lambda r: "/runtime/" in r.url and r.request.method == "POST") as answer:
            frame.get_by_role("button", name="Далее").click()
        assert answer.value.status == 200
        record = ScormRecord.objects.get(enrollment__user=servant, lesson=lesson)
        assert record.suspend_data == "slide=2;answers=1,0,3"
        assert record.location == "slide-2"
        expect(page.locator("#scorm-status")).to_have_text("не завершён")

        # Reload: the package resumes where the person left off.
        page.reload()
        expect(frame.locator("#entry")).to_have_text("resume")
        expect(frame.locator("#suspend")).to_have_text("slide=2;answers=1,0,3")
        expect(frame.locator("#location")).to_have_text("slide-2")
        expect(frame.locator("#status")).to_have_text("incomplete")

        # The test passed: status and score go to the server and show on the lesson page at once.
        with page.expect_response(lambda r: "/runtime/" in r.url and r.request.method == "POST") as answer:
            frame.get_by_role("button", name="Сдать тест").click()
        assert answer.value.json()["completed"] is True
        expect(page.locator("#scorm-status")).to_have_text("сдан")
        expect(page.locator("#scorm-score")).to_have_text("90 из 100")
        with page.expect_response(lambda r: "/runtime/" in r.url and r.request.method == "POST"):
            frame.get_by_role("button", name="Завершить").click()
        expect(frame.locator("#done")).to_have_text("finished true")

        record.refresh_from_db()
        if version == "1.2":
            assert record.lesson_status == "passed"
        else:
            assert (record.completion_status, record.success_status, record.score_scaled) == (
                "completed",
                "passed",
                0.9,
            )
        assert record.score_raw == 90 and record.exit == "suspend"
        assert record.time_spent_seconds >= 42
        enrollment = Enrollment.objects.active().get(user=servant, course=course)
        assert LessonProgress.objects.get(enrollment=enrollment, lesson=lesson).studied_at is not None
        assert enrollment.completed_at is not None
        certificate = Certificate.objects.get(user=servant, course=course)

        # The lesson page after a reload, then the course page: completed, with the score and certificate.
        page.reload()
        expect(page.locator("#scorm-status")).to_have_text("сдан")
        expect(page.locator("#scorm-studied")).to_be_visible()
        expect(frame.locator("#status")).to_have_text("passed" if version == "1.2" else "completed")
        if viewport == "phone":
            frame_box = page.locator("#scorm-frame").bounding_box()
            assert frame_box["width"] <= 360 and frame_box["height"] >= 400
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.goto(course.url)
        expect(page.get_by_text("Курс завершён")).to_be_visible()
        expect(page.get_by_text(f"Сертификат № {certificate.number}")).to_be_visible()
        expect(page.get_by_text("90 из 100")).to_be_visible()
    finally:
        context.close()

    assert violations == []
    assert foreign == []
    assert failed == []


def test_the_demo_package_runs_and_completes_the_lesson(browser, live_server, home_page, scorm_root, servant):
    """The package the demo region gets (courses.scorm.sample): slides, the check, resume on reload."""
    from playwright.sync_api import expect

    from courses.scorm.sample import build_package

    course = make_course(make_course_index(home_page), title="Подарки (демонстрация)")
    data = io.BytesIO(build_package("1.2"))
    data.name = "demo.zip"
    lesson = make_lesson(
        course, body=[], title="Демонстрационный SCORM", scorm_package=create_package(data, course)
    )
    enrol(servant, course, Enrollment.Source.SELF)
    context = new_context(browser, live_server, VIEWPORTS["desktop"])
    violations = record_violations(context)
    page = context.new_page()
    try:
        log_in(page, servant.email)
        page.goto(lesson.url)
        frame = page.frame_locator("#scorm-frame")
        expect(frame.get_by_role("heading", name="Подарки в связи с должностью")).to_be_visible()
        with page.expect_response(lambda r: "/runtime/" in r.url and r.request.method == "POST"):
            frame.get_by_role("button", name="Далее").click()
        expect(frame.get_by_role("heading", name="Протокольные мероприятия")).to_be_visible()
        page.reload()  # resumes on the second slide
        expect(frame.get_by_text("Вы продолжаете с того места, где остановились.")).to_be_visible()
        expect(frame.get_by_role("heading", name="Протокольные мероприятия")).to_be_visible()
        frame.get_by_role("button", name="Далее").click()
        frame.get_by_role("button", name="Далее").click()
        frame.get_by_label("Не позднее трёх рабочих дней").check()
        frame.get_by_label("Да, в установленном порядке").check()
        with page.expect_response(lambda r: "/runtime/" in r.url and r.request.method == "POST"):
            frame.get_by_role("button", name="Проверить").click()
        expect(frame.get_by_text("Результат: 100 из 100. Проверка пройдена.")).to_be_visible()
        expect(page.locator("#scorm-status")).to_have_text("сдан")
        expect(page.locator("#scorm-score")).to_have_text("100 из 100")
    finally:
        context.close()
    assert violations == []
    progress = LessonProgress.objects.get(enrollment__user=servant, lesson=lesson)
    assert progress.studied_at is not None
