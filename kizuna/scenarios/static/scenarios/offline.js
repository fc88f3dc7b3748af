/* A scenario lesson saved on the phone (pwa/offline.js), played without a connection.
 *
 * The start page's "Start" then plays here, from what the phone kept (the moments, the choices with the
 * coach's commentary: no scores, no top rep's marks). The start and each choice wait in the outbox
 * (pwa/outbox.js) with their own statement id and the moment they happened, naming the play by its start
 * statement's id; the server records each once and scores the play when it is sent. Where the rep is in the
 * play is kept on the phone ("drafts"), so a reload goes on from there and nothing is played twice.
 */
(function () {
  "use strict";
  var root = document.getElementById("scenario-offline");
  var store = window.KizunaOffline;
  if (!root || !store || !window.indexedDB || !window.fetch) return;
  var w = root.dataset;
  var key = "scenario-" + w.version + "-" + w.lesson;
  var main = document.getElementById("main") || document.body;
  var graph = null;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) {
      String(text).split("\n").forEach(function (line, i) {
        if (i) e.appendChild(document.createElement("br"));
        e.appendChild(document.createTextNode(line));
      });
    }
    return e;
  }
  function video(src, poster) {
    var box = el("div", "player scenario-video");
    var v = document.createElement("video");
    v.controls = true;
    v.playsInline = true;
    v.preload = "metadata";
    if (poster) v.poster = poster;
    v.src = src;
    box.appendChild(v);
    return box;
  }
  function offline() { return navigator.onLine === false; }
  function load() {
    if (graph) return Promise.resolve(graph);
    return fetch(w.graph, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("not saved");
      return r.json();
    }).then(function (data) { graph = data; return data; });
  }

  var stage = el("div", "scenario-offline-player");
  stage.id = "scenario-offline-player";
  function show(parts) {
    Array.prototype.forEach.call(main.children, function (child) { if (child !== stage && child.id !== "outbox-notice") child.hidden = true; });
    if (!stage.parentNode) main.appendChild(stage);
    stage.innerHTML = "";
    parts.forEach(function (p) { if (p) stage.appendChild(p); });
    window.scrollTo(0, 0);
  }
  function progress(play, label) {
    var node = graph.nodes[play.node] || {};
    var box = el("div", "scenario-progress");
    box.id = "progress";
    var bar = document.createElement("progress");
    bar.className = "rate";
    bar.max = play.steps + (node.remaining || 0) || 1;
    bar.value = play.steps;
    bar.setAttribute("aria-label", w.progress);
    box.appendChild(bar);
    box.appendChild(el("span", "meta", label));
    return box;
  }
  function kept() {
    var note = el("p", "meta offline-kept", w.kept);
    note.setAttribute("role", "status");
    return note;
  }

  /* Keep one request for the server: the start (no node) or a choice, each whole on its own. */
  function queue(id, play, fields) {
    var data = new URLSearchParams();
    data.set("csrfmiddlewaretoken", w.csrf);
    data.set("lesson", w.lesson);
    data.set("start", play.start);
    data.set("started_at", play.startedAt);
    Object.keys(fields).forEach(function (k) { data.set(k, fields[k]); });
    return store.get("outbox", id).then(function (already) {
      if (already) return null;
      return store.queue({
        id: id, url: w.step, body: data.toString(), result: true,
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json", "X-CSRFToken": w.csrf }
      });
    });
  }

  function moment(play) {
    var node = graph.nodes[play.node];
    if (!node || node.kind === "end" || !node.choices) return ending(play);
    var card = el("section", "card scenario-moment");
    card.id = "moment";
    if (node.speaker) card.appendChild(el("p", "meta scenario-speaker", node.speaker));
    if (node.image) {
      var img = document.createElement("img");
      img.className = "scenario-image";
      img.src = node.image;
      img.alt = w.picture;
      card.appendChild(img);
    }
    if (node.video) card.appendChild(video(node.video, node.poster));
    card.appendChild(el("p", "scenario-line", node.text));
    var choices = el("div", "stack scenario-choices");
    var ask = el("p");
    ask.appendChild(el("strong", "", w.ask));
    choices.appendChild(ask);
    node.choices.forEach(function (choice) {
      var b = el("button", "block secondary scenario-choice", choice.text);
      b.type = "button";
      b.addEventListener("click", function () {
        Array.prototype.forEach.call(choices.querySelectorAll("button"), function (x) { x.disabled = true; });
        choose(play, choice);
      });
      choices.appendChild(b);
    });
    show([progress(play, w.moment.replace("%(number)s", play.steps + 1)), card, choices]);
  }

  function choose(play, choice) {
    var id = uuid();
    var from = play.node;
    var fields = { node: from, choice: choice.key, statement_id: id, at: new Date().toISOString() };
    return queue(id, play, fields).then(function () {
      play.node = choice.next;
      play.steps += 1;
      var next = graph.nodes[choice.next] || {};
      play.finished = next.kind === "end" || !next.choices;
      return store.put("drafts", play);
    }).then(function () { commentary(play, choice); });
  }

  function commentary(play, choice) {
    var card = el("section", "card scenario-commentary");
    card.id = "commentary";
    card.appendChild(el("p", "meta", w.said));
    card.appendChild(el("p", "scenario-line", choice.text));
    if (choice.commentary || choice.video) {
      card.appendChild(el("h2", "", w.why));
      if (choice.video) card.appendChild(video(choice.video, choice.poster));
      if (choice.commentary) card.appendChild(el("p", "scenario-commentary-text", choice.commentary));
    }
    card.appendChild(kept());
    var actions = el("div", "actions scenario-next");
    var next = el("button", "block", play.finished ? w.result : w.next);
    next.type = "button";
    next.id = "next";
    next.addEventListener("click", function () { moment(play); });
    actions.appendChild(next);
    show([progress(play, w.commentary.replace("%(number)s", play.steps)), card, actions]);
  }

  function ending(play) {
    var node = graph.nodes[play.node] || {};
    var card = el("section", "card scenario-ending");
    card.id = "ending";
    card.appendChild(el("h2", "card-title", node.outcome || ""));
    if (node.text) card.appendChild(el("p", "scenario-line", node.text));
    if (node.debrief) card.appendChild(el("p", "scenario-debrief", node.debrief));
    var note = el("p", "meta offline-kept", w.endNote);
    note.setAttribute("role", "status");
    card.appendChild(note);
    var actions = el("div", "actions stack");
    var again = el("button", "block", w.again);
    again.type = "button";
    again.id = "replay";
    again.addEventListener("click", function () { again.disabled = true; begin(); });
    var a = el("a", "btn block secondary", w.back);
    a.href = w.lessonUrl;
    actions.appendChild(again);
    actions.appendChild(a);
    show([card, actions]);
  }

  function begin() {
    return load().then(function () {
      var play = { id: key, start: uuid(), startedAt: new Date().toISOString(), node: graph.start, steps: 0, finished: false };
      return queue(play.start, play, {}).then(function () { return store.put("drafts", play); }).then(function () { moment(play); });
    });
  }

  var startForm = document.querySelector("form[data-once]");
  if (startForm) {
    startForm.addEventListener("submit", function (event) {
      if (!offline()) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      begin().catch(function () {
        var note = el("p", "meta", w.unsaved);
        note.setAttribute("role", "alert");
        startForm.parentNode.insertBefore(note, startForm.nextSibling);
      });
    }, true);
  }

  store.get("drafts", key).then(function (play) {
    if (!play) return;
    if (!offline()) {
      // Back online: once what was played here is sent, the server has the play (listed with the attempts).
      return store.flush().then(function (done) { if (done) return store.remove("drafts", key); });
    }
    // Reopened offline: on from where the rep was; a finished play shows its end, until a new start.
    return load().then(function () { if (play.finished) ending(play); else moment(play); });
  }).catch(function () {});
})();
