// Flash update form: show partners and teams only for "selected", confirm deleting a draft, no double submit.
(function () {
  "use strict";

  var form = document.getElementById("flash-form");
  if (form) {
    var selected = form.querySelector("[data-audience=selected]");
    var showAudience = function () {
      var chosen = form.querySelector("input[name=audience]:checked");
      if (selected) {
        selected.hidden = !chosen || chosen.value !== "selected";
      }
    };
    showAudience();
    form.addEventListener("change", function (event) {
      if (event.target.name === "audience") {
        showAudience();
      }
    });
    form.addEventListener("submit", function (event) {
      // The pressed button's name/value must still be sent, so disable only after the event.
      var buttons = form.querySelectorAll("button[type=submit]");
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
      window.setTimeout(function () {
        buttons.forEach(function (b) { b.disabled = true; });
      }, 0);
    });
    // Coming back with the browser's back button shows the page as it was left: usable again.
    window.addEventListener("pageshow", function () {
      delete form.dataset.sent;
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
    });
  }

  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
