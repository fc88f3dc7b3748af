// Kizuna's service worker (served at /sw.js, scope "/"): keeps the page shell for a fast start and for
// offline use, shows the offline page when a page cannot be reached, and shows Web Push notifications.
"use strict";

const VERSION = "__VERSION__";
const SHELL = "kizuna-shell-" + VERSION;
const PRECACHE = {{ precache_json|safe }};
const OFFLINE_URL = {{ offline_url_json|safe }};
const ICON = {{ icon_json|safe }};

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

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Pages always come from the network (they are the rep's own and change); offline, the offline page.
    event.respondWith(fetch(request).catch(() => caches.open(SHELL).then((cache) => cache.match(OFFLINE_URL))));
    return;
  }
  if (PRECACHE.includes(url.pathname + url.search)) {
    event.respondWith(caches.open(SHELL).then((cache) => cache.match(request)).then((hit) => hit || fetch(request)));
  }
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
