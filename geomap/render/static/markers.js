// The incidents on the map: markers shaped and coloured by event type and sized by people killed, their
// popups (with a link to the incident) and tooltips, clustered by Leaflet.markercluster (small sets) or by
// a grid over the view (large sets: only what is in view is drawn, and a filter change costs one pass).
(function (G) {
  "use strict";

  G.markers = function (ctx) {
    var map = ctx.map, D = ctx.D, N = ctx.N, types = D.types, cfg = ctx.cfg;
    var icons = {}, markers = new Array(N);

    function iconOf(i) {
      var t = D.t[i], s = G.sizeFor(ctx.killed[i]), dashed = D.gp[i] >= 2 ? 1 : 0, key = t + "," + s + "," + dashed;
      return icons[key] || (icons[key] = L.divIcon({className: "geomap-marker", iconSize: [s, s],
        html: G.svg(types[t][2], types[t][1], s, dashed)}));
    }
    function markerOf(i) {
      var m = markers[i];
      if (!m) {
        m = markers[i] = L.marker([D.lat[i], D.lon[i]], {icon: iconOf(i), riseOnHover: true, alt: types[D.t[i]][0]});
        m.geomapIndex = i;
      }
      return m;
    }
    function clusterIcon(counts, n) {
      var at = 0, stops = [];
      counts.forEach(function (v, t) {
        if (!v) return;
        var to = at + 100 * v / n;
        stops.push(types[t][1] + " " + at.toFixed(1) + "% " + to.toFixed(1) + "%");
        at = to;
      });
      var s = n < 10 ? 34 : n < 100 ? 40 : n < 1000 ? 46 : n < 10000 ? 52 : 58;
      return L.divIcon({className: "marker-cluster geomap-cluster", iconSize: L.point(s, s),
        html: '<div style="background: conic-gradient(' + stops.join(",") + ')"><span>' + n + "</span></div>"});
    }

    function popupHtml(i) {
      var t = types[D.t[i]], p = D.gp[i], refs = D.r[i], esc = G.esc;
      var arts = refs.map(function (a) {
        var A = D.arts[a], url = G.safeUrl(A[1]), label = esc(A[0] || A[3] || "article");
        return "<li>" + (url ? '<a href="' + esc(url) + '" target="_blank" rel="noopener noreferrer">' +
          label + "</a>" : label) + ' <span class="gp-muted">' + esc(A[2] || "date unknown") + "</span></li>";
      }).join("");
      var dp = D.dp[i] >= 0 ? D.dps[D.dp[i]] : null, id = D.id[i];
      return '<div class="geomap-popup"><div class="gp-head">' + G.svg(t[2], t[1], 16, 0) + "<span>" +
        esc(t[0].charAt(0).toUpperCase() + t[0].slice(1)) + "</span>" +
        (D.h[i] ? ' <span class="gp-muted">(recalled in the article)</span>' : "") + "</div><table>" +
        "<tr><th>Date</th><td>" + esc(G.date(D, i) || "unknown") +
        (dp ? ' <span class="gp-muted">(' + esc(dp) + ")</span>" : "") +
        "</td></tr><tr><th>Place</th><td>" + esc(G.place(D, i) || "unnamed place") +
        '<br><span class="gp-muted">precision ' + p + ": " + esc(cfg.precision[p]) + "</span></td></tr>" +
        "<tr><th>Actor</th><td>" + esc(D.ac[i] >= 0 ? D.actors[D.ac[i]] : "not stated") + "</td></tr>" +
        "<tr><th>Target</th><td>" + esc(D.g[i] >= 0 ? D.targets[D.g[i]] : "not stated") + "</td></tr>" +
        "<tr><th>Killed</th><td>" + esc(G.range(D.km[i], D.kx[i])) + "</td></tr>" +
        "<tr><th>Injured</th><td>" + esc(G.range(D.im[i], D.ix[i])) + "</td></tr></table>" +
        (D.q[i] >= 0 ? "<blockquote>" + esc(D.quotes[D.q[i]]) + "</blockquote>" : "") +
        "<b>Reported by " + refs.length + " article" + (refs.length === 1 ? "" : "s") + ":</b><ol>" + arts +
        "</ol>" + (id ? '<div class="gp-id">incident ' + esc(id) + ' \u00b7 <a class="gp-link" data-geomap="link" ' +
        'href="#incident=' + esc(encodeURIComponent(id)) + '" title="Copy the address of this incident">link</a>' +
        "</div>" : "") + "</div>";
    }
    function openPopup(m) {
      var s = m.options.icon.options.iconSize[1];
      L.popup({maxWidth: 380, minWidth: 260, offset: [0, 4 - s / 2], autoPanPaddingTopLeft: [20, 90],
        autoPanPaddingBottomRight: [20, 20]})
        .setLatLng(m.getLatLng()).setContent(popupHtml(m.geomapIndex)).openOn(map);
    }
    function tip(m) {
      var i = m.geomapIndex;
      if (i == null || m.getTooltip()) return;
      m.bindTooltip(G.esc(types[D.t[i]][0] + " \u00b7 " + (G.place(D, i) || "") + " \u00b7 " +
        (G.date(D, i) || "date unknown")), {direction: "top", offset: [0, -m.options.icon.options.iconSize[1] / 2]})
        .openTooltip();
    }

    // Small sets: Leaflet.markercluster (spiderfies markers at one spot).
    function markerClusterEngine() {
      var cluster = L.markerClusterGroup({
        showCoverageOnHover: false, maxClusterRadius: 50, spiderfyDistanceMultiplier: 1.5,
        iconCreateFunction: function (c) {
          var ms = c.getAllChildMarkers(), counts = new Array(types.length).fill(0);
          for (var k = 0; k < ms.length; k++) counts[D.t[ms[k].geomapIndex]]++;
          return clusterIcon(counts, ms.length);
        }
      }).addTo(map);
      cluster.on("click", function (e) { openPopup(e.layer); });
      cluster.on("mouseover", function (e) { tip(e.layer); });
      var inCluster = new Uint8Array(N);
      return function (next) {
        var on = new Uint8Array(N), add = [], remove = [];
        next.forEach(function (i) { on[i] = 1; if (!inCluster[i]) add.push(markerOf(i)); });
        for (var i = 0; i < N; i++) if (inCluster[i] && !on[i]) remove.push(markers[i]);
        if (remove.length) cluster.removeLayers(remove);
        if (add.length) cluster.addLayers(add);
        inCluster = on;
      };
    }

    // Many incidents: each draw sums the incidents shown in view into cells of a pixel grid at the current zoom
    // (typed arrays, no index: a filter change or a keystroke costs one pass over the incidents), merges cells
    // whose centres are close, and draws one cluster per cell at the mean position of its incidents.
    function gridEngine() {
      var T = types.length, group = L.featureGroup().addTo(map), MAXZ = map.getMaxZoom(), CELL = 64;
      var X = new Float64Array(N), Y = new Float64Array(N), shown = [];
      for (var n = 0; n < N; n++) {
        var s = Math.sin(Math.max(-85, Math.min(85, D.lat[n])) * Math.PI / 180);
        X[n] = (D.lon[n] + 180) / 360;
        Y[n] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
      }
      var cells = [];  // the clusters drawn now: {x, y, n, first, counts, key (and keys, when merged)}
      function cellsInView() {
        var scale = 256 * Math.pow(2, map.getZoom()), b = map.getPixelBounds();
        var x0 = b.min.x - CELL, x1 = b.max.x + CELL, y0 = b.min.y - CELL, y1 = b.max.y + CELL;
        var gx = Math.floor(x0 / CELL), gy = Math.floor(y0 / CELL);
        var cols = Math.floor(x1 / CELL) - gx + 1, rows = Math.floor(y1 / CELL) - gy + 1, C = cols * rows;
        var num = new Int32Array(C), sx = new Float64Array(C), sy = new Float64Array(C), first = new Int32Array(C);
        var counts = new Int32Array(C * T), out = [];
        for (var k = 0; k < shown.length; k++) {
          var i = shown[k], px = X[i] * scale, py = Y[i] * scale;
          if (px < x0 || px > x1 || py < y0 || py > y1) continue;
          var at = (Math.floor(px / CELL) - gx) * rows + Math.floor(py / CELL) - gy;
          if (!num[at]++) first[at] = i;
          sx[at] += px; sy[at] += py; counts[at * T + D.t[i]]++;
        }
        for (at = 0; at < C; at++) {
          if (!num[at]) continue;
          out.push({x: sx[at], y: sy[at], n: num[at], first: first[at], key: (gx + Math.floor(at / rows)) * 1e7 + gy +
            at % rows, counts: Array.from(counts.subarray(at * T, at * T + T))});
        }
        out.forEach(function (c) { c.x /= c.n; c.y /= c.n; });
        // a cell whose centre lies within half a cell of a larger one's joins it
        out.sort(function (a, z) { return (z.n - a.n) || (a.key - z.key); });
        var kept = [];
        out.forEach(function (c) {
          for (var j = 0; j < kept.length; j++) {
            var o = kept[j];
            if (Math.abs(o.x - c.x) < CELL / 2 && Math.abs(o.y - c.y) < CELL / 2) {
              o.x = (o.x * o.n + c.x * c.n) / (o.n + c.n);
              o.y = (o.y * o.n + c.y * c.n) / (o.n + c.n);
              o.n += c.n;
              for (var t = 0; t < T; t++) o.counts[t] += c.counts[t];
              (o.keys = o.keys || [o.key]).push(c.key);
              return;
            }
          }
          kept.push(c);
        });
        return {cells: kept, scale: scale};
      }
      function members(c) {
        var scale = 256 * Math.pow(2, map.getZoom()), keys = new Set(c.keys || [c.key]), out = [];
        shown.forEach(function (i) {
          if (keys.has(Math.floor(X[i] * scale / CELL) * 1e7 + Math.floor(Y[i] * scale / CELL))) out.push(i);
        });
        return out;
      }
      function draw() {
        group.clearLayers();
        var view = cellsInView(), singles = [];
        cells = view.cells;
        cells.forEach(function (c, k) {
          var m;
          if (c.n === 1) {
            m = markerOf(c.first);
            singles.push(c.first);
          } else {
            m = L.marker(map.unproject([c.x, c.y], map.getZoom()), {icon: clusterIcon(c.counts, c.n),
              alt: c.n + " incidents"});
            m.geomapCell = k;
          }
          group.addLayer(m);
        });
        ctx.singles = singles;
        ctx.drawUncertainty();
      }
      group.on("click", function (e) {
        var m = e.layer;
        if (m.geomapCell == null) return openPopup(m);
        var list = members(cells[m.geomapCell]), b = L.latLngBounds(list.map(function (i) {
          return [D.lat[i], D.lon[i]];
        }));
        if (map.getZoom() < MAXZ && !b.getNorthEast().equals(b.getSouthWest())) {
          return map.fitBounds(b, {maxZoom: MAXZ, padding: [40, 40]});
        }
        var box = G.el("div", "geomap-popup geomap-list"), ol = G.el("ol");
        box.appendChild(G.el("b", null, G.fmt(list.length) + " incidents at this spot" +
          (list.length > 200 ? " (the first 200):" : ":")));
        box.appendChild(ol);
        list.slice(0, 200).forEach(function (i) {
          var a = ol.appendChild(G.el("li")).appendChild(G.el("a", null,
            types[D.t[i]][0] + " \u00b7 " + (G.date(D, i) || "date unknown")));
          a.href = "#";
          a.onclick = function (ev) { ev.preventDefault(); openPopup(markerOf(i)); };
        });
        L.popup({maxWidth: 320}).setLatLng(m.getLatLng()).setContent(box).openOn(map);
      });
      group.on("mouseover", function (e) { tip(e.layer); });
      map.on("moveend", draw);
      return function (next) {
        shown = next;
        draw();
      };
    }

    return {
      show: cfg.fast ? gridEngine() : markerClusterEngine(),
      markerOf: markerOf,
      openPopup: openPopup,
      markers: markers
    };
  };
})(window.geomapPage = window.geomapPage || {});
