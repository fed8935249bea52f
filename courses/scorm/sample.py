"""A tiny SCORM package made in code, in the manner of an iSpring Suite export: the launch page in
``res/index.html`` with its script inline, a few slides, a two-question check at the end, and the
calls iSpring makes (find the API in the parent frames, Initialize, resume from suspend data,
location on every slide, score and status after the check, commit, session time and finish on leaving).

Used by the demo region (``courses.demo``) so that the feature is visible; no binary is committed.
"""

import io
import json
import zipfile
from html import escape

MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{identifier}" version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>{title}</title>
      <item identifier="item_1" identifierref="res_1"><title>{title}</title>
        <adlcp:masteryscore>{pass_mark}</adlcp:masteryscore></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res_1" type="webcontent" adlcp:scormtype="sco" href="res/index.html">
      <file href="res/index.html"/><file href="res/style.css"/>
    </resource>
  </resources>
</manifest>
"""

MANIFEST_2004 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{identifier}" version="1.0"
    xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
    xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
    xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>{title}</title>
      <item identifier="item_1" identifierref="res_1"><title>{title}</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res_1" type="webcontent" adlcp:scormType="sco" href="res/index.html">
      <file href="res/index.html"/><file href="res/style.css"/>
    </resource>
  </resources>
</manifest>
"""

STYLE = """body { font: 16px/1.45 system-ui, sans-serif; margin: 0; padding: 1rem; color: #1b2631; }
.slide { max-width: 40rem; margin: 0 auto; }
.slide[hidden] { display: none; }
h1 { font-size: 1.4rem; margin-top: 0; }
button { font: inherit; padding: .5rem 1rem; margin: .5rem .5rem 0 0; border: 0; border-radius: 4px;
  background: #1f5f99; color: #fff; cursor: pointer; }
fieldset { border: 1px solid #c9d1da; border-radius: 6px; margin: 0 0 1rem; }
label { display: block; padding: .25rem 0; }
.note { color: #505b67; }
"""

SCRIPT = """
(function () {
  "use strict";
  var CONFIG = __CONFIG__;
  var is2004 = CONFIG.version === "2004";
  function findApi(win) {
    for (var tries = 0; win && tries < 10; tries++) {
      if (is2004 && win.API_1484_11) { return win.API_1484_11; }
      if (!is2004 && win.API) { return win.API; }
      if (win.parent === win) { break; }
      win = win.parent;
    }
    return null;
  }
  var api = findApi(window) || (window.opener && findApi(window.opener));
  var started = Date.now();
  var finished = false;
  var state = { slide: 0, answers: {} };
  function get(name) { return api ? (is2004 ? api.GetValue(name) : api.LMSGetValue(name)) : ""; }
  function set(name, value) {
    if (api) { is2004 ? api.SetValue(name, String(value)) : api.LMSSetValue(name, String(value)); }
  }
  function commit() { if (api) { is2004 ? api.Commit("") : api.LMSCommit(""); } }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function sessionTime() {
    var s = Math.floor((Date.now() - started) / 1000);
    if (is2004) { return "PT" + s + "S"; }
    return pad(Math.floor(s / 3600)) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60);
  }
  var slides = document.querySelectorAll(".slide");
  function show(index) {
    state.slide = index;
    for (var i = 0; i < slides.length; i++) { slides[i].hidden = i !== index; }
    set(is2004 ? "cmi.location" : "cmi.core.lesson_location", "slide-" + (index + 1));
    set("cmi.suspend_data", JSON.stringify(state));
    commit();
  }
  if (api) {
    is2004 ? api.Initialize("") : api.LMSInitialize("");
    var entry = get(is2004 ? "cmi.entry" : "cmi.core.entry");
    var saved = get("cmi.suspend_data");
    if (entry === "resume" && saved) {
      try { state = JSON.parse(saved); } catch (error) { state = { slide: 0, answers: {} }; }
      document.getElementById("resume-note").hidden = false;
    }
    if (is2004) {
      if (get("cmi.completion_status") !== "completed") { set("cmi.completion_status", "incomplete"); }
    } else if (get("cmi.core.lesson_status") === "not attempted") {
      set("cmi.core.lesson_status", "incomplete");
    }
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.matches("[data-next]")) { show(Math.min(state.slide + 1, slides.length - 1)); }
    if (target.matches("[data-back]")) { show(Math.max(state.slide - 1, 0)); }
    if (target.matches("[data-check]")) { check(); }
    if (target.matches("[data-finish]")) { finish(); }
  });
  function check() {
    var right = 0;
    CONFIG.questions.forEach(function (question, number) {
      var chosen = document.querySelector("input[name=q" + number + "]:checked");
      state.answers[number] = chosen ? Number(chosen.value) : null;
      if (chosen && Number(chosen.value) === question.correct) { right += 1; }
    });
    var score = Math.round(right * 100 / CONFIG.questions.length);
    var passed = score >= CONFIG.passMark;
    set(is2004 ? "cmi.score.raw" : "cmi.core.score.raw", score);
    set(is2004 ? "cmi.score.min" : "cmi.core.score.min", 0);
    set(is2004 ? "cmi.score.max" : "cmi.core.score.max", 100);
    if (is2004) {
      set("cmi.score.scaled", score / 100);
      set("cmi.completion_status", "completed");
      set("cmi.success_status", passed ? "passed" : "failed");
    } else {
      set("cmi.core.lesson_status", passed ? "passed" : "failed");
    }
    set("cmi.suspend_data", JSON.stringify(state));
    commit();
    document.getElementById("result").textContent =
      (passed ? CONFIG.texts.passed : CONFIG.texts.failed).replace("{score}", score);
  }
  function finish() {
    if (finished || !api) { return; }
    finished = true;
    set(is2004 ? "cmi.session_time" : "cmi.core.session_time", sessionTime());
    set(is2004 ? "cmi.exit" : "cmi.core.exit", "suspend");
    commit();
    is2004 ? api.Terminate("") : api.LMSFinish("");
    document.getElementById("finished-note").hidden = false;
  }
  window.addEventListener("pagehide", finish);
  show(Math.min(state.slide || 0, slides.length - 1));
})();
"""

