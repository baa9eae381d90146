"""Lists of links: a ``.txt`` file with one URL a line (``#`` comments allowed), or a ``.csv`` with a ``url``
(or ``link``) column and no text column, whose ``title``, ``published`` and ``source`` cells win over the page's.

Each link is one article, its id the URL as listed. It is downloaded (``fetch``) only when a fetcher is
given; without one every link is reported and nothing touches the network. Only http and https links
are read; a file:// link is refused whatever the options.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from geomap.articles.fetch import Fetcher, FetchError, check_scheme
from geomap.articles.html import read_html
from geomap.articles.text import TEXT_FIELDS, clean, csv_rows, parse_date
from geomap.records import Article, ArticleError

Item = Article | ArticleError

_URL_LINE = re.compile(r"[a-zA-Z][\w+.-]*://\S+")


@dataclass(frozen=True, slots=True)
class Link:
    """One listed link: where it is listed (line or row number), its URL and the metadata given with it."""

    line: int
    url: str
    title: str | None = None
    published: str | None = None
    source: str | None = None


def is_link_list(text: str) -> bool:
    """Every line that is not blank nor a ``#`` comment is one URL."""
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line and not line.startswith("#")]
    return bool(lines) and all(_URL_LINE.fullmatch(line) for line in lines)


def text_links(text: str) -> list[Link]:
    lines = ((n, line.strip()) for n, line in enumerate(text.split("\n"), 1))
    return [Link(n, line) for n, line in lines if line and not line.startswith("#")]


def csv_links(text: str) -> list[Link] | None:
    """The links of a CSV with a ``url`` or ``link`` column and no text or ``file`` column; None otherwise."""
    reader = csv_rows(text)
    columns = {str(c).strip().lower() for c in reader.fieldnames or ()}
    column = "url" if "url" in columns else "link" if "link" in columns else None
    if column is None or "file" in columns or columns & set(TEXT_FIELDS):
        return None
    found = []
    for rec in reader:
        rec = {str(k).strip().lower(): v for k, v in rec.items() if k is not None}
        found.append(
            Link(
                reader.line_num,
                clean(rec.get(column)) or "",
                clean(rec.get("title")),
                clean(rec.get("published")),
                clean(rec.get("source")),
            )
        )
    return found


def read_links(links: Iterable[Link], aid: str, fetcher: Fetcher | None) -> Iterator[Item]:
    """Each link's page as an article (the list's metadata winning), or why it gave none."""
    seen: dict[str, int] = {}
    for link in links:
        if not link.url:
            yield ArticleError(f"{aid}:{link.line}", f"line {link.line}: no URL")
            continue
        if link.url in seen:
            yield ArticleError(link.url, f"the same link as line {seen[link.url]} of {aid} (read once)")
            continue
        seen[link.url] = link.line
        yield from _read_link(link, fetcher)


def _read_link(link: Link, fetcher: Fetcher | None) -> Iterator[Item]:
    published = parse_date(link.published) if link.published else None
    if link.published and published is None:
        yield ArticleError(link.url, f"bad published date {link.published!r}; using the page's date")
    try:
        check_scheme(link.url)
        if fetcher is None:
            yield ArticleError(link.url, "a link, not fetched: --fetch downloads it")
            return
        page = fetcher.get(link.url)
        item = read_html(page.body, link.url, page.content_type, page.final_url)
    except (FetchError, ValueError) as e:
        yield ArticleError(link.url, str(e))
        return
    if isinstance(item, Article):
        item = replace(
            item,
            title=link.title or item.title,
            url=item.url or page.final_url,
            source=link.source or item.source,
            **({"published": published, "date_source": "manifest"} if published else {}),
        )
    yield item
