// The item of a text of the annual report (reports/annual/forms.py): on a new report the choice lists
// every plan's items; once the report's plan is chosen, the other plans' items are hidden. An item
// already chosen stays visible (the check on saving explains why it is refused). A static file: the CSP
// allows no inline script.
(function () {
  var SELECT = "select[data-plan-items]";

  function chosenPlan() {
    var plan = document.getElementById("id_plan");
    return plan ? plan.value : "";
  }

  function filter(select) {
    var plan = chosenPlan();
    var options = select.querySelectorAll("option[data-plan]");
    for (var i = 0; i < options.length; i++) {
      var other = plan !== "" && options[i].getAttribute("data-plan") !== plan && !options[i].selected;
      options[i].hidden = other;
      options[i].disabled = other;
    }
    var groups = select.querySelectorAll("optgroup");
    for (var j = 0; j < groups.length; j++) {
      groups[j].hidden = !groups[j].querySelector("option:not([hidden])");
    }
  }

  function filterAll() {
    var selects = document.querySelectorAll(SELECT);
    for (var i = 0; i < selects.length; i++) {
      filter(selects[i]);
    }
  }

  document.addEventListener("change", function (event) {
    if (event.target.id === "id_plan") {
      filterAll();
    }
  });
  // A text added with «Добавить пункт» is filtered when it is first used.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches(SELECT)) {
      filter(event.target);
    }
  });
  document.addEventListener("mousedown", function (event) {
    if (event.target.matches && event.target.matches(SELECT)) {
      filter(event.target);
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", filterAll);
  } else {
    filterAll();
  }
})();
