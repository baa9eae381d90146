"""The map: incidents drawn with folium and Leaflet, clustered, coloured and shaped by event type,
sized by fatalities, filtered by event type, actor and date in the page.

The incidents travel in the page as one compact columnar JSON payload (deflate-compressed and base64 when
large) and the browser makes the markers, popups and filters from it: the FastMarkerCluster technique, for
every size, so a map of 20 and of 100,000 incidents behave alike and show the same popups. Every text comes
from untrusted articles: the payload is JSON with ``<``, ``>`` and ``&`` escaped, the page builds its popups
with HTML escaping and its other texts with ``textContent``, and only http(s) urls become links.

``incident_map(frame)`` returns a :class:`folium.Map` (it shows in notebooks); :func:`save` writes a page
or, with ``embed=True``, a fragment to paste into a report; :func:`to_png` renders it in headless Chromium.
With ``offline=True`` the page embeds Leaflet, its plugins (see :mod:`geomap.assets`) and a Natural Earth
country basemap, and opens with no network request at all. The same frame gives byte-identical HTML.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import html
import itertools
import json
import math
import os
import shutil
import tempfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from geomap import assets
from geomap.frame import atomic_write, iso_day, text_writer

COLOURS = {
    "air strike": "#d62728",
    "missile strike": "#9467bd",
    "drone attack": "#ff7f0e",
    "artillery": "#8c564b",
    "shootdown": "#1f77b4",
    "chemical attack": "#2ca02c",
    "armed clash": "#e377c2",
}
OTHER_COLOUR = "#7f7f7f"
SHAPES = {
    "air strike": "triangle-down",
    "missile strike": "diamond",
    "drone attack": "cross",
    "artillery": "square",
    "shootdown": "star",
    "chemical attack": "hexagon",
    "armed clash": "triangle-up",
}
OTHER_SHAPE = "circle"
PRECISION = {1: "the place itself", 2: "near or part of the place", 3: "only the region is known"}
UNCERTAINTY_M = {2: 10_000, 3: 50_000}  # radius of the circle drawn around less precise points
FAST_ABOVE = 3_000  # incidents: chunked clustering, lazy uncertainty circles
COMPRESS_ABOVE = 256 * 1024  # characters of JSON: deflate + base64 above
MAX_ACTOR_TOGGLES = 12  # the most frequent actors get a toggle each; the others share one
EMBED_HEIGHT = "600px"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _json(value) -> str:
    """JSON safe inside a ``<script>`` element: ``<``, ``>``, ``&`` and line separators escaped."""
    return _dumps(value).translate(_SCRIPT_SAFE)


def _encode(value) -> tuple[str, str]:
    """(kind, body) of a payload element: small ones as script-safe JSON, large ones deflated and base64
    (an alphabet that cannot close a script element)."""
    text = _dumps(value)
    if len(text) <= COMPRESS_ABOVE:
        return "json", text.translate(_SCRIPT_SAFE)
    return "deflate", base64.b64encode(zlib.compress(text.encode("utf-8"), 4)).decode("ascii")


def _column(frame: pd.DataFrame, name: str) -> list:
    """The column as Python values, None for missing ones (None, NaN, pandas NA)."""
    if name not in frame:
        return [None] * len(frame)
    column = frame[name]
    return column.astype(object).where(column.notna(), None).tolist()


def _ints(frame: pd.DataFrame, name: str) -> list:
    """Whole numbers, None for missing or unreadable ones."""
    if name not in frame:
        return [None] * len(frame)
    values = pd.to_numeric(frame[name], errors="coerce").astype("float64")
    return [None if math.isnan(v) else int(v) for v in values.tolist()]


def _text(frame: pd.DataFrame, name: str) -> list:
    return [None if v is None or v == "" else str(v) for v in _column(frame, name)]


def _items(value) -> list:
    """A list cell (list, tuple, numpy array, or a JSON list read back from CSV) as a list."""
    if value is None:
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    if not isinstance(value, list | tuple | np.ndarray):
        return []
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in value]


def _codes(values: list) -> tuple[list[int], list]:
    """Each value's index into the sorted distinct values (similar texts side by side compress better);
    -1 for None."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), sort=True, use_na_sentinel=True)
    return codes.tolist(), list(uniques)


