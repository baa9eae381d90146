"""Feeds: an RSS or Atom file gives one article per entry (title, link, date, and the entry's content or summary).

feedparser reads every RSS and Atom version, survives malformed XML and parses the many date forms feeds
use. The feed is handed over as bytes in a stream, so feedparser never opens a file or URL of its own. An entry's
id is ``<file>#<guid>`` (its ``id``/``guid``), else ``<file>#<n>``. A date that cannot be read is reported
(the entry is still read, dated from its text).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

from geomap.articles.html import fragment_text
from geomap.articles.text import check_binary, clean
from geomap.records import Article, ArticleError

Item = Article | ArticleError

EXTENSIONS = (".rss", ".atom", ".xml")


def read_feed(data: bytes, aid: str) -> Iterator[Item]:
    """The feed's entries as articles, in feed order; ValueError when the file is no feed at all."""
    import feedparser

    check_binary(data)
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        if parsed.get("version"):
            return  # a feed with no entries: "no records"
        raise ValueError(f"not an RSS or Atom feed{f' ({problem})' if problem else ''}")
    source = clean(parsed.feed.get("title"))
    seen: set[str] = set()
    for n, entry in enumerate(parsed.entries, 1):
        guid = clean(entry.get("id"))
        eid = f"{aid}#{guid if guid and guid not in seen else n}"
        seen.add(guid or "")
        yield from _entry(entry, eid, source)


def _entry(entry, eid: str, source: str | None) -> Iterator[Item]:
    text = _text(entry)
    if not text:
        yield ArticleError(eid, "no text (the entry has no content or summary)")
        return
    dates = (dict.get(entry, k) for k in ("published_parsed", "updated_parsed"))  # no feedparser key aliasing
    published = next((date(*t[:3]) for t in dates if t), None)
    raw = clean(entry.get("published")) or clean(entry.get("updated"))
    if raw and published is None:
        yield ArticleError(eid, f"bad date {raw[:60]!r} in the feed; using the text's date")
    title = clean(fragment_text(entry.get("title") or "")) if entry.get("title") else None
    yield Article(eid, text, published, title, clean(entry.get("link")), source, "metadata" if published else None)


def _text(entry) -> str:
    """The longest of the entry's contents, else its summary, as plain text."""
    parts = [(c.get("value") or "", c.get("type") or "") for c in entry.get("content") or ()]
    if not any(value.strip() for value, _ in parts):
        detail = entry.get("summary_detail") or {}
        parts = [(entry.get("summary") or "", detail.get("type") or "text/html")]
    value, kind = max(parts, key=lambda p: len(p[0]))
    if "html" in kind:
        return fragment_text(value)
    return "\n\n".join(" ".join(p.split()) for p in value.split("\n\n") if p.strip())
