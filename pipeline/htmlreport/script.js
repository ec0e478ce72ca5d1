"use strict";
(function () {
  var bar = document.getElementById("filterbar");
  var box = document.getElementById("filter");
  var shown = document.getElementById("shown");
  if (!bar || !box || !shown) {
    return;
  }
  var rows = Array.prototype.slice.call(document.querySelectorAll(".problem, .figure"));
  var texts = rows.map(function (el) {
    var d = el.dataset;
    return [el.textContent, d.kind, d.id, d.field, d.rule, d.file, d.severity, d.status, d.verified].join(" ").toLowerCase();
  });
  function apply() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var n = 0;
    for (var i = 0; i < rows.length; i++) {
      var hit = words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      rows[i].hidden = !hit;
      if (hit) {
        n++;
      }
    }
    shown.textContent = words.length ? n + " of " + rows.length + " shown" : "";
  }
  box.addEventListener("input", apply);
  bar.hidden = false;
  if (location.hash.indexOf("#filter=") === 0) {
    try {
      box.value = decodeURIComponent(location.hash.slice(8));
    } catch (e) {
      box.value = location.hash.slice(8); // a malformed escape: the words as typed
    }
  }
  apply();
})();
