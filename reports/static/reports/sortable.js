/* Sort a report table in the browser when a column header is clicked (no page load).
   Progressive enhancement: without JavaScript the header links sort on the server (?sort=).
   Only tables marked data-sortable with all their rows on the page (no pagination) are handled. */
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.children[index];
    var text = cell ? (cell.textContent || "").replace(/^\s+|\s+$/g, "") : "";
    return text;
  }

  function numeric(text) {
    if (text === "" || text === "\u2014") { return null; }
    var value = parseFloat(text.replace(/\s/g, "").replace(",", "."));
    return isNaN(value) ? null : value;
  }

  function sortTable(table, index, isNumeric, descending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index), result;
      if (isNumeric) {
        x = numeric(x); y = numeric(y);
        if (x === null && y === null) { return 0; }
        if (x === null) { return 1; }
        if (y === null) { return -1; }
        result = x - y;
      } else {
        result = x.toLowerCase().localeCompare(y.toLowerCase(), "ru");
      }
      return descending ? -result : result;
    });
    for (var i = 0; i < rows.length; i++) { body.appendChild(rows[i]); }
  }

  function enhance(table) {
    if (table.getAttribute("data-paginated") === "true" || !table.tBodies.length) { return; }
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (header, index) {
      var link = header.querySelector("a");
      if (!link) { return; }
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var descending = header.getAttribute("aria-sort") === "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", descending ? "descending" : "ascending");
        sortTable(table, index, header.className.indexOf("numeric") !== -1, descending);
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), enhance);
})();
