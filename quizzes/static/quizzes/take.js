/*
 * The test page: renders the questions of a sitting from the JSON API and saves each answer as the
 * person goes. Written in ES5 with no libraries so that it runs on old browsers.
 *
 * Slow and dropped connections:
 * - every change of an answer gets the next sequence number of its question (kept in localStorage, so
 *   a reload continues it); the server keeps the answer with the highest number, so resending is safe;
 * - an answer not yet confirmed by the server stays in localStorage ("pending") and is resent with
 *   backoff, at once when the browser comes back online, and after a reload;
 * - the countdown is re-synced from the server's seconds_left on every reply; the browser's clock only
 *   measures the time since the last reply, and at zero the server is asked again before finishing
 *   (extra time may have been granted meanwhile).
 * The API never sends correct answers, so there are none here.
 */
(function () {
  "use strict";

  var root = document.getElementById("take-app");
  if (!root) {
    return;
  }
  var stringsNode = document.getElementById("take-strings");
  var S = JSON.parse(stringsNode.textContent || stringsNode.innerHTML);
  var sittingUrl = root.getAttribute("data-sitting-url");
  var resultUrl = root.getAttribute("data-result-url");
  var storeKey = "antikor.take." + root.getAttribute("data-sitting-id");

  var TEXT_DELAY = 800; // ms of quiet typing before a text answer is sent
  var RETRY_FIRST = 1000;
  var RETRY_MAX = 30000;
  var HEARTBEAT = 300000; // re-sync the clock and state when nothing else talked to the server
  var MESSAGE_TIME = 3000; // ms a "time is up" or "finished" message stays before the result opens

  var questions = [];
  var byId = {};
  var inflight = {};
  var textTimers = {};
  var current = 0;
  var deadlineAt = null; // local ms when the time is up; null: no limit
  var hasLimit = false;
  var lastContact = 0;
  var retryTimer = null;
  var retryDelay = RETRY_FIRST;
  var loadDelay = RETRY_FIRST;
  var closing = false;
  var confirming = false; // asking the server whether the time is really up
  var store = loadStore();

  /* ---------- small helpers ---------- */

  function now() {
    return new Date().getTime();
  }

  function fmt(text, params) {
    return text.replace(/%\((\w+)\)s/g, function (match, name) {
      return params.hasOwnProperty(name) ? params[name] : match;
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    var name;
    for (name in attrs) {
      if (attrs.hasOwnProperty(name)) {
        node.setAttribute(name, attrs[name]);
      }
    }
    if (text !== undefined && text !== null) {
      node.appendChild(document.createTextNode(String(text)));
    }
    return node;
  }

  // Markup the server rendered from the question's format and sanitised with an allow-list
  // (quizzes/richtext.py); plain text when an older payload has no html.
  function rich(tag, attrs, item) {
    var node = el(tag, attrs);
    if (typeof item.html === "string") {
      node.innerHTML = item.html;
    } else {
      node.appendChild(document.createTextNode(String(item.text)));
    }
    return node;
  }

  function byIdEl(id) {
    return document.getElementById(id);
  }

  function setText(node, text) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
    if (text) {
      node.appendChild(document.createTextNode(text));
    }
  }

  function on(node, event, handler) {
    if (node.addEventListener) {
      node.addEventListener(event, handler, false);
    } else if (node.attachEvent) {
      node.attachEvent("on" + event, handler);
    }
  }

  function keys(object) {
    var result = [];
    var name;
    for (name in object) {
      if (object.hasOwnProperty(name)) {
        result.push(name);
      }
    }
    return result;
  }

  function loadStore() {
    var data = null;
    try {
      data = JSON.parse(window.localStorage.getItem(storeKey));
    } catch (error) {
      data = null;
    }
    if (!data || typeof data !== "object") {
      data = {};
    }
    data.seq = data.seq || {};
    data.pending = data.pending || {};
    data.current = data.current || 0;
    return data;
  }

  function persist() {
    try {
      window.localStorage.setItem(storeKey, JSON.stringify(store));
    } catch (error) {
      // private mode or a full storage: answers are still sent, only a reload may lose unsent ones
    }
  }

  function forgetStore() {
    try {
      window.localStorage.removeItem(storeKey);
    } catch (error) {
      // nothing to do
    }
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : root.getAttribute("data-csrf-token");
  }

  function request(method, url, body, done) {
    var xhr = new XMLHttpRequest();
    var called = false;
    function complete() {
      var data = null;
      if (called) {
        return;
      }
      called = true;
      try {
        data = JSON.parse(xhr.responseText);
      } catch (error) {
        data = null;
      }
      done(xhr.status, data);
    }
    xhr.open(method, url, true);
    try {
      xhr.timeout = 20000;
    } catch (error) {
      // very old browsers: no timeout
    }
    xhr.setRequestHeader("Accept", "application/json");
    if (method !== "GET") {
      xhr.setRequestHeader("Content-Type", "application/json");
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
    }
    xhr.onreadystatechange = function () {
      if (xhr.readyState === 4) {
        complete();
      }
    };
    try {
      xhr.send(body === undefined ? null : JSON.stringify(body));
    } catch (error) {
      called = true;
      done(0, null);
    }
  }

  function detailOf(data) {
    return data && typeof data.detail === "string" ? data.detail : "";
  }

  function goToResult() {
    window.location.href = resultUrl;
  }

  /* ---------- messages and the clock ---------- */

  function showMessage(text) {
    setText(byIdEl("take-message"), text);
  }

  function showConnection(text) {
    setText(byIdEl("take-connection"), text);
  }

  function pendingCount() {
    return keys(store.pending).length;
  }

  function refreshConnection(online) {
    var count = pendingCount();
    if (!online) {
      showConnection(S.offline + (count ? " " + fmt(S.pending, { count: count }) : ""));
    } else if (count) {
      showConnection(fmt(S.pending, { count: count }));
    } else {
      showConnection("");
    }
  }

  function syncClock(data) {
    lastContact = now();
    if (!data || data.seconds_left === undefined) {
      return;
    }
    hasLimit = data.seconds_left !== null;
    deadlineAt = hasLimit ? now() + data.seconds_left * 1000 : null;
    tick();
  }

  function two(number) {
    return number < 10 ? "0" + number : String(number);
  }

  function tick() {
    var clock = byIdEl("take-clock");
    var left;
    var hours;
    if (!hasLimit) {
      setText(clock, S.no_limit);
      return;
    }
    left = Math.max(0, Math.ceil((deadlineAt - now()) / 1000));
    hours = Math.floor(left / 3600);
    setText(
      clock,
      (hours ? hours + ":" + two(Math.floor((left % 3600) / 60)) : String(Math.floor(left / 60))) +
        ":" +
        two(left % 60)
    );
    if (left <= 60) {
      clock.className = "take-clock--low";
    }
    // seconds_left is whole seconds rounded down, so the real deadline may be up to a second later:
    // finish only then (the server still accepts answers for a few seconds after it)
    if (left === 0 && !closing && now() >= deadlineAt + 1000) {
      confirmTimeUp();
    }
  }

  // The deadline may have moved since the last reply (a manager granted extra time): ask the server
  // before finishing, and go on if it gives more time. Any other answer, or none, finishes as before.
  function confirmTimeUp() {
    if (confirming) {
      return;
    }
    confirming = true;
    request("GET", sittingUrl, undefined, function (status, data) {
      confirming = false;
      if (closing) {
        return;
      }
      if (status === 200 && data && data.state === "in_progress" && data.seconds_left !== 0) {
        syncClock(data);
        return;
      }
      timeUp();
    });
  }

  function heartbeat() {
    if (closing || now() - lastContact < HEARTBEAT) {
      return;
    }
    request("GET", sittingUrl, undefined, function (status, data) {
      if (status === 200) {
        syncClock(data);
        if (data.state !== "in_progress") {
          close(S.closed);
        }
      }
    });
  }

  /* ---------- statuses of answers ---------- */

  function setStatus(qid, state, detail) {
    var node = byIdEl("take-status-" + qid);
    var item = byIdEl("take-index-" + qid);
    var text = {
      saved: S.saved,
      saving: S.saving,
      retry: S.retry,
      rejected: fmt(S.rejected, { detail: detail || "" }),
      none: ""
    }[state];
    if (node) {
      node.className = "take-status take-status--" + state;
      setText(node, text);
    }
    if (item) {
      item.className = "take-index__item take-index__item--" + (state === "none" ? "empty" : state);
      item.setAttribute("title", text || S.unanswered);
    }
  }

  /* ---------- rendering questions ---------- */

  function inputId(question, suffix) {
    return "q" + question.id + "-" + suffix;
  }

  function choiceList(question, type, options, valueOf) {
    var list = el("ul", { "class": "take-options" });
    var i;
    var item;
    var id;
    for (i = 0; i < options.length; i++) {
      id = inputId(question, "o" + i);
      item = el("li");
      item.appendChild(
        el("input", { type: type, id: id, name: "q" + question.id, value: valueOf(options[i]) })
      );
      item.appendChild(rich("label", { "for": id }, options[i]));
      list.appendChild(item);
    }
    return list;
  }

  function renderInputs(question) {
    var box = el("div", { "class": "take-answer" });
    var table;
    var row;
    var select;
    var i;
    var j;
    switch (question.type) {
      case "single":
      case "multiple":
        box.appendChild(
          choiceList(question, question.type === "single" ? "radio" : "checkbox", question.options, function (o) {
            return o.id;
          })
        );
        break;
      case "truefalse":
        box.appendChild(
          choiceList(question, "radio", [{ id: "true", text: S["true"] }, { id: "false", text: S["false"] }], function (o) {
            return o.id;
          })
        );
        break;
      case "short":
        box.appendChild(el("label", { "for": inputId(question, "text"), "class": "take-label" }, S.your_answer));
        box.appendChild(el("input", { type: "text", id: inputId(question, "text"), maxlength: "2000", autocomplete: "off" }));
        break;
      case "numeric":
        box.appendChild(el("label", { "for": inputId(question, "text"), "class": "take-label" }, S.your_answer));
        box.appendChild(
          el("input", {
            type: "text",
            id: inputId(question, "text"),
            inputmode: "decimal",
            autocomplete: "off",
            "aria-describedby": inputId(question, "hint")
          })
        );
        if (question.unit) {
          box.appendChild(el("span", { "class": "take-unit" }, " " + question.unit));
        }
        box.appendChild(el("p", { id: inputId(question, "hint"), "class": "muted" }, S.number_hint));
        break;
      case "matching":
        table = el("table", { "class": "take-matching" });
        for (i = 0; i < question.left.length; i++) {
          row = el("tr");
          row.appendChild(el("th", { scope: "row" })).appendChild(
            rich("label", { "for": inputId(question, "l" + question.left[i].id) }, question.left[i])
          );
          select = el("select", { id: inputId(question, "l" + question.left[i].id), "data-left": question.left[i].id });
          select.appendChild(el("option", { value: "" }, S.choose));
          for (j = 0; j < question.right.length; j++) {
            select.appendChild(el("option", { value: question.right[j].id }, question.right[j].text));
          }
          row.appendChild(el("td")).appendChild(select);
          table.appendChild(row);
        }
        box.appendChild(table);
        break;
      case "essay":
        box.appendChild(el("label", { "for": inputId(question, "text"), "class": "take-label" }, S.your_answer));
        box.appendChild(el("textarea", { id: inputId(question, "text"), rows: "8", maxlength: "20000" }));
        break;
    }
    return box;
  }

  function renderQuestion(question, index) {
    var section = el("fieldset", { "class": "take-item", id: "take-item-" + question.id, "data-question": question.id });
    var legend = el("legend", {}, fmt(S.question, { number: index + 1, total: questions.length }));
    section.appendChild(legend);
    section.appendChild(rich("div", { "class": "take-text" }, question));
    if (question.image) {
      section.appendChild(el("img", { src: question.image, alt: "", "class": "take-image" }));
    }
    section.appendChild(el("p", { "class": "muted take-points" }, fmt(S.points, { points: question.points })));
    section.appendChild(renderInputs(question));
    section.appendChild(el("p", { id: "take-status-" + question.id, "class": "take-status", role: "status", "aria-live": "polite" }));
    section.style.display = "none";
    return section;
  }

  function inputsOf(question) {
    return byIdEl("take-item-" + question.id).getElementsByTagName(question.type === "matching" ? "select" : question.type === "essay" ? "textarea" : "input");
  }

  /* ---------- answers: read from and write to the inputs ---------- */

  function collect(question) {
    var inputs = inputsOf(question);
    var chosen = [];
    var pairs = {};
    var any = false;
    var value;
    var i;
    for (i = 0; i < inputs.length; i++) {
      if ((inputs[i].type === "radio" || inputs[i].type === "checkbox") && inputs[i].checked) {
        chosen.push(inputs[i].value);
      }
    }
    switch (question.type) {
      case "single":
        return chosen.length ? { choice: chosen[0] } : null;
      case "multiple":
        return { choices: chosen };
      case "truefalse":
        return chosen.length ? { value: chosen[0] === "true" } : null;
      case "numeric":
        value = inputs[0].value.replace(/^\s+|\s+$/g, "");
        return value === "" ? null : { value: value };
      case "matching":
        for (i = 0; i < inputs.length; i++) {
          pairs[inputs[i].getAttribute("data-left")] = inputs[i].value || null;
          any = any || !!inputs[i].value;
        }
        return any ? { pairs: pairs } : null;
      default:
        return { text: inputs[0].value };
    }
  }

  function fill(question, answer) {
    var inputs = inputsOf(question);
    var i;
    var value;
    for (i = 0; i < inputs.length; i++) {
      if (inputs[i].type === "radio" || inputs[i].type === "checkbox") {
        value = inputs[i].value;
        inputs[i].checked =
          !!answer &&
          ((question.type === "single" && String(answer.choice) === value) ||
            (question.type === "multiple" && answer.choices && indexOf(answer.choices, value) >= 0) ||
            (question.type === "truefalse" && String(answer.value) === value));
      } else if (question.type === "matching") {
        value = answer && answer.pairs ? answer.pairs[inputs[i].getAttribute("data-left")] : null;
        inputs[i].value = value || "";
      } else {
        value = answer ? (question.type === "numeric" ? answer.value : answer.text) : "";
        inputs[i].value = value === null || value === undefined ? "" : String(value);
      }
    }
  }

  function indexOf(list, value) {
    var i;
    for (i = 0; i < list.length; i++) {
      if (String(list[i]) === String(value)) {
        return i;
      }
    }
    return -1;
  }

  /* ---------- saving ---------- */

  function record(question) {
    var qid = String(question.id);
    store.seq[qid] = (store.seq[qid] || 0) + 1;
    store.pending[qid] = { answer: collect(question), seq: store.seq[qid] };
    persist();
    setStatus(qid, "saving");
  }

  function scheduleRetry() {
    if (retryTimer || closing) {
      return;
    }
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      flush();
    }, retryDelay + Math.floor(Math.random() * 500));
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX);
  }

  function retryNow() {
    if (retryTimer) {
      window.clearTimeout(retryTimer);
      retryTimer = null;
    }
    retryDelay = RETRY_FIRST;
    flush();
  }

  function flush() {
    var pending = keys(store.pending);
    var i;
    for (i = 0; i < pending.length; i++) {
      send(pending[i]);
    }
  }

  function send(qid) {
    var item = store.pending[qid];
    if (!item || inflight[qid]) {
      return;
    }
    inflight[qid] = true;
    setStatus(qid, "saving");
    request("PUT", sittingUrl + "/answers/" + qid, { answer: item.answer, seq: item.seq }, function (status, data) {
      var pending = store.pending[qid];
      inflight[qid] = false;
      if (status === 200) {
        syncClock(data);
        retryDelay = RETRY_FIRST;
        if (data.seq > (store.seq[qid] || 0)) {
          store.seq[qid] = data.seq;
        }
        if (pending && pending.seq <= data.seq) {
          delete store.pending[qid];
        }
        persist();
        refreshConnection(true);
        if (store.pending[qid]) {
          send(qid);
        } else {
          setStatus(qid, "saved");
        }
      } else if (status === 422 || status === 404) {
        if (pending && pending.seq === item.seq) {
          delete store.pending[qid];
          persist();
        }
        setStatus(qid, "rejected", detailOf(data));
        if (store.pending[qid]) {
          send(qid);
        }
      } else if (status === 409 || status === 410) {
        close(detailOf(data) || S.closed);
      } else {
        setStatus(qid, "retry");
        if (status === 401 || status === 403) {
          showConnection(S.session);
        } else {
          refreshConnection(false);
        }
        scheduleRetry();
      }
    });
  }

  function whenSent(timeout, done) {
    var started = now();
    function check() {
      var busy = false;
      var name;
      for (name in inflight) {
        if (inflight.hasOwnProperty(name) && inflight[name]) {
          busy = true;
        }
      }
      if ((!busy && !pendingCount()) || now() - started > timeout) {
        done();
      } else {
        window.setTimeout(check, 200);
      }
    }
    check();
  }

  /* ---------- finishing ---------- */

  function setBusy(busy) {
    var ids = ["take-prev", "take-next", "take-finish"];
    var i;
    for (i = 0; i < ids.length; i++) {
      byIdEl(ids[i]).disabled = busy;
    }
  }

  function disableInputs() {
    var i;
    var j;
    var inputs;
    for (i = 0; i < questions.length; i++) {
      inputs = inputsOf(questions[i]);
      for (j = 0; j < inputs.length; j++) {
        inputs[j].disabled = true;
      }
    }
  }

  function postFinish(done) {
    request("POST", sittingUrl + "/finish", {}, function (status) {
      done(status === 200 || status === 404);
    });
  }

  function close(message) {
    if (closing) {
      return;
    }
    closing = true;
    showMessage(message);
    setBusy(true);
    disableInputs();
    forgetStore();
    window.setTimeout(goToResult, MESSAGE_TIME);
  }

  function timeUp() {
    var delay = RETRY_FIRST;
    var shownAt = now();
    closing = true;
    showMessage(S.time_up);
    setBusy(true);
    disableInputs();
    flush(); // late answers are still accepted for a few seconds after the deadline
    whenSent(5000, function attempt() {
      postFinish(function (finished) {
        if (finished) {
          forgetStore();
          // leave the message on screen long enough to be read
          window.setTimeout(goToResult, Math.max(0, MESSAGE_TIME - (now() - shownAt)));
        } else {
          window.setTimeout(attempt, delay);
          delay = Math.min(delay * 2, RETRY_MAX);
        }
      });
    });
  }

  function onFinish() {
    var count = pendingCount();
    if (closing || !window.confirm(count ? fmt(S.confirm_finish_pending, { count: count }) : S.confirm_finish)) {
      return;
    }
    setBusy(true);
    showMessage(S.finishing);
    retryNow();
    whenSent(5000, function () {
      postFinish(function (finished) {
        if (finished) {
          closing = true;
          forgetStore();
          goToResult();
        } else {
          showMessage(S.finish_failed);
          setBusy(false);
        }
      });
    });
  }

  /* ---------- navigation ---------- */

  function show(index) {
    var i;
    current = Math.max(0, Math.min(index, questions.length - 1));
    for (i = 0; i < questions.length; i++) {
      byIdEl("take-item-" + questions[i].id).style.display = i === current ? "" : "none";
      byIdEl("take-index-" + questions[i].id).setAttribute("aria-current", i === current ? "step" : "false");
    }
    byIdEl("take-prev").disabled = closing || current === 0;
    byIdEl("take-next").disabled = closing || current === questions.length - 1;
    store.current = current;
    persist();
  }

  function go(index) {
    show(index);
    byIdEl("take-question").focus();
  }

  function bind(question) {
    var inputs = inputsOf(question);
    var qid = String(question.id);
    var i;
    var isText = question.type === "short" || question.type === "numeric" || question.type === "essay";
    function changed() {
      record(question);
      if (textTimers[qid]) {
        window.clearTimeout(textTimers[qid]);
        textTimers[qid] = null;
      }
      send(qid);
    }
    function typed() {
      record(question);
      if (textTimers[qid]) {
        window.clearTimeout(textTimers[qid]);
      }
      textTimers[qid] = window.setTimeout(function () {
        textTimers[qid] = null;
        send(qid);
      }, TEXT_DELAY);
    }
    for (i = 0; i < inputs.length; i++) {
      if (isText) {
        on(inputs[i], "input", typed);
        on(inputs[i], "change", function () {
          if (textTimers[qid]) {
            window.clearTimeout(textTimers[qid]);
            textTimers[qid] = null;
          }
          send(qid);
        });
      } else {
        on(inputs[i], "change", changed);
      }
    }
  }

  function indexButton(question, index) {
    var item = el("li");
    var button = el("button", { type: "button", id: "take-index-" + question.id, "class": "take-index__item" }, index + 1);
    on(button, "click", function () {
      go(index);
    });
    item.appendChild(button);
    return item;
  }

  /* ---------- start ---------- */

  function setup(data) {
    var container = byIdEl("take-question");
    var index = byIdEl("take-index");
    var server = {};
    var i;
    var qid;
    var pending;
    questions = data.questions;
    for (i = 0; i < questions.length; i++) {
      byId[String(questions[i].id)] = questions[i];
      container.appendChild(renderQuestion(questions[i], i));
      index.appendChild(indexButton(questions[i], i));
      bind(questions[i]);
      setStatus(String(questions[i].id), "none");
    }
    for (i = 0; i < data.answers.length; i++) {
      qid = String(data.answers[i].question_id);
      server[qid] = data.answers[i];
      store.seq[qid] = Math.max(store.seq[qid] || 0, data.answers[i].seq);
      if (byId[qid]) {
        fill(byId[qid], data.answers[i].answer);
        setStatus(qid, "saved");
      }
    }
    pending = keys(store.pending);
    for (i = 0; i < pending.length; i++) {
      qid = pending[i];
      if (!byId[qid] || (server[qid] && server[qid].seq >= store.pending[qid].seq)) {
        delete store.pending[qid];
      } else {
        fill(byId[qid], store.pending[qid].answer);
        setStatus(qid, "retry");
      }
    }
    persist();
    byIdEl("take-loading").style.display = "none";
    root.removeAttribute("hidden");
    on(byIdEl("take-prev"), "click", function () {
      go(current - 1);
    });
    on(byIdEl("take-next"), "click", function () {
      go(current + 1);
    });
    on(byIdEl("take-finish"), "click", onFinish);
    on(window, "online", function () {
      refreshConnection(true);
      retryNow();
    });
    on(window, "offline", function () {
      refreshConnection(false);
    });
    show(store.current || 0);
    syncClock(data);
    window.setInterval(tick, 1000);
    window.setInterval(heartbeat, 30000);
    refreshConnection(true);
    flush();
  }

  function load() {
    request("GET", sittingUrl, undefined, function (status, data) {
      if (status === 200) {
        if (data.state !== "in_progress") {
          forgetStore();
          goToResult();
          return;
        }
        setup(data);
      } else if (status === 404 || status === 401 || status === 403) {
        setText(byIdEl("take-loading"), detailOf(data) || S.session);
      } else {
        setText(byIdEl("take-loading"), S.load_failed);
        window.setTimeout(load, loadDelay);
        loadDelay = Math.min(loadDelay * 2, RETRY_MAX);
      }
    });
  }

  load();
})();
