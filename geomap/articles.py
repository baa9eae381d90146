"""Ingest: article files, folders and manifests -> a stream of ``Article`` (or ``ArticleError``) records.

Nothing here raises for bad input: every problem becomes an ``ArticleError`` in the stream, so one
bad file, row or argument never stops a run. Folders are walked lazily, one file at a time, at any depth.
Nothing outside an input folder is read through a manifest row or a link, a file is read once however
often it is named, and every text is valid Unicode (lone surrogates from file names or JSON escapes
become U+FFFD), so later stages can always write it out.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath, PureWindowsPath

from geomap.records import Article, ArticleError

Item = Article | ArticleError

MANIFEST = "manifest.csv"
MAX_BYTES = 50 * 2**20
MAX_CHARS = 2_000_000  # one article's text (a long book); longer ones are reported, never parsed
TEXT_FIELDS = ("text", "body", "content", "article")
DATE_FIELDS = ("published", "date", "publish_date")
HTML_DATES = ("article:published_time", "og:published_time", "datepublished", "date", "pubdate", "publishdate", "time")
HTML_SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "svg"}
HTML_BLOCKS = {
    *("p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table", "pre", "blockquote"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "main", "figure", "figcaption", "body"),
}

csv.field_size_limit(MAX_BYTES)  # article bodies in CSV cells outgrow the 128 KB default

_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTH_ABBR = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_ABBR, 1)}
_DATE = re.compile(  # groups: (i)so, (m)onth first, (d)ay first -> <form>y, <form>m, <form>d
    rf"(?<!\w)(?:(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})(?!\d)"
    rf"|(?P<mm>{_MONTH})\b\.?\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*|\s+)(?P<my>\d{{4}})(?!\d)"
    rf"|(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm>{_MONTH})\b\.?(?:,\s*|\s+)(?P<dy>\d{{4}})(?!\d))",
    re.IGNORECASE | re.ASCII,
)
_BAD_BYTE = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of each invalid byte
_SURROGATE = re.compile("[\ud800-\udfff]")  # undecodable file-name bytes, lone JSON escapes ("\\ud800")


def find_dateline(text: str) -> date | None:
    """The first valid full date in the first 400 characters ("Dec 7, 2015", "7 December 2015", "2015-12-07")."""
    for m in _DATE.finditer(text[:400]):
        year, month, day = next((m[f"{f}y"], m[f"{f}m"], m[f"{f}d"]) for f in "imd" if m[f"{f}y"])
        try:
            return date(int(year), int(month) if month.isdigit() else _MONTHS[month[:3].lower()], int(day))
        except ValueError:
            continue
    return None


def parse_date(value: str) -> date | None:
    """A metadata date: ISO date or datetime, or any form ``find_dateline`` knows; None if there is none."""
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return find_dateline(value)


def read_articles(inputs: Iterable[str | Path], manifest: str | Path | None = None) -> Iterator[Item]:
    """Stream the articles in ``inputs`` (files, folders, manifests), with an ``ArticleError`` for each problem.

    ``manifest`` applies its metadata to the inputs' files it lists (its problems are reported first);
    with no inputs, it is read as the input.
    """
    given = [inputs] if isinstance(inputs, str | Path) else list(inputs)  # a lone path is one input
    for item in _read_all(given, manifest):
        yield _valid(item)


def _read_all(given: list[str | Path], manifest: str | Path | None) -> Iterator[Item]:
    seen: dict[Path, str] = {}
    if manifest is not None and not given:
        yield from _read_manifest(Path(manifest), seen)
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
        yield from _read_input(Path(arg), str(arg), rows, seen)


def _valid(item: Item) -> Item:
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


def _read_input(path: Path, label: str, rows: dict[Path, _Row] | None, seen: dict[Path, str]) -> Iterator[Item]:
    """One INPUT argument: a folder (using its manifest.csv unless ``rows`` is given), a manifest or a file."""
    try:
        mode = path.stat().st_mode
    except OSError as e:
        yield ArticleError(label, _reason(e))
        return
    if stat.S_ISDIR(mode):
        if rows is None and (path / MANIFEST).is_file():
            yield from _read_manifest(path / MANIFEST, seen)
        else:
            yield from _read_tree(path, rows, seen)
    elif path.suffix.lower() == ".csv" and _is_manifest(path):
        yield from _read_manifest(path, seen)
    else:
        row = _lookup(path, rows)
        yield from _read_file(path, row.file if row else path.name, seen, row)


def _read_tree(root: Path, rows: dict[Path, _Row] | None, seen: dict[Path, str]) -> Iterator[Item]:
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
        elif path.suffix.lower() in _PARSERS:
            aid = path.relative_to(root).as_posix()
            if entry.is_symlink() and not _inside(path, base):
                yield ArticleError(aid, "a link to a file outside the folder (not read)")
                continue
            row = _lookup(path, rows)
            yield from _read_file(path, row.file if row else aid, seen, row)


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


def _read_manifest(path: Path, seen: dict[Path, str]) -> Iterator[Item]:
    """The articles a manifest lists, in row order, with its bad rows reported in place."""
    for item in _manifest_rows(path):
        if isinstance(item, _Row):
            yield from _read_file(item.path, item.file, seen, item)
        else:
            yield item


def _manifest_rows(path: Path) -> Iterator[_Row | ArticleError]:
    """A manifest's checked rows; problems are ``ArticleError("<manifest>:<row>")`` (the header is row 1)."""
    mid = path.as_posix()
    try:
        reader = csv.DictReader(io.StringIO(_load(path)))
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
    yield _Row(value, target, published, _str(rec.get("title")), _str(rec.get("url")), _str(rec.get("source")))


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


