"""Deterministic output: the same articles give byte-identical incidents.geojson and map.html (online,
offline and embedded), whatever the run: another folder name, another output folder, another process,
the inputs named in another order, results computed or taken from the cache."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from gazetteer.sources import npm
from geomap.cli import app
from tests.conftest import ROOT
from tests.test_hostile import geomap_command
from tests.test_render import offline_ready  # noqa: F401 - the fixture

EXAMPLES = ROOT / "examples" / "articles"
RUN_FILES = ("incidents.geojson", "map.html")
runner = CliRunner()


@pytest.fixture
def env(gaz, tmp_path, monkeypatch, offline_ready) -> dict:  # noqa: F811
    """A results cache of this test's own (with the cached map packages), the real gazetteer."""
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "npm").symlink_to(npm.npm_dir())
    monkeypatch.setenv("GEOMAP_CACHE", str(cache))
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(gaz.path))
    monkeypatch.delenv("GEOMAP_ONLINE", raising=False)
    return dict(os.environ)


def released(env: dict, *args: str) -> None:
    done = subprocess.run([*geomap_command(), *args], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr


def invoked(*args: str) -> None:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output


def stable_report(path) -> dict:
    """The run report without what may differ between runs (time taken, cache use, settings)."""
    report = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in report.items() if k not in ("seconds", "articles_cached", "settings")}


def test_runs_give_byte_identical_files(tmp_path, env):
    first, second = tmp_path / "first" / "articles", tmp_path / "second" / "renamed"
    shutil.copytree(EXAMPLES, first)
    shutil.copytree(EXAMPLES, second)
    released(env, "run", str(first), "--offline", "-o", str(tmp_path / "out1"))  # computes every article
    released(env, "run", str(second), "--offline", "-o", str(tmp_path / "out2"))  # takes them from the cache
    assert json.loads((tmp_path / "out2" / "report.json").read_text())["articles_cached"] == 11
    files = sorted(p for p in first.iterdir() if p.name != "manifest.csv")
    invoked(  # in this process, the files named one by one in reverse order, nothing from the cache
        "run", *map(str, reversed(files)), "--manifest", str(first / "manifest.csv"), "--offline", "--no-cache",
        "-j", "1", "-q", "-o", str(tmp_path / "out3"),
    )  # fmt: skip
    for name in RUN_FILES:
        data = [(tmp_path / out / name).read_bytes() for out in ("out1", "out2", "out3")]
        assert data[0] == data[1] == data[2], name
    reports = [stable_report(tmp_path / out / "report.json") for out in ("out1", "out2", "out3")]
    assert reports[0] == reports[1] == reports[2] and reports[0]["incidents"] > 5
    page = (tmp_path / "out1" / "map.html").read_text(encoding="utf-8")
    assert not re.search(r"[0-9a-f]{32}", page)  # element ids from the content, no random uuid
    assert str(tmp_path) not in page  # nothing of where the files were


@pytest.fixture(scope="module")
def geojson(gaz, tmp_path_factory):
    path = tmp_path_factory.mktemp("extracted") / "incidents.geojson"
    invoked("extract", str(EXAMPLES), "--no-cache", "-q", "-o", str(path))
    return path


@pytest.mark.parametrize("options", [[], ["--offline", "--heatmap"], ["--embed"]], ids=["online", "offline", "embed"])
def test_maps_are_byte_identical(tmp_path, env, geojson, options):
    pages = [tmp_path / "a" / "map.html", tmp_path / "b" / "other.html", tmp_path / "from-articles.html"]
    invoked("map", str(geojson), *options, "-q", "-o", str(pages[0]))
    released(env, "map", str(geojson), *options, "-q", "-o", str(pages[1]))
    invoked("map", str(EXAMPLES), *options, "-q", "-o", str(pages[2]))  # extracted again, not read back
    data = [p.read_bytes() for p in pages]
    assert data[0] == data[1] == data[2]
