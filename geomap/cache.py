"""A cache of per-article results keyed by the article's content and the pipeline that read it,
so that re-running over a grown folder only processes the new or changed articles.

The pipeline's fingerprint covers geomap's code, the spaCy model and the gazetteer build; when it
changes, the old results are dropped. A damaged cache file is replaced, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import warnings
from collections.abc import Iterable
from dataclasses import asdict, fields
from datetime import date
from functools import cache
from pathlib import Path

from geomap.records import Article, ArticleResult, Incident

_INCIDENT_FIELDS = {f.name for f in fields(Incident)}


@cache
def code_fingerprint() -> str:
    """A hash of geomap's and the gazetteer package's sources and curated data."""
    import gazetteer
    import geomap

    digest = hashlib.sha256()
    for package in (geomap, gazetteer):
        root = Path(package.__file__).parent
        for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".csv")):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def fingerprint(gazetteer: str | Path, model: str) -> str:
    """The pipeline's identity: code, model name and version, gazetteer build."""
    from spacy.util import get_package_version

    from gazetteer import Gazetteer

    info = Gazetteer(gazetteer).info()
    parts = [
        code_fingerprint(),
        model,
        get_package_version(model) or "",
        str(info.get("built_at")),
        str(info.get("imports")),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def to_json(result: ArticleResult) -> str:
    data = asdict(result)
    for inc in data["incidents"]:
        inc["date"] = inc["date"].isoformat() if inc["date"] else None
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def from_json(text: str) -> ArticleResult:
    data = json.loads(text)
    incidents = []
    for inc in data["incidents"]:
        inc = {k: v for k, v in inc.items() if k in _INCIDENT_FIELDS}
        inc["date"] = date.fromisoformat(inc["date"]) if inc["date"] else None
        incidents.append(Incident(**inc))
    return ArticleResult(data["id"], incidents, data["places"], data["unresolved"])


class ResultCache:
    """Results of articles already read by this pipeline, in an SQLite file (safe for concurrent runs)."""

    def __init__(self, path: str | Path, pipeline: str):
        self.path, self.pipeline = Path(path), pipeline
        self.hits = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open()
        except sqlite3.DatabaseError as exc:
            warnings.warn(f"{self.path}: damaged result cache replaced ({exc})", stacklevel=2)
            self.path.unlink(missing_ok=True)
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        with db:
            db.execute("BEGIN IMMEDIATE")
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, result TEXT NOT NULL)")
            row = db.execute("SELECT value FROM meta WHERE key = 'pipeline'").fetchone()
            if row is None or row[0] != self.pipeline:  # another pipeline's results: drop them
                db.execute("DELETE FROM results")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('pipeline', ?)", (self.pipeline,))
        return db

    def key(self, article: Article) -> str:
        """The article's content (id, text and metadata) as a hash."""
        parts = [article.id, article.text, str(article.published), article.title, article.url, article.source]
        parts.append(article.date_source)
        return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()

    def get_many(self, keys: list[str]) -> dict[str, ArticleResult]:
        found = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            marks = ",".join("?" * len(part))
            for key, text in self.db.execute(f"SELECT key, result FROM results WHERE key IN ({marks})", part):
                found[key] = from_json(text)
        self.hits += len(found)
        return found

    def put_many(self, pairs: Iterable[tuple[str, ArticleResult | object]]) -> None:
        """Keep the results (errors are not kept: a failed article is tried again next time)."""
        rows = [(k, to_json(r)) for k, r in pairs if isinstance(r, ArticleResult)]
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?)", rows)

    def __len__(self) -> int:
        return self.db.execute("SELECT count(*) FROM results").fetchone()[0]

    def close(self) -> None:
        self.db.close()