def _points(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rows with a usable location, in EPSG:4326, as points."""
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if len(frame) and not (frame.geom_type == "Point").all():
        frame = frame.set_geometry(frame.geometry.representative_point())
    return frame


def _data(frame: gpd.GeoDataFrame) -> dict:
    """The columnar payload the page draws: one array per field, strings in lookup tables."""
    n = len(frame)
    types = [t or "other" for t in _text(frame, "event_type")]
    type_order = [t for t in COLOURS if t in set(types)] + sorted(set(types) - set(COLOURS))
    type_code = {t: i for i, t in enumerate(type_order)}

    actors = _text(frame, "actor")
    # toggles group the sides ("coalition jets" and "US-led coalition" are one); popups keep the words used
    sides = (
        [s or a for s, a in zip(_text(frame, "actor_side"), actors, strict=True)] if "actor_side" in frame else actors
    )
    counts = pd.Series([a for a in sides if a]).value_counts(sort=False)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    named = [a for a, _ in ranked[:MAX_ACTOR_TOGGLES]]
    groups = [[a, int(c)] for a, c in ranked[:MAX_ACTOR_TOGGLES]]
    other = sum(int(c) for _, c in ranked[MAX_ACTOR_TOGGLES:])
    if other:
        groups.append([f"other actors ({len(ranked) - len(named)})", other])
    unstated = sum(1 for a in sides if not a)
    if unstated:
        groups.append(["actor not stated", unstated])
    group_of = {a: i for i, a in enumerate(named)}
    other_group, unstated_group = len(named), len(named) + (1 if other else 0)

    dates = [iso_day(d) for d in _column(frame, "date")]  # anything else than a day: undated
    date_values = sorted({d for d in dates if d})
    date_code = {d: i for i, d in enumerate(date_values)}

    refs = []
    places = zip(_text(frame, "location"), _text(frame, "admin1"), _text(frame, "country"), strict=True)
    locations = [", ".join(p for p in parts if p) or None for parts in places]
    tables = {
        name: _codes(values)
        for name, values in (
            ("places", locations),
            ("targets", _text(frame, "target")),
            ("quotes", _text(frame, "quote")),
            ("dps", _text(frame, "date_precision")),
            ("actors", actors),
        )
    }
    ids, titles, urls, published = (
        frame[c].tolist() if c in frame else [None] * n for c in ("articles", "titles", "urls", "published")
    )
    index: dict = {}  # article id (or its details when it has none) -> position in ``articles``
    articles: list[list] = []
    for row_ids, row_titles, row_urls, row_pub in zip(ids, titles, urls, published, strict=True):
        if type(row_ids) is not list:  # the common case (lists) without a call per row
            row_ids, row_titles, row_urls, row_pub = (_items(v) for v in (row_ids, row_titles, row_urls, row_pub))
        row = []
        for k, aid in enumerate(row_ids):
            code = index.get(aid) if aid is not None else None
            if code is None:
                title = row_titles[k] if row_titles is not None and k < len(row_titles) else None
                url = row_urls[k] if row_urls is not None and k < len(row_urls) else None
                pub = row_pub[k] if row_pub is not None and k < len(row_pub) else None
                if not (isinstance(url, str) and url[:8].lower().startswith(("http://", "https://"))):
                    url = None  # javascript:, data: and the like are never links
                details = [None if v is None or v != v else str(v) for v in (title, url, pub, aid)]
                key = aid if aid is not None else tuple(details)
                code = index.get(key)
                if code is None:
                    code = index[key] = len(articles)
                    articles.append(details)
            row.append(code)
        refs.append(row)
    by_title = sorted(range(len(articles)), key=lambda k: [v or "" for v in articles[k]])
    position = {old: new for new, old in enumerate(by_title)}
    articles = [articles[k] for k in by_title]
    refs = [[position[k] for k in row] for row in refs]

    geo_precision = [p if p in (1, 2, 3) else 3 for p in _ints(frame, "geo_precision")]
    return {
        "lat": frame.geometry.y.round(5).tolist(),
        "lon": frame.geometry.x.round(5).tolist(),
        "t": [type_code[t] for t in types],
        "types": [[t, COLOURS.get(t, OTHER_COLOUR), SHAPES.get(t, OTHER_SHAPE), types.count(t)] for t in type_order],
        "a": [group_of.get(a, other_group) if a else unstated_group for a in sides],
        "groups": groups,
        "ac": tables["actors"][0],
        "actors": tables["actors"][1],
        "g": tables["targets"][0],
        "targets": tables["targets"][1],
        "p": tables["places"][0],
        "places": tables["places"][1],
        "d": [date_code[d] if d else -1 for d in dates],
        "dates": date_values,
        "dp": tables["dps"][0],
        "dps": tables["dps"][1],
        "gp": geo_precision,
        "km": _ints(frame, "killed_min"),
        "kx": _ints(frame, "killed_max"),
        "im": _ints(frame, "injured_min"),
        "ix": _ints(frame, "injured_max"),
        "q": tables["quotes"][0],
        "quotes": tables["quotes"][1],
        "h": [1 if h is True or h == 1 else 0 for h in _column(frame, "historical")],
        "id": [None if v is None else str(v) for v in _column(frame, "id")],
        "r": refs,
        "arts": articles,
        "n": n,
    }


@lru_cache(maxsize=2)
def basemap(resolution: str = "50m") -> dict:
    """Natural Earth countries (the cached npm package ``world-atlas``), simplified to ~1 km and rounded,
    and a label point per country with the zoom from which it is shown."""
    from gazetteer.sources import npm

    path = npm.tarball("world-atlas")
    if path is None:
        assets.require()
    countries = gpd.read_file(npm.vsi_path(path, f"package/countries-{resolution}.json"), layer="countries")
    countries = countries[countries.geometry.notna()].sort_values("name", kind="stable")
    features, labels = [], []

    def planar(ring) -> list | None:
        """The ring's coordinates, unwrapped where it crosses the antimeridian (Russia, Fiji: drawn past
        180°); None for rings around a pole, which a flat map cannot fill."""
        xy = np.asarray(ring.coords)
        jumps = int((np.abs(np.diff(xy[:, 0])) > 180).sum())
        if jumps % 2:
            return None
        if jumps:
            xy[:, 0] = np.unwrap(xy[:, 0], period=360)
        return np.round(xy, 2).tolist()

    for name, geom in zip(countries["name"], countries.geometry.simplify(0.01), strict=True):
        polygons = [p for p in getattr(geom, "geoms", [geom]) if not p.is_empty]
        coords = []
        for p in polygons:
            rings = [planar(p.exterior), *(planar(r) for r in p.interiors)]
            if rings[0] is not None:
                coords.append([r for r in rings if r is not None])
        geometry = {"type": "MultiPolygon", "coordinates": coords}
        features.append({"type": "Feature", "properties": {}, "geometry": geometry})
        largest = max(polygons, key=lambda p: p.area)
        if largest.area < 0.05:
            continue
        point = largest.representative_point()
        area = largest.area
        zoom = 3 if area > 200 else 4 if area > 30 else 5 if area > 3 else 6
        labels.append([name, round(point.y, 2), round(point.x, 2), zoom])
    return {"countries": {"type": "FeatureCollection", "features": features}, "labels": labels}


def title_for(frame: gpd.GeoDataFrame) -> str:
    dated = [d for d in map(iso_day, _column(frame, "date")) if d]
    span = f"{min(dated)} to {max(dated)}" if dated else "dates unknown"
    killed = sum(v or 0 for v in _ints(frame, "killed_min"))
    return f"{len(frame):,} incident{'s' if len(frame) != 1 else ''}, {span}, at least {killed:,} killed"


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
        clustering = assets.SUPERCLUSTER if fast else assets.MARKERCLUSTER
        self.assets = [*assets.LEAFLET, *clustering, *(assets.HEAT if heatmap else ())]

    def render(self, **kwargs):
        figure = self.get_root()
        for asset in self.assets:
            figure.header.add_child(Element(assets.tag(asset, offline=self.offline)), name=asset.key)
        super().render(**kwargs)


LAYER_TEMPLATE = Template("""
{% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}
{% macro html(this, kwargs) %}
{%- for key, kind, body in this.payloads %}
<script type="{{ 'application/json' if kind == 'json' else 'application/x-geomap-deflate-base64' }}" \
id="{{ this.get_name() }}-{{ key }}">{{ body }}</script>
{%- endfor %}
{% endmacro %}
{% macro script(this, kwargs) %}
({{ this.js }})({{ this._parent.get_name() }}, {{ this.config() }});
{% endmacro %}
""")


class IncidentLayer(MacroElement):
    """The incidents, their controls (filters, legend, time slider, title) and, offline, the basemap."""

    _template = LAYER_TEMPLATE

    def __init__(self, data: dict, *, title: str, bounds, heatmap: bool, base: dict | None):
        super().__init__()
        self._name = "Incidents"
        self.payloads = [("data", *_encode(data))]
        if base is not None:
            self.payloads.append(("base", *_encode(base)))
        self.title = title
        self.bounds = bounds
        self.heatmap = heatmap
        self.fast = data["n"] > FAST_ABOVE
        self.css = CSS
        self.js = SCRIPT

    def config(self) -> str:
        kinds = {key: kind for key, kind, _ in self.payloads}
        return _json(
            {
                "data": f"{self.get_name()}-data",
                "dataKind": kinds["data"],
                "base": f"{self.get_name()}-base" if "base" in kinds else None,
                "baseKind": kinds.get("base"),
                "title": self.title,
                "bounds": self.bounds,
                "heatmap": self.heatmap,
                "fast": self.fast,
                "radius": {str(k): v for k, v in UNCERTAINTY_M.items()},
                "precision": {str(k): v for k, v in PRECISION.items()},
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
) -> folium.Map:
    """A folium map of an incidents frame: clustered markers coloured and shaped by event type and sized
    by people killed, a popup per incident, circles of uncertainty (geo_precision 2 and 3), toggles by event
    type and by actor, a legend, a time slider, an optional heatmap, a title; fitted to the incidents.

    ``offline=True`` embeds Leaflet and a Natural Earth basemap instead of tiles (no network at all; raises
    :class:`geomap.assets.AssetsMissing` until ``geomap gazetteer build`` cached them)."""
    if offline:
        assets.require()
    frame = _points(frame)
    m = IncidentMap(offline=offline, heatmap=heatmap, fast=len(frame) > FAST_ABOVE, tiles=None if offline else tiles)
    bounds = None
    if len(frame):
        west, south, east, north = (round(float(v), 5) for v in frame.total_bounds)
        bounds = [[south, west], [north, east]]
    text = title or title_for(frame)
    m.get_root().title = html.escape(text)
    IncidentLayer(_data(frame), title=text, bounds=bounds, heatmap=heatmap, base=basemap() if offline else None).add_to(
        m
    )
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


class PngError(RuntimeError):
    """The PNG could not be rendered (no Chromium, no playwright, or the map did not draw)."""


def chromium_path() -> str | None:
    """``$GEOMAP_CHROMIUM``, else Debian's ``/usr/bin/chromium``, else a Chromium or Chrome on the PATH."""
    if env := os.environ.get("GEOMAP_CHROMIUM"):
        return env
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return next((p for n in ("chromium", "chromium-browser", "google-chrome") if (p := shutil.which(n))), None)


