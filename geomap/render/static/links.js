// A link to each incident: `page.html#incident=ID` zooms the map holding that incident to it and opens its
// popup, when the page opens and when the address changes; the "link" control of a popup copies that
// address. Every map of a page (a report may embed several) is registered here: an id that none of them
// holds is reported in each, once all are drawn.
(function (G) {
  "use strict";
  G.maps = G.maps || [];

  function wanted() {
    var m = /^#incident=(.+)$/.exec(window.location.hash);
    if (!m) return null;
    try { return decodeURIComponent(m[1]); } catch { return m[1]; }  // a malformed escape: as typed
  }
  G.route = function () {
    var id = wanted(), complete = G.maps.length >= document.querySelectorAll(".geomap-map").length;
    var found = id !== null && G.maps.some(function (m) { return m.has(id); });
    G.maps.forEach(function (m) { m.route(id, found, complete); });
  };
  if (!G.routing) {
    G.routing = true;
    window.addEventListener("hashchange", function () {
      G.maps.forEach(function (m) { m.opened = null; });
      G.route();
    });
  }

  function copy(text, done) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
    } else {
      done(false);
    }
  }

  G.links = function (ctx) {
    var D = ctx.D, byId = new Map(), el = G.el;
    D.id.forEach(function (id, i) { if (id != null && !byId.has(id)) byId.set(id, i); });
    var notice = el("div", "geomap-notice geomap-box");
    notice.setAttribute("role", "status");
    notice.hidden = true;
    var text = notice.appendChild(el("span"));
    var close = notice.appendChild(G.button("gn-close", "\u00d7"));
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", function () { notice.hidden = true; });
    ctx.container.appendChild(notice);
    L.DomEvent.disableClickPropagation(notice);

    var entry = {
      has: function (id) { return byId.has(id); },
      opened: null,
      route: function (id, found, complete) {
        notice.hidden = true;
        if (id === null) return;
        if (byId.has(id)) {
          if (entry.opened !== id) { entry.opened = id; ctx.openIncident(byId.get(id)); }
        } else if (!found && complete) {
          text.textContent = "No incident \u201c" + (id.length > 60 ? id.slice(0, 60) + "\u2026" : id) +
            "\u201d on this map (from the address #incident=).";
          notice.hidden = false;
        }
      }
    };
    G.maps.push(entry);

    // the popups' "link" control: copy this page's address with #incident=ID (on capture: Leaflet stops clicks
    // inside a popup from reaching the map)
    ctx.container.addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest("a[data-geomap='link']");
      if (!a) return;
      L.DomEvent.stop(e);  // the control may be replaced: the map must not take the click for its own
      var url = window.location.href.split("#")[0] + a.getAttribute("href");
      copy(url, function (ok) {
        if (ok) { a.textContent = "link copied"; return; }
        // no clipboard (an old browser, a denied permission): the address, selected, to copy by hand
        var field = el("input", "gp-url");
        field.value = url;
        field.readOnly = true;
        a.replaceWith(field);
        field.select();
      });
    }, true);
    return entry;
  };
})(window.geomapPage = window.geomapPage || {});
