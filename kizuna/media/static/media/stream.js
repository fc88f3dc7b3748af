/* Adaptive streaming (HLS) for a lesson's video, so it starts fast and keeps playing on a weak network.
 *
 * A <video data-hls="master playlist" data-hlsjs="hls.js"> has the phone-sized MP4 as its src (preload none):
 *  - Safari and iOS play the master playlist themselves (native HLS);
 *  - elsewhere, with Media Source Extensions, hls.js (vendored, loaded only here, only when needed) plays it;
 *  - with neither, offline (the saved MP4 is served from the phone), or if HLS fails, the MP4 plays.
 * First visit: hls.js (120 KB gzipped) is not on the phone yet, and fetching it before the video would make the
 * first frame late on 3G. So the first play on a phone that never loaded hls.js is the phone MP4 (the smallest
 * rendition, which a 3G link keeps up with); hls.js is fetched afterwards, at low priority, once the video has
 * started (or after the page settled, if the rep has not pressed play). A later play on this page (not started
 * yet) and every later page use HLS. localStorage remembers which hls.js (its hashed URL) was fetched.
 * The <video> element is the same in every case, so the player's xAPI statements (player.js) are unchanged.
 * data-engine tells which one plays: "native", "hls.js" or "mp4".
 */
(function () {
  "use strict";
  var HLS_TYPE = "application/vnd.apple.mpegurl";
  var FETCHED_KEY = "kizuna:hlsjs";
  var SETTLE_MS = 3000; // after the page's load event, with no play yet, hls.js is fetched for the next play

  function fetchedBefore(src) {
    try { return window.localStorage.getItem(FETCHED_KEY) === src; } catch (error) { return false; }
  }

  function rememberFetched(src) {
    try { window.localStorage.setItem(FETCHED_KEY, src); } catch (error) { /* private mode: MP4 first again */ }
  }

  function apple() { return /Apple/.test(navigator.vendor || ""); }

  function loadScript(src, low) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.async = true;
      if (low) script.setAttribute("fetchpriority", "low");
      script.onload = function () { rememberFetched(src); resolve(); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function useMp4(video, mp4) {
    video.dataset.engine = "mp4";
    if (video.getAttribute("src") !== mp4) { video.src = mp4; video.load(); }
  }

  function withHlsJs(video, master, mp4) {
    // The rep pressed play on the MP4 while hls.js was on its way: the MP4 goes on playing.
    if (video.dataset.started || !video.paused || !window.Hls || !window.Hls.isSupported()) return;
    var Hls = window.Hls;
    // No worker (the page's CSP allows scripts from this site only); smallest rendition first, then by bandwidth.
    var hls = new Hls({ enableWorker: false, startLevel: 0, capLevelToPlayerSize: true });
    var reloads = 0;
    hls.on(Hls.Events.ERROR, function (_event, data) {
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.NETWORK_ERROR && reloads < 3 && navigator.onLine) {
        // Signed segment URLs expire: the playlists are asked for again, from where the video is.
        reloads += 1;
        var at = video.currentTime;
        hls.loadSource(master);
        hls.startLoad(at);
      } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR && reloads < 3) {
        reloads += 1;
        hls.recoverMediaError();
      } else {
        hls.destroy();
        useMp4(video, mp4);
      }
    });
    // hls.js loads whatever the preload attribute says; changing it would fetch the MP4's metadata first.
    video.dataset.engine = "hls.js";
    hls.loadSource(master);
    hls.attachMedia(video);
  }

  // hls.js is not on the phone: the MP4 plays now; hls.js comes once the video has started (a few seconds into
  // playing, so it does not take the link's bandwidth from the first frame) or once the page settled unplayed.
  function firstVisit(video, master, mp4) {
    video.dataset.engine = "mp4";
    var asked = false;
    var fetchLater = function () {
      if (asked) return;
      asked = true;
      loadScript(video.dataset.hlsjs, true).then(function () { withHlsJs(video, master, mp4); }, function () {});
    };
    video.addEventListener("playing", function () { window.setTimeout(fetchLater, SETTLE_MS); }, { once: true });
    var settled = function () {
      window.setTimeout(function () { if (!video.dataset.started) fetchLater(); }, SETTLE_MS);
    };
    if (document.readyState === "complete") settled(); else window.addEventListener("load", settled, { once: true });
  }

  Array.prototype.forEach.call(document.querySelectorAll("video[data-hls]"), function (video) {
    var master = video.dataset.hls;
    var mp4 = video.getAttribute("src");
    video.addEventListener("play", function () { video.dataset.started = "1"; }, { once: true });
    var MediaSource = window.ManagedMediaSource || window.MediaSource;
    if (!navigator.onLine) {
      // Offline the phone MP4 comes from the saved copy on the phone: reading its metadata costs nothing.
      video.dataset.engine = "mp4";
      video.preload = "metadata";
    } else if (video.canPlayType(HLS_TYPE) && (apple() || !MediaSource)) {
      video.dataset.engine = "native";
      // The playlists come from Kizuna, the segments from a bucket when files live in one: Chromium's own HLS
      // takes cross-origin segments only as CORS requests (the bucket's CORS rule, docs/deploy.md). Same-origin
      // requests still carry the session cookie.
      video.crossOrigin = "anonymous";
      video.src = master;
      video.preload = "metadata";
    } else if (MediaSource && video.dataset.hlsjs && fetchedBefore(video.dataset.hlsjs)) {
      loadScript(video.dataset.hlsjs).then(function () { withHlsJs(video, master, mp4); }, function () {
        video.dataset.engine = "mp4";
      });
    } else if (MediaSource && video.dataset.hlsjs) {
      firstVisit(video, master, mp4);
    } else {
      video.dataset.engine = "mp4";
    }
  });
})();