READY = "() => { const el = document.querySelector('.geomap-map'); return el && el.dataset.geomapReady; }"


def _screenshot(page_path: Path, *, offline: bool, width: int, height: int, scale: float, timeout: float) -> bytes:
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise PngError("--png needs the playwright package: pip install playwright") from None
    exe = chromium_path()
    if exe is None:
        raise PngError("--png needs Chromium: apt-get install chromium (or set GEOMAP_CHROMIUM)")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=scale)
                problems: list[str] = []
                page.on("pageerror", lambda exc: problems.append(str(exc)))
                page.goto(page_path.as_uri(), wait_until="load", timeout=timeout * 1000)
                if page.evaluate("typeof L === 'undefined'"):
                    raise PngError("Leaflet did not load from its CDN (no network?): draw the map with --offline")
                page.wait_for_function(f"() => ({READY})() && ({READY})() !== '0'", timeout=timeout * 1000)
                if page.evaluate(READY) != "1":
                    raise PngError(f"the map could not be drawn: {'; '.join(problems) or 'see the browser console'}")
                if not offline:
                    with contextlib.suppress(PlaywrightError):  # tiles still loading: take what is there
                        page.wait_for_load_state("networkidle", timeout=15_000)
                page.evaluate("document.querySelector('.geomap-map').classList.add('geomap-static')")
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                return page.screenshot(type="png")
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise PngError(f"Chromium could not render the map: {str(exc).splitlines()[0]}") from None


