// The celebration banner shows once: tell the server it was seen as soon as it is on screen.
(function () {
  "use strict";
  var banner = document.querySelector("[data-celebrate]");
  if (!banner || !window.fetch) return;
  var form = banner.querySelector("form");
  var body = new FormData(form);
  fetch(form.action, {
    method: "POST",
    body: body,
    credentials: "same-origin",
    headers: { "X-Requested-With": "fetch" },
  }).catch(function () {});
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    banner.hidden = true;
  });
})();
