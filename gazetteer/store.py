"""Lookup in the gazetteer file: exact names, transliteration skeletons, then bounded fuzzy matching."""

from __future__ import annotations

import heapq
import json
import math
import re
import sqlite3
from collections.abc import Callable, Iterable
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from rapidfuzz import fuzz, process

from gazetteer import normalize
from gazetteer.model import Candidate, Entry
from gazetteer.paths import default_path

MAX_QUERY = 200  # characters of a folded query; longer ones are not place names
_HEADER = b"SQLite format 3\x00"
_REGION_WORDS = re.compile(
    r"\s+(province|governorate|governate|region|state|district|county|parish|oblast|prefecture|"
    r"department|municipality|muhafazah|wilayah|sub ?district|area|countryside|countryside of)$"
)
_ENTRY_COLUMNS = (
    "id, name, lat, lon, country, admin1, admin1_name, feature_class, feature_code,"
    " population, geonameid, source, importance"
)
_EXACT = (
    "SELECT e.id, e.name, e.lat, e.lon, e.country, e.admin1, e.admin1_name, e.feature_class, e.feature_code,"
    " e.population, e.geonameid, e.source, e.importance FROM names n JOIN entries e ON e.id = n.entry"
    " WHERE n.key = ? LIMIT 2000"
)
_FUZZY_ROWS = 4000  # the bounded candidate set of the fuzzy fallback
_FUZZY_CUTOFF = 80.0


class GazetteerError(RuntimeError):
    """The gazetteer file is missing, partial, corrupt or of another version."""


def rebuild_hint(path: Path) -> str:
    return f"rebuild it with `geomap gazetteer build` (file: {path})"


def _check_file(path: Path) -> None:
    """Fast structural checks: present, an SQLite file, not truncated."""
    if not path.exists():
        raise GazetteerError(f"no gazetteer at {path}: build it with `geomap gazetteer build`")
    size = path.stat().st_size
    with open(path, "rb") as fh:
        header = fh.read(100)
    if len(header) < 100 or not header.startswith(_HEADER):
        raise GazetteerError(f"{path} is not an SQLite gazetteer (corrupt or partial): {rebuild_hint(path)}")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if pages and size < pages * page_size:
        raise GazetteerError(f"{path} is truncated ({size} of {pages * page_size} bytes): {rebuild_hint(path)}")


@lru_cache(maxsize=262144)
def _bare(name: str) -> str:
    return " ".join(normalize.strip_articles(name))


@lru_cache(maxsize=262144)
def similarity(a: str, b: str) -> float:
    """0..1 similarity of two folded names, ignoring Arabic articles ("dier al zor" ~ "deir ez zor")."""
    return fuzz.ratio(_bare(a), _bare(b)) / 100.0