def to_png(
    m: folium.Map,
    path: str | Path,
    *,
    width: int = 1600,
    height: int = 1000,
    scale: float = 1.0,
    timeout: float = 120.0,
) -> Path:
    """Render the map in headless Chromium (via playwright) and write a PNG of ``width`` x ``height`` CSS
    pixels times ``scale``, for PDFs and slides; the filter controls are hidden, the legend kept."""
    offline = bool(getattr(m, "offline", False))
    with tempfile.TemporaryDirectory(prefix="geomap-png-") as folder:
        page_path = Path(folder) / "map.html"
        page_path.write_text(to_html(m), encoding="utf-8")
        args = {"offline": offline, "width": width, "height": height, "scale": scale, "timeout": timeout}
        try:
            asyncio.get_running_loop()
            running = True
        except RuntimeError:
            running = False
        if running:  # playwright's sync API refuses to run inside an event loop (notebooks)
            with ThreadPoolExecutor(1) as pool:
                png = pool.submit(_screenshot, page_path, **args).result()
        else:
            png = _screenshot(page_path, **args)
    return atomic_write(Path(path), lambda tmp: tmp.write_bytes(png))


CSS = """
.geomap-map {font: 12px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;}
.geomap-map.geomap-offline {background: #cddfe9;}
.geomap-marker {background: none; border: none;}
.geomap-marker svg {display: block; overflow: visible; filter: drop-shadow(0 1px 1.5px rgba(0,0,0,.45));}
.geomap-cluster {background: none;}
.geomap-cluster > div {width: 100%; height: 100%; border-radius: 50%; box-sizing: border-box; padding: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,.45);}
.geomap-cluster > div > span {display: flex; align-items: center; justify-content: center; width: 100%;
  height: 100%; border-radius: 50%; background: rgba(255,255,255,.94); color: #222; font-weight: 700;
  font-size: 12px; line-height: 1;}
.geomap-box {background: rgba(255,255,255,.95); border-radius: 6px; box-shadow: 0 1px 5px rgba(0,0,0,.35);
  color: #222;}
.geomap-title {position: absolute; top: 10px; left: 50%; transform: translateX(-50%); z-index: 1000;
  padding: 6px 14px; text-align: center; max-width: 60%; pointer-events: auto;}
.geomap-title .gt-main {font-size: 15px; font-weight: 650;}
.geomap-title .gt-sub {font-size: 12px; color: #555; margin-top: 1px;}
.geomap-panel {padding: 8px 10px; width: 230px; overflow-y: auto;}
.geomap-panel details {margin: 0 0 6px;}
.geomap-panel summary {font-weight: 650; cursor: pointer; margin-bottom: 3px;}
.geomap-panel summary button {float: right; font: inherit; font-size: 11px; color: #0a58ca; background: none;
  border: none; padding: 0 0 0 6px; cursor: pointer;}
.geomap-panel label {display: flex; align-items: center; gap: 5px; cursor: pointer; padding: 1px 0;}
.geomap-panel label input {margin: 0;}
.geomap-panel .gp-name {flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;}
.geomap-panel .gp-n {color: #666; font-variant-numeric: tabular-nums;}
.geomap-panel .gp-icon {display: inline-flex; width: 18px; justify-content: center;}
.geomap-panel .gp-note {color: #555; font-size: 11px; margin-top: 4px;}
.geomap-panel .gp-sizes {display: flex; align-items: flex-end; gap: 10px; margin: 4px 0 2px;}
.geomap-panel .gp-sizes div {display: flex; flex-direction: column; align-items: center; font-size: 11px;
  color: #555;}
.geomap-time {position: absolute; bottom: 24px; left: 50%; transform: translateX(-50%); z-index: 1000;
  width: min(560px, 58%); padding: 6px 14px 6px;}
.geomap-time .gt-head {display: flex; align-items: baseline; gap: 8px;}
.geomap-time .gt-head b {font-weight: 650;}
.geomap-time .gt-range {flex: 1; font-variant-numeric: tabular-nums;}
.geomap-time .gt-undated {display: flex; align-items: center; gap: 4px; cursor: pointer; color: #555;}
.geomap-time .gt-track {position: relative; height: 40px; margin-top: 2px;}
.geomap-time svg {position: absolute; left: 0; right: 0; top: 0; width: 100%; height: 26px;}
.geomap-time svg rect {fill: #c9c9c9;}
.geomap-time svg rect.on {fill: #4a6fa5;}
.geomap-time input[type=range] {position: absolute; left: -2px; right: -2px; width: calc(100% + 4px); bottom: 0;
  margin: 0; height: 16px; background: none; pointer-events: none; -webkit-appearance: none; appearance: none;}
.geomap-time input[type=range]::-webkit-slider-runnable-track {height: 4px; background: transparent;}
.geomap-time .gt-rail {position: absolute; left: 0; right: 0; bottom: 6px; height: 4px; background: #ddd;
  border-radius: 2px;}
.geomap-time .gt-sel {position: absolute; bottom: 6px; height: 4px; background: #4a6fa5; border-radius: 2px;}
.geomap-time input[type=range]::-webkit-slider-thumb {-webkit-appearance: none; pointer-events: auto;
  width: 14px; height: 14px; margin-top: -5px; border-radius: 50%; background: #fff; border: 2px solid #4a6fa5;
  cursor: pointer; box-shadow: 0 1px 2px rgba(0,0,0,.3);}
.geomap-time input[type=range]::-moz-range-thumb {pointer-events: auto; width: 12px; height: 12px;
  border-radius: 50%; background: #fff; border: 2px solid #4a6fa5; cursor: pointer;}
.geomap-time input[type=range]:focus-visible::-webkit-slider-thumb {outline: 2px solid #f0a000;}
.geomap-time .gt-ends {display: flex; justify-content: space-between; color: #666; font-size: 11px;}
.geomap-country {background: none; border: none;}
.geomap-country span {position: absolute; transform: translate(-50%, -50%); white-space: nowrap;
  font-size: 11px; letter-spacing: .04em; color: #6d6658; text-transform: uppercase;
  text-shadow: 0 0 2px #f7f5f0, 0 0 2px #f7f5f0;}
.geomap-popup {font-size: 12.5px; line-height: 1.4;}
.geomap-popup .gp-head {font-size: 14px; font-weight: 650; display: flex; align-items: center; gap: 6px;
  margin-bottom: 4px;}
.geomap-popup table {border-collapse: collapse; margin-bottom: 4px;}
.geomap-popup th {text-align: left; vertical-align: top; padding: 1px 8px 1px 0; color: #555; font-weight: 600;}
.geomap-popup td {padding: 1px 0;}
.geomap-popup blockquote {margin: 4px 0 6px; padding: 2px 0 2px 8px; border-left: 3px solid #ccc;
  font-style: italic; color: #333;}
.geomap-popup ol {margin: 2px 0 0; padding-left: 18px;}
.geomap-popup .gp-muted {color: #666;}
.geomap-popup .gp-id {color: #888; font-size: 11px; margin-top: 4px;}
.geomap-static .leaflet-control-zoom, .geomap-static .geomap-panel input, .geomap-static .geomap-panel button,
.geomap-static .geomap-time input, .geomap-static .gt-undated input, .geomap-static .gp-layers {display: none;}
@media (max-width: 700px) {
  .geomap-panel {width: 180px;} .geomap-title {max-width: 90%;} .geomap-time {width: 90%;}
}
"""

