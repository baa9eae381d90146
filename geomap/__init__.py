"""geomap: from news articles about armed incidents to maps, with a local gazetteer.

The stages, one module each: ``articles`` (ingest) -> ``places`` (geoparsing) ->
``incidents`` -> ``frame`` -> ``render``; ``geocoders`` wraps the gazetteer in geopy's
contract. Heavy modules (spaCy, geopandas, folium) load on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "Gazetteer": "gazetteer",
    "LocalGazetteer": "geomap.geocoders",
    "Online": "geomap.geocoders",
    "Settings": "geomap.config",
    "Article": "geomap.records",
    "Toponym": "geomap.records",
    "Geoparser": "geomap.places",
    "geoparse": "geomap.places",
    "extract_incidents": "geomap.api",
    "incident_map": "geomap.api",
    "run": "geomap.api",
    "Report": "geomap.api",
    "ArticleResult": "geomap.records",
    "Incident": "geomap.records",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'geomap' has no attribute {name!r}")