def _name_similarity(query: str, full: str, matched: str) -> float:
    return 1.0 if matched in (query, full) else max(similarity(query, matched), similarity(full, matched))


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance; ranking only (geopy's geodesic is used where accuracy is reported)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


class Gazetteer:
    """Read-only access to a built gazetteer file.

    >>> gaz = Gazetteer.open()               # doctest: +SKIP
    >>> gaz.lookup("Dier al Zor")[0].entry.name  # doctest: +SKIP
    'Deir ez-Zor'
    """

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path or default_path())
        _check_file(self.path)
        try:
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            meta = dict(self.db.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(f"{self.path} cannot be read ({exc}): {rebuild_hint(self.path)}") from exc
        from gazetteer.build import SCHEMA_VERSION

        if meta.get("complete") != "1":
            raise GazetteerError(f"{self.path} is an incomplete build: {rebuild_hint(self.path)}")
        if meta.get("schema_version") != SCHEMA_VERSION:
            raise GazetteerError(
                f"{self.path} has schema {meta.get('schema_version')}, this geomap reads {SCHEMA_VERSION}: "
                + rebuild_hint(self.path)
            )
        self.meta = meta
        self._entry_cache: dict[int, Entry] = {}
        self._cached_lookup = lru_cache(maxsize=65536)(self._lookup)
        self.knows = lru_cache(maxsize=65536)(self.knows)  # asked of every capitalised run of every text
        self.demonym_entry = lru_cache(maxsize=4096)(self.demonym_entry)

    @classmethod
    def open(
        cls, path: Path | str | None = None, *, build_missing: bool = True, progress: Callable | None = None
    ) -> Gazetteer:
        """Open the gazetteer, building it first (offline, from installed packages) if it is missing."""
        path = Path(path or default_path())
        if build_missing and not path.exists():
            from gazetteer.build import build

            build(path, fetch=False, **({"progress": progress} if progress else {}))
        return cls(path)

    def close(self) -> None:
        self.db.close()

    # -- records -------------------------------------------------------------------------

    def entries(self, ids: Iterable[int]) -> dict[int, Entry]:
        """Entries by id (cached)."""
        cache = self._entry_cache
        ids = set(ids)
        missing = [i for i in ids if i not in cache]
        if not missing:
            return {i: cache[i] for i in ids}
        for start in range(0, len(missing), 900):
            chunk = missing[start : start + 900]
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE id IN ({marks})", chunk):
                self._entry_cache[row[0]] = Entry(*row)
        return {i: self._entry_cache[i] for i in ids if i in self._entry_cache}

    def by_geonameid(self, geonameid: int) -> Entry | None:
        row = self.db.execute(f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE geonameid=?", (geonameid,)).fetchone()
        return Entry(*row) if row else None

    def cities(self, min_population: int) -> list[Entry]:
        """Capitals and the populated places of at least ``min_population`` people, most populous first."""
        rows = self.db.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE feature_class = 'P' AND (population >= ? OR feature_code"
            " = 'PPLC') ORDER BY population DESC, id",
            (min_population,),
        )
        return [Entry(*row) for row in rows]

    def divisions(self, country: str) -> list[Entry]:
        """The first-level divisions (provinces, governorates...) of a country, by ISO alpha-2."""
        rows = self.db.execute("SELECT entry FROM admin1 WHERE country=? AND entry IS NOT NULL", (country,))
        ids = [r[0] for r in rows]
        return sorted(self.entries(ids).values(), key=lambda e: e.id)

    def capital(self, country: str) -> Entry | None:
        """The capital city of a country, by ISO alpha-2."""
        row = self.db.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE country=? AND feature_code='PPLC' "
            "ORDER BY population DESC, id LIMIT 1",
            (country,),
        ).fetchone()
        return Entry(*row) if row else None

    def country(self, country: str) -> Entry | None:
        """The entry of a country itself, by ISO alpha-2."""
        row = self.db.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE country=? AND feature_code LIKE 'PCL%' "
            "ORDER BY importance DESC, id LIMIT 1",
            (country,),
        ).fetchone()
        return Entry(*row) if row else None

    def demonym(self, word: str) -> str | None:
        """ISO alpha-2 of the country a demonym names ("Syrian" -> "SY")."""
        row = self.db.execute("SELECT country FROM demonyms WHERE key=?", (normalize.key(word),)).fetchone()
        return row[0] if row else None

    def demonym_entry(self, word: str) -> Entry | None:
        """The place a demonym names: a country ("Syrian"), continent ("European") or region ("Texans")."""
        row = self.db.execute("SELECT entry FROM demonyms WHERE key=?", (normalize.key(word),)).fetchone()
        return self.entries([row[0]]).get(row[0]) if row else None

    def info(self) -> dict:
        """Version, sources, imports and counts recorded in the file."""
        return {
            "path": str(self.path),
            "size_mb": round(self.path.stat().st_size / 1e6, 1),
            "schema_version": self.meta.get("schema_version"),
            "built_at": self.meta.get("built_at"),
            "build_seconds": float(self.meta.get("build_seconds", "nan")),
            "sources": json.loads(self.meta.get("sources", "{}")),
            "imports": json.loads(self.meta.get("imports", "[]")),
            "counts": json.loads(self.meta.get("counts", "{}")),
        }

    # -- lookup --------------------------------------------------------------------------

    def lookup(
        self,
        query: str,
        *,
        country: str | None = None,
        near: tuple[float, float] | None = None,
        limit: int = 10,
        fuzzy: bool = True,
    ) -> list[Candidate]:
        """Candidates for a place name, best first, each with a 0..1 score.

        ``country`` (ISO alpha-2) keeps only that country's places; ``near`` (lat, lon)
        favours places close to a point. Names that only match after folding the
        transliteration (skeleton) or approximately (rapidfuzz) score lower than exact ones.
        Results are cached per arguments.
        """
        near = (float(near[0]), float(near[1])) if near is not None else None
        return list(self._cached_lookup(query, country, near, limit, fuzzy))

    def knows(self, query: str) -> bool:
        """Whether ``query`` (or, for "X province", X) is exactly one of the gazetteer's names: a cheap
        test before :meth:`lookup`, which also tries transliterations."""
        k = normalize.key(query)
        if not k or len(k) > MAX_QUERY:
            return False
        base = _REGION_WORDS.sub("", k)
        return any(self.db.execute("SELECT 1 FROM names WHERE key=? LIMIT 1", (q,)).fetchone() for q in {k, base} if q)

    def _lookup(
        self, query: str, country: str | None, near: tuple[float, float] | None, limit: int, fuzzy: bool
    ) -> tuple[Candidate, ...]:
        k = normalize.key(query)
        if not k or len(k) > MAX_QUERY:
            return ()
        base = _REGION_WORDS.sub("", k)
        region_only = base != k and bool(base)
        keys = [k, base] if region_only else [k]
        found: dict[int, tuple[float, str, str]] = {}  # entry -> (name score, match, matched key)

        def offer(entry: int, score: float, match: str, matched: str) -> None:
            if score > found.get(entry, (0.0,))[0]:
                found[entry] = (score, match, matched)

        for q in keys:
            for row in self.db.execute(_EXACT, (q,)):  # names and entries in one query: the hot path
                if row[0] not in self._entry_cache:
                    self._entry_cache[row[0]] = Entry(*row)
                offer(row[0], 1.0, "exact", q)
        if not found and (entry := self.demonym_entry(k)):
            offer(entry.id, 0.9, "demonym", k)
        # "X province" whose X only matches regions by transliteration still wants the region
        regions_found = region_only and any(e.feature_class == "A" for e in self.entries(found).values())
        if not found or (region_only and not regions_found):
            for q in keys:
                skel = normalize.skeleton(q, folded=True)
                if len(skel) < 2:
                    continue
                rows = self.db.execute("SELECT key, entry FROM names WHERE skel=? LIMIT 2000", (skel,)).fetchall()
                if found:  # only regions may join exact matches
                    classes = self.entries(e for _, e in rows)
                    rows = [(k2, e) for k2, e in rows if classes[e].feature_class == "A"]
                for key, entry in rows:
                    offer(entry, 0.4 + 0.55 * similarity(q, key), "skeleton", key)
        if fuzzy and max((v[0] for v in found.values()), default=0.0) < 0.85:
            for q in keys:
                for key, sim in self._fuzzy_keys(q):
                    for (entry,) in self.db.execute("SELECT entry FROM names WHERE key=? LIMIT 200", (key,)):
                        offer(entry, 0.85 * sim, "fuzzy", key)
        return self._rank(found, region_only=region_only, country=country, near=near, limit=limit, query=base, full=k)

    def _fuzzy_keys(self, q: str) -> list[tuple[str, float]]:
        """Names within edit distance of ``q``, searched in two skeleton-prefix blocks."""
        skel = normalize.skeleton(q, folded=True)
        if len(skel) < 4:
            return []
        keys: set[str] = set()
        for prefix in {skel[:2], skel[1:3]}:
            rows = self.db.execute(
                "SELECT key FROM names WHERE skel >= ? AND skel < ? AND length(skel) BETWEEN ? AND ? LIMIT ?",
                (prefix, prefix + "\x7f", len(skel) - 1, len(skel) + 2, _FUZZY_ROWS),
            )
            keys.update(map(itemgetter(0), rows))
        hits = process.extract(q, keys, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF, limit=10)
        return [(key, score / 100.0) for key, score, _ in hits]

    def _rank(
        self,
        found: dict[int, tuple[float, str, str]],
        *,
        region_only: bool,
        country: str | None,
        near: tuple[float, float] | None,
        limit: int,
        query: str,
        full: str,
    ) -> tuple[Candidate, ...]:
        entries = self.entries(found)
        full_named = region_only and any(matched == full for _, _, matched in found.values())
        # a bare name shared by a region and a place inside it ("Raqqa", "Mosul") means the place
        place_score: dict[tuple, float] = {}
        for ident, (name_score, _, _) in found.items():
            e = entries[ident]
            if e.feature_class == "P" and e.importance >= 0.5:
                where = (e.country, e.admin1)
                place_score[where] = max(place_score.get(where, 0.0), name_score)
        out = []
        for ident, (name_score, match, matched) in found.items():
            e = entries[ident]
            if country and e.country != country.upper():
                continue
            if region_only and e.feature_class != "A":
                name_score *= 0.7
            if region_only and full_named and matched != full:
                name_score *= 0.7  # "Guernsey County" is the county of that name, not the island
            elif (
                not region_only
                and e.feature_code in ("ADM1", "ADM2")
                and place_score.get((e.country, e.admin1), 0.0) >= name_score - 0.05
            ):
                name_score *= 0.85
            if not region_only and e.feature_code == "ADM2" and not _REGION_WORDS.search(matched):
                name_score *= 0.8  # a bare county or district name ("Washington") is rarely the county
            score = name_score * (0.55 + 0.45 * e.importance)
            distance = None
            if near is not None:
                distance = great_circle_km(near[0], near[1], e.lat, e.lon)
                score *= 0.4 + 0.6 * math.exp(-distance / 250.0)
            out.append((score, e, match, matched, distance))
        # at equal scores an analyst's own site comes first
        best = heapq.nsmallest(
            limit, out, key=lambda r: (-r[0], not r[1].source.startswith("site:"), -r[1].population, r[1].id)
        )
        return tuple(
            Candidate(e, score, match, matched, _name_similarity(query, full, matched), distance)
            for score, e, match, matched, distance in best
        )
