// The writing assistant beside every textarea of a form marked data-plain-assist="<check URL>": htmx posts
// the text (debounced) and shows the server's analysis under the field (kizuna/plain/views.py `check`).
(function () {
  "use strict";
  var counter = 0;

  function attach(form) {
    var url = form.getAttribute("data-plain-assist");
    // Every textarea, and the one-line fields the form names in data-plain-fields (a survey question).
    var named = (form.getAttribute("data-plain-fields") || "").split(",").filter(Boolean);
    var selector = ["textarea"].concat(named.map(function (name) {
      return "input[name='" + CSS.escape(name) + "']";
    })).join(", ");
    form.querySelectorAll(selector).forEach(function (area) {
      if (area.hasAttribute("data-plain-attached") || !area.name) {
        return;
      }
      area.setAttribute("data-plain-attached", "");
      if (!area.id) {
        counter += 1;
        area.id = "plain-area-" + counter;
      }
      var selector = "#" + CSS.escape(area.id);
      var box = document.createElement("div");
      box.className = "plain-assist";
      box.setAttribute("aria-live", "polite");
      box.setAttribute("hx-post", url);
      box.setAttribute("hx-trigger", "load, input changed delay:700ms from:" + selector + ", plain-recheck");
      box.setAttribute("hx-include", selector);
      box.setAttribute("hx-vals", JSON.stringify({ field: area.name, area: area.id }));
      box.setAttribute("hx-sync", "this:replace");
      area.insertAdjacentElement("afterend", box);
      if (window.htmx) {
        window.htmx.process(box);
      }
    });
  }

  function attachAll(root) {
    if (root.matches && root.matches("form[data-plain-assist]")) {
      attach(root);
    }
    if (root.querySelectorAll) {
      root.querySelectorAll("form[data-plain-assist]").forEach(attach);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    attachAll(document);
  });
  document.addEventListener("htmx:load", function (event) {
    attachAll(event.detail.elt);
  });
})();
