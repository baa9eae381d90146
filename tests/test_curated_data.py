"""Every row of the curated files in gazetteer/data/ says where its coordinates come from, and the
checkable sources agree with the packages that carry them."""

from __future__ import annotations

import csv
import math
import re

import airportsdata
import pytest

from gazetteer.sources import curated, geonames_cache

# a source a reader can check: an airport record of the airportsdata package, a GeoNames record, or a
# named survey; rows still without one say so ("unverified: ...")
CHECKABLE = re.compile(r"^(airportsdata ICAO [A-Z0-9]{4}\b|GeoNames \d+\b|US Coast and Geodetic Survey\b)")
UNVERIFIED = "unverified: "
# rows that still lack a checkable source: these numbers may only go down (new rows must cite one)
UNVERIFIED_AT_MOST = {"supplement.csv": 46, "features.csv": 272, "country_points.csv": 0}
FILES = {curated.SUPPLEMENT: "source", curated.FEATURES: "source", curated.COUNTRY_POINTS: "basis"}


def rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@pytest.mark.parametrize("path", list(FILES), ids=lambda p: p.name)
def test_every_row_names_where_its_coordinates_come_from(path):
    column = FILES[path]
    unverified = 0
    for line, row in enumerate(rows(path), start=2):
        source = row[column].strip()
        assert CHECKABLE.match(source) or source.startswith(UNVERIFIED), f"{path.name}:{line}: {source!r}"
        unverified += source.startswith(UNVERIFIED)
    assert unverified <= UNVERIFIED_AT_MOST[path.name]


def test_airport_sources_agree_with_airportsdata():
    airports = airportsdata.load()
    cited = 0
    for row in rows(curated.SUPPLEMENT):
        if m := re.match(r"airportsdata ICAO ([A-Z0-9]{4})", row["source"]):
            a = airports[m.group(1)]
            assert km(float(row["lat"]), float(row["lon"]), a["lat"], a["lon"]) < 1.0, row["name"]
            cited += 1
    assert cited >= 38


def test_geonames_sources_agree_with_geonames_records():
    cities = geonames_cache.load_cities()  # GeoNames cities500
    cited = 0
    for row in rows(curated.SUPPLEMENT):
        if m := re.match(r"GeoNames (\d+)", row["source"]):
            c = cities[m.group(1)]
            assert km(float(row["lat"]), float(row["lon"]), c["latitude"], c["longitude"]) < 1.0, row["name"]
            cited += 1
    assert cited >= 5
