// The village finder while typing (progressive enhancement of templates/finder.html: without
// this file the "Cari desa" button submits the form back with the same choices).
(function () {
  "use strict";
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }
  document.querySelectorAll("fieldset[data-finder]").forEach(function (box) {
    var input = box.querySelector("input[name=desa][type=search]");
    var out = box.querySelector(".finder-results");
    if (!input || !out) return;
    var field = box.getAttribute("data-finder");
    var kab = box.querySelector("input[name=kab]");
    var en = document.documentElement.lang === "en";
    var timer = null;
    var seq = 0;
    function show(hits) {
      if (!hits.length) {
        out.innerHTML = '<p class="msg">' + (en ? "No matching village." : "Tidak ada desa/kelurahan yang cocok.") + "</p>";
        return;
      }
      out.innerHTML = '<p class="muted">' + (en ? "Choose your village:" : "Pilih desa/kelurahan Anda:") + '</p><ul class="picks">' +
        hits.map(function (h) {
          return '<li><label><input type="radio" name="' + esc(field) + '" value="' + esc(h.code) + '" required> ' + esc(h.label) + "</label></li>";
        }).join("") + "</ul>";
    }
    function run() {
      var q = input.value.trim();
      if (q.length < 2) return;
      var mine = ++seq;
      var url = "/api/v1/regions?level=village&limit=10&q=" + encodeURIComponent(q) +
        (kab && kab.value ? "&within=" + encodeURIComponent(kab.value) : "");
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (hits) { if (hits && mine === seq) show(hits); })
        .catch(function () {});
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 250);
    });
    // Enter in the search box searches (it would otherwise submit the whole form).
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        e.preventDefault();
        clearTimeout(timer);
        run();
      }
    });
  });
})();
