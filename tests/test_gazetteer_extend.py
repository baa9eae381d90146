"""Widening the gazetteer: `geomap gazetteer download` against a GeoNames-like server on 127.0.0.1
serving dump files written here in the real formats, and `geomap gazetteer add` with an analyst's sites."""

from __future__ import annotations

import io
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gazetteer import Gazetteer, build
from geomap.cli import app

runner = CliRunner()

# three rows of the geoname table (19 columns), as GeoNames writes them
GEONAMES = [
    "990100001\tTall Hamidi\tTall Hamidi\tTell Hamidi,Tal Hamidi\t35.4321\t40.8765\tP\tPPL\tSY\t\t07\t\t\t\t800"
    "\t\t220\tAsia/Damascus\t2024-05-01",
    "990100002\tMukhayyam al Hawl\tMukhayyam al Hawl\tAl-Hol camp\t36.3831\t41.1490\tS\tCMPRF\tSY\t\t08\t\t\t\t0"
    "\t\t340\tAsia/Damascus\t2024-05-01",
    "2\tBeta\tBeta\t\t35.5\t40.5\tP\tPPLA\tSY\t\t07\t\t\t\t1500\t\t250\tAsia/Damascus\t2024-05-01",
]
# alternateNamesV2: id, geonameid, language, name, preferred, short, colloquial, historic, from, to
ALTERNATE = ["5001\t990100001\ten\tHamidi Hill\t\t\t\t\t\t", "5002\t990100001\tlink\thttps://example.org/x\t\t\t\t\t\t"]
ADMIN1 = "SY.07\tRegion Seven\tRegion Seven\t7\nSY.08\tRegion Eight\tRegion Eight\t8\n"


def zipped(member: str, lines: list[str], extra: dict[str, str] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, "\n".join(lines) + "\n")
        for name, text in (extra or {}).items():
            zf.writestr(name, text)
    return buf.getvalue()


def dump_files() -> dict[str, bytes]:
    return {
        "SY.zip": zipped("SY.txt", GEONAMES, {"readme.txt": "written for geomap's tests\n"}),
        "alternatenames/SY.zip": zipped("SY.txt", ALTERNATE),
        "admin1CodesASCII.txt": ADMIN1.encode(),
    }


class DumpServer:
    """GeoNames' dump folder on 127.0.0.1: serves ``files`` under /dump/, honours byte ranges, and can
    cut a file short once (``cut[name] = bytes sent before the connection closes``)."""

    def __init__(self, files: dict[str, bytes]):
        self.files = files
        self.cut: dict[str, int] = {}
        self.requests: list[tuple[str, str | None]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                name = self.path.removeprefix("/dump/")
                server.requests.append((name, self.headers.get("Range")))
                data = server.files.get(name)
                if data is None:
                    self.send_error(404, "Not Found")
                    return
                start = int(self.headers["Range"][6:-1]) if self.headers.get("Range") else 0
                if start >= len(data):
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(data)}")
                    self.end_headers()
                    return
                self.send_response(206 if start else 200)
                if start:
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                self.send_header("Content-Length", str(len(data) - start))
                self.end_headers()
                body = data[start:]
                if name in server.cut:
                    body = body[: server.cut.pop(name)]
                    self.close_connection = True
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/dump/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = DumpServer(dump_files())
    yield s
    s.close()


