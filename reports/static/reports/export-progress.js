/* Export jobs: polls each unfinished job's status (JSON) and updates its progress bar; when the file is
 * ready, shows the download link. Without JavaScript the page shows the state it was rendered with.
 * Written for old browsers too (ES5): no libraries, no arrow functions, no fetch.
 */
(function () {
  "use strict";

  var INTERVAL = 2000;
  var table = document.getElementById("export-jobs");
  if (!table || !window.XMLHttpRequest || !window.JSON) {
    return;
  }
  var labelNode = document.getElementById("export-download-label");
  var downloadLabel = labelNode ? labelNode.textContent : "";

  function part(row, role) {
    return row.querySelector("[data-role='" + role + "']");
  }

  function show(row, job) {
    var progress = part(row, "progress");
    if (progress) {
      progress.value = job.progress;
      progress.textContent = job.progress + "%";
    }
    part(row, "status").textContent = job.status_label;
    part(row, "error").textContent = job.error || "";
    if (job.download_url) {
      var cell = part(row, "download");
      var link = document.createElement("a");
      link.href = job.download_url;
      link.textContent = downloadLabel;
      cell.textContent = "";
      cell.appendChild(link);
    }
  }

  function poll(row) {
    var request = new XMLHttpRequest();
    request.open("GET", row.getAttribute("data-job-url"), true);
    request.setRequestHeader("Accept", "application/json");
    request.onreadystatechange = function () {
      if (request.readyState !== 4) {
        return;
      }
      if (request.status !== 200) {
        return; // gone or forbidden: stop polling this row
      }
      var job = JSON.parse(request.responseText);
      show(row, job);
      if (!job.finished) {
        window.setTimeout(function () { poll(row); }, INTERVAL);
      }
    };
    request.send(null);
  }

  var rows = table.querySelectorAll("tr[data-running]");
  for (var i = 0; i < rows.length; i++) {
    poll(rows[i]);
  }
})();
