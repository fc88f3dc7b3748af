// The push settings page: turns Web Push on or off for this browser. Subscribing asks the browser for
// permission, subscribes its push service with the deployment's VAPID public key and sends the subscription
// (endpoint + the browser's keys) to Kizuna; turning off does the reverse.
(function () {
  "use strict";
  var box = document.getElementById("push-device");
  if (!box) return;
  var on = document.getElementById("push-on");
  var off = document.getElementById("push-off");
  var status = document.getElementById("push-status");
  var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";

  function say(text) {
    status.textContent = text;
  }

  function own(message) {
    var error = new Error(message);
    error.own = true;
    return error;
  }

  // The buttons' own display rule outranks [hidden]: hide them through their style.
  function toggle(button, visible) {
    button.hidden = !visible;
    button.style.display = visible ? "" : "none";
  }

  function show(subscribed) {
    toggle(on, !subscribed);
    toggle(off, subscribed);
  }

  show(false);
  toggle(on, false);

  function keyBytes(base64url) {
    var text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "==".slice(0, (4 - (base64url.length % 4)) % 4));
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw own(data.error || box.dataset.failed);
        return data;
      });
    });
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say(box.dataset.unsupported);
    return;
  }
  navigator.serviceWorker.register("/sw.js");
  navigator.serviceWorker.ready.then(function (registration) {
    return registration.pushManager.getSubscription().then(function (subscription) {
      show(Boolean(subscription));
      on.addEventListener("click", function () {
        on.disabled = true;
        Notification.requestPermission()
          .then(function (permission) {
            if (permission !== "granted") throw own(box.dataset.denied);
            return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.key) });
          })
          .then(function (created) {
            return post(box.dataset.subscribeUrl, created.toJSON());
          })
          .then(function (data) {
            show(true);
            say(data.message);
          })
          .catch(function (error) {
            // Kizuna's own messages are in the rep's language; the browser's are not shown.
            say(error && error.own ? error.message : box.dataset.failed);
          })
          .then(function () {
            on.disabled = false;
          });
      });
      off.addEventListener("click", function () {
        registration.pushManager.getSubscription().then(function (current) {
          if (!current) return show(false);
          var endpoint = current.endpoint;
          return current.unsubscribe().then(function () {
            return post(box.dataset.unsubscribeUrl, { endpoint: endpoint });
          }).then(function (data) {
            show(false);
            say(data.message);
          });
        }).catch(function () {
          say(box.dataset.failed);
        });
      });
    });
  });
})();
