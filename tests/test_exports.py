"""Exports for the tools analysts use: KML for Google Earth and the ACLED-shaped CSV, read back with other
readers (GDAL's KML driver, an XML parser, pandas); markup stays text and formulas stay text."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date

import geopandas as gpd
import pandas as pd
import pytest

from geomap import exports, frame
from tests.test_render import XSS_QUOTE, incident, make_frame, xss_frame

NS = {"k": "http://www.opengis.net/kml/2.2"}
ACLED_COLUMNS = [  # as the issue and ACLED's exports name them (written out here, not taken from the code)
    "event_date", "event_type", "actor1", "actor2", "country", "admin1", "location", "latitude", "longitude",
    "geo_precision", "fatalities", "source", "notes",
]  # fmt: skip


def placemarks(path):
    return ET.parse(path).getroot().findall(".//k:Placemark", NS)


def test_kml_reads_back_with_gdal_and_holds_every_incident(tmp_path):
    gdf = make_frame(12)
    path = frame.write(gdf, tmp_path / "incidents.kml")
    back = gpd.read_file(path)
    assert len(back) == 12
    assert back.geometry.x.round(5).tolist() == gdf.geometry.x.round(5).tolist()
    assert back.geometry.y.round(5).tolist() == gdf.geometry.y.round(5).tolist()
    assert back["Name"][1] == "missile strike, Town 1, 2017-01-31"
    marks = placemarks(path)
    data = {d.get("name"): d.find("k:value", NS).text for d in marks[1].findall(".//k:Data", NS)}
    assert data["id"] == "inc0001" and data["event_type"] == "missile strike" and data["killed_min"] == "5"
    assert json.loads(data["articles"]) == ["article-1.txt"]
    assert marks[1].find("k:TimeStamp/k:when", NS).text == "2017-01-31"
    assert marks[-1].find("k:TimeStamp", NS) is None  # the undated incident has no time
    assert {m.find("k:styleUrl", NS).text for m in marks} == {"#type-0", "#type-1", "#type-2"}


def test_kml_description_is_the_popup_text_with_markup_kept_as_text(tmp_path):
    path = frame.write(xss_frame(), tmp_path / "incidents.kml")
    description = placemarks(path)[0].find("k:description", NS).text  # the HTML Google Earth renders
    for shown in ("Air strike", "Date: 2017-01-31", "Actor:", "Target:", "Killed: 5", "Reported by 1 article"):
        assert shown in description
    assert "&lt;script&gt;window.__xss=2&lt;/script&gt;" in description  # the quote, as text
    assert "<script" not in description and "<svg" not in description and "<img" not in description
    assert "javascript:" not in description  # not a link, and not in the text either (it was a url)
    other = placemarks(path)[1].find("k:description", NS).text
    assert '<a href="https://news.example.org/2">Title of article 2</a>' in other  # http(s) urls are links


def test_acled_csv_columns_and_field_mapping(tmp_path):
    rows = frame.to_frame(
        [
            incident(1, actor="coalition jets", actor_side="US-led coalition", killed_min=4, killed_max=9),
            incident(2, event_type="armed clash", killed_min=None, killed_max=None, day=None, historical=True),
            incident(3, quote='=HYPERLINK("http://evil.example","click")', target="+cmd|' /C calc'!A0"),
        ]
    )
    path = tmp_path / "acled.csv"
    exports.write_acled(rows, path)
    table = pd.read_csv(path, keep_default_na=False)
    assert list(table.columns) == ACLED_COLUMNS
    first, second, third = table.to_dict("records")
    assert first["event_date"] == "2017-01-31" and first["event_type"] == "Explosions/Remote violence"
    assert first["actor1"] == "US-led coalition" and first["actor2"] == "Islamic State"
    assert first["country"] == "Syria" and first["admin1"] == "Dayr az Zawr" and first["location"] == "Town 1"
    assert first["fatalities"] == 4 and first["geo_precision"] == 1
    assert first["source"] == "news.example.org"
    assert first["notes"].startswith("Quote number 1") and first["notes"].endswith("(geomap: air strike)")
    assert (first["latitude"], first["longitude"]) == (rows.geometry.y[0].round(6), rows.geometry.x[0].round(6))
    assert second["event_type"] == "Battles" and second["event_date"] == "" and second["fatalities"] == 0
    assert second["notes"].endswith("(geomap: armed clash, recalled)")
    assert third["notes"].startswith("'=HYPERLINK") and third["actor2"].startswith("'+cmd")  # not formulas
    assert set(exports.ACLED_FIELDS) == set(ACLED_COLUMNS)  # every column documented


@pytest.mark.parametrize("writer", ["kml", "acled"])
def test_exports_of_frames_without_figures_dates_or_places(tmp_path, writer):
    bare = gpd.GeoDataFrame({"event_type": [None]}, geometry=gpd.points_from_xy([40.0], [35.0]), crs=4326)
    long_quote = frame.to_frame([incident(1, quote=XSS_QUOTE * 150, day=date(2018, 1, 1))])
    for gdf in (bare, long_quote, make_frame(3).iloc[0:0]):
        path = tmp_path / f"out.{'kml' if writer == 'kml' else 'csv'}"
        if writer == "kml":
            exports.write_kml(gdf, path)
            assert len(placemarks(path)) == len(gdf)
        else:
            exports.write_acled(gdf, path)
            assert len(pd.read_csv(path)) == len(gdf)
