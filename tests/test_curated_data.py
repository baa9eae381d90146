"""Every row of the curated files in gazetteer/data/ says where its coordinates come from, and the
checkable sources agree with the packages that carry them."""

from __future__ import annotations

import csv
import re

import airportsdata
import pytest
from geopy.distance import geodesic

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


@pytest.mark.parametrize("path", list(FILES), ids=lambda p: p.name)
def test_every_row_names_where_its_coordinates_come_from(path):
    column = FILES[path]
    unverified = 0
    for line, row in enumerate(rows(path), start=2):
        source = row[column].strip()
        assert CHECKABLE.match(source) or source.startswith(UNVERIFIED), f"{path.name}:{line}: {source!r}"
        unverified += source.startswith(UNVERIFIED)
    assert unverified <= UNVERIFIED_AT_MOST[path.name]


@pytest.mark.parametrize(
    ("cited_as", "records", "lat", "lon", "at_least"),
    [
        (r"airportsdata ICAO ([A-Z0-9]{4})", airportsdata.load, "lat", "lon", 38),
        (r"GeoNames (\d+)", geonames_cache.load_cities, "latitude", "longitude", 5),  # GeoNames cities500
    ],
    ids=["airportsdata", "geonames"],
)
def test_cited_records_agree_with_the_packages(cited_as, records, lat, lon, at_least):
    by_id = records()
    cited = 0
    for row in rows(curated.SUPPLEMENT):
        if m := re.match(cited_as, row["source"]):
            record = by_id[m.group(1)]
            assert geodesic((float(row["lat"]), float(row["lon"])), (record[lat], record[lon])).km < 1.0, row["name"]
            cited += 1
    assert cited >= at_least
