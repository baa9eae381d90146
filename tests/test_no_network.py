"""Nothing reaches the network unless asked: the whole pipeline runs with sockets blocked."""

from __future__ import annotations

import socket

import pytest
from typer.testing import CliRunner

from geomap.cli import app
from tests.conftest import FIXTURES


@pytest.fixture
def no_sockets(monkeypatch):
    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError(f"network blocked in tests: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    return attempts


def test_pipeline_runs_with_sockets_blocked(gaz, tmp_path, monkeypatch, no_sockets):
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(gaz.path))
    monkeypatch.delenv("GEOMAP_ONLINE", raising=False)  # the default
    examples = FIXTURES.parent.parent / "examples" / "articles"
    runner = CliRunner()
    out = tmp_path / "out"
    # every article parsed here, in this process (no cached results, no worker processes)
    result = runner.invoke(app, ["run", str(examples), "--no-cache", "-j", "1", "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    for options in (["--offline"], ["--offline", "--embed"]):
        page = tmp_path / "map.html"
        result = runner.invoke(app, ["map", str(out / "incidents.geojson"), *options, "-q", "-o", str(page)])
        assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["geocode", "Albukamal", "--json"]).exit_code == 0
    assert no_sockets == []
    # the released command too: tests/test_hostile.py runs it with every connection refused and logged
