"""The incidents frame: columns, files by extension, round trip, filters and their input checks."""

from __future__ import annotations

import json
from datetime import date

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap import frame
from geomap.records import Incident
from tests.conftest import CONTRACT_FIELDS


def incident(n: int, day: date | None, kind="air strike", killed=None, country="SY", lon=40.0, lat=35.0) -> Incident:
    return Incident(
        id=f"i{n}",
        date=day,
        date_precision="day" if day else None,
        event_type=kind,
        actor="US-led coalition",
        target="Syrian army",
        location=f"Place {n}",
        lat=lat,
        lon=lon,
        country=country,
        admin1="Region",
        geonameid=None,
        geo_precision=1,
        killed_min=killed,
        killed_max=killed,
        injured_min=None,
        injured_max=None,
        quote=f"Quote {n} <b>with markup</b>",
        historical=False,
        articles=[f"a{n}.txt"],
        titles=[f"Title {n}"],
        urls=[None],
        published=[day.isoformat() if day else None],
    )


@pytest.fixture
def sample():
    return frame.to_frame(
        [
            incident(1, date(2016, 9, 17), killed=62),
            incident(2, date(2017, 4, 7), "missile strike", killed=6),
            incident(3, date(2018, 2, 7), killed=100, lon=40.3),
            incident(4, None, "shootdown", country="TR", lon=36.0),
        ]
    )


def test_frame_has_the_contract_columns(sample):
    assert isinstance(sample, gpd.GeoDataFrame) and sample.crs.to_epsg() == 4326
    assert set(CONTRACT_FIELDS) <= set(sample.columns)
    assert list(sample["source_count"]) == [1, 1, 1, 1]


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".csv", ".parquet"])
def test_writes_every_format(sample, tmp_path, suffix):
    path = frame.write(sample, tmp_path / f"incidents{suffix}")
    assert path.exists() and not list(tmp_path.glob(".*.tmp*"))
    if suffix == ".geojson":
        data = json.loads(path.read_text())
        feature = data["features"][0]
        assert feature["geometry"] == {"type": "Point", "coordinates": [40.0, 35.0]}
        assert feature["properties"]["articles"] == ["a1.txt"] and feature["properties"]["date"] == "2016-09-17"
    elif suffix == ".csv":
        table = pd.read_csv(path)
        assert {"lon", "lat", "articles"} <= set(table.columns) and len(table) == 4
    else:
        assert len(gpd.read_file(path) if suffix == ".gpkg" else gpd.read_parquet(path)) == 4


def test_geojson_round_trip_and_is_deterministic(sample, tmp_path):
    first = frame.write(sample, tmp_path / "a.geojson").read_bytes()
    again = frame.read(tmp_path / "a.geojson")
    assert frame.write(again, tmp_path / "b.geojson").read_bytes() == first


def test_unknown_format_and_bad_geojson(sample, tmp_path):
    with pytest.raises(ValueError, match="unknown output type"):
        frame.write(sample, tmp_path / "x.xlsx")
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="not an incidents GeoJSON"):
        frame.read(bad)


def test_filters(sample):
    s = frame.select
    assert list(s(sample, since=date(2017, 1, 1))["id"]) == ["i2", "i3"]
    assert list(s(sample, until=date(2017, 4, 7))["id"]) == ["i1", "i2"]
    assert list(s(sample, country="tr")["id"]) == ["i4"]
    assert list(s(sample, event_type="Missile Strike")["id"]) == ["i2"]
    assert list(s(sample, min_killed=50)["id"]) == ["i1", "i3"]
    assert list(s(sample, bbox=(40.1, 34, 41, 36))["id"]) == ["i3"]
    assert len(s(sample, actor="coalition")) == 4
    assert s(sample, since=date(2030, 1, 1)).empty


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2017", False, date(2017, 1, 1)),
        ("2017", True, date(2017, 12, 31)),
        ("2016-02", True, date(2016, 2, 29)),
        ("2017-05-18", False, date(2017, 5, 18)),
    ],
)
def test_date_bounds(text, end, expected):
    assert frame.date_bound(text, end=end) == expected


@pytest.mark.parametrize("text", ["2017-13-45", "2017-02-30", "yesterday", "17-05-2017", ""])
def test_bad_date_bounds_name_the_input(text):
    with pytest.raises(ValueError, match="--since"):
        frame.date_bound(text, end=False)


@pytest.mark.parametrize("text", ["42,36,35,32", "35,32,42", "a,b,c,d", "35,32,190,37"])
def test_bad_bbox(text):
    with pytest.raises(ValueError, match="--bbox"):
        frame.parse_bbox(text)


@settings(deadline=None)
@given(st.dates(), st.dates())
def test_date_filter_property(a, b):
    rows = frame.to_frame([incident(1, a), incident(2, b)])
    since, until = min(a, b), max(a, b)
    assert len(frame.select(rows, since=since, until=until)) == 2
    assert all(
        since <= date.fromisoformat(d) <= until
        for d in frame.select(rows, since=since)["date"]
        if date.fromisoformat(d) <= until
    )
