// Helpers shared by the parts of the page: escaping, elements, payloads, marker shapes, text folding.
// Every text shown comes from untrusted articles: HTML is built with esc(), everything else with textContent.
(function (G) {
  "use strict";
  var ESC = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};

  G.DAY = 86400000;
  G.esc = function (s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) { return ESC[c]; });
  };
  G.safeUrl = function (u) { return typeof u === "string" && /^https?:\/\//i.test(u) ? u : null; };
  G.el = function (tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };
  G.button = function (cls, text, hook) {
    var b = G.el("button", cls, text);
    b.type = "button";
    if (hook) b.dataset.geomap = hook;
    return b;
  };
  G.fmt = function (n) { return n.toLocaleString("en"); };
  G.iso = function (day) { return new Date(day * G.DAY).toISOString().slice(0, 10); };
  G.range = function (lo, hi) {
    if (lo == null) return "not reported";
    return hi == null || hi === lo ? String(lo) : lo + "-" + hi;
  };

  // A payload element: JSON, or deflated JSON in base64 (decompressed by the browser).
  G.decode = function (id, kind) {
    var node = id && document.getElementById(id);
    if (!node) return Promise.resolve(null);
    var body = node.textContent;
    if (kind === "json") return Promise.resolve(JSON.parse(body));
    var bin = atob(body), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).text().then(JSON.parse);
  };

  // Lower case without accents, marks or hyphens: "Dar‘ā" and "Deir ez-Zor" are found as "dara" and "deir ez zor".
  var EXTRA = {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"};
  G.fold = function (s) {
    s = String(s == null ? "" : s).toLowerCase();
    if (/[\u0080-\uffff]/.test(s)) {
      s = s.normalize("NFD").replace(/[\u0300-\u036f\u02b9-\u02bf\u2018\u2019\u00b4]/g, "")
        .replace(/[ıłøđßæœþ]/g, function (c) { return EXTRA[c]; }).replace(/[\u2010-\u2015]/g, " ");
    }
    return s.replace(/['`]/g, "").replace(/[-_/\s]+/g, " ").trim();
  };

  G.SHAPES = {
    "circle": "M2,12a10,10 0 1,0 20,0a10,10 0 1,0 -20,0Z",
    "triangle-down": "M2,3.5H22L12,21.5Z",
    "triangle-up": "M12,2.5L22,20.5H2Z",
    "diamond": "M12,1L23,12L12,23L1,12Z",
    "square": "M3,3H21V21H3Z",
    "star": "M12,1.2l3.2,6.6l7.2,1l-5.2,5.1l1.3,7.2L12,17.7l-6.5,3.4l1.3,-7.2L1.6,8.8l7.2,-1Z",
    "hexagon": "M12,1.5L21.5,7V17L12,22.5L2.5,17V7Z",
    "cross": "M5.5,2L12,8.5L18.5,2L22,5.5L15.5,12L22,18.5L18.5,22L12,15.5L5.5,22L2,18.5L8.5,12L2,5.5Z"
  };
  G.svg = function (shape, colour, size, dashed) {
    return '<svg xmlns="http://www.w3.org/2000/svg" width="' + size + '" height="' + size +
      '" viewBox="0 0 24 24"><path d="' + (G.SHAPES[shape] || G.SHAPES.circle) + '" fill="' + colour +
      '" stroke="' + (dashed ? "#262626" : "#ffffff") + '" stroke-width="' + (dashed ? 1.7 : 1.9) + '"' +
      (dashed ? ' stroke-dasharray="3 2" fill-opacity="0.8"' : "") + ' stroke-linejoin="round"/></svg>';
  };
  G.sizeFor = function (killed) { return 2 * Math.round((16 + 8 * Math.log10(1 + (killed || 0))) / 2); };

  // "Town, Province, SY" from the payload's [location, admin1, country].
  G.place = function (D, i) {
    var p = D.p[i] >= 0 ? D.places[D.p[i]] : null;
    return p ? p.filter(function (v) { return v; }).join(", ") : null;
  };
  G.date = function (D, i) { return D.d[i] >= 0 ? D.dates[D.d[i]] : null; };
})(window.geomapPage = window.geomapPage || {});
