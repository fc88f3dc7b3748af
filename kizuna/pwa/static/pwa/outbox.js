/* Kizuna's store on the phone (IndexedDB "kizuna-offline"), shared by the pages and the service worker:
 *
 * - "outbox": what the rep did that the server has not stored yet (statements of the player, quiz answers),
 *   each a POST kept whole: {id, seq, url, headers, body}. `id` is the statement id made on the phone, so a
 *   request sent twice (by a page and by the worker's Background Sync at once, or after a lost answer) is
 *   stored once by the server. Sent oldest first; a 2xx or 4xx answer removes it (stored, or refused for
 *   good: the answer says why); no connection, a 5xx or a 401 (signed out) keeps it for the next try.
 *   An item with `result: true` (a review answer) asks for the server's verdict in JSON: it is kept in
 *   "results" ({id, at, status, body}) until a page has shown it to the rep.
 * - "lessons": the lessons saved for offline (what offline.js stored in Cache Storage, with their size).
 * - "drafts": a quiz attempt's answers not yet saved on the server (assessments/attempt.js), one per attempt.
 */
(function (scope) {
  "use strict";
  if (scope.KizunaOffline) return;  // loaded twice by one page (the layout and a page's own tags): once is enough
  var DB_NAME = "kizuna-offline";
  var SYNC_TAG = "kizuna-outbox";
  var opening = null;
  var counter = 0;

  function open() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 2);
        request.onupgradeneeded = function () {
          var db = request.result;
          ["outbox", "lessons", "results", "drafts"].forEach(function (name) {
            if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath: "id" });
          });
        };
        request.onsuccess = function () {
          // A newer page or worker upgrading the store (a new version of this file): let it, and reopen later.
          request.result.onversionchange = function () { request.result.close(); opening = null; };
          resolve(request.result);
        };
        request.onerror = function () { opening = null; reject(request.error); };
      });
    }
    return opening;
  }

  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var result = work(tx.objectStore(store));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  var api = {
    put: function (store, value) { return run(store, "readwrite", function (s) { s.put(value); }); },
    get: function (store, key) { return run(store, "readonly", function (s) { return s.get(key); }); },
    all: function (store) { return run(store, "readonly", function (s) { return s.getAll(); }); },
    remove: function (store, key) { return run(store, "readwrite", function (s) { s.delete(key); }); },

    /* Keep one request for the server, and ask for a Background Sync (sent then if the page cannot). */
    queue: function (item) {
      item.seq = Date.now() * 1000 + (counter++ % 1000);
      item.at = Date.now();
      return api.put("outbox", item).then(function () { api.askForSync(); });
    },

    askForSync: function () {
      if (scope.document && navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.ready.then(function (reg) {
          if (reg.sync) return reg.sync.register(SYNC_TAG);
        }).catch(function () {});
      }
    },

    /* Send what is kept, oldest first, one at a time. Resolves true when the outbox is empty. `onAnswer`
       (optional) sees each answer: (item, status, body). */
    flush: function (onAnswer) {
      if (onAnswer) api.onAnswer = onAnswer;
      if (api.sending) {
        // Sending already: once done, again for what was queued meanwhile.
        api.again = true;
        return api.sending;
      }
      onAnswer = api.onAnswer;
      api.again = false;
      api.sending = api.all("outbox").then(function (items) {
        items.sort(function (a, b) { return a.seq - b.seq; });
        var next = function (i) {
          if (i >= items.length) return true;
          var item = items[i];
          return fetch(item.url, {
            method: "POST", credentials: "same-origin", headers: item.headers, body: item.body
          }).then(function (resp) {
            // 401: signed out (or a worker without the session): kept until the rep signs in again.
            if (resp.status >= 500 || resp.status === 401) return false;
            return api.remove("outbox", item.id).then(function () {
              if (resp.status >= 400 && scope.console) console.warn("Kizuna: the server refused", item.url, resp.status);
              if (!onAnswer && !item.result) return next(i + 1);
              return resp.json().catch(function () { return null; }).then(function (body) {
                var kept = item.result ? api.put("results", { id: item.id, at: item.at, status: resp.status, body: body }) : null;
                return Promise.resolve(kept).then(function () {
                  if (onAnswer) onAnswer(item, resp.status, body);
                  return next(i + 1);
                });
              });
            });
          }, function () { return false; });
        };
        return next(0);
      }).catch(function () { return false; }).then(function (done) {
        api.sending = null;
        return done && api.again ? api.flush() : done;
      });
      return api.sending;
    },
    sending: null,
    again: false,
    onAnswer: null,
    SYNC_TAG: SYNC_TAG
  };
  scope.KizunaOffline = api;
})(self);
