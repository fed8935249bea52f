/*
 * The SCORM player of a lesson page (courses/templates/courses/scorm/player.html, docs/scorm.md).
 *
 * The package runs in an iframe of the same site and looks for the SCORM API in its parent: this page
 * sets up scorm-again (vendored, courses/static/courses/vendor/scorm-again/) as window.API (SCORM 1.2)
 * or window.API_1484_11 (SCORM 2004), loads the person's saved state from the lesson's runtime address
 * first (suspend data, location, entry = resume, total time, status and score), and only then opens
 * the package. Each commit of the package, its finish, an autocommit every 30 seconds and the page
 * being hidden or closed send the few elements the platform keeps to the same address (JSON, with the
 * CSRF token; fetch with keepalive, so a commit on unload is not lost). In a preview nothing is sent.
 */
(function () {
  "use strict";

  var player = document.getElementById("scorm-player");
  if (!player) {
    return;
  }
  var version = player.getAttribute("data-version");
  var runtimeUrl = player.getAttribute("data-runtime-url");
  var launchUrl = player.getAttribute("data-launch-url");
  var records = player.getAttribute("data-records") === "1";
  var frame = document.getElementById("scorm-frame");
  var loading = document.getElementById("scorm-loading");
  var statusNode = document.getElementById("scorm-status");
  var scoreNode = document.getElementById("scorm-score");
  var saveError = document.getElementById("scorm-save-error");
  var is2004 = version === "2004";
  var session = sessionKey();
  var startedAt = null;
  var api = null;
  var lastSent = "";
  var inflight = false;
  var queued = false;

  function sessionKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    var key = "";
    for (var i = 0; i < bytes.length; i++) {
      key += ("0" + bytes[i].toString(16)).slice(-2);
    }
    return key;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function pad(number, size) {
    var text = String(number);
    while (text.length < size) {
      text = "0" + text;
    }
    return text;
  }

  function elapsed() {
    return startedAt === null ? 0 : Math.floor((Date.now() - startedAt) / 1000);
  }

  // The package's own session time when it reports one, else the time since it called Initialize.
  function sessionTime(reported) {
    var zero = !reported || /^0*:?0*:?0*(\.0*)?$/.test(reported) || /^PT?(0+[HMS])*0*S?$/.test(reported);
    if (!zero) {
      return reported;
    }
    var seconds = elapsed();
    if (is2004) {
      return "PT" + seconds + "S";
    }
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    return pad(Math.min(hours, 9999), 4) + ":" + pad(minutes, 2) + ":" + pad(seconds % 60, 2);
  }

  function text(value) {
    return value === undefined || value === null ? "" : String(value);
  }

  function payload() {
    var cmi = api.renderCMIToJSONObject().cmi;
    var data = { session: session };
    if (is2004) {
      var score = cmi.score || {};
      data.completion_status = text(cmi.completion_status);
      data.success_status = text(cmi.success_status);
      data.score_raw = text(score.raw);
      data.score_min = text(score.min);
      data.score_max = text(score.max);
      data.score_scaled = text(score.scaled);
      data.location = text(cmi.location);
      data.suspend_data = text(cmi.suspend_data);
      data.session_time = sessionTime(text(cmi.session_time));
      data.exit = text(cmi.exit);
    } else {
      var core = cmi.core || {};
      var score12 = core.score || {};
      data.lesson_status = text(core.lesson_status);
      data.score_raw = text(score12.raw);
      data.score_min = text(score12.min);
      data.score_max = text(score12.max);
      data.location = text(core.lesson_location);
      data.suspend_data = text(cmi.suspend_data);
      data.session_time = sessionTime(text(core.session_time));
      data.exit = text(core.exit);
    }
    return data;
  }

  function showResult(answer) {
    if (statusNode && answer.status) {
      statusNode.textContent = answer.status;
    }
    if (scoreNode && answer.score) {
      scoreNode.textContent = answer.score;
    }
    if (answer.completed) {
      player.setAttribute("data-completed", "1");
    }
  }

  function showSaveError(show) {
    if (saveError) {
      saveError.textContent = show ? player.getAttribute("data-save-error-text") : "";
      saveError.hidden = !show;
    }
  }

  // Send the current state unless it is what the server already has. One request at a time; a commit
  // during a request is sent when it returns. On unload (keepalive) it is sent at once.
  function send(unloading) {
    if (!records || api === null || startedAt === null) {
      return;
    }
    var body = JSON.stringify(payload());
    if (body === lastSent) {
      return;
    }
    if (inflight && !unloading) {
      queued = true;
      return;
    }
    inflight = true;
    var request = window.fetch(runtimeUrl, {
      method: "POST",
      credentials: "same-origin",
      keepalive: unloading === true && body.length < 60000,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: body,
    });
    request
      .then(function (response) {
        return response.json().then(function (answer) {
          if (!response.ok) {
            throw new Error(answer.error || String(response.status));
          }
          lastSent = body;
          showSaveError(false);
          showResult(answer);
        });
      })
      .catch(function () {
        showSaveError(true);
      })
      .then(function () {
        inflight = false;
        if (queued) {
          queued = false;
          send(false);
        }
      });
  }

  function commitListener() {
    send(false);
  }

  function makeApi(state) {
    var settings = {
      lmsCommitUrl: false,
      autocommit: true,
      autocommitSeconds: 30,
      logLevel: 4,
      sendFullCommit: true,
    };
    var instance;
    if (is2004) {
      instance = new window.Scorm2004API(settings);
    } else {
      instance = new window.Scorm12API(settings);
    }
    instance.loadFromJSON(state.cmi, "");
    var initialize = is2004 ? "Initialize" : "LMSInitialize";
    instance.on(initialize, function () {
      startedAt = Date.now();
    });
    instance.on(is2004 ? "Commit" : "LMSCommit", commitListener);
    instance.on(is2004 ? "Terminate" : "LMSFinish", function () {
      send(true);
    });
    return instance;
  }

  function failed() {
    if (loading) {
      loading.textContent = player.getAttribute("data-error-text");
      loading.className += " message message--error";
    }
  }

  function start(state) {
    if (state.version !== version) {
      failed();
      return;
    }
    records = records && state.records === true;
    api = makeApi(state);
    if (is2004) {
      window.API_1484_11 = api;
    } else {
      window.API = api;
    }
    if (loading) {
      loading.hidden = true;
    }
    frame.hidden = false;
    frame.src = launchUrl;
  }

  window.addEventListener("pagehide", function () {
    send(true);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      send(true);
    }
  });

  window
    .fetch(runtimeUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    })
    .then(start)
    .catch(failed);
})();
