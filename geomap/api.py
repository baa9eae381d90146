"""The library API that the command line mirrors: articles in, incidents frame (and map) out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

import geopandas as gpd

from geomap import frame
from geomap.articles import read_articles
from geomap.config import Settings
from geomap.incidents import IncidentReader, merge
from geomap.places import Geoparser
from geomap.records import Article, ArticleError

_READERS: dict[tuple[str, str], IncidentReader] = {}


def reader(gazetteer: str | Path | None = None, model: str | None = None) -> IncidentReader:
    """One incident reader (spaCy model and gazetteer loaded once) per gazetteer and model."""
    settings = Settings()
    key = (str(gazetteer or settings.gazetteer), model or settings.model)
    if key not in _READERS:
        _READERS[key] = IncidentReader(Geoparser(key[0], model=key[1], sentences=True))
    return _READERS[key]


def _bound(value: date | str | None, *, end: bool, option: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return frame.date_bound(value, end=end, option=option)


def extract_incidents(
    inputs: str | Path | Iterable[str | Path],
    since: date | str | None = None,
    until: date | str | None = None,
    *,
    manifest: str | Path | None = None,
    country: str | None = None,
    event_type: str | None = None,
    actor: str | None = None,
    min_killed: int | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    errors: list[ArticleError] | None = None,
    on_article: Callable[[Article], None] | None = None,
    gazetteer: str | Path | None = None,
    model: str | None = None,
) -> gpd.GeoDataFrame:
    """Incidents of the articles in ``inputs`` (files, folders, manifests) as a GeoDataFrame.

    ``since``/``until`` take dates or "YYYY", "YYYY-MM", "YYYY-MM-DD" (inclusive). Unreadable
    articles are appended to ``errors`` and skipped; ``on_article`` is called for each article read.

    >>> gdf = extract_incidents("examples/articles", since="2017")   # doctest: +SKIP
    """
    inputs = [inputs] if isinstance(inputs, str | Path) else list(inputs)

    def articles() -> Iterable[Article]:
        for item in read_articles(inputs, manifest=manifest):
            if isinstance(item, ArticleError):
                if errors is not None:
                    errors.append(item)
                continue
            if on_article is not None:
                on_article(item)
            yield item

    found = [i for _, incidents in reader(gazetteer, model).read(articles()) for i in incidents]
    return frame.select(
        frame.to_frame(merge(found)),
        since=_bound(since, end=False, option="since"),
        until=_bound(until, end=True, option="until"),
        country=country,
        event_type=event_type,
        actor=actor,
        min_killed=min_killed,
        bbox=bbox,
    )
