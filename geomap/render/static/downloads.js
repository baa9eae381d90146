// Downloads of the incidents shown now (after the filters, the search and the time window) as CSV or GeoJSON
// with the columns of `geomap extract`, made in the page (no network). CSV text cells that a spreadsheet
// would read as a formula (=, +, -, @, tab, return) are prefixed with an apostrophe.
(function (G) {
  "use strict";
  var COLUMNS = ["id", "date", "date_precision", "event_type", "actor", "target", "location", "country", "admin1",
    "geo_precision", "killed_min", "killed_max", "injured_min", "injured_max", "articles", "source_count",
    "quote", "historical", "titles", "urls", "published"];
  var LISTS = {articles: 3, titles: 0, urls: 1, published: 2};  // list columns: the field of the article table

  // one incident as {column: value}, values as `geomap extract` writes them
  G.record = function (D, i) {
    var place = D.p[i] >= 0 ? D.places[D.p[i]] : [null, null, null], row = {};
    var values = [D.id[i], G.date(D, i), D.dp[i] >= 0 ? D.dps[D.dp[i]] : null, D.types[D.t[i]][4],
      D.ac[i] >= 0 ? D.actors[D.ac[i]] : null, D.g[i] >= 0 ? D.targets[D.g[i]] : null, place[0], place[2],
      place[1], D.gp[i], D.km[i], D.kx[i], D.im[i], D.ix[i], null, D.r[i].length,
      D.q[i] >= 0 ? D.quotes[D.q[i]] : null, D.h[i] === 1];
    COLUMNS.forEach(function (c, k) {
      row[c] = c in LISTS ? D.r[i].map(function (a) { return D.arts[a][LISTS[c]]; }) : values[k];
    });
    return row;
  };

  function cell(v) {
    if (v == null) return "";
    if (typeof v === "boolean") return v ? "True" : "False";
    if (typeof v === "number") return String(v);
    var s = Array.isArray(v) ? "[" + v.map(function (x) { return JSON.stringify(x); }).join(", ") + "]" : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  G.csv = function (D, rows) {
    var lines = [COLUMNS.concat(["lon", "lat"]).join(",")];
    rows.forEach(function (i) {
      var r = G.record(D, i);
      lines.push(COLUMNS.map(function (c) { return cell(r[c]); }).concat([D.lon[i], D.lat[i]]).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  };

  G.geojson = function (D, rows) {
    return JSON.stringify({type: "FeatureCollection", features: rows.map(function (i) {
      var r = G.record(D, i);
      return {type: "Feature", id: r.id, properties: r, geometry: {type: "Point", coordinates: [D.lon[i], D.lat[i]]}};
    })}, null, 1) + "\n";
  };

  G.downloads = function (ctx, where) {
    var row = where.appendChild(G.el("div", "gp-downloads"));
    row.appendChild(G.el("span", null, "Download shown:"));
    function offer(hook, label, name, type, make) {
      var b = row.appendChild(G.button(null, label, hook));
      b.title = "Download the incidents shown now as " + label;
      b.addEventListener("click", function () {
        var url = URL.createObjectURL(new Blob([make(ctx.D, ctx.shown)], {type: type}));
        var a = G.el("a");  // not in the page: its click must not reach the map (it would close the popup)
        a.href = url;
        a.download = name;
        a.click();
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
      });
    }
    offer("download-csv", "CSV", "incidents.csv", "text/csv;charset=utf-8", G.csv);
    offer("download-geojson", "GeoJSON", "incidents.geojson", "application/geo+json", G.geojson);
  };
})(window.geomapPage = window.geomapPage || {});
