"""Inputs: files, folders and manifests -> a stream of ``Article`` (or ``ArticleError``) records.

Nothing here raises for bad input: every problem becomes an ``ArticleError`` in the stream, so one
bad file, row, page or link never stops a run. Folders are walked lazily, one file at a time, at any
depth. Nothing outside an input folder is read through a manifest row or a link, a file is read once
however often it is named, and the file's kind picks its reader: text and records (``text``), web pages
(``html``), feeds (``feeds``) and lists of links (``links``).
"""

from __future__ import annotations

import csv
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath

from geomap.articles import feeds, links
from geomap.articles.fetch import Fetcher
from geomap.articles.html import read_html
from geomap.articles.text import (
    MAX_BYTES,
    TEXT_FIELDS,
    clean,
    csv_rows,
    decode,
    find_dateline,
    read_csv,
    read_json,
    read_jsonl,
    read_markdown,
    read_plain,
)
from geomap.records import Article, ArticleError

Item = Article | ArticleError

MANIFEST = "manifest.csv"
MAX_CHARS = 2_000_000  # one article's text (a long book); longer ones are reported, never parsed
_SURROGATE = re.compile("[\ud800-\udfff]")  # undecodable file-name bytes, lone JSON escapes ("\\ud800")


@dataclass
class Context:
    """One reading: the files read so far (resolved path -> id), the fetcher for links (None: links are
    reported, never fetched) and whether only counting (web pages are then not extracted)."""

    seen: dict[Path, str] = field(default_factory=dict)
    fetcher: Fetcher | None = None
    count: bool = False


def read_all(given: list[str | Path], manifest: str | Path | None, ctx: Context) -> Iterator[Item]:
    """Every item of the inputs ``given``, with ``manifest``'s metadata (its problems reported first);
    with no inputs, the manifest is read as the input."""
    if manifest is not None and not given:
        yield from _read_manifest(Path(manifest), ctx)
        return
    rows: dict[Path, _Row] | None = None
    if manifest is not None:
        rows = {}
        for item in _manifest_rows(Path(manifest)):
            if isinstance(item, _Row):
                rows[item.path] = item
            else:
                yield item
    for arg in given:
        yield from _read_input(Path(arg), str(arg), rows, ctx)


def valid(item: Item) -> Item:
    """The item with every lone surrogate replaced by U+FFFD (such text cannot be encoded to UTF-8)."""
    fields = {k: v for k in item.__slots__ if isinstance(v := getattr(item, k), str) and _SURROGATE.search(v)}
    return replace(item, **{k: _SURROGATE.sub("\ufffd", v) for k, v in fields.items()}) if fields else item


@dataclass(frozen=True, slots=True)
class _Row:
    """A checked manifest row: ``file`` as written (the article id) and its resolved ``path`` inside the folder."""

    file: str
    path: Path
    published: date | None
    title: str | None
    url: str | None
    source: str | None


def _read_input(path: Path, label: str, rows: dict[Path, _Row] | None, ctx: Context) -> Iterator[Item]:
    """One INPUT argument: a folder (using its manifest.csv unless ``rows`` is given), a manifest or a file."""
    try:
        mode = path.stat().st_mode
    except OSError as e:
        yield ArticleError(label, _reason(e))
        return
    if stat.S_ISDIR(mode):
        if rows is None and (path / MANIFEST).is_file():
            yield from _read_manifest(path / MANIFEST, ctx)
        else:
            yield from _read_tree(path, rows, ctx)
    elif path.suffix.lower() == ".csv" and _is_manifest(path):
        yield from _read_manifest(path, ctx)
    else:
        row = _lookup(path, rows)
        yield from _read_file(path, row.file if row else path.name, ctx, row)


