// The time window (bottom): a two-handle slider over the incidents' days above bars of incidents (up) and
// people killed (down) per period (day, week, month or year, after the other filters), the counts of the
// period under the pointer, a check box for undated incidents, and a play control that moves the window
// forward step by step to the end (a second press stops it).
(function (G) {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg", TICK_MS = 250, STEPS = 40;

  G.timeline = function (ctx) {
    var D = ctx.D, N = ctx.N, nd = D.dates.length, el = G.el, DAY = G.DAY;
    if (!nd) return null;
    var first = ctx.dayOf[0], last = ctx.dayOf[nd - 1], span = last - first;
    ctx.lo = first;
    ctx.hi = last;

    // calendar periods of the bars: day, Monday-based week, month or year, by the span of the dates
    var unit = span <= 92 ? "day" : span <= 730 ? "week" : span <= 5479 ? "month" : "year";
    function period(d) {
      if (unit === "day") return d;
      if (unit === "week") return Math.floor((d + 3) / 7);  // 1970-01-01 was a Thursday
      var t = new Date(d * DAY);
      return unit === "month" ? t.getUTCFullYear() * 12 + t.getUTCMonth() : t.getUTCFullYear();
    }
    function start(p) {
      if (unit === "day") return p;
      if (unit === "week") return p * 7 - 3;
      if (unit === "month") return Math.round(Date.UTC(Math.floor(p / 12), p % 12, 1) / DAY);
      return Math.round(Date.UTC(p, 0, 1) / DAY);
    }
    function name(p) {
      if (unit === "day") return G.iso(p);
      if (unit === "week") return "week of " + G.iso(start(p));
      return unit === "month" ? G.iso(start(p)).slice(0, 7) : String(p);
    }
    var p0 = period(first), P = period(last) - p0 + 1;
    var binOfDate = ctx.dayOf.map(function (d) { return period(d) - p0; }), bin = new Int32Array(N);
    for (var i = 0; i < N; i++) bin[i] = D.d[i] < 0 ? -1 : binOfDate[D.d[i]];

    var box = el("div", "geomap-time geomap-box");
    var head = box.appendChild(el("div", "gt-head"));
    head.appendChild(el("b", null, "Time"));
    var play = head.appendChild(G.button("gt-play", "\u25b6 Play", "play"));
    play.setAttribute("aria-pressed", "false");
    play.title = "Move the time window forward to the end";
    var label = head.appendChild(el("span", "gt-range"));
    var undated = N - D.d.filter(function (d) { return d >= 0; }).length;
    if (undated) {
      var u = head.appendChild(el("label", "gt-undated")), ub = u.appendChild(el("input"));
      ub.type = "checkbox";
      ub.checked = true;
      ub.dataset.geomapKind = "undated";
      u.appendChild(document.createTextNode("undated (" + G.fmt(undated) + ")"));
      ub.addEventListener("change", function () { ctx.undatedOn = ub.checked; ctx.refresh(); });
    }

    var track = box.appendChild(el("div", "gt-track"));
    var hist = document.createElementNS(SVG, "svg");
    hist.setAttribute("viewBox", "0 0 " + P + " 30");
    hist.setAttribute("preserveAspectRatio", "none");
    function rect(b, cls) {
      var r = document.createElementNS(SVG, "rect");
      r.setAttribute("x", b + 0.1);
      r.setAttribute("width", 0.8);
      r.setAttribute("class", cls);
      hist.appendChild(r);
      return r;
    }
    var up = [], down = [];
    for (var b = 0; b < P; b++) { up.push(rect(b, "gt-n")); down.push(rect(b, "gt-k")); }
    track.appendChild(hist);
    track.appendChild(el("div", "gt-rail"));
    var sel = track.appendChild(el("div", "gt-sel"));
    function slider(value, title, kind) {
      var s = el("input");
      s.type = "range"; s.min = first; s.max = last; s.step = 1; s.value = value;
      s.setAttribute("aria-label", title);
      s.dataset.geomapKind = kind;
      track.appendChild(s);
      return s;
    }
    var from = slider(first, "From date", "from"), until = slider(last, "Until date", "until");
    var ends = box.appendChild(el("div", "gt-ends"));
    ends.appendChild(el("span", null, D.dates[0]));
    var readout = ends.appendChild(el("span", "gt-periods"));
    readout.dataset.geomap = "periods";
    ends.appendChild(el("span", null, D.dates[nd - 1]));

    var counts = new Float64Array(P), killed = new Float64Array(P), hover = -1;
    function say(p) {
      return name(p0 + p) + ": " + G.fmt(counts[p]) + " incident" + (counts[p] === 1 ? "" : "s") + ", " +
        G.fmt(killed[p]) + " killed";
    }
    function tell() {
      if (hover >= 0) { readout.textContent = say(hover); return; }
      var best = -1;
      for (var p = 0; p < P; p++) if (counts[p] && (best < 0 || counts[p] > counts[best])) best = p;
      readout.textContent = best < 0 ? "no dated incident shown" : "busiest " + unit + ": " + say(best);
    }
    hist.addEventListener("mousemove", function (e) {
      var r = hist.getBoundingClientRect();
      hover = Math.max(0, Math.min(P - 1, Math.floor((e.clientX - r.left) / r.width * P)));
      tell();
    });
    hist.addEventListener("mouseleave", function () { hover = -1; tell(); });

    // the window and the bars; ``n`` and ``k``: incidents and killed per period after the other filters
    function draw(n, k) {
      if (n) { counts = n; killed = k; }
      var lo = ctx.lo, hi = ctx.hi, peakN = 1, peakK = 1;
      label.textContent = lo === hi ? G.iso(lo) : G.iso(lo) + " to " + G.iso(hi);
      var width = Math.max(1, span);
      sel.style.left = 100 * (lo - first) / width + "%";
      sel.style.width = Math.max(0.5, 100 * (hi - lo) / width) + "%";
      for (var p = 0; p < P; p++) { peakN = Math.max(peakN, counts[p]); peakK = Math.max(peakK, killed[p]); }
      for (p = 0; p < P; p++) {
        var h = counts[p] ? Math.max(1.5, 19 * Math.sqrt(counts[p] / peakN)) : 0;
        var hk = killed[p] ? Math.max(1, 9 * Math.sqrt(killed[p] / peakK)) : 0;
        var on = start(p0 + p + 1) - 1 >= lo && start(p0 + p) <= hi ? " on" : "";
        up[p].setAttribute("y", 20 - h);
        up[p].setAttribute("height", h);
        up[p].setAttribute("class", "gt-n" + on);
        down[p].setAttribute("y", 21);
        down[p].setAttribute("height", hk);
        down[p].setAttribute("class", "gt-k" + on);
      }
      tell();
    }

    var live = N <= 20000;
    function moved(which, commit) {
      var a = +from.value, z = +until.value;
      if (a > z) { if (which === from) from.value = a = z; else until.value = z = a; }
      ctx.lo = a; ctx.hi = z;
      if (commit || live) ctx.refresh(); else draw();
    }
    [from, until].forEach(function (s) {
      s.addEventListener("input", function () { stop(); moved(s, false); });
      s.addEventListener("change", function () { moved(s, true); });
    });

    // play: the window keeps its width (a tenth of the span when it covers it all) and moves by about a
    // fortieth of the span per step; it starts over from the beginning when it is already at the end
    var timer = null;
    function stop() {
      if (timer === null) return;
      clearTimeout(timer);
      timer = null;
      play.textContent = "\u25b6 Play";
      play.setAttribute("aria-pressed", "false");
    }
    function set(lo, hi) {
      ctx.lo = lo; ctx.hi = hi;
      from.value = lo; until.value = hi;
      ctx.refresh();
    }
    play.addEventListener("click", function () {
      if (timer !== null) return stop();
      var width = ctx.hi - ctx.lo, step = Math.max(1, Math.round(span / STEPS));
      if (width >= span) width = Math.max(step, Math.round(span / 10));
      if (ctx.hi >= last) set(first, first + width);
      play.textContent = "\u25a0 Stop";
      play.setAttribute("aria-pressed", "true");
      (function tick() {
        timer = setTimeout(function () {
          var hi = Math.min(last, ctx.hi + step);
          set(hi - width, hi);
          if (hi >= last) stop(); else tick();
        }, TICK_MS);
      })();
    });
    if (span === 0) { from.disabled = until.disabled = play.disabled = true; }

    ctx.container.appendChild(box);
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return {element: box, bin: bin, periods: P, draw: draw, stop: stop};
  };
})(window.geomapPage = window.geomapPage || {});
