"""The incidents as the page carries them: one compact columnar JSON payload (an array per field, repeated
strings in sorted lookup tables), deflate-compressed and base64 when large, safe inside a ``<script>``."""

from __future__ import annotations

import base64
import json
import math
import zlib
from collections import Counter

import geopandas as gpd
import numpy as np
import orjson
import pandas as pd

from geomap.frame import iso_day

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
OTHER_TYPE = "other"  # the label of incidents without an event type
PRECISION = {1: "the place itself", 2: "near or part of the place", 3: "only the region is known"}
UNCERTAINTY_M = {2: 10_000, 3: 50_000}  # radius of the circle drawn around less precise points
COMPRESS_ABOVE = 256 * 1024  # characters of JSON: deflate + base64 above
MAX_ACTOR_TOGGLES = 12  # the most frequent actors get a toggle each; the others share one

_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})
_SEP = "\x1f"  # joins the parts of a place into one lookup key


def dumps(value) -> str:
    """Compact JSON, characters as they are (orjson: what ``json.dumps`` gives with ``ensure_ascii=False`` and
    no spaces, in a seventh of the time for a 100,000-incident payload)."""
    return orjson.dumps(value).decode("utf-8")


def script_json(value) -> str:
    """JSON safe inside a ``<script>`` element: ``<``, ``>``, ``&`` and line separators escaped."""
    return dumps(value).translate(_SCRIPT_SAFE)


def encode(value) -> tuple[str, str]:
    """(kind, body) of a payload element: small ones as script-safe JSON, large ones deflated and base64
    (an alphabet that cannot close a script element)."""
    text = dumps(value)
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


def points(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rows with a usable location, in EPSG:4326, as points."""
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if len(frame) and not (frame.geom_type == "Point").all():
        frame = frame.set_geometry(frame.geometry.representative_point())
    return frame


def _places(frame: gpd.GeoDataFrame) -> tuple[list[int], list[list]]:
    """Codes into a table of [location, admin1, country] (null parts kept: downloads give them back)."""
    parts = zip(_text(frame, "location"), _text(frame, "admin1"), _text(frame, "country"), strict=True)
    keys = [None if not any(p) else _SEP.join(v or "" for v in p) for p in parts]
    codes, uniques = _codes(keys)
    return codes, [[v or None for v in key.split(_SEP)] for key in uniques]


def _articles(frame: gpd.GeoDataFrame) -> tuple[list[list[int]], list[list]]:
    """Per incident, codes into a table of the articles reporting it: [title, url, published, id]; only
    http(s) urls are kept."""
    n = len(frame)
    ids, titles, urls, published = (
        frame[c].tolist() if c in frame else [None] * n for c in ("articles", "titles", "urls", "published")
    )
    index: dict = {}  # article id (or its details when it has none) -> position in ``articles``
    articles: list[list] = []
    refs = []
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
    return [[position[k] for k in row] for row in refs], [articles[k] for k in by_title]


def _actor_groups(frame: gpd.GeoDataFrame, actors: list) -> tuple[list[int], list[list]]:
    """The toggles by actor: each incident's group and the groups [name, count]. Toggles group the sides
    ("coalition jets" and "US-led coalition" are one); popups keep the words used."""
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
    return [group_of.get(a, other_group) if a else unstated_group for a in sides], groups


def build(frame: gpd.GeoDataFrame) -> dict:
    """The columnar payload the page draws, filters and downloads: one array per field, strings in lookup
    tables. ``types`` holds [label, colour, shape, count, value] (value null for incidents without a type)."""
    n = len(frame)
    raw_types = _text(frame, "event_type")
    types = [t or OTHER_TYPE for t in raw_types]
    count = Counter(types)
    type_order = [t for t in COLOURS if t in count] + sorted(set(count) - set(COLOURS))
    type_code = {t: i for i, t in enumerate(type_order)}
    missing_type = OTHER_TYPE in type_code and None in raw_types and OTHER_TYPE not in raw_types

    actors = _text(frame, "actor")
    group, groups = _actor_groups(frame, actors)
    dates = _days(frame)
    date_values = sorted({d for d in dates if d})
    date_code = {d: i for i, d in enumerate(date_values)}
    place_codes, places = _places(frame)
    tables = {
        name: _codes(values)
        for name, values in (
            ("targets", _text(frame, "target")),
            ("quotes", _text(frame, "quote")),
            ("dps", _text(frame, "date_precision")),
            ("actors", actors),
        )
    }
    refs, articles = _articles(frame)
    geo_precision = [p if p in (1, 2, 3) else 3 for p in _ints(frame, "geo_precision")]
    return {
        "lat": frame.geometry.y.round(5).tolist(),
        "lon": frame.geometry.x.round(5).tolist(),
        "t": [type_code[t] for t in types],
        "types": [
            [
                t,
                COLOURS.get(t, OTHER_COLOUR),
                SHAPES.get(t, OTHER_SHAPE),
                count[t],
                None if missing_type and t == OTHER_TYPE else t,
            ]
            for t in type_order
        ],
        "a": group,
        "groups": groups,
        "ac": tables["actors"][0],
        "actors": tables["actors"][1],
        "g": tables["targets"][0],
        "targets": tables["targets"][1],
        "p": place_codes,
        "places": places,
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


def _days(frame: gpd.GeoDataFrame) -> list:
    """Each incident's day as YYYY-MM-DD; None when missing or not a day (undated)."""
    if "date" not in frame:
        return [None] * len(frame)
    codes, uniques = pd.factorize(frame["date"].astype(object), use_na_sentinel=True)
    days = [iso_day(v) for v in uniques]
    return [days[c] if c >= 0 else None for c in codes.tolist()]


def title_for(frame: gpd.GeoDataFrame) -> str:
    dated = [d for d in _days(frame) if d]
    span = f"{min(dated)} to {max(dated)}" if dated else "dates unknown"
    killed = sum(v or 0 for v in _ints(frame, "killed_min"))
    return f"{len(frame):,} incident{'s' if len(frame) != 1 else ''}, {span}, at least {killed:,} killed"