DEMO_TITLE = "Подарки: интерактивный урок"
DEMO_SLIDES = [
    (
        "Подарки в связи с должностью",
        "Служащим запрещено получать в связи с исполнением должностных обязанностей вознаграждения от "
        "физических и юридических лиц, в том числе подарки (79-ФЗ, ст. 17; 25-ФЗ, ст. 14).",
    ),
    (
        "Протокольные мероприятия",
        "Подарки, полученные в связи с протокольными мероприятиями, служебными командировками и другими "
        "официальными мероприятиями, признаются собственностью государства или муниципального "
        "образования и передаются по акту в орган, где служащий замещает должность.",
    ),
    (
        "Уведомление о подарке",
        "О получении такого подарка служащий уведомляет свой орган не позднее трёх рабочих дней со дня "
        "получения. Подарок стоимостью свыше трёх тысяч рублей сдаётся на хранение; его можно выкупить.",
    ),
]
DEMO_QUESTIONS = [
    {
        "text": "В какой срок нужно уведомить о подарке, полученном на официальном мероприятии?",
        "choices": ["В течение месяца", "Не позднее трёх рабочих дней", "Уведомлять не нужно"],
        "correct": 1,
    },
    {
        "text": "Можно ли выкупить подарок, сданный на хранение?",
        "choices": ["Да, в установленном порядке", "Нет, никогда"],
        "correct": 0,
    },
]
TEXTS = {
    "passed": "Результат: {score} из 100. Проверка пройдена.",
    "failed": "Результат: {score} из 100. Проверка не пройдена — вернитесь к слайдам и попробуйте ещё раз.",
}


def index_html(title, slides, questions, version, pass_mark):
    config = {"version": version, "questions": questions, "passMark": pass_mark, "texts": TEXTS}
    parts = [
        "<!DOCTYPE html>",
        '<html lang="ru"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        '<link rel="stylesheet" href="style.css"></head><body>',
        '<p class="note" id="resume-note" hidden>Вы продолжаете с того места, где остановились.</p>',
    ]
    for number, (heading, text) in enumerate(slides, start=1):
        parts.append(
            f'<section class="slide" hidden><h1>{escape(heading)}</h1><p>{escape(text)}</p>'
            f'<p class="note">Слайд {number} из {len(slides) + 1}</p>'
            + ("<button type='button' data-back>Назад</button>" if number > 1 else "")
            + "<button type='button' data-next>Далее</button></section>"
        )
    quiz = ['<section class="slide" hidden><h1>Проверьте себя</h1>']
    for number, question in enumerate(questions):
        quiz.append(f"<fieldset><legend>{escape(question['text'])}</legend>")
        for value, choice in enumerate(question["choices"]):
            quiz.append(
                f'<label><input type="radio" name="q{number}" value="{value}"> {escape(choice)}</label>'
            )
        quiz.append("</fieldset>")
    quiz.append(
        "<button type='button' data-back>Назад</button><button type='button' data-check>Проверить</button>"
        "<button type='button' data-finish>Завершить</button>"
        '<p id="result" role="status"></p>'
        '<p class="note" id="finished-note" hidden>Урок завершён: можно закрыть страницу.</p></section>'
    )
    parts.extend(quiz)
    script = SCRIPT.replace("__CONFIG__", json.dumps(config, ensure_ascii=False))
    parts.append(f"<script>{script}</script></body></html>")
    return "\n".join(parts)


def build_package(
    version="1.2", title=DEMO_TITLE, slides=DEMO_SLIDES, questions=DEMO_QUESTIONS, pass_mark=100
):
    """The zip (bytes) of a small SCORM 1.2 or 2004 package."""
    template = MANIFEST_2004 if version == "2004" else MANIFEST_12
    manifest = template.format(identifier="antikor_demo_package", title=escape(title), pass_mark=pass_mark)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", manifest)
        archive.writestr("res/index.html", index_html(title, slides, questions, version, pass_mark))
        archive.writestr("res/style.css", STYLE)
    return buffer.getvalue()
