/* Kizuna quiz studio: confirm before archiving, and in a numerical question show only the
 * fields of the kind of answer chosen (a value ± tolerance, or a range). Everything works
 * without this script too: the server ignores the fields of the other kind.
 */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  function showKind(row) {
    var select = row.querySelector("select[name$='-kind']");
    if (!select) return;
    var range = select.value === "range";
    ["value", "tolerance"].forEach(function (name) {
      var input = row.querySelector("input[name$='-" + name + "']");
      if (input) input.closest(".field").hidden = range;
    });
    ["min", "max"].forEach(function (name) {
      var input = row.querySelector("input[name$='-" + name + "']");
      if (input) input.closest(".field").hidden = !range;
    });
  }

  document.querySelectorAll(".row-card").forEach(showKind);
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[name$='-kind']")) {
      showKind(event.target.closest(".row-card"));
    }
  });
})();
