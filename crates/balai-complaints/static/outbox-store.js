// Aduan's offline outbox, shared by the page script and the service worker. A report waits in
// IndexedDB with the Idempotency-Key it got when it was written; sending it again (a retry, a
// second tab, the service worker) returns the same tracking code instead of a second report.
(function (scope) {
  "use strict";
  var DB_NAME = "balai-aduan";
  var STORE = "outbox";

  function open() {
    return new Promise(function (resolve, reject) {
      var req = scope.indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        req.result.createObjectStore(STORE, { keyPath: "key" });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  // Run `work(store)` in one transaction; resolves with the result of the request it returns.
  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var req = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(req ? req.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function put(item) { return run("readwrite", function (s) { s.put(item); }); }
  function remove(key) { return run("readwrite", function (s) { s["delete"](key); }); }
  function all() {
    return run("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.created < b.created ? -1 : 1; });
    });
  }

  function newKey() {
    if (scope.crypto && scope.crypto.randomUUID) { return scope.crypto.randomUUID(); }
    var b = scope.crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }

  // Send one report. Resolves with the item as stored afterwards: "sent" with its tracking code
  // (the text is dropped from the phone then), "failed" with the server's reason, or unchanged
  // when there is no connection or the server asks to retry later.
  function send(item) {
    return scope.fetch(item.url, {
      method: "POST",
      credentials: "omit",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Idempotency-Key": item.key
      },
      body: item.body
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (res.status === 409 || res.status === 429 || res.status >= 500) { return item; }
        var done = {
          key: item.key, url: item.url, created: item.created, summary: item.summary, body: ""
        };
        if ((res.status === 200 || res.status === 201) && data.tracking_code) {
          done.state = "sent";
          done.code = data.tracking_code;
          // The reporter's secret, shown once by the server: it stays on this phone only.
          done.secret = data.secret || "";
        } else {
          done.state = "failed";
          done.body = item.body;
          done.error = data.message || ("HTTP " + res.status);
        }
        return put(done).then(function () { return done; });
      });
    }, function () { return item; });
  }

  // Send every waiting report, one after the other; resolves with every stored item.
  function flush() {
    return all().then(function (items) {
      return items.filter(function (i) { return i.state === "queued"; }).reduce(function (p, i) {
        return p.then(function () { return send(i); });
      }, Promise.resolve());
    }).then(all);
  }

  scope.BalaiOutbox = { put: put, remove: remove, all: all, send: send, flush: flush, newKey: newKey };
})(self);
