// The search box of the plan-items chooser (cms/widgets.py): shows the items whose number or words
// contain what was typed, opening the plans that have them. A static file: the CSP allows no inline script.
(function () {
  function normalize(text) {
    return text.toLowerCase().replace(/ё/g, "е").replace(/\s+/g, " ").trim();
  }

  function setUp(chooser) {
    var search = chooser.querySelector("[data-plan-items-search]");
    var none = chooser.querySelector("[data-plan-items-none]");
    if (!search || search.getAttribute("data-ready")) {
      return;
    }
    search.setAttribute("data-ready", "1");
    search.addEventListener("input", function () {
      var query = normalize(search.value);
      var found = 0;
      var plans = chooser.querySelectorAll("details");
      for (var i = 0; i < plans.length; i++) {
        var items = plans[i].querySelectorAll("li");
        var shown = 0;
        for (var j = 0; j < items.length; j++) {
          var match = !query || normalize(items[j].textContent).indexOf(query) !== -1;
          items[j].hidden = !match;
          if (match) {
            shown += 1;
          }
        }
        plans[i].hidden = shown === 0;
        if (query && shown) {
          plans[i].open = true;
        }
        found += shown;
      }
      none.hidden = found !== 0;
    });
  }

  function setUpAll() {
    var choosers = document.querySelectorAll("[data-plan-items]");
    for (var i = 0; i < choosers.length; i++) {
      setUp(choosers[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
