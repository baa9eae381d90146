"""Gazetteer sources: each module turns one registry package or file format into `Place` records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(slots=True)
class Place:
    """A place as a source provides it, before it is indexed."""

    name: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    feature_class: str
    feature_code: str
    population: int = 0
    geonameid: int | None = None
    source: str = ""
    alternates: Sequence[str] = ()
    importance: float | None = None  # a source's own prior; else derived from class and population
