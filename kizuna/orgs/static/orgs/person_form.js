// Person form: show only the teams and roles that fit the chosen organization.
(function () {
  "use strict";
  var form = document.querySelector(".person-form");
  if (!form) return;
  var organization = form.querySelector("select[name=organization]");
  var team = form.querySelector("select[name=team]");
  var role = form.querySelector("select[name=role]");
  if (!organization || !team || !role) return;
  var kinds = {};
  (organization.getAttribute("data-kinds") || "").split(",").forEach(function (pair) {
    var parts = pair.split(":");
    if (parts.length === 2) kinds[parts[0]] = parts[1];
  });

  function fit(select, attribute, wanted) {
    Array.prototype.forEach.call(select.querySelectorAll("option"), function (option) {
      var value = option.getAttribute(attribute);
      var hide = wanted !== "" && value !== null && value !== wanted;
      option.hidden = hide;
      option.disabled = hide;
      if (hide && option.selected) select.value = "";
    });
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      var visible = group.querySelectorAll("option:not([hidden])").length > 0;
      group.hidden = !visible;
    });
  }

  function update() {
    var id = organization.value;
    fit(team, "data-organization", id);
    fit(role, "data-kind", id ? kinds[id] || "" : "");
  }

  organization.addEventListener("change", update);
  update();
})();
