"""Shared fixtures: the real gazetteer (built once per machine) and paths to ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from gazetteer.sources import Place, airports, curated, geonames_cache, geonames_points, regions

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The incident properties ../shared/CONTRACT.md promises (written out here, not taken from the code under test).
CONTRACT_FIELDS = (
    "id",
    "date",
    "date_precision",
    "event_type",
    "actor",
    "target",
    "location",
    "country",
    "admin1",
    "geo_precision",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "articles",
    "source_count",
    "quote",
    "historical",
)


@pytest.fixture(scope="session")
def gaz():
    """The gazetteer at the default path (the README's set-up builds it; built offline if missing)."""
    from gazetteer import Gazetteer

    return Gazetteer.open()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the project")
    return SHARED


def _tiny(name: str, lat: float, lon: float, gid: int) -> dict:
    return {
        "geonameid": gid,
        "name": name,
        "latitude": lat,
        "longitude": lon,
        "countrycode": "SY",
        "population": 1000,
        "admin1code": "07",
        "alternatenames": [name.upper()],
    }


@pytest.fixture
def tiny_sources(monkeypatch):
    """Replace the package sources by a handful of places so a build takes milliseconds."""
    cities = {"1": _tiny("Alpha", 35.0, 40.0, 1), "2": _tiny("Beta", 35.5, 40.5, 2)}
    monkeypatch.setattr(geonames_cache, "load_cities", lambda: cities)
    monkeypatch.setattr(
        geonames_cache,
        "countries",
        lambda: {
            "SY": {
                "geonameid": 9,
                "name": "Syria",
                "iso3": "SYR",
                "isonumeric": 760,
                "capital": "Alpha",
                "population": 1,
                "neighbours": "IQ",
            }
        },
    )
    monkeypatch.setattr(geonames_cache, "continent_places", lambda: iter(()))
    monkeypatch.setattr(regions, "country_points", lambda countries, fetch: {})
    monkeypatch.setattr(
        regions,
        "region_places",
        lambda fetch, geonames: iter([Place("Region Seven", 35.2, 40.2, "SY", "07", "A", "ADM1", geonameid=7)]),
    )
    monkeypatch.setattr(geonames_points, "country_points", lambda fetch: {})
    monkeypatch.setattr(geonames_points, "region_points", lambda fetch: {})
    monkeypatch.setattr(airports, "places", lambda: iter(()))
    base = Place("Gamma Base", 35.1, 40.1, "SY", None, "S", "MILB")
    monkeypatch.setattr(
        curated, "places", lambda path=curated.SUPPLEMENT: iter([base] if path == curated.SUPPLEMENT else [])
    )
    monkeypatch.setattr(curated, "region_names", lambda: iter([("SY", "07", "Sevens", "demonym")]))
    return cities
