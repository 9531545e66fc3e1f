// Service worker of Aduan's offline outbox (scope /aduan/). When the browser regains a
// connection it sends the reports waiting in IndexedDB (Background Sync), even when the page
// is closed; the page sends them too whenever it is open. Requests are not intercepted.
self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (ev) { ev.waitUntil(self.clients.claim()); });

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
