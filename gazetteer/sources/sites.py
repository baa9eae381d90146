"""An analyst's own places (``geomap gazetteer add SITES.csv``): villages, camps, markets, districts
that no public source knows.

The CSV has a header with the columns ``name``, ``lat``, ``lon`` and ``country`` (ISO alpha-2), and
optionally ``kind`` (a word of :data:`KINDS`, or one of their GeoNames feature codes) and
``alternate_names`` (separated by ``|``). Every row is checked before any is used: one bad row makes
the whole file fail with a message naming the file and the row.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from gazetteer.sources import Place

REQUIRED = ("name", "lat", "lon", "country")
OPTIONAL = ("kind", "alternate_names")
SOURCE = "site"
IMPORTANCE = 1.0  # an analyst's own place is preferred where its name matches
# kind -> (GeoNames feature class, feature code)
KINDS = {
    "place": ("P", "PPL"),
    "town": ("P", "PPL"),
    "village": ("P", "PPL"),
    "city": ("P", "PPL"),
    "neighbourhood": ("P", "PPLX"),
    "neighborhood": ("P", "PPLX"),
    "district": ("A", "ADM3"),
    "area": ("L", "AREA"),
    "camp": ("S", "CMP"),
    "refugee camp": ("S", "CMPRF"),
    "market": ("S", "MKT"),
    "base": ("S", "MILB"),
    "airport": ("S", "AIRP"),
    "airfield": ("S", "AIRF"),
    "checkpoint": ("S", "PSTB"),
    "crossing": ("S", "PSTB"),
    "hospital": ("S", "HSP"),
    "school": ("S", "SCH"),
    "mosque": ("S", "MSQE"),
    "bridge": ("S", "BDG"),
    "dam": ("S", "DAM"),
    "building": ("S", "BLDG"),
    "hill": ("T", "HLL"),
    "mountain": ("T", "MT"),
}
_BY_CODE = {code: (fclass, code) for fclass, code in KINDS.values()}


def source_of(path: Path) -> str:
    """The ``source`` recorded on the entries of a sites file."""
    return f"{SOURCE}:{path.name}"


def read(path: Path, countries: set[str]) -> list[Place]:
    """The places of a sites CSV; ValueError naming the file and row for the first bad row."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not a UTF-8 CSV file") from None
    except csv.Error as exc:
        raise ValueError(f"{path}: not a readable CSV file ({exc})") from None
    if not rows:
        raise ValueError(f"{path}: empty file (needs a header: {', '.join(REQUIRED)}[, {', '.join(OPTIONAL)}])")
    header = [h.strip().lower().replace(" ", "_") for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValueError(
            f"{path}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(needs {', '.join(REQUIRED)}; optional {', '.join(OPTIONAL)})"
        )
    places = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ValueError(f"{path}, row {line}: {len(row)} fields, the header has {len(header)}")
        places.append(_place(path, line, dict(zip(header, row, strict=True)), countries))
    if not places:
        raise ValueError(f"{path}: no sites below the header")
    return places


def _place(path: Path, line: int, row: dict[str, str], countries: set[str]) -> Place:
    name = row["name"].strip()
    if not name or len(name) > 200:
        raise ValueError(f"{path}, row {line}: {'empty name' if not name else 'name over 200 characters'}")
    country = row["country"].strip().upper()
    if country not in countries:
        raise ValueError(f"{path}, row {line}: unknown country {row['country'].strip()!r} (ISO alpha-2, e.g. SY)")
    lat, lon = _coordinate(path, line, row, "lat", 90.0), _coordinate(path, line, row, "lon", 180.0)
    kind = (row.get("kind") or "place").strip()
    feature = KINDS.get(kind.lower()) or _BY_CODE.get(kind.upper())
    if feature is None:
        raise ValueError(
            f"{path}, row {line}: unknown kind {kind!r} (one of {', '.join(KINDS)}, or their GeoNames codes)"
        )
    return Place(
        name=name,
        lat=lat,
        lon=lon,
        country=country,
        admin1=None,
        feature_class=feature[0],
        feature_code=feature[1],
        source=source_of(path),
        alternates=[n.strip() for n in (row.get("alternate_names") or "").split("|") if n.strip()],
        importance=IMPORTANCE,
    )


def _coordinate(path: Path, line: int, row: dict[str, str], column: str, limit: float) -> float:
    text = row[column].strip()
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{path}, row {line}: bad {column} {text!r} (a decimal number of degrees)") from None
    if not math.isfinite(value) or abs(value) > limit:
        raise ValueError(f"{path}, row {line}: bad {column} {text!r} (must be between -{limit:g} and {limit:g})")
    return value
