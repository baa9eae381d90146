"""Ingest: articles as people have them -> a stream of ``Article`` (or ``ArticleError``) records.

One module per kind of input: ``text`` (plain text, Markdown, JSON, JSON Lines, CSV records), ``html``
(saved web pages: main text and metadata), ``feeds`` (RSS and Atom files, one article per entry) and
``links`` (lists of URLs, downloaded by ``fetch`` only when asked); ``files`` walks folders and manifests
and hands each file to its kind; ``language`` keeps out what the English model cannot read.

Every text is valid Unicode (lone surrogates from file names or JSON escapes become U+FFFD), so later
stages can always write it out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from geomap.articles.fetch import Fetcher
from geomap.articles.files import MAX_CHARS, Context, read_all, valid
from geomap.articles.language import other_language
from geomap.articles.text import MAX_BYTES, find_dateline, parse_date
from geomap.records import Article, ArticleError

__all__ = ["MAX_BYTES", "MAX_CHARS", "Fetcher", "count_articles", "find_dateline", "parse_date", "read_articles"]

Item = Article | ArticleError


def read_articles(
    inputs: Iterable[str | Path] | str | Path,
    manifest: str | Path | None = None,
    *,
    fetch: Fetcher | None = None,
    language: str | None = "en",
) -> Iterator[Item]:
    """Stream the articles in ``inputs`` (files, folders, manifests), with an ``ArticleError`` for each problem.

    ``manifest`` applies its metadata to the inputs' files it lists (its problems are reported first);
    with no inputs, it is read as the input. The links in link lists are downloaded with ``fetch`` (without
    it, each link is reported and nothing touches the network). An article surely written in another
    language than ``language`` (ISO 639-1; None reads every language) is reported and skipped.
    """
    given = [inputs] if isinstance(inputs, str | Path) else list(inputs)  # a lone path is one input
    for item in read_all(given, manifest, Context(fetcher=fetch)):
        item = valid(item)
        if language and isinstance(item, Article) and (found := other_language(item.text, language)):
            item = ArticleError(item.id, f"written in {found}, not {language}: skipped")
        yield item


def count_articles(inputs: Iterable[str | Path] | str | Path, manifest: str | Path | None = None) -> int:
    """How many items ``read_articles`` yields for the inputs, found without extracting or fetching pages."""
    given = [inputs] if isinstance(inputs, str | Path) else list(inputs)
    return sum(1 for _ in read_all(given, manifest, Context(count=True)))
