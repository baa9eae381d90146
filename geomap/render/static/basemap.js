// The offline basemap: Natural Earth countries and their names, first-level region outlines from a closer
// zoom, and the names of capitals and large cities, more of them as one zooms in (each has the zoom from which
// it fits without overlapping a more important one). Only the labels within the view are in the page.
(function (G) {
  "use strict";

  G.drawBasemap = function (map, container, B) {
    container.classList.add("geomap-offline");
    map.createPane("geomapBase").style.zIndex = 150;
    var labelPane = map.createPane("geomapLabels");
    labelPane.style.zIndex = 350;
    labelPane.style.pointerEvents = "none";
    L.geoJSON(B.countries, {
      pane: "geomapBase", interactive: false,
      style: {color: "#aaa195", weight: 0.8, fillColor: "#f7f5f0", fillOpacity: 1}
    }).addTo(map);
    var regions = B.regions && B.regions.length ? L.geoJSON({type: "MultiLineString", coordinates: B.regions}, {
      pane: "geomapBase", interactive: false,
      style: {className: "geomap-region", color: "#b9ae9e", weight: 0.7, dashArray: "4 3", fill: false}
    }) : null;

    function label(cls, name, lat, lon) {
      var html = cls === "geomap-city" ? '<i></i><span>' + G.esc(name) + "</span>" : "<span>" + G.esc(name) + "</span>";
      return L.marker([lat, lon], {pane: "geomapLabels", interactive: false, keyboard: false,
        icon: L.divIcon({className: cls, html: html, iconSize: null})});
    }
    // [zoom from which shown, lat, lon, make the marker]; markers are made when first shown
    var labels = B.labels.map(function (l) {
      return [l[3], l[1], l[2], function () { return label("geomap-country", l[0], l[1], l[2]); }];
    }).concat((B.cities || []).map(function (c) {
      return [c[3], c[1], c[2], function () {
        return label(c[4] ? "geomap-city geomap-capital" : "geomap-city", c[0], c[1], c[2]);
      }];
    }));
    var made = new Array(labels.length), on = new Uint8Array(labels.length);
    function showLabels() {
      var z = map.getZoom(), view = map.getBounds().pad(0.2);
      for (var k = 0; k < labels.length; k++) {
        var x = labels[k], want = z >= x[0] && view.contains([x[1], x[2]]) ? 1 : 0;
        if (want === on[k]) continue;
        on[k] = want;
        if (want) (made[k] = made[k] || x[3]()).addTo(map);
        else made[k].remove();
      }
      if (regions) {
        if (z >= B.regionZoom) regions.addTo(map);
        else regions.remove();
      }
    }
    map.on("moveend", showLabels);
    showLabels();
    map.attributionControl.addAttribution("Basemap: Natural Earth; place names: GeoNames");
  };
})(window.geomapPage = window.geomapPage || {});