def _read_tree(root: Path, rows: dict[Path, _Row] | None, ctx: Context) -> Iterator[Item]:
    """Supported files under ``root``, depth first in name order (dot-files, folder links, manifests skipped;
    links to files outside ``root`` reported, not read). Walked with a stack, so any depth is fine."""
    try:
        base = root.resolve()
    except (OSError, RuntimeError) as e:
        yield ArticleError(root.as_posix(), str(e))
        return
    stack: list[Iterator[os.DirEntry]] = []
    folder: Path | None = root
    while folder is not None or stack:
        if folder is not None:
            try:
                with os.scandir(folder) as it:
                    stack.append(iter(sorted(it, key=lambda e: e.name)))
            except OSError as e:
                yield ArticleError(folder.as_posix(), _reason(e))
            folder = None
            continue
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        path = Path(entry.path)
        if entry.name.startswith(".") or entry.name == MANIFEST:
            continue
        if entry.is_dir(follow_symlinks=False):
            folder = path
        elif path.suffix.lower() in KINDS:
            aid = path.relative_to(root).as_posix()
            if entry.is_symlink() and not _inside(path, base):
                yield ArticleError(aid, "a link to a file outside the folder (not read)")
                continue
            row = _lookup(path, rows)
            yield from _read_file(path, row.file if row else aid, ctx, row)


def _inside(path: Path, base: Path) -> bool:
    try:
        return path.resolve().is_relative_to(base)
    except (OSError, RuntimeError):
        return False


def _lookup(path: Path, rows: dict[Path, _Row] | None) -> _Row | None:
    if not rows:
        return None
    try:
        return rows.get(path.resolve())
    except (OSError, RuntimeError):
        return None


def _is_manifest(path: Path) -> bool:
    """A CSV named manifest.csv, or whose header has a ``file`` column and no text column."""
    if path.name.lower() == MANIFEST:
        return True
    try:
        with path.open("rb") as f:
            head = f.read(65536).decode("utf-8-sig", "replace")
    except OSError:
        return False
    columns = {c.strip().lower() for c in next(csv.reader([head.split("\n", 1)[0]]), [])}
    return "file" in columns and not columns & set(TEXT_FIELDS)


def _read_manifest(path: Path, ctx: Context) -> Iterator[Item]:
    """The articles a manifest lists, in row order, with its bad rows reported in place."""
    for item in _manifest_rows(path):
        if isinstance(item, _Row):
            yield from _read_file(item.path, item.file, ctx, item)
        else:
            yield item


def _manifest_rows(path: Path) -> Iterator[_Row | ArticleError]:
    """A manifest's checked rows; problems are ``ArticleError("<manifest>:<row>")`` (the header is row 1)."""
    mid = path.as_posix()
    try:
        reader = csv_rows(decode(_load(path)))
        columns = [c.strip().lower() for c in reader.fieldnames or ()]
    except OSError as e:
        yield ArticleError(mid, _reason(e))
        return
    except (ValueError, csv.Error) as e:
        yield ArticleError(mid, f"manifest: {e}")
        return
    if "file" not in columns:
        yield ArticleError(mid, f"manifest has no 'file' column (columns: {', '.join(columns) or 'none'})")
        return
    reader.fieldnames = columns
    base = path.parent.resolve()
    seen: dict[Path, int] = {}
    n = 1
    try:
        for n, rec in enumerate(reader, 2):
            yield from _check_row(rec, n, f"{mid}:{n}", base, seen)
    except csv.Error as e:
        yield ArticleError(mid, f"manifest line {reader.line_num}: {e}")
    if n == 1:
        yield ArticleError(mid, "manifest lists no file")


def _check_row(rec: dict, n: int, where: str, base: Path, seen: dict[Path, int]) -> Iterator[_Row | ArticleError]:
    """One manifest row: a ``_Row`` (after a warning if its date is bad) or an error."""
    value = (rec.get("file") or "").strip()
    target = _resolve_row(value, n, base, seen)
    if isinstance(target, str):
        yield ArticleError(where, f"row {n}: {target}")
        return
    raw = (rec.get("published") or "").strip()
    published = _iso_day(raw)
    if raw and not published:
        yield ArticleError(where, f"row {n}: bad published date {raw!r} (expected YYYY-MM-DD); using the text's date")
    yield _Row(value, target, published, clean(rec.get("title")), clean(rec.get("url")), clean(rec.get("source")))


def _resolve_row(value: str, n: int, base: Path, seen: dict[Path, int]) -> Path | str:
    """The existing file a row names, inside ``base``, or the problem (paths outside are never opened)."""
    rel = value.replace("\\", "/")
    if not rel:
        return "no file"
    if rel.startswith("/") or PureWindowsPath(rel).drive:
        return f"absolute path {value!r} not allowed (not read)"
    try:
        target = (base / rel).resolve()
    except (OSError, RuntimeError) as e:
        return f"{value!r}: {e}"
    if not target.is_relative_to(base):
        return f"{value!r} is outside the manifest's folder (not read)"
    if target in seen:
        return f"duplicate of row {seen[target]} ({value!r} is read once)"
    seen[target] = n
    try:
        target.stat()
    except OSError as e:
        return f"file {value!r}: {_reason(e)}"
    return target


