// The map of one container: decodes its payloads, then builds the parts of the page around one state (``ctx``)
// that every filter change recomputes in refresh(). The hooks analysts and tests rely on are data-geomap
// attributes inside the map's own container, so that several maps on one page work side by side.
(function (G) {
  "use strict";

  function build(map, cfg, D, B) {
    var container = map.getContainer(), N = D.n, el = G.el;
    if (B) G.drawBasemap(map, container, B);
    var dayOf = D.dates.map(function (s) { return Math.round(Date.parse(s) / G.DAY); });
    var ctx = {
      map: map, container: container, cfg: cfg, D: D, N: N, dayOf: dayOf,
      day: new Float64Array(N), killed: new Float64Array(N),
      typeOn: D.types.map(function () { return true; }), groupOn: D.groups.map(function () { return true; }),
      match: null, lo: -Infinity, hi: Infinity, undatedOn: true,
      shown: [], on: new Uint8Array(N), singles: null, uncOn: true, heatOn: false,
      hooks: []  // called after each refresh
    };
    for (var n = 0; n < N; n++) {
      ctx.day[n] = D.d[n] < 0 ? NaN : dayOf[D.d[n]];
      ctx.killed[n] = D.kx[n] != null ? D.kx[n] : (D.km[n] || 0);
    }

    // circles of uncertainty on a canvas: around every incident shown (up to 3,000), or, on the grid of large sets,
    // around the incidents drawn one by one (``ctx.singles``)
    var canvas = L.canvas({padding: 0.2}), unc = L.layerGroup().addTo(map);
    ctx.drawUncertainty = function () {
      unc.clearLayers();
      if (!ctx.uncOn) return;
      var list = ctx.singles || ctx.shown;
      for (var k = 0; k < list.length; k++) {
        var i = list[k], radius = cfg.radius[D.gp[i]];
        if (!radius) continue;
        L.circle([D.lat[i], D.lon[i]], {radius: radius, renderer: canvas, interactive: false,
          color: D.types[D.t[i]][1], weight: 1.2, opacity: 0.9, dashArray: "5 4", fillOpacity: 0.06}).addTo(unc);
      }
    };
    ctx.heat = cfg.heatmap && L.heatLayer ?
      L.heatLayer([], {radius: 22, blur: 18, maxZoom: 9, minOpacity: 0.35}) : null;
    ctx.drawHeat = function () {
      if (ctx.heat && ctx.heatOn) ctx.heat.setLatLngs(ctx.shown.map(function (i) { return [D.lat[i], D.lon[i]]; }));
    };

    var marks = G.markers(ctx);
    ctx.openIncident = function (i) {
      map.setView([D.lat[i], D.lon[i]], Math.max(map.getZoom(), Math.min(12, map.getMaxZoom())), {animate: false});
      marks.openPopup(marks.markerOf(i));
    };

    // title and count
    var titleBox = el("div", "geomap-title geomap-box");
    titleBox.appendChild(el("div", "gt-main", cfg.title));
    var sub = titleBox.appendChild(el("div", "gt-sub"));
    var before = sub.appendChild(document.createTextNode(""));
    var count = sub.appendChild(el("b", "gt-count"));
    count.dataset.geomap = "count";
    var after = sub.appendChild(document.createTextNode(""));
    container.appendChild(titleBox);
    L.DomEvent.disableClickPropagation(titleBox);

    var panel = G.panel(ctx);
    G.search(ctx, panel.tools);
    G.downloads(ctx, panel.tools);
    var feed = G.feed(ctx), time = G.timeline(ctx);

    function refresh() {
      var next = [], total = 0, on = new Uint8Array(N), lo = ctx.lo, hi = ctx.hi, match = ctx.match;
      var P = time ? time.periods : 0, perN = new Float64Array(P), perK = new Float64Array(P);
      var typeOn = ctx.typeOn, groupOn = ctx.groupOn, day = ctx.day, bin = time ? time.bin : null;
      for (var i = 0; i < N; i++) {
        if (!typeOn[D.t[i]] || !groupOn[D.a[i]] || (match && !match[i])) continue;
        var d = day[i];
        if (d !== d) {  // undated
          if (!ctx.undatedOn) continue;
        } else {
          perN[bin[i]]++;
          perK[bin[i]] += D.km[i] || 0;
          if (d < lo || d > hi) continue;
        }
        next.push(i);
        on[i] = 1;
        total += D.km[i] || 0;
      }
      map.closePopup();
      container.dataset.geomapReady = "0";
      ctx.shown = next;
      ctx.on = on;
      marks.show(next);
      container.dataset.shown = String(next.length);
      var all = next.length === N;
      before.nodeValue = all ? "showing all " : "showing ";
      count.textContent = String(next.length);
      after.nodeValue = all ? " incidents" : " of " + G.fmt(N) + " incidents \u00b7 at least " + G.fmt(total) +
        " killed";
      if (time) time.draw(perN, perK);
      feed.update();
      ctx.hooks.forEach(function (hook) { hook(); });
      ctx.drawUncertainty();
      ctx.drawHeat();
      requestAnimationFrame(function () { container.dataset.geomapReady = "1"; });
    }
    ctx.refresh = refresh;

    // fit to the incidents, leaving room for the boxes drawn over the map
    if (cfg.bounds) {
      var w = container.clientWidth, h = container.clientHeight;
      var left = Math.min(feed.element.open ? feed.element.offsetWidth + 30 : 40, 0.3 * w);
      var right = Math.min(panel.element.offsetWidth + 30, 0.4 * w);
      var bottom = Math.min((time ? time.element.offsetHeight + 34 : 20) + 10, 0.35 * h);
      var top = Math.min(titleBox.offsetHeight + 24, 0.25 * h);
      map.fitBounds(cfg.bounds, {paddingTopLeft: [left, top], paddingBottomRight: [right, bottom], maxZoom: 8,
        animate: false});
    }
    map.geomap = {markers: marks.markers, refresh: refresh, data: D, uncertainty: unc, state: ctx};
    refresh();
    G.links(ctx);
    G.route();
  }

  G.draw = function (map, cfg) {
    var container = map.getContainer();
    container.dataset.geomapReady = "0";
    Promise.all([G.decode(cfg.data, cfg.dataKind), G.decode(cfg.base, cfg.baseKind)])
      .then(function (r) { build(map, cfg, r[0], r[1]); })
      .catch(function (e) {
        container.dataset.geomapReady = "error";
        console.error("geomap: the map could not be drawn:", e);
      });
  };
})(window.geomapPage = window.geomapPage || {});
