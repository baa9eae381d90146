// The search box: keeps the incidents whose place, actor, target, event type or quote hold every word typed
// (case, accents and marks aside), together with the other filters. The texts are the payload's lookup
// tables (each distinct text once), folded while the page is idle.
(function (G) {
  "use strict";

  G.search = function (ctx, where) {
    var D = ctx.D, N = ctx.N, el = G.el;
    var row = where.appendChild(el("div", "gp-search"));
    var input = row.appendChild(el("input"));
    input.type = "search";
    input.placeholder = "Search place, actor, target, type, quote";
    input.setAttribute("aria-label", "Search the incidents");
    input.autocomplete = "off";
    input.dataset.geomap = "search";
    var hint = where.appendChild(el("div", "gp-hint"));
    hint.setAttribute("role", "status");

    // the searched fields: each incident's code into a table of distinct texts; each table is folded once into
    // one string (texts separated by a newline, which no folded text or word holds) that the browser's own
    // indexOf scans, the start of each text kept to tell which text a hit falls in
    var fields = [
      [D.p, D.places.map(function (p) { return p.filter(function (v) { return v; }).join(" "); })],
      [D.ac, D.actors], [D.g, D.targets], [D.t, D.types.map(function (t) { return t[0]; })], [D.q, D.quotes]
    ].map(function (f) { return {codes: f[0], texts: f[1], folded: [], all: null, starts: null}; });
    function fold(f, upTo) {  // fold the texts up to ``upTo``; join them all once they are
      for (var k = f.folded.length; k < upTo; k++) f.folded.push(G.fold(f.texts[k]));
      if (f.all === null && f.folded.length === f.texts.length) {
        f.starts = new Float64Array(f.texts.length + 1);
        for (k = 0; k < f.texts.length; k++) f.starts[k + 1] = f.starts[k] + f.folded[k].length + 1;
        f.all = f.folded.join("\n");
      }
    }
    function holding(f, word) {  // which texts of the table hold the word
      fold(f, f.texts.length);
      var hit = new Uint8Array(f.texts.length), starts = f.starts, at = f.all.indexOf(word);
      while (at >= 0) {
        var lo = 0, hi = f.texts.length - 1;
        while (lo < hi) {
          var mid = (lo + hi + 1) >> 1;
          if (starts[mid] <= at) lo = mid; else hi = mid - 1;
        }
        hit[lo] = 1;
        at = f.all.indexOf(word, starts[lo + 1]);
      }
      return hit;
    }

    // the incidents holding every word, or null for an empty query; typing on at the end of the query only
    // narrows the last answer, so only the words that changed are looked for, among the incidents it kept
    var last = null;  // {folded query, its words, its answer}
    function matches(query) {
      var folded = G.fold(query), words = folded.split(" ").filter(function (w) { return w; });
      if (!words.length) { last = null; return null; }
      var keep, look = words;
      if (last && folded.indexOf(last.folded) === 0) {
        keep = last.keep.slice();
        look = words.slice(last.words.length - 1);  // the last word may have grown, and words may follow it
      } else {
        keep = new Uint8Array(N).fill(1);
      }
      look.forEach(function (word) {
        var hits = fields.map(function (f) { return holding(f, word); });
        for (var i = 0; i < N; i++) {
          if (!keep[i]) continue;
          var any = 0;
          for (var k = 0; k < fields.length && !any; k++) {
            var code = fields[k].codes[i];
            any = code >= 0 && hits[k][code];
          }
          keep[i] = any;
        }
      });
      last = {folded: folded, words: words, keep: keep};
      return keep;
    }

    // fold the texts while the page is idle, so that the first keystrokes need not
    var idle = window.requestIdleCallback || function (f) {
      return setTimeout(function () { f({timeRemaining: function () { return 8; }}); }, 50);
    };
    var warming = 0;
    idle(function warm(deadline) {
      while (warming < fields.length && deadline.timeRemaining() > 2) {
        var f = fields[warming];
        fold(f, Math.min(f.texts.length, f.folded.length + 2000));
        if (f.all !== null) warming++;
      }
      if (warming < fields.length) idle(warm);
    });

    var pending = null;
    function apply() {
      pending = null;
      ctx.match = matches(input.value);
      ctx.refresh();
    }
    // says when nothing is shown because of the words, or because of the other filters
    ctx.hooks.push(function () {
      var found = !ctx.match || ctx.match.indexOf(1) >= 0;
      hint.textContent = !found ? "No incident matches \u201c" + input.value.slice(0, 80) + "\u201d" :
        ctx.match && !ctx.shown.length ? "The matches lie outside the other filters" : "";
    });
    // large sets: keystrokes typed within one frame are answered once
    input.addEventListener("input", function () {
      if (N <= 20000) return apply();
      ctx.container.dataset.geomapReady = "0";  // busy until the answer is drawn
      if (pending === null) pending = requestAnimationFrame(apply);
    });
  };
})(window.geomapPage = window.geomapPage || {});
