/* Kizuna quiz player: saves each answer as soon as the rep changes it, and loses nothing.
 *
 * Every change is kept in IndexedDB, beside the offline outbox (pwa/outbox.js, store "drafts": one entry
 * per attempt, holding per question the latest answer and a statement id made here) and sent one at a time,
 * like records/player.js: a 2xx or 4xx answer removes it (stored, or refused for good); a 5xx or a dropped
 * connection keeps it and it is sent again, with the same statement id, so the server never counts it twice.
 * A reload (or a browser restart) puts unsent answers back into the form. Where IndexedDB is unavailable the
 * page keeps them in memory only. Without JavaScript nothing is lost either: submitting the form sends every
 * answer. Submitting is guarded against double taps and against having no connection, and a time limit is
 * counted down and submits when it runs out.
 */
(function () {
  "use strict";
  var openedAt = Date.now();

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /* A micro lesson's check answered offline (a lesson saved on the phone): the whole form is kept in the
     outbox (pwa/outbox.js) with fresh statement ids (a saved page's ids may have been used already) and the
     moment it was answered, and sent when the connection is back. The correct answers are not on the phone:
     the server scores the answers then, and the lesson shows the result when next opened online. */
  function keepOffline(form) {
    ["start_sid", "submit_sid", "sid"].concat(
      Array.prototype.map.call(form.querySelectorAll("input[name^='sid-']"), function (el) { return el.name; })
    ).forEach(function (name) {
      var el = form.querySelector("input[name='" + name + "']");
      if (el) el.value = uuid();
    });
    var data = new URLSearchParams(new FormData(form));
    data.set("at", new Date().toISOString());
    data.set("seconds", String(Math.round((Date.now() - openedAt) / 1000)));
    form.classList.add("is-sent");
    Array.prototype.forEach.call(form.querySelectorAll("button[type=submit], input, select, textarea"), function (el) {
      if (el.type !== "hidden") el.disabled = true;
    });
    var note = document.createElement("p");
    note.className = "meta quiz-kept";
    note.setAttribute("role", "status");
    note.textContent = form.dataset.offlineKept;
    form.appendChild(note);
    // A review answer asks for the server's verdict in JSON, which the phone keeps to show the rep.
    var review = form.classList.contains("review-form");
    var url = form.getAttribute("action");
    window.KizunaOffline.queue({
      id: data.get("submit_sid") || data.get("sid"), url: url, body: data.toString(), result: review,
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": review ? "application/json" : "text/html" }
    }).then(function () {
      form.dispatchEvent(new CustomEvent("kizuna:kept", { bubbles: true, detail: { url: url } }));
    });
  }

  // Every quiz form (also a micro lesson's check): one submit only, and not without a connection.
  Array.prototype.forEach.call(document.querySelectorAll("form.quiz-form"), function (form) {
    form.addEventListener("submit", function (event) {
      if (form.classList.contains("is-sent")) { event.preventDefault(); return; }
      if (navigator.onLine === false) {
        event.preventDefault();
        if (form.dataset.autosave === "0" && window.KizunaOffline && form.dataset.offlineKept) {
          keepOffline(form);
          return;
        }
        var status = document.getElementById("quiz-saved");
        if (status && form.dataset.offlineSubmit) status.textContent = form.dataset.offlineSubmit;
        return;
      }
      form.classList.add("is-sent");
      // Disabled after the browser has read the pressed button's name and value.
      setTimeout(function () {
        Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) { b.disabled = true; });
      }, 0);
    });
  });

  var form = document.querySelector("form.quiz-form[data-autosave='1']");
  if (!form || !window.fetch || !window.FormData) return;
  var attemptKey = form.querySelector("input[name=attempt]").value;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var url = form.getAttribute("action"); // form.action would be the button named "action"
  var STORE = "kizuna-quiz-" + attemptKey;
  var status = document.getElementById("quiz-saved");

  function say(text) { if (status && text) status.textContent = text; }

  // What waits to be sent, kept in memory and written through to IndexedDB ("drafts", key: the attempt).
  var drafts = window.KizunaOffline && window.indexedDB ? window.KizunaOffline : null;
  var pendingNow = {};
  function load() { return JSON.parse(JSON.stringify(pendingNow)); }
  function store(pending) {
    pendingNow = pending;
    if (!drafts) return;
    var done = Object.keys(pending).length
      ? drafts.put("drafts", { id: STORE, pending: pending, at: Date.now() })
      : drafts.remove("drafts", STORE);
    done.catch(function () { /* storage full or off: the form still holds the answers */ });
  }

  function box(key) { return form.querySelector("[data-question='" + key + "']"); }

  function fieldsOf(key) {
    var fields = [];
    Array.prototype.forEach.call(box(key).querySelectorAll("input, select, textarea"), function (el) {
      if (!el.name || el.name.indexOf("q-") !== 0) return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      if (el.value !== "") fields.push([el.name, el.value]);
    });
    return fields;
  }

  function apply(key, fields) {
    Array.prototype.forEach.call(box(key).querySelectorAll("input, select, textarea"), function (el) {
      if (!el.name || el.name.indexOf("q-") !== 0) return;
      var values = fields.filter(function (f) { return f[0] === el.name; }).map(function (f) { return f[1]; });
      if (el.type === "radio" || el.type === "checkbox") el.checked = values.indexOf(el.value) >= 0;
      else el.value = values.length ? values[0] : "";
    });
  }

  function setState(key, state, text) {
    var el = box(key) && box(key).querySelector(".q-state");
    if (!el) return;
    el.setAttribute("data-state", state);
    el.textContent = text || form.getAttribute("data-state-" + state) || "";
  }

  function countAnswered() {
    var n = 0;
    Array.prototype.forEach.call(form.querySelectorAll("[data-question]"), function (b) {
      if (fieldsOf(b.getAttribute("data-question")).length) n += 1;
    });
    var out = document.getElementById("quiz-answered");
    if (out) out.textContent = String(n);
  }

  var sending = false;
  var retryTimer = null;
  function retryLater() {
    if (!retryTimer) retryTimer = setTimeout(function () { retryTimer = null; flush(); }, 5000);
  }

  function flush() {
    if (sending || form.classList.contains("is-sent")) return;
    var pending = load();
    var keys = Object.keys(pending).filter(function (k) { return box(k); });
    if (!keys.length) return;
    var key = keys[0];
    var item = pending[key];
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf);
    data.append("attempt", attemptKey);
    data.append("action", "save");
    data.append("question", key);
    data.append("sid-" + key, item.sid);
    item.fields.forEach(function (f) { data.append(f[0], f[1]); });
    sending = true;
    setState(key, "saving");
    fetch(url, {
      method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (body) { return { status: resp.status, body: body }; });
    }).then(function (res) {
      sending = false;
      if (res.status >= 500) { setState(key, "offline"); say(form.getAttribute("data-offline")); retryLater(); return; }
      var now = load();
      var newer = now[key] && now[key].sid !== item.sid;
      if (!newer) { delete now[key]; store(now); }
      if (res.status === 200) {
        if (!newer) setState(key, "saved");
        say(form.getAttribute("data-saved"));
      } else {
        var errors = (res.body && res.body.errors) || {};
        var message = errors[key] || (res.body && (res.body.error || res.body.detail)) || "";
        setState(key, "error", message);
        say(message);
        if (res.status === 409) return; // submitted elsewhere, or out of time: a reload shows the result
      }
      flush();
    }).catch(function () {
      sending = false;
      setState(key, "offline");
      say(form.getAttribute("data-offline"));
      retryLater();
    });
  }

  var typing = {};
  function queue(key) {
    var pending = load();
    var fields = fieldsOf(key);
    if (!fields.length) return; // a blank answer is not saved; the last saved one stays
    pending[key] = { sid: uuid(), fields: fields, at: Date.now() };
    store(pending);
    var sid = form.querySelector("input[name='sid-" + key + "']");
    if (sid) sid.value = pending[key].sid; // a submit now carries the same id
    setState(key, "saving");
    flush();
  }

  form.addEventListener("change", function (event) {
    var b = event.target.closest("[data-question]");
    if (!b) return;
    var key = b.getAttribute("data-question");
    clearTimeout(typing[key]);
    countAnswered();
    queue(key);
  });
  form.addEventListener("input", function (event) {
    var t = event.target;
    // Typed answers (and essays' text areas) are saved a moment after the typing stops.
    if (t.tagName !== "TEXTAREA" && (t.tagName !== "INPUT" || (t.type !== "text" && t.type !== "number"))) return;
    var b = event.target.closest("[data-question]");
    if (!b) return;
    var key = b.getAttribute("data-question");
    clearTimeout(typing[key]);
    typing[key] = setTimeout(function () { countAnswered(); queue(key); }, 800);
  });

  // After a reload or a crash: put unsent answers back and send them. Answers an older page kept in
  // localStorage move to IndexedDB first.
  function legacy() {
    var found = {};
    try {
      found = JSON.parse(localStorage.getItem(STORE) || "{}");
      localStorage.removeItem(STORE);
    } catch (e) { /* storage off */ }
    return found;
  }
  function restore(saved) {
    var restored = saved || {};
    var older = legacy();
    Object.keys(older).forEach(function (key) { if (!restored[key]) restored[key] = older[key]; });
    var changed = Object.keys(pendingNow); // answered while this was being read: the newer answer stays
    changed.forEach(function (key) { restored[key] = pendingNow[key]; });
    store(restored);
    Object.keys(restored).forEach(function (key) {
      if (!box(key) || changed.indexOf(key) >= 0) return;
      apply(key, restored[key].fields);
      var sid = form.querySelector("input[name='sid-" + key + "']");
      if (sid) sid.value = restored[key].sid;
      setState(key, "offline");
    });
    countAnswered();
    flush();
  }
  var reading = drafts ? drafts.get("drafts", STORE).then(function (entry) { return entry && entry.pending; }) : Promise.resolve({});
  reading.catch(function () { return {}; }).then(restore);
  // Forget the drafts of other attempts older than a week.
  if (drafts) {
    drafts.all("drafts").then(function (entries) {
      entries.forEach(function (entry) {
        if (entry.id !== STORE && Date.now() - (entry.at || 0) > 7 * 86400000) drafts.remove("drafts", entry.id);
      });
    }).catch(function () {});
  }
  window.addEventListener("online", flush);
  setInterval(flush, 15000);

  // The countdown of a time limit, in the server's clock; at zero the answers are submitted.
  var timer = document.getElementById("quiz-timer");
  if (timer) {
    var deadline = Date.parse(timer.getAttribute("data-deadline"));
    var skew = parseInt(timer.getAttribute("data-now"), 10) - Date.now();
    var out = timer.querySelector("strong");
    var fired = false;
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - (Date.now() + skew)) / 1000));
      out.textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
      timer.classList.toggle("is-urgent", left <= 60);
      if (left <= 0 && !fired) {
        fired = true;
        say(form.getAttribute("data-time-up"));
        var button = form.querySelector("button[name=action][value=submit]");
        if (form.requestSubmit) form.requestSubmit(button); else button.click();
      }
    };
    tick();
    setInterval(tick, 1000);
  }
})();
