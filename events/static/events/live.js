/* Live Q&A and attendance counter of an event's stream page, over a WebSocket.
 *
 * Without JavaScript or WebSocket support the page works with its plain forms and a reload; with a
 * connection this script sends the same actions over the socket and keeps the queue and the counter
 * up to date. Written for old browsers: ES5, no libraries. Every text that people typed is inserted
 * with textContent, never as HTML. The server closes with 4401/4403 when the person may not take part:
 * no retry then; otherwise it reconnects with a growing delay.
 */
(function () {
  "use strict";

  var UNAUTHENTICATED = 4401;
  var FORBIDDEN = 4403;
  var MAX_DELAY = 30000;
  var STATE_RANK = { open: 0, answered: 1, hidden: 2 };
  var MODERATION_STATES = ["answered", "hidden", "open"];

  var section = document.getElementById("questions");
  var list = document.getElementById("question-list");
  if (!section || !list || !window.WebSocket || !window.JSON) {
    return;
  }
  var statusLine = document.getElementById("live-status");
  var errorLine = document.getElementById("live-error");
  var emptyLine = document.getElementById("no-questions");
  var askForm = document.getElementById("ask-form");
  var totalCell = document.getElementById("live-total");
  var attendanceList = document.getElementById("live-attendance");

  var isModerator = section.getAttribute("data-moderator") === "1";
  var isParticipant = section.getAttribute("data-participant") === "1";
  var isOpen = section.getAttribute("data-open") === "1";
  var csrfInput = askForm ? askForm.querySelector("input[name=csrfmiddlewaretoken]") : null;
  if (!csrfInput) {
    csrfInput = list.querySelector("input[name=csrfmiddlewaretoken]");
  }
  var csrfToken = csrfInput ? csrfInput.value : "";

  var questions = {}; // id -> question as last received
  var voted = {};
  var own = {};
  var pendingAsk = null;
  var attendanceVersion = Number(attendanceList ? attendanceList.getAttribute("data-version") : 0) || 0;
  var socket = null;
  var attempt = 0;
  var timer = null;

  (list.getAttribute("data-voted") || "").replace(/\d+/g, function (id) {
    voted[id] = true;
    return id;
  });
  var ownItems = list.querySelectorAll("[data-own]");
  for (var n = 0; n < ownItems.length; n++) {
    own[ownItems[n].getAttribute("data-question-id")] = true;
  }

  function label(name) {
    return list.getAttribute("data-label-" + name) || "";
  }

  function say(attribute) {
    if (statusLine) {
      statusLine.textContent = statusLine.getAttribute(attribute) || "";
    }
  }

  function showError(text) {
    if (!errorLine) {
      return;
    }
    errorLine.textContent = text || "";
    errorLine.hidden = !text;
  }

  function isLive() {
    return socket !== null && socket.readyState === 1;
  }

  function send(message) {
    if (!isLive()) {
      return false;
    }
    socket.send(JSON.stringify(message));
    return true;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function actionUrl(kind, id) {
    return (list.getAttribute("data-" + kind + "-url") || "").replace(/\/0\/([a-z]+\/)$/, "/" + id + "/$1");
  }

  function form(kind, id, buttonText, state) {
    var node = element("form", "inline-form");
    node.method = "post";
    node.action = actionUrl(kind, id);
    node.setAttribute("data-action", kind);
    var token = element("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    token.value = csrfToken;
    node.appendChild(token);
    if (state) {
      var field = element("input");
      field.type = "hidden";
      field.name = "state";
      field.value = state;
      node.appendChild(field);
    }
    var button = element("button", "button button--secondary button--small", buttonText);
    button.type = "submit";
    node.appendChild(button);
    return node;
  }

  function render(question) {
    var item = element("li", "question question--" + question.state);
    item.setAttribute("data-question-id", String(question.id));
    item.setAttribute("data-state", question.state);
    item.setAttribute("data-version", String(question.version));
    if (question.text === undefined) {
      return item; // a hidden question, as participants get it: nothing to show
    }
    item.appendChild(element("p", "question__text", question.text));
    var meta = element("p", "question__meta muted");
    meta.appendChild(element("span", "question__author", question.author));
    meta.appendChild(document.createTextNode(" · "));
    meta.appendChild(element("span", "question__votes-label", label("votes") + ":"));
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(element("span", "question__votes", question.votes));
    meta.appendChild(document.createTextNode(" · "));
    meta.appendChild(element("span", "question__state", label("state-" + question.state)));
    item.appendChild(meta);
    var actions = element("div", "question__actions");
    var id = String(question.id);
    if (isParticipant && isOpen && question.state === "open" && !own[id] && !voted[id]) {
      actions.appendChild(form("upvote", id, label("upvote")));
    }
    if (isModerator) {
      for (var i = 0; i < MODERATION_STATES.length; i++) {
        if (MODERATION_STATES[i] !== question.state) {
          actions.appendChild(
            form("moderate", id, label("moderate-" + MODERATION_STATES[i]), MODERATION_STATES[i])
          );
        }
      }
    }
    item.appendChild(actions);
    return item;
  }

  function order(a, b) {
    var rankA = STATE_RANK[a.state] === undefined ? 3 : STATE_RANK[a.state];
    var rankB = STATE_RANK[b.state] === undefined ? 3 : STATE_RANK[b.state];
    if (rankA !== rankB) {
      return rankA - rankB;
    }
    if (a.state === "open" && a.votes !== b.votes) {
      return b.votes - a.votes;
    }
    if (a.created !== b.created) {
      return a.created < b.created ? -1 : 1;
    }
    return a.id - b.id;
  }

  function redraw() {
    var shown = [];
    var id;
    for (id in questions) {
      if (Object.prototype.hasOwnProperty.call(questions, id) && questions[id].text !== undefined) {
        shown.push(questions[id]);
      }
    }
    shown.sort(order);
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    for (var i = 0; i < shown.length; i++) {
      list.appendChild(render(shown[i]));
    }
    if (emptyLine) {
      emptyLine.hidden = shown.length > 0;
    }
  }

  function remember(question) {
    var id = String(question.id);
    var known = questions[id];
    if (known && known.version >= question.version) {
      return false; // an older or repeated message
    }
    if (pendingAsk !== null && question.version === 1 && question.text === pendingAsk) {
      own[id] = true;
      pendingAsk = null;
    }
    questions[id] = question;
    return true;
  }

  function showAttendance(attendance) {
    if (!attendance || attendance.version < attendanceVersion) {
      return;
    }
    attendanceVersion = attendance.version;
    if (totalCell) {
      totalCell.textContent = String(attendance.total);
    }
    if (!attendanceList) {
      return;
    }
    while (attendanceList.firstChild) {
      attendanceList.removeChild(attendanceList.firstChild);
    }
    var rows = attendance.by_municipality || [];
    for (var i = 0; i < rows.length; i++) {
      var item = element("li");
      item.appendChild(element("span", "live-attendance__name", rows[i].name));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(element("span", "live-attendance__count", rows[i].count));
      attendanceList.appendChild(item);
    }
  }

  function receive(message) {
    var i;
    if (!message || typeof message !== "object") {
      return;
    }
    if (message.type === "snapshot") {
      questions = {};
      isModerator = message.moderator === true;
      for (i = 0; i < (message.questions || []).length; i++) {
        remember(message.questions[i]);
      }
      redraw();
      showAttendance(message.attendance);
    } else if (message.type === "question" && message.question) {
      if (remember(message.question)) {
        redraw();
      }
    } else if (message.type === "attendance") {
      showAttendance(message);
    } else if (message.type === "error") {
      showError(message.message);
      if (pendingAsk !== null && askForm) {
        var field = askForm.querySelector("textarea");
        if (field && !field.value) {
          field.value = pendingAsk; // give the text back so it can be fixed and sent again
        }
        pendingAsk = null;
      }
    }
  }

  function reconnectLater() {
    // 1 s, 2 s, 4 s … up to 30 s, with jitter so that many screens don't reconnect in step.
    var delay = Math.min(MAX_DELAY, 1000 * Math.pow(2, attempt)) + Math.floor(Math.random() * 500);
    attempt += 1;
    clearTimeout(timer);
    timer = setTimeout(connect, delay);
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    try {
      socket = new WebSocket(scheme + window.location.host + section.getAttribute("data-socket"));
    } catch (error) {
      socket = null;
      reconnectLater();
      return;
    }
    socket.onopen = function () {
      attempt = 0;
      say("data-live");
      section.setAttribute("data-live", "1");
    };
    socket.onmessage = function (event) {
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      receive(message);
    };
    socket.onclose = function (event) {
      socket = null;
      section.removeAttribute("data-live");
      if (event.code === FORBIDDEN || event.code === UNAUTHENTICATED) {
        say("data-forbidden");
        return;
      }
      say("data-lost");
      reconnectLater();
    };
  }

  // Forms: over the socket while it is open, as a plain POST (and reload) otherwise.
  if (askForm) {
    askForm.addEventListener("submit", function (event) {
      var field = askForm.querySelector("textarea");
      var text = field ? field.value : "";
      if (!isLive()) {
        return;
      }
      event.preventDefault();
      showError("");
      pendingAsk = text.replace(/^\s+|\s+$/g, "");
      send({ action: "ask", text: text });
      field.value = "";
    });
  }

  list.addEventListener("submit", function (event) {
    var target = event.target;
    if (!isLive() || !target || target.tagName !== "FORM") {
      return;
    }
    var item = target.parentNode;
    while (item && !item.getAttribute("data-question-id")) {
      item = item.parentNode;
    }
    if (!item) {
      return;
    }
    event.preventDefault();
    showError("");
    var id = item.getAttribute("data-question-id");
    if (target.getAttribute("data-action") === "upvote") {
      voted[id] = true;
      target.parentNode.removeChild(target);
      send({ action: "upvote", question: Number(id) });
    } else if (target.getAttribute("data-action") === "moderate") {
      var state = target.querySelector("input[name=state]");
      send({ action: "moderate", question: Number(id), state: state ? state.value : "" });
    }
  });

  connect();
})();
