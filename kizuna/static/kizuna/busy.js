// Forms marked data-busy (imports, uploads, rebuilds): once sent, their buttons are disabled and a spinner
// with a note says the work is under way, so a long request neither looks frozen nor is sent twice.
// The note is the form's data-busy text, or the page's default (body data-busy-text), both translated.
(function () {
  "use strict";

  function release(form) {
    form.removeAttribute("aria-busy");
    form.querySelectorAll("[data-busy-disabled]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("data-busy-disabled");
    });
    var note = form.querySelector(".busy-note");
    if (note) note.remove();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-busy") || event.defaultPrevented) return;
    if (form.getAttribute("aria-busy") === "true") {
      event.preventDefault(); // already on its way
      return;
    }
    form.setAttribute("aria-busy", "true");
    var buttons = form.querySelectorAll("button:not([type=button]):not([type=reset]), input[type=submit]");
    // After the event: the pressed button's name and value are still part of what is sent.
    setTimeout(function () {
      buttons.forEach(function (button) {
        if (!button.disabled) {
          button.disabled = true;
          button.setAttribute("data-busy-disabled", "");
        }
      });
    }, 0);
    var note = document.createElement("p");
    note.className = "busy-note";
    note.setAttribute("role", "status");
    note.textContent = form.getAttribute("data-busy") || document.body.getAttribute("data-busy-text") || "…";
    form.appendChild(note);
  });

  // Back to a page the browser kept in memory: its forms are usable again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) document.querySelectorAll("form[aria-busy=true]").forEach(release);
  });
})();
