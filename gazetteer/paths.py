"""Where the gazetteer and its downloaded inputs live (override with environment variables)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """``$GEOMAP_CACHE``, else ``$XDG_CACHE_HOME/geomap``, else ``~/.cache/geomap``."""
    if env := os.environ.get("GEOMAP_CACHE"):
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "geomap"


def default_path() -> Path:
    """The gazetteer file: ``$GEOMAP_GAZETTEER``, else ``gazetteer.sqlite`` in :func:`cache_dir`."""
    if env := os.environ.get("GEOMAP_GAZETTEER"):
        return Path(env).expanduser()
    return cache_dir() / "gazetteer.sqlite"
