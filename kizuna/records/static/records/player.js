/* Kizuna lesson player: reports what the rep really did as xAPI statements.
 *
 * Videos: only segments actually played count (a seek starts a new segment, it
 * never fills the gap), so jumping to the end does not complete the lesson.
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

  function loadQueue() {
    try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(q) {
    try { localStorage.setItem(QUEUE_KEY, JSON.stringify(q.slice(-200))); } catch (e) { /* storage full or off */ }
  }

  var sending = false;
  function flush(keepalive) {
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
    var queue = loadQueue();
    queue.push({ url: url, statement: statement });
    saveQueue(queue);
    flush(keepalive);
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
    var length = parseFloat(video.dataset.length) || 0;
    var resume = parseFloat(video.dataset.resume) || 0;
    var sessionId = uuid();
    var segments = [];      // [start, end] played since the last report
    var current = null;     // the segment being played now
    var last = null;        // last time seen while playing
    var playedWall = 0;     // seconds of wall-clock playback since the last report
    var wallMark = null;

    video.addEventListener("loadedmetadata", function () {
      if (resume > 1 && resume < (video.duration || length) - 3) video.currentTime = resume;
    }, { once: true });

    function closeSegment() {
      if (current && current[1] > current[0]) segments.push(current);
      current = null;
    }
    function tickWall() {
      var now = performance.now();
      if (wallMark !== null) playedWall += (now - wallMark) / 1000;
      wallMark = video.paused || document.hidden ? null : now;
    }
    video.addEventListener("play", function () { wallMark = performance.now(); last = video.currentTime; });
    video.addEventListener("timeupdate", function () {
      if (video.paused || video.seeking) return;
      var t = video.currentTime;
      if (last !== null && t >= last && t - last < 1.5 * Math.max(1, video.playbackRate)) {
        if (!current) current = [last, t]; else current[1] = t;
      } else {
        closeSegment();
      }
      last = t;
    });
    video.addEventListener("seeking", function () { closeSegment(); last = null; });
    video.addEventListener("seeked", function () { last = video.currentTime; });

    function report(keepalive) {
      tickWall();
      closeSegment();
      if (!segments.length) return;
      var text = segments.map(function (s) { return s[0].toFixed(2) + "[.]" + s[1].toFixed(2); }).join("[,]");
      var ext = {};
      ext[VX + "played-segments"] = text;
      ext[VX + "time"] = video.currentTime;
      ext[VX + "length"] = video.duration || length;
      var ctx = {};
      ctx[VX + "session-id"] = sessionId;
      send({ verb: { id: ADL + "progressed" }, result: { duration: duration(playedWall), extensions: ext },
             context: { extensions: ctx } }, keepalive);
      segments = [];
      playedWall = 0;
      if (!video.paused) { current = [video.currentTime, video.currentTime]; last = video.currentTime; }
    }
    video.addEventListener("pause", function () { report(); });
    video.addEventListener("ended", function () { report(); });
    setInterval(function () { if (!video.paused) report(); }, 10000);
    document.addEventListener("visibilitychange", function () { if (document.hidden) report(true); else tickWall(); });
    window.addEventListener("pagehide", function () { report(true); });
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
