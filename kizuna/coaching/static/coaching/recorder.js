// Records a roleplay with the camera (MediaRecorder) or takes a chosen file, and uploads it in chunks
// that resume after a dropped connection: the server answers how much it has, and we go on from there.
(function () {
  "use strict";
  var root = document.getElementById("recorder");
  if (!root) return;
  var $ = function (id) { return document.getElementById(id); };
  var msg = function (name) { return root.getAttribute("data-msg-" + name) || ""; };
  var preview = $("rec-preview"), startBtn = $("rec-start"), stopBtn = $("rec-stop"), fileInput = $("rec-file");
  var form = $("rec-form"), submitBtn = $("rec-submit"), statusEl = $("rec-status"), progress = $("rec-progress");
  var clock = $("rec-clock");
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var maxBytes = parseInt(root.getAttribute("data-max-bytes"), 10);
  var statementId = root.getAttribute("data-statement-id");
  var stream = null, recorder = null, parts = [], take = null, started = 0, ticker = null, busy = false;

  function status(text, isError) {
    statusEl.textContent = text;
    statusEl.classList.toggle("error", !!isError);
  }
  function fmt(seconds) {
    var s = Math.floor(seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  function setTake(blob, text) {
    take = blob;
    if (preview.src && preview.src.indexOf("blob:") === 0) URL.revokeObjectURL(preview.src);
    preview.srcObject = null;
    preview.src = URL.createObjectURL(blob);
    preview.muted = false;
    preview.controls = true;
    submitBtn.disabled = false;
    status(text);
  }
  function stopStream() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
  }
  function mimeType() {
    var types = ["video/webm;codecs=vp8,opus", "video/webm", "video/mp4"];
    if (!window.MediaRecorder || !MediaRecorder.isTypeSupported) return "";
    for (var i = 0; i < types.length; i++) if (MediaRecorder.isTypeSupported(types[i])) return types[i];
    return "";
  }

  // A recorder page may offer a voice-only take too (a success story's interview): no camera, the microphone only.
  var voiceBtn = $("rec-start-voice");
  function mimeTypeFor(audioOnly) {
    if (!audioOnly) return mimeType();
    var types = ["audio/webm;codecs=opus", "audio/webm", "audio/mp4", "audio/ogg"];
    if (!window.MediaRecorder || !MediaRecorder.isTypeSupported) return "";
    for (var i = 0; i < types.length; i++) if (MediaRecorder.isTypeSupported(types[i])) return types[i];
    return "";
  }
  function start(audioOnly) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) {
      status(msg(audioOnly ? "nomicrophone" : "nocamera"), true);
      return;
    }
    var wanted = audioOnly ? { audio: true } : { video: { facingMode: "user", width: { ideal: 1280 }, height: { ideal: 720 } }, audio: true };
    navigator.mediaDevices.getUserMedia(wanted)
      .then(function (s) {
        stream = s;
        preview.controls = false;
        preview.muted = true;
        preview.removeAttribute("src");
        preview.srcObject = audioOnly ? null : s;
        if (!audioOnly) preview.play().catch(function () {});
        parts = [];
        var type = mimeTypeFor(audioOnly);
        recorder = type ? new MediaRecorder(s, { mimeType: type }) : new MediaRecorder(s);
        recorder.addEventListener("dataavailable", function (e) { if (e.data && e.data.size) parts.push(e.data); });
        recorder.addEventListener("stop", function () {
          clearInterval(ticker);
          stopStream();
          var fallback = audioOnly ? "audio/webm" : "video/webm";
          setTake(new Blob(parts, { type: recorder.mimeType || fallback }), msg("recorded"));
          startBtn.hidden = false;
          if (voiceBtn) voiceBtn.hidden = false;
          stopBtn.hidden = true;
        });
        recorder.start(1000);
        started = Date.now();
        ticker = setInterval(function () { clock.textContent = fmt((Date.now() - started) / 1000); }, 250);
        startBtn.hidden = true;
        if (voiceBtn) voiceBtn.hidden = true;
        stopBtn.hidden = false;
        submitBtn.disabled = true;
        status(msg(audioOnly ? "recording-voice" : "recording"));
      })
      .catch(function () { status(msg(audioOnly ? "nomicrophone" : "nocamera"), true); });
  }
  startBtn.addEventListener("click", function () { start(false); });
  if (voiceBtn) voiceBtn.addEventListener("click", function () { start(true); });

  stopBtn.addEventListener("click", function () {
    if (recorder && recorder.state !== "inactive") recorder.stop();
  });

  fileInput.addEventListener("change", function () {
    var file = fileInput.files && fileInput.files[0];
    if (!file) return;
    if (file.size > maxBytes) {
      take = null;
      submitBtn.disabled = true;
      status(msg("toolarge"), true);
      return;
    }
    setTake(file, msg("chosen"));
  });

  function Fatal(message) { this.message = message; }
  function wait(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function send(url, options) {
    options.credentials = "same-origin";
    // Accept JSON: Kizuna's own errors (an expired page, a request too large) then come as problem documents.
    options.headers = Object.assign({ "X-CSRFToken": csrf, "X-Requested-With": "fetch", "Accept": "application/json" }, options.headers || {});
    return fetch(url, options).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (r.status >= 400 && r.status !== 409) {
          if (r.status >= 500) throw new Error("server " + r.status);
          throw new Fatal(data.error || data.detail || msg("failed"));
        }
        return data;
      });
    });
  }
  function post(url, fields) {
    var body = new FormData();
    Object.keys(fields).forEach(function (k) { body.append(k, fields[k]); });
    return send(url, { method: "POST", body: body });
  }
  // Retries a step through network drops (with a growing pause), never through a refusal.
  function patiently(step) {
    var tries = 0;
    function attempt() {
      return step().catch(function (error) {
        if (error instanceof Fatal || tries >= 60) throw error;
        tries += 1;
        status(msg("offline"));
        return wait(Math.min(500 * tries, 5000)).then(attempt);
      });
    }
    return attempt();
  }

  function upload(file) {
    var state = null;
    progress.hidden = false;
    progress.value = 0;
    status(msg("uploading"));
    return patiently(function () {
      return post(root.getAttribute("data-create-url"), { size: file.size, statement_id: statementId });
    }).then(function (created) {
      state = created;
      var offset = state.offset;
      function next() {
        progress.value = Math.floor((offset / file.size) * 100);
        if (offset >= file.size) return Promise.resolve();
        return patiently(function () {
          var end = Math.min(offset + state.chunk, file.size);
          return send(state.url, {
            method: "PUT",
            headers: { "Upload-Offset": String(offset), "Content-Type": "application/octet-stream" },
            body: file.slice(offset, end),
          }).catch(function (error) {
            if (error instanceof Fatal) throw error;
            // Ask how much arrived before going on.
            return send(state.url, { method: "GET" }).then(function (now) { return now; }, function () { throw error; });
          });
        }).then(function (now) {
          offset = now.offset;
          status(msg("uploading"));
          return next();
        });
      }
      return next();
    }).then(function () {
      status(msg("finishing"));
      var fields = { note: form.note.value };
      if (form.consent.checked) fields.consent = "on";
      return patiently(function () { return post(state.finish_url, fields); });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!take || busy) return;
    busy = true;
    submitBtn.disabled = true;
    startBtn.disabled = true;
    upload(take).then(function (done) {
      window.location.assign(done.url);
    }).catch(function (error) {
      busy = false;
      submitBtn.disabled = false;
      startBtn.disabled = false;
      progress.hidden = true;
      status(error && error.message && error instanceof Fatal ? error.message : msg("failed"), true);
    });
  });
})();
