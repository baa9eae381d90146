"""The frame: incidents as a geopandas GeoDataFrame (EPSG:4326, one row per incident), its filters,
and its files: GeoJSON, GeoPackage, CSV, GeoParquet or KML by extension, always written atomically."""

from __future__ import annotations

import calendar
import json
import math
import re
from collections.abc import Iterable
from dataclasses import asdict
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point, box

from geomap.atomic import atomic_write, text_writer
from geomap.records import Incident

COLUMNS = [
    "id",
    "date",
    "date_precision",
    "event_type",
    "actor",
    "target",
    "location",
    "country",
    "admin1",
    "geonameid",
    "geo_precision",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "articles",
    "source_count",
    "quote",
    "historical",
    "titles",
    "urls",
    "published",
    "score",
    "actor_side",
    "target_side",
]
LIST_COLUMNS = ("articles", "titles", "urls", "published")
INT_COLUMNS = ("geonameid", "geo_precision", "killed_min", "killed_max", "injured_min", "injured_max", "source_count")
FORMATS = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".gpkg": "GPKG",
    ".csv": "CSV",
    ".parquet": "Parquet",
    ".kml": "KML",
}


def to_frame(incidents: Iterable[Incident]) -> gpd.GeoDataFrame:
    """One row per incident with the contract's columns; ``date`` is an ISO string (YYYY-MM-DD)."""
    rows, points = [], []
    for inc in incidents:
        row = asdict(inc)
        row["date"] = inc.date.isoformat() if inc.date else None
        row["source_count"] = inc.source_count
        rows.append({c: row.get(c) for c in COLUMNS})
        points.append(Point(inc.lon, inc.lat))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for c in INT_COLUMNS:
        frame[c] = frame[c].astype("Int64")
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, crs="EPSG:4326"), crs="EPSG:4326")


def _plain(value):
    """JSON-ready scalars: pandas NA/NaN to None, numpy numbers to Python ones."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def to_geojson(frame: gpd.GeoDataFrame) -> str:
    """Deterministic GeoJSON: features in frame order, properties in column order, 6-decimal points."""
    features = []
    for row in frame.itertuples(index=False):
        props = {}
        for c in frame.columns:
            if c == frame.geometry.name:
                continue
            v = getattr(row, c)
            props[c] = [_plain(x) for x in v] if isinstance(v, list | tuple) else _plain(v)
        geom = getattr(row, frame.geometry.name)
        features.append(
            {
                "type": "Feature",
                "id": props.get("id"),
                "properties": props,
                "geometry": {"type": "Point", "coordinates": [round(geom.x, 6), round(geom.y, 6)]},
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1) + "\n"


def write(frame: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write by extension: .geojson/.json, .gpkg, .csv (lon, lat columns), .parquet (GeoParquet) or .kml
    (Google Earth, see :mod:`geomap.exports`)."""
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ValueError(f"{path}: unknown output type {path.suffix!r} (use one of {', '.join(FORMATS)})")
    if kind == "GeoJSON":
        return atomic_write(path, text_writer(to_geojson(frame)))
    if kind == "KML":
        from geomap import exports

        return exports.write_kml(frame, path)
    if kind == "Parquet":
        return atomic_write(path, lambda tmp: frame.to_parquet(tmp))
    flat = frame.copy()
    for c in LIST_COLUMNS:
        flat[c] = flat[c].map(lambda v: json.dumps(list(v), ensure_ascii=False))
    if kind == "CSV":
        flat.insert(len(flat.columns) - 1, "lon", flat.geometry.x.round(6))
        flat.insert(len(flat.columns) - 1, "lat", flat.geometry.y.round(6))
        return atomic_write(
            path, lambda tmp: pd.DataFrame(flat.drop(columns=flat.geometry.name)).to_csv(tmp, index=False)
        )
    return atomic_write(path, lambda tmp: flat.to_file(tmp, driver="GPKG", layer="incidents"))


def iso_day(value) -> str | None:
    """A date cell as ``YYYY-MM-DD``; None when missing or not a date (such incidents count as undated)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return None


def read(path: str | Path) -> gpd.GeoDataFrame:
    """Read an incidents GeoJSON written by ``geomap extract`` (the input ``geomap map`` re-filters);
    a ``date`` that is not one reads as undated."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        features = data["features"]
        rows = [f["properties"] for f in features]
        points = [Point(*f["geometry"]["coordinates"][:2]) for f in features]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not an incidents GeoJSON ({exc})") from exc
    frame = pd.DataFrame(rows)
    for c in COLUMNS:
        if c not in frame:
            frame[c] = None
    frame["date"] = pd.Series([iso_day(v) for v in frame["date"]], index=frame.index, dtype=object)
    for c in INT_COLUMNS:
        frame[c] = pd.array(frame[c], dtype="Int64") if len(frame) else frame[c].astype("Int64")
    return gpd.GeoDataFrame(frame[COLUMNS], geometry=gpd.GeoSeries(points, crs="EPSG:4326"), crs="EPSG:4326")


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def date_bound(text: str, *, end: bool, option: str = "--since") -> date:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as the first (or with ``end`` the last) day it covers."""
    m = _DATE.match(text.strip())
    if not m:
        raise ValueError(f"{option} {text!r}: expected YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    try:
        if not m[2]:
            return date(year, 12, 31) if end else date(year, 1, 1)
        if not m[3]:
            return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{option} {text!r}: no such date") from None


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``WEST,SOUTH,EAST,NORTH`` in degrees."""
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError:
        raise ValueError(f"--bbox {text!r}: expected WEST,SOUTH,EAST,NORTH such as 35.5,32,42.5,37.5") from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise ValueError(f"--bbox {text!r}: longitudes must be within ±180 and latitudes within ±90")
    if south >= north or west >= east:
        raise ValueError(f"--bbox {text!r}: the order is WEST,SOUTH,EAST,NORTH (west < east, south < north)")
    return west, south, east, north


def select(
    frame: gpd.GeoDataFrame,
    *,
    since: date | None = None,
    until: date | None = None,
    country: str | None = None,
    event_type: str | None = None,
    actor: str | None = None,
    min_killed: int | None = None,
    bbox: tuple[float, float, float, float] | None = None,
) -> gpd.GeoDataFrame:
    """The incidents matching every given filter (dates inclusive; undated incidents fail date filters)."""
    if since and until and since > until:
        raise ValueError(f"--since {since} is after --until {until}")
    keep = pd.Series(True, index=frame.index)
    if since:
        keep &= frame["date"].notna() & (frame["date"].astype(str) >= since.isoformat())
    if until:
        keep &= frame["date"].notna() & (frame["date"].astype(str) <= until.isoformat())
    if country:
        keep &= frame["country"].fillna("").str.upper() == country.upper()
    if event_type:
        keep &= frame["event_type"].fillna("").str.lower() == event_type.lower()
    if actor:  # the words of the text ("coalition jets") or the side they name ("US-led coalition")
        named = [frame[c].fillna("").astype(str) for c in ("actor", "actor_side") if c in frame]
        keep &= pd.concat([n.str.contains(actor, case=False, regex=False) for n in named], axis=1).any(axis=1)
    if min_killed is not None:
        keep &= frame["killed_max"].fillna(-1) >= min_killed
    if bbox:
        keep &= frame.geometry.within(box(*bbox)) | frame.geometry.touches(box(*bbox))
    return frame[keep.astype(bool)]
