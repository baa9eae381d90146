"""Airports, air bases and airstrips from the ``airportsdata`` package (ICAO-keyed)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import airportsdata

from gazetteer.sources import Place

_MILITARY = re.compile(r"\b(air ?base|ab|military|air force|afb|naval air|army air|airfield)\b", re.I)
_GENERIC = re.compile(
    r"\b(international|intl|regional|municipal|county|domestic|national|civil|military|air ?base|"
    r"afb|ab|airport|aerodrome|airfield|airstrip|heliport|air force station|air station|field)\b",
    re.I,
)


def core_name(name: str) -> str:
    """An airport's name without its generic words ("Deir ez-Zor Airport" -> "Deir ez-Zor")."""
    return re.sub(r"\s+", " ", _GENERIC.sub(" ", name)).strip(" -,/")


def places() -> Iterator[Place]:
    for icao, a in airportsdata.load("ICAO").items():
        military = bool(_MILITARY.search(a["name"]))
        heliport = "heliport" in a["name"].lower()
        core = core_name(a["name"])
        names = {a["name"], icao, f"{core} airport"} if core else {a["name"], icao}
        if a.get("city") and not heliport:
            names.add(f"{a['city']} airport")
        if a.get("iata"):
            names.add(f"{a['iata']} airport")
        yield Place(
            name=a["name"],
            lat=float(a["lat"]),
            lon=float(a["lon"]),
            country=a["country"] or None,
            admin1=None,
            feature_class="S",
            feature_code="AIRH" if heliport else ("AIRB" if military else "AIRP"),
            source="airportsdata",
            alternates=sorted(names - {a["name"]}),
            importance=0.45 if military else (0.4 if a.get("iata") else 0.15),
        )
