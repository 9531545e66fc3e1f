// Service worker of Aduan's offline outbox (scope /aduan/). When the browser regains a
// connection it sends the reports waiting in IndexedDB (Background Sync), even when the page
// is closed; the page sends them too whenever it is open. Without a connection it answers the
// form page and its scripts and styles from the copy the page stored (network first).
var PAGES = "aduan-offline-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (ev) {
  ev.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("aduan-offline-") === 0 && n !== PAGES; })
      .map(function (n) { return caches["delete"](n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (ev) {
  var req = ev.request;
  var form = req.mode === "navigate" && new URL(req.url).pathname === "/aduan/baru";
  if (req.method !== "GET" || !(form || req.destination === "script" || req.destination === "style")) {
    return;
  }
  ev.respondWith(fetch(req).catch(function () {
    return caches.open(PAGES).then(function (c) {
      return c.match(req, { ignoreVary: true });
    }).then(function (hit) { return hit || Response.error(); });
  }));
});

function flushAndTell() {
  return self.BalaiOutbox.flush().then(function (items) {
    return self.clients.matchAll().then(function (clients) {
      clients.forEach(function (c) { c.postMessage({ type: "aduan-outbox" }); });
      if (items.some(function (i) { return i.state === "queued"; })) {
        // Rejecting asks the browser to try this sync again later.
        throw new Error("reports still waiting for a connection");
      }
    });
  });
}

self.addEventListener("sync", function (ev) {
  if (ev.tag === "aduan-outbox") { ev.waitUntil(flushAndTell()); }
});
