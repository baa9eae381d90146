"""Records the gazetteer stores and returns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Entry:
    """One place of the gazetteer.

    ``admin1`` is the GeoNames first-level code within the country ("07" for Deir ez-Zor
    in Syria); ``admin1_name`` its name. ``importance`` is a 0..1 prior (population,
    feature class) used to rank candidates of equal name quality.
    """

    id: int
    name: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    admin1_name: str | None
    feature_class: str
    feature_code: str
    population: int
    geonameid: int | None
    source: str
    importance: float

    @property
    def is_region(self) -> bool:
        """Countries, first- and second-level divisions and continents (areas, not points)."""
        return self.feature_class == "A" or self.feature_code in {"CONT", "RGN"}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A gazetteer entry proposed for a query, with how it matched and a 0..1 score."""

    entry: Entry
    score: float
    match: str  # "exact", "skeleton" or "fuzzy"
    matched_name: str
    name_similarity: float
    distance_km: float | None = field(default=None)

    def as_dict(self) -> dict:
        """The contract's ``geocode --json`` fields, plus how the name matched."""
        e = self.entry
        return {
            "name": e.name,
            "lat": round(e.lat, 6),
            "lon": round(e.lon, 6),
            "country": e.country,
            "admin1": e.admin1_name,
            "feature": e.feature_code,
            "geonameid": e.geonameid,
            "score": round(self.score, 4),
            "source": e.source,
            "population": e.population,
            "match": self.match,
            "matched_name": self.matched_name,
        }
