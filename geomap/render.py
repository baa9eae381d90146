"""The map: incidents drawn with folium, clustered, coloured by event type, sized by fatalities.

Every text shown comes from untrusted articles and is HTML-escaped; only http(s) links are links.
"""

from __future__ import annotations

import html
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
from folium.plugins import FeatureGroupSubGroup, HeatMap, MarkerCluster
from jinja2 import Template

from geomap.frame import atomic_write

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
PRECISION = {1: "the place itself", 2: "near or part of the place", 3: "only the region is known"}
UNCERTAINTY_M = {2: 10_000, 3: 50_000}  # radius of the circle drawn around less precise points


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _link(url, text) -> str:
    """An anchor for http(s) urls only; anything else (javascript:, data:) stays plain text."""
    label = _e(text or url or "article")
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return f'<a href="{_e(url)}" target="_blank" rel="noopener noreferrer">{label}</a>'
    return label


def _num(value) -> int | None:
    """An integer, or None for missing values (None, NaN, pandas NA)."""
    return None if value is None or pd.isna(value) else int(value)


def _range(low, high) -> str:
    low, high = _num(low), _num(high)
    if low is None:
        return "not reported"
    return str(low) if high is None or high == low else f"{low}-{high}"


def popup_html(row) -> str:
    """The popup of one incident: all fields escaped."""
    articles = []
    for i, aid in enumerate(row["articles"] or []):
        title = (row["titles"] or [None] * (i + 1))[i] if row["titles"] is not None else None
        url = (row["urls"] or [None] * (i + 1))[i] if row["urls"] is not None else None
        pub = (row["published"] or [None] * (i + 1))[i] if row["published"] is not None else None
        articles.append(f"<li>{_link(url, title or aid)} <small>{_e(pub or 'date unknown')}</small></li>")
    precision = _num(row["geo_precision"]) or 3
    recalled = " (recalled in the article)" if row.get("historical") else ""
    return (
        f'<div class="geomap-popup" style="max-width:340px">'
        f"<b>{_e(str(row['event_type']).capitalize())}</b>{_e(recalled)}<br>"
        f"<b>Date:</b> {_e(row['date'] or 'unknown')} ({_e(row['date_precision'] or '?')})<br>"
        f"<b>Place:</b> {_e(row['location'])}, {_e(row['admin1'] or '')} {_e(row['country'] or '')} "
        f"<small>(precision {precision}: {_e(PRECISION.get(precision, ''))})</small><br>"
        f"<b>Actor:</b> {_e(row['actor'] or 'not stated')} &rarr; "
        f"<b>Target:</b> {_e(row['target'] or 'not stated')}<br>"
        f"<b>Killed:</b> {_e(_range(row['killed_min'], row['killed_max']))} &middot; "
        f"<b>Injured:</b> {_e(_range(row['injured_min'], row['injured_max']))}<br>"
        f"<blockquote style='margin:4px 0;font-style:italic'>{_e(row['quote'])}</blockquote>"
        f"<b>Reported by {len(articles)} article{'s' if len(articles) != 1 else ''}:</b><ul>{''.join(articles)}</ul>"
        f"</div>"
    )


def _radius(row) -> float:
    return 6 + min(18, 3 * ((_num(row["killed_max"]) or 0) ** 0.5))


LEGEND = Template("""
{% macro html(this, kwargs) %}
<div id="geomap-legend" style="position:fixed;bottom:24px;left:12px;z-index:9999;background:white;padding:8px 10px;
 border:1px solid #999;border-radius:4px;font:12px sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)">
 <b>Event type</b><br>
 {% for name, colour in this.entries %}<span style="display:inline-block;width:10px;height:10px;border-radius:5px;
 background:{{ colour }};margin-right:5px"></span>{{ name }}<br>{% endfor %}
 <small>marker size: people killed; dashed circle: location uncertain</small>
</div>
<div id="geomap-title" style="position:fixed;top:10px;left:50%;transform:translateX(-50%);z-index:9999;
 background:white;padding:6px 12px;border:1px solid #999;border-radius:4px;font:14px sans-serif">{{ this.title }}</div>
{% endmacro %}
""")


class _Overlay(folium.MacroElement):
    """Legend and title, from escaped text."""

    _template = LEGEND

    def __init__(self, entries: list[tuple[str, str]], title: str):
        super().__init__()
        self.entries = [(html.escape(n), c) for n, c in entries]
        self.title = html.escape(title)


def title_for(frame: gpd.GeoDataFrame) -> str:
    dated = frame["date"].dropna().astype(str)
    span = f"{dated.min()} to {dated.max()}" if len(dated) else "dates unknown"
    killed = int(frame["killed_min"].fillna(0).astype(int).sum()) if len(frame) else 0
    return f"{len(frame)} incidents, {span}, at least {killed} killed"


def incident_map(
    frame: gpd.GeoDataFrame, *, title: str | None = None, heatmap: bool = False, tiles: str | None = "OpenStreetMap"
) -> folium.Map:
    """A folium map of an incidents frame: one clustered layer per event type (toggle in the layer
    control), a popup per incident, circles of uncertainty, a legend and a title; fitted to the incidents."""
    m = folium.Map(location=[20, 20], zoom_start=2, tiles=tiles, control_scale=True, max_zoom=18)
    cluster = MarkerCluster(name="All incidents", control=False).add_to(m)
    types = sorted(frame["event_type"].dropna().unique()) if len(frame) else []
    layers = {
        t: FeatureGroupSubGroup(cluster, name=f"{t} ({(frame['event_type'] == t).sum()})").add_to(m) for t in types
    }
    uncertainty = folium.FeatureGroup(name="Location uncertainty", show=True).add_to(m)
    for _, row in frame.iterrows():
        colour = COLOURS.get(row["event_type"], OTHER_COLOUR)
        point = [row.geometry.y, row.geometry.x]
        folium.CircleMarker(
            point,
            radius=_radius(row),
            color="#222",
            weight=1,
            fill=True,
            fill_color=colour,
            fill_opacity=0.85,
            popup=folium.Popup(popup_html(row), max_width=360),
            tooltip=_e(f"{row['event_type']} - {row['location']} - {row['date'] or 'date unknown'}"),
        ).add_to(layers[row["event_type"]])
        precision = _num(row["geo_precision"])
        if precision in UNCERTAINTY_M:
            folium.Circle(
                point, radius=UNCERTAINTY_M[precision], color=colour, weight=1, dash_array="4", fill=False
            ).add_to(uncertainty)
    if heatmap and len(frame):
        HeatMap([[g.y, g.x] for g in frame.geometry], name="Heatmap", show=False).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    _Overlay([(t, COLOURS.get(t, OTHER_COLOUR)) for t in types], title or title_for(frame)).add_to(m)
    if len(frame):
        west, south, east, north = frame.total_bounds
        m.fit_bounds([[south, west], [north, east]], padding=(30, 30), max_zoom=9)
    return m


def save(m: folium.Map, path: str | Path) -> Path:
    """Write the map's HTML atomically."""
    return atomic_write(Path(path), lambda tmp: m.save(str(tmp)))
