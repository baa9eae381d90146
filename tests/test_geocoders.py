"""geopy-contract geocoders: the local gazetteer, and the online fallback against a stub on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import typing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geomap.geocoders import LocalGazetteer, Online


@pytest.fixture(scope="module")
def local(gaz):
    return LocalGazetteer(gaz)


def test_local_is_a_geopy_geocoder(local):
    assert isinstance(local, Geocoder)
    loc = local.geocode("Dier al Zor")
    assert isinstance(loc, Location)
    assert loc.raw["country"] == "SY" and 0 < loc.raw["score"] <= 1
    assert abs(loc.latitude - 35.34) < 0.5 and abs(loc.longitude - 40.14) < 0.5


def test_local_many_results_and_bias(local):
    many = local.geocode("Springfield", exactly_one=False, limit=4)
    assert len(many) == 4 and all(isinstance(x, Location) for x in many)
    near = local.geocode("Springfield", near="42.1,-72.6")
    assert near.raw["admin1"] == "Massachusetts"
    assert local.geocode("Tripoli", country="LB").raw["country"] == "LB"


def test_local_nothing_found_is_none(local):
    assert local.geocode("Qxqxqxqx Zzzvvv") is None
    with pytest.raises(TypeError):
        local.geocode(None)


class StubNominatim(BaseHTTPRequestHandler):
    """Answers /search like Nominatim for one invented place; counts requests."""

    hits: typing.ClassVar[list[str]] = []

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query).get("q", [""])[0]
        type(self).hits.append(query)
        body = []
        if url.path == "/search" and query == "Invented Hamlet":
            body = [
                {
                    "lat": "12.5",
                    "lon": "42.25",
                    "display_name": "Invented Hamlet, Nowhere",
                    "type": "hamlet",
                    "address": {"country_code": "ye"},
                }
            ]
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def stub_server():
    StubNominatim.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubNominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_port}"
    server.shutdown()


def test_online_is_rate_limited_and_cached(stub_server, tmp_path):
    nominatim = Nominatim(user_agent="geomap-tests", domain=stub_server, scheme="http")
    online = Online(nominatim, min_delay_seconds=0.0, cache=tmp_path / "cache.sqlite")
    first = online.geocode("Invented Hamlet")
    second = online.geocode("Invented Hamlet")
    assert (first.latitude, first.longitude) == (12.5, 42.25)
    assert (second.latitude, second.longitude) == (12.5, 42.25)
    assert StubNominatim.hits == ["Invented Hamlet"]  # the second answer came from the cache
    assert online.geocode("Nothing There") is None
    assert online.geocode("Nothing There") is None
    assert StubNominatim.hits.count("Nothing There") == 1


def test_fallback_only_when_the_gazetteer_has_nothing(gaz, stub_server, tmp_path):
    nominatim = Nominatim(user_agent="geomap-tests", domain=stub_server, scheme="http")
    geocoder = LocalGazetteer(gaz, fallback=Online(nominatim, min_delay_seconds=0.0, cache=tmp_path / "c.sqlite"))
    assert geocoder.geocode("Damascus").raw["source"].startswith("geonames")
    assert StubNominatim.hits == []
    assert geocoder.geocode("Invented Hamlet").address == "Invented Hamlet, Nowhere"
    assert StubNominatim.hits == ["Invented Hamlet"]