def _read_file(path: Path, aid: str, seen: dict[Path, str], row: _Row | None = None) -> Iterator[Item]:
    """The article(s) in one file, with ``row``'s metadata; the extension of ``aid`` picks the format.
    A file already read (``seen``: resolved path -> id) is reported, not read again."""
    ext = PurePosixPath(aid).suffix.lower()
    parse = _PARSERS.get(ext)
    if parse is None:
        yield ArticleError(aid, f"unsupported file type {ext or '(none)'!r} (supported: {', '.join(_PARSERS)})")
        return
    try:
        real = path.resolve()
    except (OSError, RuntimeError) as e:
        yield ArticleError(aid, str(e))
        return
    if real in seen:
        yield ArticleError(aid, f"the same file as {seen[real]!r} (read once)")
        return
    seen[real] = _SURROGATE.sub("\ufffd", aid)
    try:
        item = None
        for item in parse(_load(path), aid):
            if isinstance(item, Article) and len(item.text) > MAX_CHARS:
                item = ArticleError(item.id, f"text too long ({len(item.text):,} characters > {MAX_CHARS:,})")
            yield _finish(item, row) if isinstance(item, Article) else item
        if item is None:
            yield ArticleError(aid, "no records")
    except OSError as e:
        yield ArticleError(aid, _reason(e))
    except (ValueError, csv.Error) as e:
        yield ArticleError(aid, str(e))


def _load(path: Path) -> str:
    """A regular file's decoded text; raises OSError or ValueError with the reason (big files are never read)."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("not a regular file")
    if info.st_size > MAX_BYTES:
        raise ValueError(f"too large ({info.st_size / 2**20:.1f} MB > {MAX_BYTES // 2**20} MB)")
    return _decode(path.read_bytes())


def _decode(data: bytes) -> str:
    """UTF-8 (BOM optional; < 1% bad bytes replaced) or UTF-16 with a BOM, newlines normalized; else ValueError."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise ValueError(f"not UTF-16 text ({e.reason})") from None
    elif b"\0" in data[:8192]:
        raise ValueError("binary file")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text, bad = _BAD_BYTE.subn("\ufffd", data.decode("utf-8-sig", "surrogateescape"))
            if bad * 100 >= len(data):
                raise ValueError(f"not UTF-8 text ({bad} of {len(data)} bytes invalid)") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ValueError("empty")
    return text


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


def _str(value: object) -> str | None:
    """A metadata value as stripped text; None when missing, empty or not a scalar."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value).strip() or None


def _from_record(aid: str, rec: dict, date_fields: tuple[str, ...] = DATE_FIELDS) -> Item:
    """An article from a record's fields (keys lower-case): text, title, date, url/link, source."""
    text = next((v for k in TEXT_FIELDS if isinstance(v := rec.get(k), str) and v.strip()), None)
    if text is None:
        return ArticleError(aid, f"no text (none of the fields {', '.join(TEXT_FIELDS)})")
    published = next((d for k in date_fields if (v := _str(rec.get(k))) and (d := parse_date(v))), None)
    url = _str(rec.get("url")) or _str(rec.get("link"))
    title, source = _str(rec.get("title")), _str(rec.get("source"))
    return Article(aid, text.strip(), published, title, url, source, "metadata" if published else None)


