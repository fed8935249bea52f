// Accessible names for the buttons of Wagtail's date and time picker (cms/wagtail_hooks.py).
//
// The vendor picker (xdsoft datetimepicker) draws its month arrows, «today» and the time list's arrows
// as empty <button>s styled by CSS: a screen reader announces them as «кнопка», and axe reports them
// («button-name», critical). Each picker is appended to <body> when Wagtail sets up a date field, so
// the pickers already there are labelled at once and later ones as they arrive. The Russian labels
// come from gettext through the script element's data-labels. A static file: the
// Content-Security-Policy allows no inline script.
(function () {
  var script = document.currentScript;
  var labels = JSON.parse((script && script.getAttribute("data-labels")) || "{}");
  var BUTTONS = [
    [".xdsoft_datepicker .xdsoft_prev", "previousMonth"],
    [".xdsoft_datepicker .xdsoft_today_button", "today"],
    [".xdsoft_datepicker .xdsoft_next", "nextMonth"],
    [".xdsoft_timepicker .xdsoft_prev", "earlierTimes"],
    [".xdsoft_timepicker .xdsoft_next", "laterTimes"],
  ];

  function label(picker) {
    BUTTONS.forEach(function (pair) {
      var button = picker.querySelector(pair[0]);
      if (button && labels[pair[1]] && !button.hasAttribute("aria-label")) {
        button.setAttribute("aria-label", labels[pair[1]]);
        button.setAttribute("title", labels[pair[1]]);
      }
    });
  }

  function labelAll(root) {
    if (root.classList && root.classList.contains("xdsoft_datetimepicker")) {
      label(root);
    }
    if (root.querySelectorAll) {
      Array.prototype.forEach.call(root.querySelectorAll(".xdsoft_datetimepicker"), label);
    }
  }

  function start() {
    labelAll(document.body);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        Array.prototype.forEach.call(mutation.addedNodes, labelAll);
      });
    }).observe(document.body, { childList: true });
  }

  if (document.body) {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
