// The review page: a paused video pins the next comment to that second; markers and times jump to comments.
(function () {
  "use strict";
  var video = document.getElementById("take-video");
  if (!video) return;
  var second = document.getElementById("comment-second");
  var label = document.getElementById("comment-time");
  var body = document.getElementById("comment-body");

  function fmt(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  function pin() {
    if (!second) return;
    second.value = String(Math.floor(video.currentTime || 0));
    label.textContent = fmt(video.currentTime || 0);
  }
  function seek(to) {
    var go = function () { video.currentTime = to; pin(); };
    if (video.readyState >= 1) go();
    else video.addEventListener("loadedmetadata", go, { once: true });
  }

  video.addEventListener("pause", pin);
  video.addEventListener("seeked", pin);
  video.addEventListener("timeupdate", function () { if (video.paused) pin(); });
  if (body) body.addEventListener("focus", function () { if (!video.paused) video.pause(); pin(); });

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-seek]");
    if (!target) return;
    var to = parseInt(target.getAttribute("data-seek"), 10) || 0;
    if (target.tagName.toLowerCase() === "button") {
      event.preventDefault();
      video.scrollIntoView({ block: "start", behavior: "smooth" });
    }
    video.pause();
    seek(to);
  });

  // A link to a comment (#c12) opens the video at that comment's second.
  var hash = window.location.hash;
  if (hash && /^#c\d+$/.test(hash)) {
    var item = document.getElementById(hash.slice(1));
    if (item && item.hasAttribute("data-second")) seek(parseInt(item.getAttribute("data-second"), 10) || 0);
  }
})();