@pytest.fixture
def tiny(tmp_path, tiny_sources, monkeypatch) -> Path:
    """A tiny built gazetteer, with the cache folder in tmp_path."""
    path = tmp_path / "g.sqlite"
    build.build(path, fetch=False)
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(path))
    monkeypatch.setenv("GEOMAP_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("GEOMAP_GEONAMES_URL", raising=False)
    return path


def one_error(result) -> str:
    """The command's error line (progress lines may come before it)."""
    errors = [line for line in result.stderr.splitlines() if line.startswith("geomap:")]
    assert len(errors) == 1, result.stderr
    return errors[0]


# -- download ----------------------------------------------------------------------------------


def test_download_a_country_imports_its_places_names_and_regions(tiny, server, tmp_path):
    result = runner.invoke(app, ["gazetteer", "download", "sy", "--base-url", server.url])
    assert result.exit_code == 0, result.output
    assert "places added" in result.stdout
    assert [name for name, _ in server.requests] == ["SY.zip", "alternatenames/SY.zip", "admin1CodesASCII.txt"]
    g = Gazetteer(tiny)
    tall = g.lookup("Tall Hamidi")[0].entry
    assert (tall.geonameid, tall.source, tall.admin1_name) == (990100001, "geonames:SY.zip", "Region Seven")
    assert g.lookup("Hamidi Hill")[0].entry.geonameid == 990100001  # alternate names imported
    assert g.lookup("Al-Hol camp")[0].entry.feature_code == "CMPRF"
    assert g.lookup("Beta")[0].entry.feature_code == "PPLA"  # the dump's code replaces the embedded one
    assert g.info()["imports"][-1]["file"].startswith("download SY.zip")
    kept = tmp_path / "cache" / "geonames"
    assert (kept / "SY.zip").is_file() and (kept / "alternatenames" / "SY.zip").is_file()
    # run again: the files already downloaded are reused, only the import runs
    server.requests.clear()
    again = runner.invoke(app, ["gazetteer", "download", "SY"], env={"GEOMAP_GEONAMES_URL": server.url})
    assert again.exit_code == 0, again.output
    assert server.requests == []


def test_an_interrupted_download_resumes_and_leaves_the_gazetteer_as_it_was(tiny, server, tmp_path):
    before = tiny.read_bytes()
    size = len(server.files["SY.zip"])
    server.cut["SY.zip"] = size // 2
    result = runner.invoke(app, ["gazetteer", "download", "SY", "--base-url", server.url])
    assert result.exit_code == 1
    message = one_error(result)
    assert "SY.zip" in message and "interrupted" in message and "resume" in message
    assert tiny.read_bytes() == before
    part = tmp_path / "cache" / "geonames" / "SY.zip.part"
    assert part.stat().st_size == size // 2
    result = runner.invoke(app, ["gazetteer", "download", "SY", "--base-url", server.url])
    assert result.exit_code == 0, result.output
    assert ("SY.zip", f"bytes={size // 2}-") in server.requests  # asked only for the rest
    assert not part.exists()
    assert Gazetteer(tiny).lookup("Tall Hamidi")[0].entry.geonameid == 990100001


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("SY.zip", lambda files: files["SY.zip"][: len(files["SY.zip"]) * 2 // 3], "not a zip file, or a truncated"),
        ("SY.zip", lambda files: b"<html><body>Service unavailable</body></html>", "not a zip file"),
        ("SY.zip", lambda files: zipped("SY.txt", ["a\tb\tc\td\te"]), "not a GeoNames dump"),
        ("alternatenames/SY.zip", lambda files: files["SY.zip"], "expected a GeoNames alternate names table"),
        ("admin1CodesASCII.txt", lambda files: b"\x00\xff\xfe garbage", "not a GeoNames dump"),
        ("SY.zip", None, "HTTP 404"),
    ],
)
def test_a_bad_dump_is_refused_in_one_line_and_changes_nothing(tiny, server, tmp_path, name, body, message):
    before = tiny.read_bytes()
    if body is None:
        del server.files[name]
    else:
        server.files[name] = body(server.files)
    result = runner.invoke(app, ["gazetteer", "download", "SY", "--base-url", server.url])
    assert result.exit_code == 1
    line = one_error(result)
    assert message in line and server.url + name in line
    assert tiny.read_bytes() == before
    kept = tmp_path / "cache" / "geonames"
    assert not list(kept.rglob("*.part")) and not (kept / name).exists()


@pytest.mark.parametrize("codes", [["S1"], ["ZZ"], ["SY", "Syria"], []])
def test_unknown_country_codes_are_refused_before_any_request(tiny, server, codes):
    result = runner.invoke(app, ["gazetteer", "download", *codes, "--base-url", server.url])
    assert result.exit_code == 2
    assert server.requests == []


def test_all_takes_the_whole_dump(tiny, server):
    server.files["allCountries.zip"] = zipped("allCountries.txt", GEONAMES)
    server.files["alternateNamesV2.zip"] = zipped("alternateNamesV2.txt", ALTERNATE)
    result = runner.invoke(app, ["gazetteer", "download", "all", "--base-url", server.url])
    assert result.exit_code == 0, result.output
    assert [name for name, _ in server.requests] == ["allCountries.zip", "alternateNamesV2.zip", "admin1CodesASCII.txt"]
    assert Gazetteer(tiny).lookup("Hamidi Hill")[0].entry.geonameid == 990100001


# -- an analyst's own sites ----------------------------------------------------------------------


SITES = (
    "name,lat,lon,country,kind,alternate_names\n"
    "Alpha,35.31,40.12,SY,market,Alpha market|Souq Alpha\n"
    "Camp Delta,35.40,40.30,SY,refugee camp,Delta camp\n"
    "Hill 412,35.45,40.33,sy,,\n"
)


def test_added_sites_are_found_preferred_marked_and_kept_across_rebuilds(tiny, tmp_path):
    sites = tmp_path / "my_sites.csv"
    sites.write_text(SITES, encoding="utf-8")
    result = runner.invoke(app, ["gazetteer", "add", str(sites)])
    assert result.exit_code == 0, result.output
    assert "Added 3 sites" in result.stdout
    g = Gazetteer(tiny)
    alpha = g.lookup("Alpha")
    assert alpha[0].entry.source == "site:my_sites.csv"  # preferred over the embedded town of that name
    assert {c.entry.source for c in alpha} >= {"site:my_sites.csv", "geonames:cities500"}
    assert g.lookup("Souq Alpha")[0].entry.feature_code == "MKT"
    camp = g.lookup("Delta camp")[0].entry
    assert (camp.name, camp.feature_code, camp.country) == ("Camp Delta", "CMPRF", "SY")
    assert g.lookup("Hill 412")[0].entry.feature_code == "PPL"  # no kind: a place
    # a rebuild adds them again
    build.build(tiny, fetch=False)
    assert Gazetteer(tiny).lookup("Camp Delta")[0].entry.source == "site:my_sites.csv"
    assert "my_sites.csv" in Gazetteer(tiny).info()["sources"]["sites"]
    # the same file again replaces its sites
    sites.write_text("name,lat,lon,country\nCamp Echo,35.5,40.4,SY\n", encoding="utf-8")
    result = runner.invoke(app, ["gazetteer", "add", str(sites)])
    assert result.exit_code == 0, result.output
    g = Gazetteer(tiny)
    assert not [c for c in g.lookup("Camp Delta", fuzzy=False) if c.entry.source.startswith("site:")]
    assert g.lookup("Camp Echo")[0].entry.source == "site:my_sites.csv"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,lat,lon,country\nOne,35,40,SY\nTwo,95.5,40,SY\n", "row 3: bad lat '95.5'"),
        ("name,lat,lon,country\nOne,35,40,SY\nTwo,35,east,SY\n", "row 3: bad lon 'east'"),
        ("name,lat,lon,country\nOne,35,40,SY\nTwo,nan,40,SY\n", "row 3: bad lat 'nan'"),
        ("name,lat,country\nOne,35,SY\n", "missing column lon"),
        ("name,latitude,longitude\nOne,35,40\n", "missing columns lat, lon, country"),
        ("name,lat,lon,country\nOne,35,40,SY\nTwo,35,40,XX\n", "row 3: unknown country 'XX'"),
        ("name,lat,lon,country,kind\nOne,35,40,SY,spaceport\n", "row 2: unknown kind 'spaceport'"),
        ("name,lat,lon,country\n,35,40,SY\n", "row 2: empty name"),
        ("name,lat,lon,country\nOne,35,40\n", "row 2: 3 fields"),
        ("", "empty file"),
        ("name,lat,lon,country\n", "no sites"),
    ],
)
def test_a_bad_sites_file_is_refused_in_one_line_and_changes_nothing(tiny, tmp_path, text, message):
    before = tiny.read_bytes()
    sites = tmp_path / "bad_sites.csv"
    sites.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["gazetteer", "add", str(sites)])
    assert result.exit_code == 2
    line = one_error(result)
    assert str(sites) in line and message in line
    assert tiny.read_bytes() == before
    assert not (tmp_path / "g.sites").exists() or not list((tmp_path / "g.sites").iterdir())


def test_a_site_named_in_a_text_resolves_to_it(gaz, tmp_path):
    import shutil

    from geomap.places import Geoparser

    path = tmp_path / "copy.sqlite"
    shutil.copyfile(gaz.path, path)
    sites = tmp_path / "sites.csv"
    sites.write_text("name,lat,lon,country,kind\nAin Qamarun,35.71,38.62,SY,village\n", encoding="utf-8")  # invented
    build.add_sites(path, sites)
    [site] = Geoparser(path).parse("Drones struck a farm at Ain Qamarun, east of Raqqa, on Saturday.")[:1]
    assert (site.text, site.entry.source) == ("Ain Qamarun", "site:sites.csv")
