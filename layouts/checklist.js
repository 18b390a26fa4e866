// checkgen checklist: remembers the boxes ticked on this page in the
// browser's own storage, so that a checklist filled on screen survives a
// reload. Ticks belong to one version of the checklist: when its content
// changes, the page starts blank. Nothing is sent anywhere.
(function () {
  "use strict";
  var table = document.querySelector("table.checklist[data-version]");
  if (!table) return;
  var key = "checkgen:" + location.pathname + ":" + table.getAttribute("data-version");
  var store = null;
  try { store = window.localStorage; store.getItem(key); } catch (e) { return; }
  var ticked = {};
  try { ticked = JSON.parse(store.getItem(key) || "{}") || {}; } catch (e) { ticked = {}; }
  var boxes = table.querySelectorAll("input[type=checkbox]");
  for (var i = 0; i < boxes.length; i++) {
    if (ticked[boxes[i].id]) boxes[i].checked = true;
  }
  table.addEventListener("change", function (ev) {
    var box = ev.target;
    if (!box || box.type !== "checkbox" || !box.id) return;
    if (box.checked) ticked[box.id] = 1; else delete ticked[box.id];
    try { store.setItem(key, JSON.stringify(ticked)); } catch (e) { /* storage full or refused: ticks stay on screen only */ }
  });
})();
