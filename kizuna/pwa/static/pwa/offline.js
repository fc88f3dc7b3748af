/* Saving lessons for offline (端末に保存), and the list of saved lessons.
 *
 * A lesson's page, the scripts, styles and pictures it uses and its video are stored in Cache Storage
 * ("kizuna-saved"), where the service worker finds them when there is no connection (a video is served in
 * ranges from there). What each saved lesson holds and weighs is kept in IndexedDB (outbox.js, "lessons").
 * The total stays under the server's budget and the browser's quota: the oldest saved lessons are removed
 * first to make room, and the rep is told which.
 */
(function () {
  "use strict";
  var CACHE = "kizuna-saved";
  var store = window.KizunaOffline;
  if (!store || !window.caches || !window.indexedDB || !window.fetch) return;

  function megabytes(bytes) { return (Math.max(bytes, 0) / 1048576).toFixed(1) + " MB"; }
  function fill(text, values) {
    return String(text || "").replace(/%\((\w+)\)s/g, function (_m, name) { return values[name]; });
  }
  function sameOrigin(url) {
    try { var u = new URL(url, location.href); return u.origin === location.origin ? u.pathname + u.search : null; }
    catch (e) { return null; }
  }

  /* The same-origin scripts, styles, pictures and media a page uses, so it looks and works the same offline. */
  function assetsOf(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var found = [];
    var pick = function (selector, attribute) {
      Array.prototype.forEach.call(doc.querySelectorAll(selector), function (el) {
        var url = sameOrigin(el.getAttribute(attribute));
        if (url && found.indexOf(url) < 0) found.push(url);
      });
    };
    pick("script[src]", "src");
    pick("link[rel=stylesheet][href]", "href");
    pick("img[src]", "src");
    pick("video[poster]", "poster");
    return found;
  }

  /* Remove a saved lesson: its entry, and whatever of its files no other saved lesson uses. */
  function removeLesson(id) {
    return store.all("lessons").then(function (lessons) {
      var gone = lessons.filter(function (l) { return l.id === id; })[0];
      if (!gone) return;
      var kept = {};
      lessons.forEach(function (l) { if (l.id !== id) l.urls.forEach(function (u) { kept[u] = true; }); });
      return caches.open(CACHE).then(function (cache) {
        return Promise.all(gone.urls.filter(function (u) { return !kept[u]; }).map(function (u) { return cache.delete(u); }));
      }).then(function () { return store.remove("lessons", id); });
    });
  }

  /* Make room for `bytes` more: the server's budget and the browser's quota; oldest saved first. */
  function makeRoom(bytes, budget, exceptId) {
    return Promise.all([
      store.all("lessons"),
      navigator.storage && navigator.storage.estimate ? navigator.storage.estimate().catch(function () { return null; }) : null
    ]).then(function (found) {
      var lessons = found[0].filter(function (l) { return l.id !== exceptId; });
      lessons.sort(function (a, b) { return a.savedAt - b.savedAt; });
      var estimate = found[1];
      var used = lessons.reduce(function (sum, l) { return sum + l.bytes; }, 0);
      var free = estimate && estimate.quota ? estimate.quota - estimate.usage : Infinity;
      var evicted = [];
      var freed = 0;
      while (lessons.length && (used + bytes > budget || bytes > free + freed)) {
        var oldest = lessons.shift();
        used -= oldest.bytes;
        freed += oldest.bytes;
        evicted.push(oldest);
      }
      var fits = used + bytes <= budget && bytes <= free + freed;
      return Promise.all(evicted.map(function (l) { return removeLesson(l.id); })).then(function () {
        return { fits: fits, evicted: evicted.map(function (l) { return l.title; }) };
      });
    });
  }

  function saveLesson(pack, say, messages) {
    var urls = pack.urls.slice();
    var stored = [];
    var total = 0;
    return makeRoom(pack.bytes, pack.budget_bytes, pack.lesson).then(function (room) {
      if (!room.fits) throw { message: messages.tooLarge };
      return caches.open(CACHE).then(function (cache) {
        var next = function (i) {
          if (i >= urls.length) return null;
          return fetch(urls[i], { credentials: "same-origin" }).then(function (resp) {
            if (!resp.ok || resp.redirected) throw { message: messages.failed };
            var copy = resp.clone();
            var isPage = i === 0;
            return (isPage ? copy.text() : copy.blob()).then(function (body) {
              total += isPage ? body.length : body.size;
              if (isPage) assetsOf(body).forEach(function (u) { if (urls.indexOf(u) < 0) urls.push(u); });
              return cache.put(urls[i], resp).then(function () { stored.push(urls[i]); return next(i + 1); });
            });
          });
        };
        return next(0).then(function () {
          return store.put("lessons", {
            id: pack.lesson, title: pack.title, kind: pack.kind, page: pack.page, urls: urls, bytes: total,
            savedAt: Date.now()
          });
        }).then(function () {
          var text = fill(messages.saved, { size: megabytes(total) });
          if (room.evicted.length) text += " " + fill(messages.evicted, { titles: room.evicted.join("、") });
          say(text, "saved");
        }).catch(function (error) {
          // Nothing half-kept: what was stored of this lesson goes again (files other lessons use stay).
          return store.all("lessons").then(function (lessons) {
            var used = {};
            lessons.forEach(function (l) { l.urls.forEach(function (u) { used[u] = true; }); });
            return Promise.all(stored.filter(function (u) { return !used[u]; }).map(function (u) { return cache.delete(u); }));
          }).then(function () { throw error; });
        });
      });
    });
  }

  function errorText(error, messages) {
    if (error && error.name === "QuotaExceededError") return messages.quota;
    if (error && error.message && !error.name) return error.message;
    return navigator.onLine === false ? messages.offline : messages.failed;
  }

  // The lesson page's button: the size first, then one tap to save (or remove).
  var box = document.getElementById("offline-save");
  if (box) {
    var button = box.querySelector("button");
    var status = box.querySelector(".offline-status");
    var messages = box.dataset;
    var lessonId = parseInt(messages.lesson, 10);
    var pack = null;
    var say = function (text, state) { status.textContent = text; box.setAttribute("data-state", state || ""); };
    var showSaved = function (entry) {
      button.textContent = messages.remove;
      say(fill(messages.savedAlready, { size: megabytes(entry.bytes) }), "saved");
    };
    store.get("lessons", lessonId).then(function (entry) {
      box.hidden = false;
      if (entry) { showSaved(entry); return; }
      if (navigator.onLine === false) return;
      return fetch(messages.pack, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
        pack = data;
        if (data.refused) { button.disabled = true; say(data.refused, "refused"); return; }
        button.textContent = fill(messages.save, { size: megabytes(data.bytes) });
      });
    }).catch(function () {});
    button.addEventListener("click", function () {
      button.disabled = true;
      store.get("lessons", lessonId).then(function (entry) {
        if (entry) {
          return removeLesson(lessonId).then(function () {
            say(messages.removed, "");
            button.textContent = pack ? fill(messages.save, { size: megabytes(pack.bytes) }) : messages.saveShort;
          });
        }
        say(messages.saving, "saving");
        var ready = pack ? Promise.resolve(pack) : fetch(messages.pack, { credentials: "same-origin" }).then(function (r) { return r.json(); });
        return ready.then(function (data) {
          pack = data;
          if (data.refused) throw { message: data.refused };
          return saveLesson(data, say, messages);
        }).then(function () { button.textContent = messages.remove; });
      }).catch(function (error) {
        say(errorText(error, messages), "error");
      }).then(function () { button.disabled = !!(pack && pack.refused); });
    });
  }

  // The saved lessons page: each with its size and a button to remove it.
  var list = document.getElementById("saved-lessons");
  if (list) {
    var words = list.dataset;
    var render = function () {
      return store.all("lessons").then(function (lessons) {
        lessons.sort(function (a, b) { return b.savedAt - a.savedAt; });
        list.innerHTML = "";
        var total = 0;
        lessons.forEach(function (lesson) {
          total += lesson.bytes;
          var item = document.createElement("li");
          item.className = "saved-lesson";
          var link = document.createElement("a");
          link.href = lesson.page;
          link.textContent = lesson.title;
          var size = document.createElement("span");
          size.className = "meta";
          size.textContent = " " + megabytes(lesson.bytes) + " ";
          var remove = document.createElement("button");
          remove.type = "button";
          remove.className = "secondary";
          remove.textContent = words.remove;
          remove.addEventListener("click", function () { removeLesson(lesson.id).then(render); });
          item.appendChild(link);
          item.appendChild(size);
          item.appendChild(remove);
          list.appendChild(item);
        });
        document.getElementById("saved-empty").hidden = lessons.length > 0;
        document.getElementById("saved-total").textContent = fill(words.total, {
          count: lessons.length, size: megabytes(total), budget: megabytes(parseInt(words.budget, 10))
        });
      });
    };
    render();
    store.all("outbox").then(function (items) {
      if (items.length) document.getElementById("saved-outbox").textContent = fill(words.outbox, { count: items.length });
    });
  }

  // Whatever the rep did offline goes to the server as soon as the connection is back.
  window.addEventListener("online", function () { store.flush(); });
  if (navigator.onLine !== false) store.flush();
})();
