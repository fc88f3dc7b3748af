/* On every rep page (the layout's #outbox-notice): send what the rep did offline as soon as there is a
 * connection (on open and when it comes back), and show once the server's verdict on what was sent, wherever
 * the rep is then: a review or update answer right or not, a scenario played offline scored, or why something
 * was not recorded. The service worker's own sending (Background Sync) tells open pages to look again. */
(function () {
  "use strict";
  var store = window.KizunaOffline, box = document.getElementById("outbox-notice");
  if (!store || !box || !window.indexedDB) return;
  var words = box.dataset, list = box.querySelector("ul");
  function fill(text, values) {
    return String(text || "").replace(/%\((\w+)\)s/g, function (_m, name) { return values[name]; });
  }
  function show() {
    return store.all("results").then(function (results) {
      if (!results.length) return;
      results.sort(function (a, b) { return a.at - b.at; });
      results.forEach(function (r) {
        var body = r.body || {}, li = document.createElement("li");
        if (r.status >= 300) li.textContent = fill(words.notRecorded, { error: body.error || r.status });
        else if (body.message) li.textContent = "✓ " + body.message;
        else if (body.scored && body.question) {
          li.textContent = (body.correct ? "✓ " : "✗ ") + fill(body.correct ? words.right : words.wrong, { question: body.question });
          li.className = body.correct ? "is-right" : "is-wrong";
        } else return;
        list.appendChild(li);
      });
      if (list.children.length) box.hidden = false;
      return Promise.all(results.map(function (r) { return store.remove("results", r.id); }));
    }).catch(function () {});
  }
  function flush() { return store.flush().then(show, show); }
  box.querySelector("button").addEventListener("click", function () { box.hidden = true; list.innerHTML = ""; });
  addEventListener("online", flush);
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (e) { if (e.data === "kizuna-outbox-sent") show(); });
  }
  if (navigator.onLine !== false) flush(); else show();
  window.KizunaNotice = { show: show, flush: flush };
})();
