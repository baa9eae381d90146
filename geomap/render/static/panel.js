// The panel (top right): a place for the search box and downloads, toggles by event type and by actor, the
// layers (uncertainty, heatmap) and the legend.
(function (G) {
  "use strict";

  G.panel = function (ctx) {
    var D = ctx.D, el = G.el, panel = el("div", "geomap-panel geomap-box leaflet-control");
    var top = panel.appendChild(el("div", "gp-tools"));

    function section(name, withAll) {
      var d = el("details"), s = el("summary", null, name);
      d.open = true;
      d.appendChild(s);
      panel.appendChild(d);
      if (withAll) {
        var none = s.appendChild(G.button(null, "none")), all = s.appendChild(G.button(null, "all"));
        all.onclick = function (e) { e.preventDefault(); withAll(true); };
        none.onclick = function (e) { e.preventDefault(); withAll(false); };
      }
      return d;
    }
    function toggle(box, name, count, iconHtml, checked, onChange, data) {
      var row = el("label"), input = el("input");
      input.type = "checkbox";
      input.checked = checked;
      Object.keys(data || {}).forEach(function (k) { input.dataset[k] = data[k]; });
      row.appendChild(input);
      if (iconHtml != null) { var ic = row.appendChild(el("span", "gp-icon")); ic.innerHTML = iconHtml; }
      row.appendChild(el("span", "gp-name", name)).title = name;
      if (count != null) row.appendChild(el("span", "gp-n", G.fmt(count)));
      input.addEventListener("change", function () { onChange(input.checked); });
      box.appendChild(row);
      return input;
    }
    function group(title, list, state, kind, icon) {
      var inputs = [];
      var box = section(title, function (on) {
        inputs.forEach(function (input, k) { input.checked = on; state[k] = on; });
        ctx.refresh();
      });
      list.forEach(function (item, k) {
        inputs.push(toggle(box, item[0], item[kind === "type" ? 3 : 1], icon ? icon(item) : null, true,
          function (on) { state[k] = on; ctx.refresh(); }, {geomapKind: kind, geomapIndex: String(k)}));
      });
    }
    if (ctx.N) {
      group("Event type", D.types, ctx.typeOn, "type", function (t) { return G.svg(t[2], t[1], 14, 0); });
      group("Actor", D.groups, ctx.groupOn, "actor", null);
    }

    var layers = section("Layers");
    layers.classList.add("gp-layers");
    toggle(layers, "Location uncertainty", null, null, true, function (on) {
      ctx.uncOn = on;
      ctx.drawUncertainty();
    }, {geomapKind: "uncertainty"});
    if (ctx.heat) toggle(layers, "Heatmap", null, null, false, function (on) {
      ctx.heatOn = on;
      if (on) { ctx.heat.addTo(ctx.map); ctx.drawHeat(); } else ctx.heat.remove();
    }, {geomapKind: "heatmap"});

    var legend = section("Legend"), cfg = ctx.cfg;
    var sizes = legend.appendChild(el("div", "gp-sizes"));
    [0, 10, 100, 1000].forEach(function (k) {
      var d = sizes.appendChild(el("div"));
      d.innerHTML = G.svg("circle", "#888", G.sizeFor(k), 0);
      d.appendChild(el("span", null, k === 1000 ? "1000+" : String(k)));
    });
    legend.appendChild(el("div", "gp-note", "Marker size: people killed. Shape and colour: event type."));
    var dash = legend.appendChild(el("div", "gp-note"));
    dash.innerHTML = G.svg("circle", "#888", 14, 1) + " ";
    dash.appendChild(document.createTextNode("Dashed outline and circle: approximate location (about " +
      cfg.radius["2"] / 1000 + " km near a named place, " + cfg.radius["3"] / 1000 + " km when only the region" +
      " is known)."));
    legend.appendChild(el("div", "gp-note", "Numbers: clusters of incidents, ringed by event type. " +
      "Click a marker for its reports."));

    var Panel = L.Control.extend({options: {position: "topright"}, onAdd: function () { return panel; }});
    new Panel().addTo(ctx.map);
    L.DomEvent.disableClickPropagation(panel);
    L.DomEvent.disableScrollPropagation(panel);
    panel.style.maxHeight = Math.max(160, ctx.container.clientHeight - 70) + "px";
    return {element: panel, tools: top};
  };
})(window.geomapPage = window.geomapPage || {});
