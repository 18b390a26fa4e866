// checkgen unit search. The index of units is a separate script, loaded
// only when someone starts a search, so pages stay small however many
// units a site has; it is a script rather than a fetch so that search
// works from file:// too. Names match with or without diacritics, in any
// script: "bach dang" finds "Bạch Đằng", "aero strasse" finds "Ærø Straße",
// "αθηνα" finds "Αθήνα". A code matches anywhere in it.
(function () {
  "use strict";
  var form = document.getElementById("unit-search");
  if (!form) return;
  var input = document.getElementById("q");
  var out = document.getElementById("search-results");
  var root = form.getAttribute("data-root") || "";
  var MAX = 30;
  var data = null, loading = false;

  // fold and words are fold and searchWords of generator/site/search.go,
  // which a test holds to the same table: lowercase, Unicode's canonical
  // decomposition without its nonspacing marks, then the letters that
  // carry their mark inside them written plain; words are runs of letters,
  // digits and the remaining marks, of any script.
  var FOLD = {"\u0111": "d", "\u00f0": "d", "\u00df": "ss", "\u00e6": "ae", "\u0153": "oe", "\u00f8": "o", "\u0142": "l", "\u00fe": "th", "\u0131": "i", "\u0127": "h", "\u0167": "t", "\u03c2": "\u03c3"};
  var FOLD_RE = new RegExp("[" + Object.keys(FOLD).join("") + "]", "g");
  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/\p{Mn}/gu, "").replace(FOLD_RE, function (c) { return FOLD[c]; });
  }
  function words(s) {
    return fold(s).split(/[^\p{L}\p{N}\p{M}]+/u).filter(function (w) { return w !== ""; });
  }

  // The index file calls this with {levels, names, units}: units holds four
  // values per unit, in site order: code (or "~" and the part after its
  // parent's code), index into names, index of the parent (-1 for none),
  // index into levels.
  window.checkgenUnits = function (d) {
    var n = d.units.length / 4;
    var u = { code: new Array(n), lower: new Array(n), name: new Int32Array(n), parent: new Int32Array(n), level: new Int32Array(n) };
    for (var i = 0; i < n; i++) {
      var c = d.units[4 * i], p = d.units[4 * i + 2];
      if (c.charAt(0) === "~" && p >= 0) c = u.code[p] + c.slice(1);
      u.code[i] = c;
      u.lower[i] = c.toLowerCase();
      u.name[i] = d.units[4 * i + 1];
      u.parent[i] = p;
      u.level[i] = d.units[4 * i + 3];
    }
    var folded = new Array(d.names.length), nameWords = new Array(d.names.length);
    for (var j = 0; j < d.names.length; j++) {
      nameWords[j] = words(d.names[j]);
      folded[j] = nameWords[j].join(" ");
    }
    data = { levels: d.levels, names: d.names, folded: folded, nameWords: nameWords, units: u, n: n };
    run();
  };

  function load() {
    if (data || loading) return;
    loading = true;
    var s = document.createElement("script");
    s.src = form.getAttribute("data-index");
    document.head.appendChild(s);
  }

  // matches reports whether every query word starts some word of the name.
  function matches(qw, nw) {
    for (var i = 0; i < qw.length; i++) {
      var ok = false;
      for (var j = 0; j < nw.length && !ok; j++) ok = nw[j].lastIndexOf(qw[i], 0) === 0;
      if (!ok) return false;
    }
    return true;
  }

  function path(i) {
    var u = data.units, parts = [];
    for (var p = u.parent[i]; p >= 0; p = u.parent[p]) parts.unshift(data.names[u.name[p]]);
    parts.unshift(data.levels[u.level[i]]);
    return parts.join(" \u203a ");
  }

  function clear() {
    while (out.firstChild) out.removeChild(out.firstChild);
  }

  function run() {
    clear();
    var q = input.value.trim();
    if (q === "") return;
    if (!data) { load(); return; }
    var qw = words(q), qf = qw.join(" "), qc = q.toLowerCase().replace(/\s+/g, "");
    var nameScore = new Int8Array(data.names.length);
    for (var j = 0; j < data.names.length; j++) {
      if (qw.length === 0 || !matches(qw, data.nameWords[j])) nameScore[j] = -1;
      else if (data.folded[j] === qf) nameScore[j] = 0;
      else if (data.folded[j].lastIndexOf(qf, 0) === 0) nameScore[j] = 1;
      else nameScore[j] = 2;
    }
    // Buckets by score, then level: each filled in site order, so no sort.
    var buckets = [], total = 0, u = data.units, L = data.levels.length;
    for (var i = 0; i < data.n; i++) {
      var s = nameScore[u.name[i]];
      if (u.lower[i] === qc) s = 0;
      else if (s < 0 && qc !== "" && u.lower[i].indexOf(qc) >= 0) s = 2;
      if (s < 0) continue;
      var b = s * L + u.level[i];
      (buckets[b] || (buckets[b] = [])).push(i);
      total++;
    }
    if (total === 0) {
      var li = document.createElement("li");
      li.textContent = form.getAttribute("data-none");
      out.appendChild(li);
      return;
    }
    var shown = 0;
    for (var k = 0; k < buckets.length && shown < MAX; k++) {
      var list = buckets[k] || [];
      for (var m = 0; m < list.length && shown < MAX; m++, shown++) out.appendChild(item(list[m]));
    }
    if (total > shown) {
      var more = document.createElement("li");
      more.className = "more";
      more.textContent = "\u2026 +" + (total - shown);
      out.appendChild(more);
    }
  }

  function item(i) {
    var u = data.units;
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = root + "units/" + u.code[i] + "/index.html";
    a.textContent = data.names[u.name[i]];
    var code = document.createElement("span");
    code.className = "code";
    code.textContent = " " + u.code[i];
    var where = document.createElement("span");
    where.className = "path";
    where.textContent = path(i);
    li.appendChild(a);
    li.appendChild(code);
    li.appendChild(where);
    return li;
  }

  form.hidden = false;
  input.addEventListener("focus", load);
  input.addEventListener("input", run);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var first = out.querySelector("a");
    if (first) window.location.href = first.href;
  });
  if (input.value) run();
})();
