"""Geocoders with geopy's contract: the local gazetteer, and an opt-in online fallback."""

from geomap.geocoders.local import LocalGazetteer
from geomap.geocoders.online import Online

__all__ = ["LocalGazetteer", "Online"]
