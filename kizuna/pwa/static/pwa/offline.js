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

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
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

  function keyOf(pack) { return pack.key !== undefined && pack.key !== null ? pack.key : pack.lesson; }

  /* Store one pack (a lesson, or what is not a lesson: today's review, an update); resolves to
     {bytes, evicted: [titles]}. Nothing half-kept on failure. */
  function saveLesson(pack, messages) {
    var urls = pack.urls.slice();
    var stored = [];
    var total = 0;
    var key = keyOf(pack);
    return makeRoom(pack.bytes, pack.budget_bytes, key).then(function (room) {
      if (!room.fits) throw { message: messages.tooLarge };
      return caches.open(CACHE).then(function (cache) {
        var next = function (i) {
          if (i >= urls.length) return null;
          // The pack's page is marked as a save: a page that counts a visit (a flash update's read) waits for
          // the real one. Nothing else is: a file may be redirected to a bucket, whose CORS rule allows no
          // header of ours.
          var marked = urls[i] === pack.page ? { "X-Kizuna-Offline-Save": "1" } : {};
          return fetch(urls[i], { credentials: "same-origin", headers: marked }).then(function (resp) {
            var isPage = i === 0 || /text\/html/.test(resp.headers.get("Content-Type") || "");
            // A redirect within Kizuna is the sign-in page, never the thing asked for. A file in a bucket is
            // a redirect to its signed URL on the bucket's origin: kept under Kizuna's own URL, as a plain
            // answer (a signed URL expires; a redirected answer may not be given to a <video>).
            var fromBucket = resp.redirected && !isPage && new URL(resp.url).origin !== location.origin;
            if (!resp.ok || (resp.redirected && !fromBucket)) throw { message: messages.failed };
            var copy = resp.clone();
            return (isPage ? copy.text() : copy.blob()).then(function (body) {
              total += isPage ? body.length : body.size;
              if (isPage) assetsOf(body).forEach(function (u) { if (urls.indexOf(u) < 0) urls.push(u); });
              var kept = fromBucket ? new Response(body, {
                headers: { "Content-Type": body.type || resp.headers.get("Content-Type") || "application/octet-stream" }
              }) : resp;
              return cache.put(urls[i], kept).then(function () { stored.push(urls[i]); return next(i + 1); });
            });
          });
        };
        return next(0).then(function () {
          return store.put("lessons", {
            id: key, title: pack.title, kind: pack.kind, page: pack.page, urls: urls, bytes: total,
            savedAt: Date.now(), extra: pack.extra || null
          });
        }).then(function () {
          return { bytes: total, evicted: room.evicted };
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
          return saveLesson(data, messages);
        }).then(function (done) {
          var text = fill(messages.saved, { size: megabytes(done.bytes) });
          if (done.evicted.length) text += " " + fill(messages.evicted, { titles: done.evicted.join("、") });
          say(text, "saved");
          button.textContent = messages.remove;
        });
      }).catch(function (error) {
        say(errorText(error, messages), "error");
      }).then(function () { button.disabled = !!(pack && pack.refused); });
    });
  }

  // Several things with one tap (a course, the rep's next-up): the count and size first, then each is saved
  // as its own entry (listed, and removed, one by one on the saved lessons page).
  var bundle = document.getElementById("offline-bundle");
  if (bundle) {
    var bButton = bundle.querySelector("button");
    var bStatus = bundle.querySelector(".offline-status");
    var words = bundle.dataset;
    var bundleData = null;
    var bSay = function (text, state) { bStatus.textContent = text; bundle.setAttribute("data-state", state || ""); };
    var load = function () {
      return fetch(words.pack, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw { message: words.failed };
        return r.json();
      });
    };
    var label = function (data) {
      bButton.textContent = fill(words.save, { count: data.packs.length, size: megabytes(data.bytes) });
    };
    if (navigator.onLine !== false) {
      load().then(function (data) {
        bundleData = data;
        bundle.hidden = false;
        if (!data.packs.length) { bButton.disabled = true; bSay(words.nothing, "refused"); return; }
        label(data);
        return store.all("lessons").then(function (saved) {
          var keys = saved.map(function (l) { return l.id; });
          var already = data.packs.filter(function (p) { return keys.indexOf(keyOf(p)) >= 0; }).length;
          if (already) bSay(fill(words.already, { count: already }), "");
        });
      }).catch(function () {});
    }
    bButton.addEventListener("click", function () {
      bButton.disabled = true;
      var evicted = [];
      var total = 0;
      (bundleData ? Promise.resolve(bundleData) : load()).then(function (data) {
        bundleData = data;
        if (data.bytes > data.budget_bytes) throw { message: words.tooLarge };
        var next = function (i) {
          if (i >= data.packs.length) return null;
          bSay(fill(words.saving, { done: i + 1, count: data.packs.length }), "saving");
          return saveLesson(data.packs[i], words).then(function (done) {
            total += done.bytes;
            done.evicted.forEach(function (t) { if (evicted.indexOf(t) < 0) evicted.push(t); });
            return next(i + 1);
          });
        };
        return next(0).then(function () {
          var text = fill(words.saved, { count: data.packs.length, size: megabytes(total) });
          if (data.refused.length) {
            text += " " + fill(words.refused, { titles: data.refused.map(function (r) { return r.title; }).join("、") });
          }
          if (evicted.length) text += " " + fill(words.evicted, { titles: evicted.join("、") });
          bSay(text, "saved");
        });
      }).catch(function (error) {
        bSay(errorText(error, words), "error");
      }).then(function () { bButton.disabled = !!(bundleData && !bundleData.packs.length); });
    });
  }

  // A saved article marked done offline: its "completed" statement waits in the outbox with its own id and
  // time (the form's POST would need the connection), and counts once when it is sent.
  var lessonRoot = document.getElementById("lesson");
  var doneForm = document.querySelector("#lesson-done form");
  if (box && doneForm && lessonRoot && lessonRoot.dataset.statementsUrl) {
    doneForm.addEventListener("submit", function (event) {
      if (navigator.onLine !== false) return;
      event.preventDefault();
      var id = uuid();
      var statement = { id: id, verb: { id: "http://adlnet.gov/expapi/verbs/completed" }, timestamp: new Date().toISOString() };
      store.queue({
        id: id, url: lessonRoot.dataset.statementsUrl, body: JSON.stringify(statement),
        headers: { "Content-Type": "application/json", "X-CSRFToken": lessonRoot.dataset.csrf, "Accept": "application/json" }
      }).then(function () {
        var note = document.createElement("p");
        note.className = "meta offline-kept";
        note.setAttribute("role", "status");
        note.textContent = box.dataset.offlineDone;
        doneForm.replaceWith(note);
      });
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

  // Today's review answered offline: the answered question is marked on the phone (so it is not answered
  // twice), and the next saved question is one tap away.
  var reviewForm = document.querySelector("form.review-form");
  if (reviewForm && bundle) {
    var reviewWords = bundle.dataset;
    var nextAfter = function (entry) {
      var answered = entry.answered || [];
      var cards = (entry.extra && entry.extra.cards) || [];
      return cards.filter(function (u) { return answered.indexOf(u) < 0; })[0];
    };
    var showNext = function (entry) {
      var next = nextAfter(entry);
      var p = document.createElement("p");
      p.className = "actions review-next";
      if (next) {
        var a = document.createElement("a");
        a.className = "btn block";
        a.href = next;
        a.textContent = reviewWords.next + " ›";
        p.appendChild(a);
      } else {
        p.className = "meta review-next";
        p.textContent = reviewWords.reviewEnd;
      }
      reviewForm.parentNode.insertBefore(p, reviewForm.nextSibling);
    };
    reviewForm.addEventListener("kizuna:kept", function (event) {
      store.get("lessons", "review").then(function (entry) {
        if (!entry) return;
        entry.answered = (entry.answered || []).concat([event.detail.url]);
        return store.put("lessons", entry).then(function () { showNext(entry); });
      });
    });
    if (navigator.onLine === false) {
      store.get("lessons", "review").then(function (entry) {
        var url = reviewForm.getAttribute("action");
        if (!entry || (entry.answered || []).indexOf(url) < 0) return;
        // Answered already on this phone: not a second time.
        reviewForm.hidden = true;
        var note = document.createElement("p");
        note.className = "meta quiz-kept";
        note.textContent = reviewForm.dataset.offlineKept;
        reviewForm.parentNode.insertBefore(note, reviewForm);
        showNext(entry);
      });
    }
  }

  // A saved flash update offline: opening it is a read, answering its question and "Got it" are kept in the
  // outbox with the moment they happened (the server records each once: its ids are fixed per rep and update).
  var flash = document.getElementById("flash-offline");
  if (flash && navigator.onLine === false) {
    var flashWords = flash.dataset;
    var csrfOf = function (form) { var el = form.querySelector("input[name=csrfmiddlewaretoken]"); return el ? el.value : flashWords.csrf; };
    var keep = function (id, url, form, extra) {
      var data = new URLSearchParams(form ? new FormData(form) : undefined);
      data.set("at", new Date().toISOString());
      if (!form) data.set("csrfmiddlewaretoken", flashWords.csrf);
      return store.get("outbox", id).then(function (already) {
        if (already) return null;
        return store.queue({
          id: id, url: url, body: data.toString(), result: !!extra,
          headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json", "X-CSRFToken": csrfOf(form || flash) }
        });
      });
    };
    var noteAfter = function (form, text) {
      var note = document.createElement("p");
      note.className = "meta offline-kept";
      note.setAttribute("role", "status");
      note.textContent = text;
      form.parentNode.insertBefore(note, form.nextSibling);
      form.hidden = true;
    };
    keep("read-" + flashWords.update, flashWords.read, null, false);
    var answerForm = document.querySelector(".flash-question form");
    var ackForm = document.querySelector(".flash-ack form");
    if (answerForm) {
      answerForm.addEventListener("submit", function (event) {
        if (navigator.onLine !== false) return;
        event.preventDefault();
        if (!answerForm.querySelector("input:checked")) return;
        keep("answer-" + flashWords.update, answerForm.getAttribute("action"), answerForm, true).then(function () {
          noteAfter(answerForm, flashWords.answerKept);
          if (ackForm) Array.prototype.forEach.call(ackForm.querySelectorAll("button"), function (b) { b.disabled = false; });
        });
      });
    }
    if (ackForm) {
      ackForm.addEventListener("submit", function (event) {
        if (navigator.onLine !== false) return;
        event.preventDefault();
        keep("ack-" + flashWords.update, ackForm.getAttribute("action"), ackForm, false).then(function () {
          noteAfter(ackForm, flashWords.ackKept);
        });
      });
    }
    // Reopened offline: what was kept already is not done a second time.
    store.all("outbox").then(function (items) {
      var ids = items.map(function (i) { return i.id; });
      if (answerForm && ids.indexOf("answer-" + flashWords.update) >= 0) noteAfter(answerForm, flashWords.answerKept);
      if (ackForm && ids.indexOf("ack-" + flashWords.update) >= 0) noteAfter(ackForm, flashWords.ackKept);
      else if (ackForm && ids.indexOf("answer-" + flashWords.update) >= 0) {
        Array.prototype.forEach.call(ackForm.querySelectorAll("button"), function (b) { b.disabled = false; });
      }
    });
  }

  // Whatever the rep did offline goes to the server as soon as the connection is back, and the verdict shows in
  // the layout's notice (pwa/notice.js, on every rep page); here only where that notice is not (signed out).
  if (!window.KizunaNotice) {
    window.addEventListener("online", function () { store.flush(); });
    if (navigator.onLine !== false) store.flush();
  }
})();
