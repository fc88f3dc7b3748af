// The SCORM player: scorm-again's API in this page (window.API for SCORM 1.2, window.API_1484_11 for 2004),
// loaded with where the rep left off, committing to Kizuna; the SCO runs in the frame below and finds the API
// in its parent window, as SCORM requires.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("package-config").textContent);
  var status = document.getElementById("package-status");
  var frame = document.getElementById("package-frame");

  function say(key) {
    if (status) status.textContent = status.dataset[key] || "";
  }

  var settings = {
    autocommit: true,
    autocommitSeconds: 10,
    dataCommitFormat: "flattened",
    lmsCommitUrl: config.commitUrl || false,
    terminateCommitParam: "terminate",
    logLevel: config.logLevel,
    // The server answers {"result": true, "errorCode": 0}; a failed request is reported to the SCO as an error.
    xhrResponseHandler: function (xhr) {
      var ok = xhr.status >= 200 && xhr.status < 300;
      say(ok ? "saved" : "failed");
      var body = {};
      try { body = JSON.parse(xhr.responseText || "{}"); } catch (e) { body = {}; }
      return { result: ok && body.result === true, errorCode: ok ? 0 : (body.errorCode || 101) };
    },
    responseHandler: function (response) {
      say(response.ok ? "saved" : "failed");
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { result: response.ok && body.result === true, errorCode: response.ok ? 0 : (body.errorCode || 101) };
      });
    },
  };
  var api;
  if (config.standard === "scorm2004") {
    api = new window.Scorm2004API(settings);
    window.API_1484_11 = api;
  } else {
    api = new window.Scorm12API(settings);
    window.API = api;
  }
  api.loadFromJSON(config.cmi);
  var finished = function () { say("finished"); };
  api.on(config.standard === "scorm2004" ? "Terminate" : "LMSFinish", finished);
  // SCORM 2004: a SCO that sets adl.nav.request before Terminate asks the LMS to go on; scorm-again reports the
  // request once the final commit is stored (sent with fetch, not a beacon, so the server sees it first). The
  // server evaluates the request by the package's sequencing rules (or its order) and redirects.
  var navigation = config.navigation;
  if (navigation) {
    var go = function (url) { if (url) window.location.assign(url); };
    var back = function () { go(config.lessonUrl); };
    api.on("SequenceNext", function () { go(navigation["continue"]); });
    api.on("SequencePrevious", function () { go(navigation.previous); });
    api.on("SequenceChoice", function (target) {
      if (target) go(navigation.choice + "&target=" + encodeURIComponent(target));
    });
    api.on("SequenceJump", function (target) {
      if (target) go(navigation.jump + "&target=" + encodeURIComponent(target));
    });
    ["SequenceExit", "SequenceExitAll", "SequenceAbandon", "SequenceAbandonAll"].forEach(function (name) {
      api.on(name, back);
    });
  }
  frame.src = config.launchUrl;
})();
