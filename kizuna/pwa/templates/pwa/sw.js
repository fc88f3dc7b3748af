// Kizuna's service worker (served at /sw.js, scope "/"): keeps the page shell for a fast start and for
// offline use, serves the lessons the rep saved on the phone (pwa/offline.js) when there is no connection,
// shows the offline page when a page cannot be reached, sends what the rep did offline when the connection
// is back (Background Sync, and after any page loaded online), and shows Web Push notifications.
"use strict";

importScripts({{ outbox_script_json|safe }});

const VERSION = "__VERSION__";
const SHELL = "kizuna-shell-" + VERSION;
const PRECACHE = {{ precache_json|safe }};
const OFFLINE_URL = {{ offline_url_json|safe }};
const ICON = {{ icon_json|safe }};
// The lessons saved for offline: kept across versions of the worker (the rep chose them).
const SAVED = "kizuna-saved";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("kizuna-shell-") && key !== SHELL).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

function fromSaved(request) {
  return caches.open(SAVED).then((cache) => cache.match(request.url, { ignoreVary: true, ignoreSearch: false }));
}

// A video is asked for in byte ranges; a saved one is answered from its whole body in the cache.
function ranged(request, response) {
  const range = request.headers.get("range");
  if (!range || !response) return response;
  return response.blob().then((body) => {
    const size = body.size;
    const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    let start = match && match[1] !== "" ? parseInt(match[1], 10) : NaN;
    let end = match && match[2] !== "" ? parseInt(match[2], 10) : size - 1;
    if (match && match[1] === "" && match[2] !== "") {
      start = Math.max(0, size - parseInt(match[2], 10));
      end = size - 1;
    }
    end = Math.min(end, size - 1);
    if (!match || isNaN(start) || start > end) {
      return new Response("", { status: 416, headers: { "Content-Range": "bytes */" + size } });
    }
    return new Response(body.slice(start, end + 1), {
      status: 206,
      headers: {
        "Content-Type": response.headers.get("Content-Type") || "application/octet-stream",
        "Content-Range": "bytes " + start + "-" + end + "/" + size,
        "Content-Length": String(end - start + 1),
        "Accept-Ranges": "bytes",
      },
    });
  });
}

// Open pages show the server's verdict on what was sent (pwa/notice.js): tell them to look.
function tellPages(done) {
  return self.clients
    .matchAll({ type: "window" })
    .then((windows) => windows.forEach((client) => client.postMessage("kizuna-outbox-sent")))
    .catch(() => null)
    .then(() => done);
}

// Send what the rep did offline, if anything is waiting (cheap when the outbox is empty).
function sendOutbox() {
  return self.KizunaOffline.all("outbox")
    .then((items) => (items.length ? self.KizunaOffline.flush().then(tellPages) : true))
    .catch(() => false);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Pages come from the network (they are the rep's own and change); offline, a saved lesson, else the
    // offline page. A page that loaded is a sign the connection is back: what waits in the outbox goes.
    event.respondWith(
      fetch(request).then(
        (response) => {
          event.waitUntil(sendOutbox());
          return response;
        },
        () => fromSaved(request).then((hit) => hit || caches.open(SHELL).then((cache) => cache.match(OFFLINE_URL)))
      )
    );
    return;
  }
  if (PRECACHE.includes(url.pathname + url.search)) {
    event.respondWith(caches.open(SHELL).then((cache) => cache.match(request)).then((hit) => hit || fetch(request)));
    return;
  }
  const media = request.headers.has("range") || ["video", "audio", "image"].includes(request.destination);
  event.respondWith(
    fromSaved(request).then((hit) => {
      if (!hit) return fetch(request);
      // A saved video or picture is served from the phone (no data spent); scripts and styles are asked
      // for anew while online, so a saved lesson never runs old code next to new pages.
      if (media) return ranged(request, hit);
      return fetch(request).catch(() => hit);
    })
  );
});

self.addEventListener("sync", (event) => {
  if (event.tag !== self.KizunaOffline.SYNC_TAG) return;
  // Rejected (no connection yet): the browser tries again later.
  event.waitUntil(
    self.KizunaOffline.flush()
      .then(tellPages)
      .then((done) => done || Promise.reject(new Error("outbox not sent")))
  );
});

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = { body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(
    self.registration.showNotification(message.title || "Kizuna", {
      body: message.body || "",
      lang: message.lang || "",
      tag: message.tag || "",
      icon: ICON,
      data: { url: message.url || "/" },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) return;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url === target.href && "focus" in client) return client.focus();
      }
      return self.clients.openWindow(target.href);
    })
  );
});
