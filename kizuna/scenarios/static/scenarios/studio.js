// Scenario studio: confirm deletions, show an end's fields only for ends, and bring a form that came back with errors into view.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  function showKindFields(form) {
    var kind = form.querySelector("[data-kind-switch]");
    if (!kind) {
      return;
    }
    form.querySelectorAll("[data-end-only]").forEach(function (input) {
      var box = input.closest(".field") || input;
      box.hidden = kind.value !== "end";
    });
  }

  document.querySelectorAll("form.node-form").forEach(function (form) {
    showKindFields(form);
    form.addEventListener("change", function (event) {
      if (event.target.hasAttribute("data-kind-switch")) {
        showKindFields(form);
      }
    });
  });

  if (!window.location.hash) {
    var open = document.querySelector("details[open] .errorlist, details[open] .has-error");
    if (open) {
      open.scrollIntoView({ block: "center" });
    }
  }
})();
