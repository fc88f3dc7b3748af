// Studio and assignments: confirm before deleting, and show only the target field that is used.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  function showChosenTarget(form) {
    var chosen = form.querySelector("input[name=target]:checked");
    var value = chosen ? chosen.value : "partner";
    form.querySelectorAll("[data-target-field]").forEach(function (box) {
      box.hidden = box.getAttribute("data-target-field") !== value;
    });
  }

  var assign = document.getElementById("assign");
  if (assign) {
    showChosenTarget(assign);
    assign.addEventListener("change", function (event) {
      if (event.target.name === "target") {
        showChosenTarget(assign);
      }
    });
  }
})();
