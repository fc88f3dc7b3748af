/* Kizuna lesson player: reports what the rep really did as xAPI statements.
 *
 * Videos: statements of the xAPI Video Profile; only segments actually played
 * count (a seek starts a new segment, it never fills the gap), so jumping to the
 * end does not complete the lesson.
 * Articles: only active time counts (tab visible and some interaction in the
 * last minute). Every statement gets its id here, so a retry after a dropped
 * connection is recognised by the server and never counted twice.
 */
(function () {
  "use strict";
  var root = document.getElementById("lesson");
  if (!root || root.dataset.records !== "1") return;

  var url = root.dataset.statementsUrl;
  var csrf = root.dataset.csrf;
  var QUEUE_KEY = "kizuna-outbox";
  var ADL = "http://adlnet.gov/expapi/verbs/";
  var VX = "https://w3id.org/xapi/video/extensions/";

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // What the rep does is kept on the phone until the server has it: in IndexedDB (pwa/outbox.js, sent also
  // by the service worker's Background Sync and after the next page load), else in localStorage. Each
  // statement carries its id and the moment it happened, so one sent late counts once, at its own time.
  var outbox = window.KizunaOffline && window.indexedDB ? window.KizunaOffline : null;

  function loadQueue() {
    try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(q) {
    try { localStorage.setItem(QUEUE_KEY, JSON.stringify(q.slice(-200))); } catch (e) { /* storage full or off */ }
  }

  function answered(item, status, body) { if (status < 300 && item.url === url) update(body); }

  var sending = false;
  function flush(keepalive) {
    if (outbox) { outbox.flush(answered); return; }
    if (sending && !keepalive) return;
    var queue = loadQueue();
    if (!queue.length) return;
    sending = true;
    var item = queue[0];
    fetch(item.url, {
      method: "POST", credentials: "same-origin", keepalive: !!keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(item.statement)
    }).then(function (resp) {
      // 2xx stored; 4xx will never succeed (refused): drop it either way. 5xx/network: keep for retry.
      if (resp.status < 500) {
        saveQueue(loadQueue().filter(function (q) { return q.statement.id !== item.statement.id; }));
        if (resp.ok) resp.json().then(update).catch(function () {});
      }
      sending = false;
      if (resp.status < 500 && loadQueue().length) flush();
    }).catch(function () { sending = false; });
  }

  function send(statement, keepalive) {
    statement.id = uuid();
    statement.timestamp = new Date().toISOString();
    if (outbox) {
      outbox.queue({
        id: statement.id, url: url, body: JSON.stringify(statement),
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" }
      }).then(function () { outbox.flush(answered); }).catch(function () {});
      return;
    }
    var queue = loadQueue();
    queue.push({ url: url, statement: statement });
    saveQueue(queue);
    flush(keepalive);
  }

  // Statements an older page kept in localStorage move to the outbox.
  if (outbox) {
    loadQueue().forEach(function (item) {
      outbox.queue({
        id: item.statement.id, url: item.url, body: JSON.stringify(item.statement),
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" }
      });
    });
    saveQueue([]);
  }

  function update(data) {
    if (!data || !data.progress) return;
    var bar = document.getElementById("watched");
    if (bar) bar.value = Math.round((data.progress.progress || 0) * 100);
    if (data.progress.completed) {
      var done = document.getElementById("lesson-done");
      if (done && !done.dataset.shown) {
        done.dataset.shown = "1";
        done.innerHTML = "";
        var badge = document.createElement("span");
        badge.className = "badge done";
        badge.textContent = "✓ " + (document.documentElement.lang === "en" ? "Done" : "完了");
        done.appendChild(badge);
      }
    }
  }

  function duration(seconds) { return "PT" + Math.max(0, seconds).toFixed(2) + "S"; }

  send({ verb: { id: ADL + "launched" } });
  window.addEventListener("online", function () { flush(); });
  setInterval(flush, 15000);

  var video = document.getElementById("player");
  if (video) {
    // The xAPI Video Profile: initialized, played, paused, seeked, terminated (the server adds completed at
    // 90%). Result extensions: time (time-from/time-to for a seek) and the session's played segments; context
    // extensions: length and session-id. result.duration: seconds played since the previous statement.
    var VV = "https://w3id.org/xapi/video/verbs/";
    var length = parseFloat(video.dataset.length) || 0;
    var resume = parseFloat(video.dataset.resume) || 0;
    var sessionId = null;   // one player session: from initialized to terminated
    var segments = [];      // [start, end] played in this session
    var current = null;     // the segment being played now
    var last = null;        // last time seen while playing
    var position = 0;       // last time seen, playing or not (where a seek starts from)
    var playedWall = 0;     // seconds of wall-clock playback since the previous statement
    var wallMark = null;

    function context() {
      var ext = {};
      ext[VX + "session-id"] = sessionId;
      ext[VX + "length"] = video.duration || length;
      return { extensions: ext };
    }
    function startSession() {
      sessionId = uuid();
      segments = [];
      send({ verb: { id: ADL + "initialized" }, context: context() });
    }
    function closeSegment() {
      if (current && current[1] > current[0]) segments.push(current);
      current = null;
    }
    function tickWall() {
      var now = performance.now();
      if (wallMark !== null) playedWall += (now - wallMark) / 1000;
      wallMark = video.paused || document.hidden ? null : now;
    }
    function played() {
      return segments.map(function (s) { return s[0].toFixed(2) + "[.]" + s[1].toFixed(2); }).join("[,]");
    }
    // paused, seeked or terminated: what was played in this session and the time spent since the last one.
    function report(verb, ext, keepalive) {
      tickWall();
      closeSegment();
      ext[VX + "played-segments"] = played();
      send({ verb: { id: verb }, result: { duration: duration(playedWall), extensions: ext }, context: context() },
           keepalive);
      playedWall = 0;
      if (!video.paused) { current = [video.currentTime, video.currentTime]; last = video.currentTime; }
    }
    function at(time) { var ext = {}; ext[VX + "time"] = time; return ext; }

    function ready() {
      if (resume > 1 && resume < (video.duration || length) - 3) video.currentTime = resume;
      position = video.currentTime;
      startSession();
    }
    if (video.readyState >= 1) ready(); else video.addEventListener("loadedmetadata", ready, { once: true });

    video.addEventListener("play", function () {
      if (!sessionId) startSession();
      tickWall();
      last = video.currentTime;
      send({ verb: { id: VV + "played" }, result: { extensions: at(video.currentTime) }, context: context() });
    });
    video.addEventListener("timeupdate", function () {
      if (video.seeking) return;
      var t = video.currentTime;
      if (!video.paused) {
        if (last !== null && t >= last && t - last < 1.5 * Math.max(1, video.playbackRate)) {
          if (!current) current = [last, t]; else current[1] = t;
        } else {
          closeSegment();
        }
        last = t;
      }
      position = t;
    });
    var seekFrom = null;
    video.addEventListener("seeking", function () {
      if (seekFrom === null) seekFrom = position;
      closeSegment();
      last = null;
    });
    video.addEventListener("seeked", function () {
      var to = video.currentTime;
      last = to;
      position = to;
      if (!sessionId || seekFrom === null || Math.abs(to - seekFrom) < 1) { seekFrom = null; return; }
      var ext = {};
      ext[VX + "time-from"] = seekFrom;
      ext[VX + "time-to"] = to;
      seekFrom = null;
      report(VV + "seeked", ext);
    });
    video.addEventListener("pause", function () {
      if (sessionId && !video.seeking) report(VV + "paused", at(video.currentTime));
    });
    // Leaving (or hiding) the page ends the session; coming back to play starts a new one.
    function terminate() {
      if (!sessionId) return;
      report(ADL + "terminated", at(video.currentTime), true);
      sessionId = null;
    }
    document.addEventListener("visibilitychange", function () { if (document.hidden) terminate(); else tickWall(); });
    window.addEventListener("pagehide", terminate);
  } else {
    // Articles: count a second only while the page is visible and the rep did something in the last minute.
    var active = 0;
    var lastInteraction = Date.now();
    ["scroll", "touchstart", "keydown", "mousemove", "click"].forEach(function (name) {
      window.addEventListener(name, function () { lastInteraction = Date.now(); }, { passive: true });
    });
    setInterval(function () {
      if (!document.hidden && Date.now() - lastInteraction < 60000) active += 1;
    }, 1000);
    function reportTime(keepalive) {
      if (active < 1) return;
      send({ verb: { id: ADL + "progressed" }, result: { duration: duration(active) } }, keepalive);
      active = 0;
    }
    setInterval(reportTime, 30000);
    document.addEventListener("visibilitychange", function () { if (document.hidden) reportTime(true); });
    window.addEventListener("pagehide", function () { reportTime(true); });
  }
})();