def _iso_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d\d-\d\d", value, re.ASCII) else None
    except ValueError:
        return None


def _read_file(path: Path, aid: str, ctx: Context, row: _Row | None = None) -> Iterator[Item]:
    """The article(s) in one file, with ``row``'s metadata; the extension of ``aid`` picks the kind.
    A file already read (``ctx.seen``: resolved path -> id) is reported, not read again."""
    ext = PurePosixPath(aid).suffix.lower()
    read = KINDS.get(ext)
    if read is None:
        yield ArticleError(aid, f"unsupported file type {ext or '(none)'!r} (supported: {', '.join(KINDS)})")
        return
    try:
        real = path.resolve()
    except (OSError, RuntimeError) as e:
        yield ArticleError(aid, str(e))
        return
    if real in ctx.seen:
        yield ArticleError(aid, f"the same file as {ctx.seen[real]!r} (read once)")
        return
    ctx.seen[real] = _SURROGATE.sub("\ufffd", aid)
    try:
        item = None
        for item in read(_load(path), aid, ctx):
            if isinstance(item, Article) and len(item.text) > MAX_CHARS:
                item = ArticleError(item.id, f"text too long ({len(item.text):,} characters > {MAX_CHARS:,})")
            yield _finish(item, row) if isinstance(item, Article) else item
        if item is None:
            yield ArticleError(aid, "no records")
    except OSError as e:
        yield ArticleError(aid, _reason(e))
    except (ValueError, csv.Error) as e:
        yield ArticleError(aid, str(e))


def _load(path: Path) -> bytes:
    """A regular file's bytes; raises OSError or ValueError with the reason (big files are never read)."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("not a regular file")
    if info.st_size > MAX_BYTES:
        raise ValueError(f"too large ({info.st_size / 2**20:.1f} MB > {MAX_BYTES // 2**20} MB)")
    return path.read_bytes()


def _finish(article: Article, row: _Row | None) -> Article:
    """Apply the manifest row's metadata (it wins), then fall back to the dateline for a missing date."""
    if row:
        article = replace(
            article, title=row.title or article.title, url=row.url or article.url, source=row.source or article.source
        )
        if row.published:
            article = replace(article, published=row.published, date_source="manifest")
    if article.published is None and (found := find_dateline(article.text)):
        article = replace(article, published=found, date_source="dateline")
    return article


def _reason(e: OSError) -> str:
    return e.strerror or str(e)


def _text_or_links(data: bytes, aid: str, ctx: Context) -> Iterator[Item]:
    """A text file: one article, or a list of links (every line a URL) to fetch."""
    text = decode(data)
    if links.is_link_list(text):
        yield from links.read_links(links.text_links(text), aid, ctx.fetcher)
    else:
        yield from read_plain(data, aid)


def _records_or_links(data: bytes, aid: str, ctx: Context) -> Iterator[Item]:
    """A CSV: one article per row, or a table of links (a ``url`` column and no text) to fetch."""
    table = links.csv_links(decode(data))
    yield from read_csv(data, aid) if table is None else links.read_links(table, aid, ctx.fetcher)


def _page(data: bytes, aid: str, ctx: Context) -> Iterator[Item]:
    yield ArticleError(aid, "counted, not read") if ctx.count else read_html(data, aid)


def _records(read: Callable[[bytes, str], Iterator[Item]]) -> Callable[[bytes, str, Context], Iterator[Item]]:
    return lambda data, aid, ctx: read(data, aid)


KINDS: dict[str, Callable[[bytes, str, Context], Iterator[Item]]] = {
    ".txt": _text_or_links,
    ".md": _records(read_markdown),
    ".html": _page,
    ".htm": _page,
    ".json": _records(read_json),
    ".jsonl": _records(read_jsonl),
    ".csv": _records_or_links,
    **dict.fromkeys(feeds.EXTENSIONS, _records(feeds.read_feed)),
}
