"""The page: a folium map whose incidents, controls and (offline) basemap are drawn in the browser by the
scripts in ``static/`` from the payloads of :mod:`~geomap.render.payload` and :mod:`~geomap.render.basemap`.

The page's own scripts and stylesheet are inlined (they are small and never fetched); Leaflet and its plugins
are linked on the CDN or, with ``offline=True``, inlined too (see :mod:`geomap.assets`). The same frame gives
byte-identical HTML.
"""

from __future__ import annotations

import hashlib
import html
import itertools
from functools import cache
from importlib import resources
from pathlib import Path
from typing import ClassVar

import folium
import geopandas as gpd
from branca.element import Element, MacroElement
from jinja2 import Template

from geomap import assets
from geomap.atomic import atomic_write, text_writer
from geomap.config import Settings
from geomap.render import basemap, payload

FAST_ABOVE = 3_000  # incidents: clustered on a grid over the view, uncertainty circles around single markers
EMBED_HEIGHT = "600px"
# The page's scripts, in the order they are inlined: helpers first, the map that uses them last.
SCRIPTS = (
    "util.js",
    "basemap.js",
    "markers.js",
    "panel.js",
    "timeline.js",
    "search.js",
    "downloads.js",
    "feed.js",
    "links.js",
    "map.js",
)
STYLESHEET = "geomap.css"


@cache
def static(name: str) -> str:
    """One of the page's own files (package data in ``geomap/render/static``)."""
    text = resources.files("geomap.render").joinpath("static", name).read_text(encoding="utf-8")
    if "</script" in text.lower() or "</style" in text.lower():
        raise ValueError(f"static/{name} would close its element early")
    return text


def script() -> str:
    return "\n".join(f"/* geomap {name} */\n{static(name)}" for name in SCRIPTS)


# Maps embedded in one report page each carry Leaflet: the first copy is kept for every map and plugin (objects of
# two copies cannot be mixed, and a map drawn after its payloads decode would otherwise meet the later copy).
ONE_LEAFLET = "<script>if (window.geomapLeaflet) L = window.geomapLeaflet; else window.geomapLeaflet = L;</script>"

MAP_TEMPLATE = Template("""
{% macro header(this, kwargs) %}
{%- if not kwargs.get("embed") %}
<meta name="viewport" content="width=device-width, initial-scale=1.0"/>
<style>html, body {width: 100%; height: 100%; margin: 0; padding: 0;}</style>
{%- endif %}
<style>#{{ this.get_name() }} {position: absolute; top: 0; bottom: 0; left: 0; right: 0;}</style>
{% endmacro %}
{% macro html(this, kwargs) %}
<div class="folium-map geomap-map" id="{{ this.get_name() }}"></div>
{% endmacro %}
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.map({{ this.get_name()|tojson }}, {{ this.leaflet_options|tojson }});
L.control.scale({position: "bottomleft"}).addTo({{ this.get_name() }});
{% endmacro %}
""")


