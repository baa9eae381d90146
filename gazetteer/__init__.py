"""geomap's local gazetteer: sources, build and lookup (an SQLite file, no server, no network)."""

from gazetteer.model import Candidate, Entry
from gazetteer.paths import default_path
from gazetteer.store import Gazetteer, GazetteerError

__all__ = ["Candidate", "Entry", "Gazetteer", "GazetteerError", "default_path"]
