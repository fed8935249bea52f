// The page editor's save buttons wait for the rich-text editors (cms/wagtail_hooks.py).
//
// Draftail writes its text into the form's hidden field at most every 250 ms (its stateSaveInterval),
// so «Сохранить черновик» pressed right after typing sent the text of a moment before: a lesson saved
// at once lost its body. The first submit of the editor form is held for a moment, then sent again by
// the same button. A static file: the Content-Security-Policy allows no inline script.
(function () {
  var HOLD = 400; // ms, longer than Draftail's 250

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!form.hasAttribute("data-edit-form") || form.getAttribute("data-held") === "1") {
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      form.setAttribute("data-held", "1");
      var submitter = event.submitter || null;
      window.setTimeout(function () {
        if (form.requestSubmit) {
          form.requestSubmit(submitter);
        } else {
          form.submit();
        }
        form.removeAttribute("data-held");
      }, HOLD);
    },
    true
  );
})();
