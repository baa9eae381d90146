"""``LocalGazetteer``: a geopy geocoder backed by geomap's local gazetteer (no network)."""

from __future__ import annotations

from pathlib import Path

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from gazetteer import Candidate, Gazetteer


class LocalGazetteer(Geocoder):
    """Geocode place names offline with the same contract as geopy's geocoders.

    >>> geocoder = LocalGazetteer()                          # doctest: +SKIP
    >>> geocoder.geocode("Dier al Zor").point                # doctest: +SKIP
    Point(35.33588, 40.14084, 0.0)

    ``country`` (ISO alpha-2) restricts results, ``near`` (a point or "lat,lon") favours
    places close to it. ``fallback`` is any geopy geocoder asked only when the gazetteer
    has nothing scoring at least ``min_score`` (wrap it in :class:`geomap.geocoders.online.Online`
    for rate limiting and caching). Each ``Location.raw`` is the candidate's dict.
    """

    def __init__(
        self,
        gazetteer: Gazetteer | Path | str | None = None,
        *,
        fallback: Geocoder | None = None,
        min_score: float = 0.5,
    ):
        super().__init__()
        self.gazetteer = gazetteer if isinstance(gazetteer, Gazetteer) else Gazetteer.open(gazetteer)
        self.fallback = fallback
        self.min_score = min_score

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        limit: int = 10,
        country: str | None = None,
        near: Point | tuple[float, float] | str | None = None,
        timeout=None,
    ):
        """Best match (``exactly_one``) or up to ``limit`` matches, best first; None when nothing matches."""
        if not isinstance(query, str):
            raise TypeError(f"query must be a string, not {type(query).__name__}")
        point = None
        if near is not None:
            p = near if isinstance(near, Point) else Point(near)
            point = (p.latitude, p.longitude)
        candidates = self.gazetteer.lookup(query, country=country, near=point, limit=1 if exactly_one else limit)
        if (not candidates or candidates[0].score < self.min_score) and self.fallback is not None:
            remote = self.fallback.geocode(query, exactly_one=exactly_one)
            if remote:
                return remote
        locations = [to_location(c) for c in candidates]
        if not locations:
            return None
        return locations[0] if exactly_one else locations


def to_location(candidate: Candidate) -> Location:
    e = candidate.entry
    parts = [e.name, e.admin1_name, e.country]
    address = ", ".join(p for p in parts if p)
    return Location(address, (e.lat, e.lon), candidate.as_dict())
