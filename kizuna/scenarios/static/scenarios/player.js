// Scenario player: one tap is one choice (a second tap while the page loads is ignored).
(function () {
  "use strict";

  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.classList.contains("is-sent")) {
        event.preventDefault();
        return;
      }
      form.classList.add("is-sent");
    });
  });
})();
