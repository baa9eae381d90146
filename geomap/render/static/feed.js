// The feed (top left): the incidents shown now that lie in the view, newest first (date, type, place, killed),
// following every move of the map and every filter; a click opens the incident.
(function (G) {
  "use strict";
  var LIMIT = 100;

  G.feed = function (ctx) {
    var D = ctx.D, N = ctx.N, el = G.el, map = ctx.map;
    var box = el("details", "geomap-feed geomap-box leaflet-control");
    box.open = ctx.container.clientWidth > 900;
    var head = box.appendChild(el("summary", null, "In view: "));
    var count = head.appendChild(el("span", "gf-n"));
    var list = box.appendChild(el("ol"));
    list.dataset.geomap = "list";
    var more = box.appendChild(el("div", "gf-more"));

    // newest first, undated last; ties in frame order
    var order = new Int32Array(N);
    for (var n = 0; n < N; n++) order[n] = n;
    order.sort(function (a, b) {
      var da = ctx.day[a], db = ctx.day[b];
      if (isNaN(da) !== isNaN(db)) return isNaN(da) ? 1 : -1;
      return (db - da) || (a - b);
    });

    function item(i) {
      var li = el("li"), a = li.appendChild(el("a"));
      a.href = "#";
      a.dataset.geomapIndex = String(i);
      a.appendChild(el("span", "gf-date", G.date(D, i) || "date unknown"));
      a.appendChild(el("span", "gf-type", D.types[D.t[i]][0]));
      a.appendChild(el("span", "gf-place", G.place(D, i) || "unnamed place"));
      a.appendChild(el("span", "gf-killed", D.km[i] == null ? "killed: not reported" :
        G.range(D.km[i], D.kx[i]) + " killed"));
      return li;
    }
    list.addEventListener("click", function (e) {
      var a = e.target.closest("a[data-geomap-index]");
      if (!a) return;
      L.DomEvent.stop(e);  // the list is redrawn as the map moves: the map must not see a click from nowhere
      ctx.openIncident(+a.dataset.geomapIndex);
    });

    function update() {
      var b = map.getBounds(), south = b.getSouth(), north = b.getNorth(), west = b.getWest(), east = b.getEast();
      var whole = east - west >= 360, on = ctx.on, found = 0, items = [];
      for (var k = 0; k < N; k++) {
        var i = order[k], lat = D.lat[i], lon = D.lon[i];
        if (!on[i] || lat < south || lat > north) continue;
        if (!whole) {
          var x = lon;
          while (x < west) x += 360;  // the view may be panned past the antimeridian
          while (x > east) x -= 360;
          if (x < west) continue;
        }
        if (found++ < LIMIT) items.push(item(i));
      }
      list.replaceChildren.apply(list, items);
      count.textContent = G.fmt(found);
      box.dataset.count = String(found);
      more.textContent = found > LIMIT ? "and " + G.fmt(found - LIMIT) + " older: zoom in or filter to list them" :
        found ? "" : "no incident shown in this view";
    }
    map.on("moveend", update);

    var Feed = L.Control.extend({options: {position: "topleft"}, onAdd: function () { return box; }});
    new Feed().addTo(map);
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    box.style.maxHeight = Math.max(120, ctx.container.clientHeight * 0.5) + "px";
    return {element: box, update: update};
  };
})(window.geomapPage = window.geomapPage || {});
