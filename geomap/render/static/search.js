// The search box: keeps the incidents whose place, actor, target, event type or quote hold every word typed
// (case, accents and marks aside), together with the other filters. The texts are the payload's lookup
// tables (each distinct text once), folded when first looked at.
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

    // the searched fields: [code of each incident, the table's texts, folded when first needed]
    var fields = [
      [D.p, D.places.map(function (p) { return p.filter(function (v) { return v; }).join(" "); })],
      [D.ac, D.actors], [D.g, D.targets], [D.t, D.types.map(function (t) { return t[0]; })], [D.q, D.quotes]
    ].map(function (f) { return {codes: f[0], texts: f[1], folded: new Array(f[1].length)}; });

    // the incidents holding every word, or null for an empty query; a table's text is looked at only for
    // the incidents still kept, once per word
    function matches(query) {
      var words = G.fold(query).split(" ").filter(function (w) { return w; });
      if (!words.length) return null;
      var keep = new Uint8Array(N).fill(1);
      words.forEach(function (word) {
        var seen = fields.map(function (f) { return new Int8Array(f.texts.length); });  // 1 holds, -1 not
        for (var i = 0; i < N; i++) {
          if (!keep[i]) continue;
          var any = 0;
          for (var k = 0; k < fields.length && !any; k++) {
            var f = fields[k], code = f.codes[i];
            if (code < 0) continue;
            if (!seen[k][code]) {
              var text = f.folded[code] !== undefined ? f.folded[code] : (f.folded[code] = G.fold(f.texts[code]));
              seen[k][code] = text.indexOf(word) >= 0 ? 1 : -1;
            }
            any = seen[k][code] > 0;
          }
          keep[i] = any;
        }
      });
      return keep;
    }

    // fold the texts while the page is idle, so that the first keystrokes need not
    var idle = window.requestIdleCallback || function (f) { return setTimeout(function () { f({timeRemaining: function () { return 8; }}); }, 50); };
    var warmField = 0, warmCode = 0;
    idle(function warm(deadline) {
      while (warmField < fields.length && deadline.timeRemaining() > 2) {
        var f = fields[warmField], end = Math.min(f.texts.length, warmCode + 2000);
        for (; warmCode < end; warmCode++) {
          if (f.folded[warmCode] === undefined) f.folded[warmCode] = G.fold(f.texts[warmCode]);
        }
        if (warmCode >= f.texts.length) { warmField++; warmCode = 0; }
      }
      if (warmField < fields.length) idle(warm);
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
    ctx.searchMatches = matches;
    return {input: input, matches: matches};
  };
})(window.geomapPage = window.geomapPage || {});