SCRIPT = r"""function (map, cfg) {
  "use strict";
  var container = map.getContainer();
  container.dataset.geomapReady = "0";
  var ESC = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) { return ESC[c]; }); }
  function safeUrl(u) { return typeof u === "string" && /^https?:\/\//i.test(u) ? u : null; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function payload(id, kind) {
    var node = id && document.getElementById(id);
    if (!node) return Promise.resolve(null);
    var body = node.textContent;
    if (kind === "json") return Promise.resolve(JSON.parse(body));
    var bin = atob(body), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).text().then(JSON.parse);
  }
  var SHAPES = {
    "circle": "M2,12a10,10 0 1,0 20,0a10,10 0 1,0 -20,0Z",
    "triangle-down": "M2,3.5H22L12,21.5Z",
    "triangle-up": "M12,2.5L22,20.5H2Z",
    "diamond": "M12,1L23,12L12,23L1,12Z",
    "square": "M3,3H21V21H3Z",
    "star": "M12,1.2l3.2,6.6l7.2,1l-5.2,5.1l1.3,7.2L12,17.7l-6.5,3.4l1.3,-7.2L1.6,8.8l7.2,-1Z",
    "hexagon": "M12,1.5L21.5,7V17L12,22.5L2.5,17V7Z",
    "cross": "M5.5,2L12,8.5L18.5,2L22,5.5L15.5,12L22,18.5L18.5,22L12,15.5L5.5,22L2,18.5L8.5,12L2,5.5Z"
  };
  function svg(shape, colour, size, dashed) {
    return '<svg xmlns="http://www.w3.org/2000/svg" width="' + size + '" height="' + size +
      '" viewBox="0 0 24 24"><path d="' + (SHAPES[shape] || SHAPES.circle) + '" fill="' + colour +
      '" stroke="' + (dashed ? "#262626" : "#ffffff") + '" stroke-width="' + (dashed ? 1.7 : 1.9) + '"' +
      (dashed ? ' stroke-dasharray="3 2" fill-opacity="0.8"' : "") + ' stroke-linejoin="round"/></svg>';
  }
  function sizeFor(killed) { return 2 * Math.round((16 + 8 * Math.log10(1 + (killed || 0))) / 2); }

  function drawBasemap(B) {
    container.classList.add("geomap-offline");
    map.createPane("geomapBase").style.zIndex = 150;
    var labelPane = map.createPane("geomapLabels");
    labelPane.style.zIndex = 350;
    labelPane.style.pointerEvents = "none";
    L.geoJSON(B.countries, {
      pane: "geomapBase", interactive: false,
      style: {color: "#aaa195", weight: 0.8, fillColor: "#f7f5f0", fillOpacity: 1}
    }).addTo(map);
    var labels = B.labels.map(function (l) {
      return [l[3], L.marker([l[1], l[2]], {pane: "geomapLabels", interactive: false, keyboard: false,
        icon: L.divIcon({className: "geomap-country", html: "<span>" + esc(l[0]) + "</span>", iconSize: null})})];
    });
    function showLabels() {
      var z = map.getZoom();
      labels.forEach(function (x) { if (z >= x[0]) x[1].addTo(map); else x[1].remove(); });
    }
    map.on("zoomend", showLabels);
    showLabels();
    map.attributionControl.addAttribution("Basemap: Natural Earth");
  }

  function build(D, B) {
    if (B) drawBasemap(B);
    var N = D.n, types = D.types, groups = D.groups, nd = D.dates.length;
    var DAY = 86400000, dayOf = D.dates.map(function (s) { return Math.round(Date.parse(s) / DAY); });
    var day = new Float64Array(N), killed = new Float64Array(N);
    for (var i = 0; i < N; i++) {
      day[i] = D.d[i] < 0 ? NaN : dayOf[D.d[i]];
      killed[i] = D.kx[i] != null ? D.kx[i] : (D.km[i] || 0);
    }

    var icons = {};
    function iconOf(i) {
      var t = D.t[i], s = sizeFor(killed[i]), dashed = D.gp[i] >= 2 ? 1 : 0, key = t + "," + s + "," + dashed;
      return icons[key] || (icons[key] = L.divIcon({className: "geomap-marker", iconSize: [s, s],
        html: svg(types[t][2], types[t][1], s, dashed)}));
    }
    var markers = new Array(N);
    function markerOf(i) {
      var m = markers[i];
      if (!m) {
        m = markers[i] = L.marker([D.lat[i], D.lon[i]], {icon: iconOf(i), riseOnHover: true,
          alt: types[D.t[i]][0]});
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
    function ready() {
      requestAnimationFrame(function () { container.dataset.geomapReady = "1"; });
    }

    function range(lo, hi) {
      if (lo == null) return "not reported";
      return hi == null || hi === lo ? String(lo) : lo + "-" + hi;
    }
    function popupHtml(i) {
      var t = types[D.t[i]], p = D.gp[i], refs = D.r[i];
      var arts = refs.map(function (a) {
        var A = D.arts[a], url = safeUrl(A[1]), label = esc(A[0] || A[3] || "article");
        return "<li>" + (url ? '<a href="' + esc(url) + '" target="_blank" rel="noopener noreferrer">' +
          label + "</a>" : label) + ' <span class="gp-muted">' + esc(A[2] || "date unknown") + "</span></li>";
      }).join("");
      var date = D.d[i] >= 0 ? D.dates[D.d[i]] : "unknown";
      var dp = D.dp[i] >= 0 ? D.dps[D.dp[i]] : null;
      return '<div class="geomap-popup"><div class="gp-head">' + svg(t[2], t[1], 16, 0) + "<span>" +
        esc(t[0].charAt(0).toUpperCase() + t[0].slice(1)) + "</span>" +
        (D.h[i] ? ' <span class="gp-muted">(recalled in the article)</span>' : "") + "</div><table>" +
        "<tr><th>Date</th><td>" + esc(date) + (dp ? ' <span class="gp-muted">(' + esc(dp) + ")</span>" : "") +
        "</td></tr><tr><th>Place</th><td>" + esc(D.p[i] >= 0 ? D.places[D.p[i]] : "unnamed place") +
        '<br><span class="gp-muted">precision ' + p + ": " + esc(cfg.precision[p]) + "</span></td></tr>" +
        "<tr><th>Actor</th><td>" + esc(D.ac[i] >= 0 ? D.actors[D.ac[i]] : "not stated") + "</td></tr>" +
        "<tr><th>Target</th><td>" + esc(D.g[i] >= 0 ? D.targets[D.g[i]] : "not stated") + "</td></tr>" +
        "<tr><th>Killed</th><td>" + esc(range(D.km[i], D.kx[i])) + "</td></tr>" +
        "<tr><th>Injured</th><td>" + esc(range(D.im[i], D.ix[i])) + "</td></tr></table>" +
        (D.q[i] >= 0 ? "<blockquote>" + esc(D.quotes[D.q[i]]) + "</blockquote>" : "") +
        "<b>Reported by " + refs.length + " article" + (refs.length === 1 ? "" : "s") + ":</b><ol>" + arts +
        "</ol>" + (D.id[i] ? '<div class="gp-id">incident ' + esc(D.id[i]) + "</div>" : "") + "</div>";
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
      var date = D.d[i] >= 0 ? D.dates[D.d[i]] : "date unknown";
      m.bindTooltip(esc(types[D.t[i]][0] + " \u00b7 " + (D.p[i] >= 0 ? D.places[D.p[i]] : "") + " \u00b7 " + date),
        {direction: "top", offset: [0, -m.options.icon.options.iconSize[1] / 2]}).openTooltip();
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

    // Many incidents: Supercluster indexes them in a fraction of a second; only what is in view is drawn.
    function superclusterEngine() {
      var T = types.length, group = L.featureGroup().addTo(map), index = null, MAXZ = map.getMaxZoom();
      function draw() {
        group.clearLayers();
        if (!index) return;
        var b = map.getBounds(), west = b.getWest(), east = b.getEast();
        if (east - west >= 360) { west = -180; east = 180; }
        var items = index.getClusters([Math.max(-180, west), Math.max(-90, b.getSouth()), Math.min(180, east),
          Math.min(90, b.getNorth())], Math.min(MAXZ, Math.round(map.getZoom())));
        singles = [];
        items.forEach(function (f) {
          var c = f.geometry.coordinates, p = f.properties, m;
          if (p.cluster) {
            var counts = [];
            for (var t = 0; t < T; t++) counts.push(p["t" + t] || 0);
            m = L.marker([c[1], c[0]], {icon: clusterIcon(counts, p.point_count), alt: p.point_count + " incidents"});
            m.geomapCluster = p.cluster_id;
          } else {
            m = markerOf(p.i);
            singles.push(p.i);
          }
          group.addLayer(m);
        });
        drawUncertainty();
      }
      group.on("click", function (e) {
        var m = e.layer;
        if (m.geomapCluster == null) return openPopup(m);
        var z = index.getClusterExpansionZoom(m.geomapCluster);
        if (z <= MAXZ) return map.setView(m.getLatLng(), z);
        var leaves = index.getLeaves(m.geomapCluster, 200), list = el("div", "geomap-popup geomap-list");
        list.appendChild(el("b", null, leaves.length + " incidents at this spot:"));
        var ol = list.appendChild(el("ol"));
        leaves.forEach(function (f) {
          var i = f.properties.i, a = ol.appendChild(el("li")).appendChild(el("a", null,
            types[D.t[i]][0] + " \u00b7 " + (D.d[i] >= 0 ? D.dates[D.d[i]] : "date unknown")));
          a.href = "#";
          a.onclick = function (ev) { ev.preventDefault(); openPopup(markerOf(i)); };
        });
        L.popup({maxWidth: 320}).setLatLng(m.getLatLng()).setContent(list).openOn(map);
      });
      group.on("mouseover", function (e) { tip(e.layer); });
      map.on("moveend", draw);
      return function (next) {
        index = new Supercluster({radius: 50, extent: 256, maxZoom: MAXZ,
          map: function (p) { var o = {}; o["t" + D.t[p.i]] = 1; return o; },
          reduce: function (acc, p) { for (var k in p) acc[k] = (acc[k] || 0) + p[k]; }});
        index.load(next.map(function (i) {
          return {type: "Feature", properties: {i: i}, geometry: {type: "Point", coordinates: [D.lon[i], D.lat[i]]}};
        }));
        draw();
      };
    }
    var show = cfg.fast ? superclusterEngine() : markerClusterEngine();

    // filters: event type, actor group, dates
    var typeOn = types.map(function () { return true; }), groupOn = groups.map(function () { return true; });
    var first = nd ? dayOf[0] : 0, last = nd ? dayOf[nd - 1] : 0, lo = first, hi = last, undatedOn = true;
    var shown = [], shownKilled = 0;
    function visible(i) {
      if (!typeOn[D.t[i]] || !groupOn[D.a[i]]) return false;
      return isNaN(day[i]) ? undatedOn : day[i] >= lo && day[i] <= hi;
    }

    // the circles of uncertainty, on a canvas: around every incident shown (up to 3,000), or, with Supercluster,
    // around the incidents drawn one by one (``singles``, set as it draws)
    var canvas = L.canvas({padding: 0.2}), unc = L.layerGroup().addTo(map), uncOn = true, singles = null;
    function drawUncertainty() {
      unc.clearLayers();
      if (!uncOn) return;
      var list = singles || shown;
      for (var k = 0; k < list.length; k++) {
        var i = list[k], radius = cfg.radius[D.gp[i]];
        if (!radius) continue;
        L.circle([D.lat[i], D.lon[i]], {radius: radius, renderer: canvas, interactive: false,
          color: types[D.t[i]][1], weight: 1.2, opacity: 0.9, dashArray: "5 4", fillOpacity: 0.06}).addTo(unc);
      }
    }

    var heat = cfg.heatmap && L.heatLayer ?
      L.heatLayer([], {radius: 22, blur: 18, maxZoom: 9, minOpacity: 0.35}) : null, heatOn = false;
    function drawHeat() {
      if (heat && heatOn) heat.setLatLngs(shown.map(function (i) { return [D.lat[i], D.lon[i]]; }));
    }

    var sub = null, timeBars = null;
    function refresh() {
      var next = [], total = 0;
      for (var i = 0; i < N; i++) if (visible(i)) { next.push(i); total += D.km[i] || 0; }
      map.closePopup();
      container.dataset.geomapReady = "0";
      show(next);
      shown = next;
      shownKilled = total;
      container.dataset.shown = String(shown.length);
      if (sub) sub.textContent = (shown.length === N ? "showing all " : "showing " +
        shown.length.toLocaleString("en") + " of ") + N.toLocaleString("en") + " incidents" +
        (shown.length === N ? "" : " \u00b7 at least " + shownKilled.toLocaleString("en") + " killed");
      if (timeBars) timeBars();
      drawUncertainty();
      drawHeat();
      ready();
    }

    // title
    var titleBox = el("div", "geomap-title geomap-box");
    titleBox.appendChild(el("div", "gt-main", cfg.title));
    sub = titleBox.appendChild(el("div", "gt-sub"));
    container.appendChild(titleBox);
    L.DomEvent.disableClickPropagation(titleBox);

    // panel: toggles by event type and by actor, layers, legend
    var panel = el("div", "geomap-panel geomap-box leaflet-control");
    function section(name, withAll) {
      var d = el("details"), s = el("summary", null, name);
      d.open = true;
      d.appendChild(s);
      panel.appendChild(d);
      if (withAll) {
        var none = s.appendChild(el("button", null, "none")), all = s.appendChild(el("button", null, "all"));
        none.type = all.type = "button";
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
      if (count != null) row.appendChild(el("span", "gp-n", count.toLocaleString("en")));
      input.addEventListener("change", function () { onChange(input.checked); });
      box.appendChild(row);
      return input;
    }
    function group(title, list, state, kind, icon) {
      var inputs = [];
      var box = section(title, function (on) {
        inputs.forEach(function (input, k) { input.checked = on; state[k] = on; });
        refresh();
      });
      list.forEach(function (item, k) {
        inputs.push(toggle(box, item[0], item[item.length - 1], icon ? icon(item) : null, true,
          function (on) { state[k] = on; refresh(); }, {geomapKind: kind, geomapIndex: String(k)}));
      });
    }
    if (N) {
      group("Event type", types, typeOn, "type", function (t) { return svg(t[2], t[1], 14, 0); });
      group("Actor", groups, groupOn, "actor", null);
    }
    var layersBox = section("Layers");
    layersBox.classList.add("gp-layers");
    toggle(layersBox, "Location uncertainty", null, null, true, function (on) { uncOn = on; drawUncertainty(); },
      {geomapKind: "uncertainty"});
    if (heat) toggle(layersBox, "Heatmap", null, null, false, function (on) {
      heatOn = on;
      if (on) { heat.addTo(map); drawHeat(); } else heat.remove();
    }, {geomapKind: "heatmap"});
    var legend = section("Legend");
    var sizes = legend.appendChild(el("div", "gp-sizes"));
    [0, 10, 100, 1000].forEach(function (k) {
      var d = sizes.appendChild(el("div"));
      d.innerHTML = svg("circle", "#888", sizeFor(k), 0);
      d.appendChild(el("span", null, k === 1000 ? "1000+" : String(k)));
    });
    legend.appendChild(el("div", "gp-note", "Marker size: people killed. Shape and colour: event type."));
    var dash = legend.appendChild(el("div", "gp-note"));
    dash.innerHTML = svg("circle", "#888", 14, 1) + " ";
    dash.appendChild(document.createTextNode("Dashed outline and circle: approximate location (about " +
      cfg.radius["2"] / 1000 + " km near a named place, " + cfg.radius["3"] / 1000 + " km when only the region" +
      " is known)."));
    legend.appendChild(el("div", "gp-note", "Numbers: clusters of incidents, ringed by event type. " +
      "Click a marker for its reports."));
    var Panel = L.Control.extend({options: {position: "topright"}, onAdd: function () { return panel; }});
    new Panel().addTo(map);
    L.DomEvent.disableClickPropagation(panel);
    L.DomEvent.disableScrollPropagation(panel);
    panel.style.maxHeight = Math.max(160, container.clientHeight - 70) + "px";

    // time slider over the incidents' dates (days), with a histogram
    var timeBox = null;
    if (nd) {
      timeBox = el("div", "geomap-time geomap-box");
      var head = timeBox.appendChild(el("div", "gt-head"));
      head.appendChild(el("b", null, "Time"));
      var label = head.appendChild(el("span", "gt-range"));
      var undated = N - D.d.filter(function (d) { return d >= 0; }).length;
      if (undated) {
        var u = head.appendChild(el("label", "gt-undated")), ub = u.appendChild(el("input"));
        ub.type = "checkbox";
        ub.checked = true;
        ub.dataset.geomapKind = "undated";
        u.appendChild(document.createTextNode("undated (" + undated + ")"));
        ub.addEventListener("change", function () { undatedOn = ub.checked; refresh(); });
      }
      var track = timeBox.appendChild(el("div", "gt-track"));
      var BINS = Math.min(80, Math.max(1, last - first + 1)), width = (last - first + 1) / BINS;
      var bins = new Array(BINS).fill(0);
      var binOf = function (dd) { return Math.min(BINS - 1, Math.floor((dd - first) / width)); };
      for (i = 0; i < N; i++) if (!isNaN(day[i])) bins[binOf(day[i])]++;
      var peak = Math.max.apply(null, bins) || 1, ns = "http://www.w3.org/2000/svg";
      var hist = document.createElementNS(ns, "svg");
      hist.setAttribute("viewBox", "0 0 " + BINS + " 26");
      hist.setAttribute("preserveAspectRatio", "none");
      var rects = bins.map(function (v, b) {
        var r = document.createElementNS(ns, "rect"), h = v ? Math.max(2, 26 * Math.sqrt(v / peak)) : 0;
        r.setAttribute("x", b + 0.1); r.setAttribute("width", 0.8); r.setAttribute("y", 26 - h);
        r.setAttribute("height", h);
        hist.appendChild(r);
        return r;
      });
      track.appendChild(hist);
      track.appendChild(el("div", "gt-rail"));
      var sel = track.appendChild(el("div", "gt-sel"));
      function slider(value, name) {
        var s = el("input");
        s.type = "range"; s.min = first; s.max = last; s.step = 1; s.value = value;
        s.setAttribute("aria-label", name);
        s.dataset.geomapKind = name === "From date" ? "from" : "until";
        track.appendChild(s);
        return s;
      }
      var from = slider(first, "From date"), until = slider(last, "Until date");
      var ends = timeBox.appendChild(el("div", "gt-ends"));
      ends.appendChild(el("span", null, D.dates[0]));
      ends.appendChild(el("span", null, D.dates[nd - 1]));
      var iso = function (dd) { return new Date(dd * DAY).toISOString().slice(0, 10); };
      timeBars = function () {
        label.textContent = lo === hi ? iso(lo) : iso(lo) + " to " + iso(hi);
        var span = Math.max(1, last - first);
        sel.style.left = 100 * (lo - first) / span + "%";
        sel.style.width = Math.max(0.5, 100 * (hi - lo) / span) + "%";
        rects.forEach(function (r, b) {
          var start = first + b * width, end = start + width - 1;
          r.setAttribute("class", end >= lo && start <= hi ? "on" : "");
        });
      };
      var live = N <= 20000;
      function moved(which, commit) {
        var a = +from.value, b = +until.value;
        if (a > b) { if (which === from) from.value = a = b; else until.value = b = a; }
        lo = a; hi = b;
        if (commit || live) refresh(); else timeBars();
      }
      [from, until].forEach(function (s) {
        s.addEventListener("input", function () { moved(s, false); });
        s.addEventListener("change", function () { moved(s, true); });
      });
      if (first === last) { from.disabled = until.disabled = true; }
      container.appendChild(timeBox);
      L.DomEvent.disableClickPropagation(timeBox);
      L.DomEvent.disableScrollPropagation(timeBox);
    }

    // fit to the incidents, leaving room for the boxes drawn over the map
    if (cfg.bounds) {
      var w = container.clientWidth, h = container.clientHeight;
      var right = Math.min(panel.offsetWidth + 30, 0.4 * w);
      var bottom = Math.min((timeBox ? timeBox.offsetHeight + 34 : 20) + 10, 0.35 * h);
      var top = Math.min(titleBox.offsetHeight + 24, 0.25 * h);
      map.fitBounds(cfg.bounds, {paddingTopLeft: [40, top], paddingBottomRight: [right, bottom], maxZoom: 8,
        animate: false});
    }
    map.geomap = {markers: markers, refresh: refresh, data: D, uncertainty: unc};
    refresh();
  }

  Promise.all([payload(cfg.data, cfg.dataKind), payload(cfg.base, cfg.baseKind)])
    .then(function (r) { build(r[0], r[1]); })
    .catch(function (e) {
      container.dataset.geomapReady = "error";
      console.error("geomap: the map could not be drawn:", e);
    });
}"""
