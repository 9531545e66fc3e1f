// Progressive enhancement of the new-report form (/aduan/baru): without signal, a report
// without photos is kept on the phone (outbox-store.js) and sent when the server can be
// reached again. Without JavaScript the form posts as usual.
(function () {
  "use strict";
  var O = window.BalaiOutbox;
  var box = document.getElementById("outbox");
  if (!O || !box || !window.indexedDB || !window.fetch) { return; }
  var en = document.documentElement.lang === "en";
  function t(id, english) { return en ? english : id; }
  var form = document.getElementById("laporan");
  var note = document.getElementById("offline-note");
  if (note) { note.hidden = false; }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/aduan/sw.js").catch(function () {});
    navigator.serviceWorker.addEventListener("message", function () { O.all().then(render); });
  }
  // Keep this form, its scripts and styles for the service worker to show without signal.
  if (window.caches && form && window.location.pathname === "/aduan/baru") {
    var keep = [window.location.href];
    document.querySelectorAll("script[src], link[rel=stylesheet]").forEach(function (e) {
      keep.push(e.src || e.href);
    });
    window.caches.open("aduan-offline-v1").then(function (c) { return c.addAll(keep); })
      .catch(function () {});
  }
  function askForSync() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.sync) { return reg.sync.register("aduan-outbox"); }
    }).catch(function () {});
  }

  function line(item) {
    var p = document.createElement("p");
    p.className = "outbox-item";
    p.setAttribute("data-state", item.state);
    p.setAttribute("data-key", item.key);
    if (item.state === "sent") {
      p.appendChild(document.createTextNode(t("Laporan terkirim. Kode lacak: ", "Report sent. Tracking code: ")));
      var code = document.createElement("strong");
      code.className = "outbox-code";
      // In groups of five, as on every page that shows the owner their code (ABCDE-FGHJK).
      code.textContent = String(item.code).replace(/^(.{5})(.{5})$/, "$1-$2");
      p.appendChild(code);
      if (item.secret) {
        p.appendChild(document.createTextNode(t(" · Kode rahasia (simpan, jangan dibagikan): ",
          " · Secret (keep it, do not share): ")));
        var secret = document.createElement("strong");
        secret.className = "outbox-secret";
        secret.textContent = item.secret;
        p.appendChild(secret);
      }
      p.appendChild(document.createTextNode(" · "));
      var a = document.createElement("a");
      a.href = "/aduan/lacak";
      a.textContent = t("Lacak laporan", "Track the report");
      p.appendChild(a);
    } else if (item.state === "failed") {
      p.textContent = t("Laporan tidak dapat dikirim", "The report could not be sent") +
        " (“" + item.summary + "”): " + item.error;
    } else {
      p.textContent = t(
        "Laporan tersimpan di ponsel ini dan akan dikirim otomatis saat ada sinyal: ",
        "Report saved on this phone; it will be sent automatically when there is signal: "
      ) + "“" + item.summary + "”";
    }
    return p;
  }

  function render(items) {
    var shown = items.slice(-10);
    box.textContent = "";
    shown.forEach(function (i) { box.appendChild(line(i)); });
    box.hidden = shown.length === 0;
  }

  function refresh() { return O.flush().then(render).catch(function () {}); }

  // The form's fields as the JSON API takes them, or null to let the form post itself.
  function payload() {
    var f = new FormData(form);
    var body = { channel: "web" };
    var text = ["category", "title", "description", "village_code", "address", "contact_name",
      "contact_phone", "contact_email", "reported_party", "incident_time", "incident_place",
      "evidence", "known_on"];
    text.forEach(function (k) {
      var v = (f.get(k) || "").toString().trim();
      if (v) { body[k] = v; }
    });
    body.anonymous = f.has("anonymous");
    body.confidential = f.has("confidential");
    var ok = true;
    ["lat", "lon"].forEach(function (k) {
      var v = (f.get(k) || "").toString().trim().replace(",", ".");
      if (!v) { return; }
      var n = Number(v);
      if (isNaN(n)) { ok = false; } else { body[k] = n; }
    });
    return ok ? body : null;
  }

  if (form) {
    form.addEventListener("submit", function (ev) {
      var photos = form.querySelector("input[type=file]");
      if (photos && photos.files && photos.files.length > 0) { return; }
      var body = payload();
      if (!body) { return; }
      ev.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
      var item = {
        key: O.newKey(),
        url: "/api/v1/complaints" + (en ? "?lang=en" : ""),
        body: JSON.stringify(body),
        summary: (body.description || "").slice(0, 60),
        created: new Date().toISOString(),
        state: "queued"
      };
      O.put(item).then(function () { return O.send(item); }).then(function (done) {
        if (done.state === "sent") {
          // The receipt page shows the code and secret once; they go there in a short-lived
          // cookie of that page only, never in the URL.
          document.cookie = "aduan_baru=" + encodeURIComponent(done.code + "." + done.secret) +
            "; path=/aduan/terkirim; max-age=900; samesite=strict";
          window.location.assign("/aduan/terkirim");
          return;
        }
        if (done.state === "failed") {
          // The server refused it: the form shows its reasons the usual way.
          return O.remove(done.key).then(function () { form.submit(); });
        }
        form.reset();
        if (button) { button.disabled = false; }
        askForSync();
        return O.all().then(render);
      }).catch(function () {
        // No IndexedDB (e.g. a private window): post the form as without JavaScript.
        form.submit();
      });
    });
  }

  window.addEventListener("online", refresh);
  window.setInterval(refresh, 30000);
  refresh();
})();