class Raw(Element):
    """Text put in the page as it is: not compiled as a Jinja template (Leaflet inlined is ~150 KB of script)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class IncidentMap(folium.Map):
    """A :class:`folium.Map` whose Leaflet files are pinned (linked, or inlined when ``offline``) and
    whose page carries no jQuery, Bootstrap or Font Awesome (nothing in it needs them)."""

    default_js: ClassVar[list] = []
    default_css: ClassVar[list] = []
    _template = MAP_TEMPLATE

    def __init__(self, *, offline: bool, heatmap: bool, fast: bool, tiles: str | None, max_zoom: int = 18):
        super().__init__(location=[20, 20], zoom_start=2, tiles=tiles, max_zoom=max_zoom, control_scale=True)
        self.offline = offline
        self.leaflet_options = {"center": [20, 20], "zoom": 2, "minZoom": 1, "maxZoom": max_zoom, "zoomSnap": 0.25}
        clustering = () if fast else assets.MARKERCLUSTER  # large sets: the page's own grid (markers.js)
        self.assets = [*assets.LEAFLET, *clustering, *(assets.HEAT if heatmap else ())]

    def render(self, **kwargs):
        figure = self.get_root()
        for asset in self.assets:
            figure.header.add_child(Raw(assets.tag(asset, offline=self.offline)), name=asset.key)
            if asset.key == "leaflet_js":
                figure.header.add_child(Raw(ONE_LEAFLET), name="leaflet_once")
        super().render(**kwargs)


LAYER_TEMPLATE = Template("""
{% macro header(this, kwargs) %}<style>{{ this.css }}</style>
<script>{{ this.js }}</script>{% endmacro %}
{% macro html(this, kwargs) %}
{%- for key, kind, body in this.payloads %}
<script type="{{ 'application/json' if kind == 'json' else 'application/x-geomap-deflate-base64' }}" \
id="{{ this.get_name() }}-{{ key }}">{{ body }}</script>
{%- endfor %}
{% endmacro %}
{% macro script(this, kwargs) %}
geomapPage.draw({{ this._parent.get_name() }}, {{ this.config() }});
{% endmacro %}
""")


class IncidentLayer(MacroElement):
    """The incidents, their controls (filters, search, downloads, feed, legend, time slider, title) and,
    offline, the basemap."""

    _template = LAYER_TEMPLATE

    def __init__(self, data: dict, *, title: str, bounds, heatmap: bool, base: dict | None):
        super().__init__()
        self._name = "Incidents"
        self.payloads = [("data", *payload.encode(data))]
        if base is not None:
            self.payloads.append(("base", *payload.encode(base)))
        self.title = title
        self.bounds = bounds
        self.heatmap = heatmap
        self.fast = data["n"] > FAST_ABOVE
        self.css = static(STYLESHEET)
        self.js = script()

    def render(self, **kwargs) -> None:
        """Each part of the page as text: branca's ``MacroElement`` would compile what its macros render as a
        Jinja template, which evaluates any ``{{ }}`` in article text and costs a second on a large payload."""
        figure = self.get_root()
        module = self._template.module
        for name, part in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            part.add_child(Raw(getattr(module, name)(self, kwargs)), name=self.get_name())

    def config(self) -> str:
        kinds = {key: kind for key, kind, _ in self.payloads}
        return payload.script_json(
            {
                "data": f"{self.get_name()}-data",
                "dataKind": kinds["data"],
                "base": f"{self.get_name()}-base" if "base" in kinds else None,
                "baseKind": kinds.get("base"),
                "title": self.title,
                "bounds": self.bounds,
                "heatmap": self.heatmap,
                "fast": self.fast,
                "radius": {str(k): v for k, v in payload.UNCERTAINTY_M.items()},
                "precision": {str(k): v for k, v in payload.PRECISION.items()},
            }
        )


def _stabilize(m: folium.Map) -> None:
    """Element ids from the content and a counter instead of random uuids: the same frame, the same bytes."""
    root = m.get_root()
    layer = next((c for c in m._children.values() if isinstance(c, IncidentLayer)), None)
    seed = hashlib.sha1(repr(layer.payloads if layer else "").encode()).hexdigest()[:8]
    counter = itertools.count()

    def walk(element) -> None:
        element._id = f"{seed}_{next(counter)}"
        for child in list(element._children.values()):
            walk(child)

    walk(root)


def incident_map(
    frame: gpd.GeoDataFrame,
    *,
    title: str | None = None,
    heatmap: bool = False,
    offline: bool = False,
    tiles: str | None = "OpenStreetMap",
    gazetteer: str | Path | None = None,
) -> folium.Map:
    """A folium map of an incidents frame: clustered markers coloured and shaped by event type and sized
    by people killed, a popup per incident (with a link to it), circles of uncertainty (geo_precision 2 and 3),
    toggles by event type and by actor, a search box, downloads of what is shown, a feed of the incidents in
    view, a legend, a time slider that plays, an optional heatmap, a title; fitted to the incidents.

    ``offline=True`` embeds Leaflet and a Natural Earth basemap with region outlines and the names of cities
    from the ``gazetteer`` (default: the configured one) instead of tiles: no network at all; raises
    :class:`geomap.assets.AssetsMissing` until ``geomap gazetteer build`` cached the packages."""
    if offline:
        assets.require()
    frame = payload.points(frame)
    m = IncidentMap(offline=offline, heatmap=heatmap, fast=len(frame) > FAST_ABOVE, tiles=None if offline else tiles)
    bounds = None
    if len(frame):
        west, south, east, north = (round(float(v), 5) for v in frame.total_bounds)
        bounds = [[south, west], [north, east]]
    text = title or payload.title_for(frame)
    m.get_root().title = html.escape(text)
    base = None
    if offline:
        codes = set(frame["country"].dropna().astype(str)) if "country" in frame else set()
        base = basemap.build(codes, bounds, gazetteer or Settings().gazetteer)
    IncidentLayer(payload.build(frame), title=text, bounds=bounds, heatmap=heatmap, base=base).add_to(m)
    _stabilize(m)
    return m


def to_html(m: folium.Map, *, embed: bool = False, height: str = EMBED_HEIGHT) -> str:
    """The page, or with ``embed`` a ``<div>`` fragment (assets, map, script) to paste into a report page."""
    _stabilize(m)
    root = m.get_root()
    if not embed:
        return root.render()
    root.render(embed=True)
    head = "\n".join(c.render() for name, c in root.header._children.items() if name != "meta_http")
    return (
        f'<div class="geomap-embed" style="position:relative;width:100%;height:{html.escape(height)}">\n'
        f"{head}\n{root.html.render()}\n<script>\n{root.script.render()}\n</script>\n</div>\n"
    )


def save(m: folium.Map, path: str | Path, *, embed: bool = False) -> Path:
    """Write the map's page (or its embeddable fragment) atomically."""
    text = to_html(m, embed=embed)
    return atomic_write(Path(path), text_writer(text))