def _record(file_id: str, n: int | None, rec: object) -> Item:
    """Record ``n`` of a file, id ``<file>#<id>`` (its ``id`` field) or ``<file>#<n>``; ``<file>`` when n is None."""
    aid = file_id if n is None else f"{file_id}#{n}"
    if not isinstance(rec, dict):
        return ArticleError(aid, "record is not an object")
    rec = {str(k).strip().lower(): v for k, v in rec.items()}
    if n is not None and (rid := _str(rec.get("id"))):
        aid = f"{file_id}#{rid}"
    return _from_record(aid, rec)


def _plain(text: str, aid: str) -> Iterator[Item]:
    yield Article(aid, text.strip())


def _markdown(text: str, aid: str) -> Iterator[Item]:
    """Markdown with optional ``---`` front matter of ``key: value`` lines."""
    meta: dict[str, str] = {}
    if m := re.match(r"---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*$\n?", text, re.DOTALL | re.MULTILINE):
        for line in m[1].splitlines():
            key, sep, value = line.partition(":")
            if sep and key.strip():
                meta[key.strip().lower()] = value.strip().strip("\"'")
        text = text[m.end() :]
    yield _from_record(aid, {**meta, "text": text})


def _json(text: str, aid: str) -> Iterator[Item]:
    """One object (id = the file) or a list of objects."""
    try:
        data = json.loads(text)
    except ValueError as e:
        raise ValueError(f"invalid JSON: {e}") from None
    if isinstance(data, list):
        for n, rec in enumerate(data, 1):
            yield _record(aid, n, rec)
    else:
        yield _record(aid, None, data)


def _jsonl(text: str, aid: str) -> Iterator[Item]:
    """One object per (non-blank) line; a bad line is one error."""
    for n, line in enumerate((line for line in text.split("\n") if line.strip()), 1):
        try:
            rec = json.loads(line)
        except ValueError as e:
            yield ArticleError(f"{aid}#{n}", f"invalid JSON: {e}")
            continue
        yield _record(aid, n, rec)


def _csv(text: str, aid: str) -> Iterator[Item]:
    """One article per row; the header names the fields."""
    reader = csv.DictReader(io.StringIO(text))
    for n, rec in enumerate(reader, 1):
        yield _record(aid, n, {k: v for k, v in rec.items() if k is not None})


class _HTMLText(HTMLParser):
    """Collects the readable paragraphs, the title and the metadata of a page (no recursion, any nesting depth)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.title: list[str] = []
        self.meta: dict[str, str] = {}
        self._buf: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HTML_SKIP:
            self._skip += 1
        if self._skip:
            return
        a = {k: v or "" for k, v in attrs}
        if tag == "title" and not self.title:
            self._in_title = True
        elif tag == "meta" and (key := (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()):
            self.meta.setdefault(key, a.get("content", ""))
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split():
            self.meta.setdefault("canonical", a.get("href", ""))
        elif tag == "time" and a.get("datetime"):
            self.meta.setdefault("time", a["datetime"])
        if tag in HTML_BLOCKS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in HTML_SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in HTML_BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self._buf.append(data)

    def flush(self) -> None:
        if para := " ".join("".join(self._buf).split()):
            self.paragraphs.append(para)
        self._buf.clear()


def _html(text: str, aid: str) -> Iterator[Item]:
    """The page's main text (paragraphs kept), og:title or <title>, og:site_name, published date, canonical URL."""
    page = _HTMLText()
    page.feed(text)
    page.close()
    page.flush()
    m = page.meta
    title = m.get("og:title") or " ".join("".join(page.title).split())
    rec = {k: m[k] for k in HTML_DATES if k in m}
    rec |= {
        "text": "\n\n".join(page.paragraphs),
        "title": title,
        "url": m.get("canonical"),
        "source": m.get("og:site_name"),
    }
    yield _from_record(aid, rec, HTML_DATES)


def _reason(e: OSError) -> str:
    return e.strerror or str(e)


_PARSERS: dict[str, Callable[[str, str], Iterator[Item]]] = {
    ".txt": _plain,
    ".md": _markdown,
    ".html": _html,
    ".htm": _html,
    ".json": _json,
    ".jsonl": _jsonl,
    ".csv": _csv,
}
