/* Live campaign monitor: keeps the server-rendered counters up to date over a WebSocket.
 *
 * Without JavaScript or WebSocket support the page simply shows the numbers it was rendered with.
 * Written for old browsers too: no libraries, no arrow functions, no optional chaining.
 * The server closes with code 4403 when the manager may not watch this campaign: no retry then.
 */
(function () {
  "use strict";

  var FORBIDDEN = 4403;
  var COUNTERS = ["started", "finished", "passed"];
  var MAX_DELAY = 30000;

  var table = document.getElementById("monitor");
  var status = document.getElementById("monitor-status");
  if (!table || !window.WebSocket) {
    return;
  }

  var attempt = 0;
  var timer = null;

  function socketUrl() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + table.getAttribute("data-socket");
  }

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function say(attribute, withTime) {
    if (!status) {
      return;
    }
    var text = status.getAttribute(attribute) || "";
    if (withTime) {
      var now = new Date();
      text += " " + pad(now.getHours()) + ":" + pad(now.getMinutes()) + ":" + pad(now.getSeconds());
    }
    status.textContent = text;
  }

  function update(rows) {
    var key, i, cell, value;
    for (key in rows) {
      if (!Object.prototype.hasOwnProperty.call(rows, key)) {
        continue;
      }
      for (i = 0; i < COUNTERS.length; i++) {
        cell = document.getElementById("monitor-" + key + "-" + COUNTERS[i]);
        value = rows[key][COUNTERS[i]];
        if (cell && value !== undefined && String(value) !== cell.textContent) {
          cell.textContent = String(value);
        }
      }
    }
  }

  function reconnectLater() {
    // 1 s, 2 s, 4 s … up to 30 s, with a little jitter so many screens don't reconnect in step.
    var delay = Math.min(MAX_DELAY, 1000 * Math.pow(2, attempt)) + Math.floor(Math.random() * 500);
    attempt += 1;
    clearTimeout(timer);
    timer = setTimeout(connect, delay);
  }

  function connect() {
    var socket;
    try {
      socket = new WebSocket(socketUrl());
    } catch (error) {
      reconnectLater();
      return;
    }
    socket.onopen = function () {
      attempt = 0;
    };
    socket.onmessage = function (event) {
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (message && message.type === "counters" && message.rows) {
        update(message.rows);
        say("data-live", true);
      }
    };
    socket.onclose = function (event) {
      if (event.code === FORBIDDEN) {
        say("data-forbidden", false);
        return;
      }
      say("data-lost", false);
      reconnectLater();
    };
  }

  connect();
})();
