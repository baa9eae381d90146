"""The library API that the command line mirrors: ``extract_incidents`` (``geomap extract``),
``incident_map`` (``geomap map``) and ``run`` (``geomap run``).

>>> gdf = geomap.extract_incidents("examples/articles", since="2017")        # doctest: +SKIP
>>> m = geomap.incident_map(gdf, title="Strikes in 2017")                    # doctest: +SKIP
>>> result = geomap.run("examples/articles", "output", offline=True)        # doctest: +SKIP
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import geopandas as gpd

from geomap import engines, frame
from geomap.articles import Fetcher, read_articles
from geomap.atomic import atomic_write, atomic_write_many, text_writer
from geomap.config import Settings
from geomap.events import merge
from geomap.records import ArticleError, ArticleResult

Inputs = str | Path | Iterable[str | Path]


@dataclass
class Report:
    """What a run did: articles read (and how many came from the cache), pages of links downloaded (and
    how many came from the cache of pages), incidents found and selected, place mentions found and left
    unresolved, the articles skipped and why (including each link that could not be fetched), and the
    articles passed over before the model (no word an incident could be read from)."""

    articles: int = 0
    cached: int = 0
    fetched: int = 0
    fetched_cached: int = 0
    incidents: int = 0
    selected: int = 0
    places: int = 0
    unresolved: Counter = field(default_factory=Counter)
    errors: list[ArticleError] = field(default_factory=list)
    passed_over: list[ArticleResult] = field(default_factory=list)
    seconds: float = 0.0
    settings: dict = field(default_factory=dict)

    def add(self, result: ArticleResult | ArticleError) -> None:
        if isinstance(result, ArticleError):
            self.errors.append(result)
            return
        self.articles += 1
        if result.passed_over is not None:
            self.passed_over.append(result)  # it holds no incidents and no places
        self.places += result.places
        self.unresolved.update(result.unresolved)

    def as_dict(self) -> dict:
        """The run report's JSON form (``report.json``)."""
        return {
            "articles_read": self.articles,
            "articles_cached": self.cached,
            "pages_fetched": self.fetched,
            "pages_from_cache": self.fetched_cached,
            "skipped": len(self.errors),
            "articles_passed_over": len(self.passed_over),
            "incidents": self.incidents,
            "selected": self.selected,
            "places_found": self.places,
            "places_unresolved": sum(self.unresolved.values()),
            "unresolved_names": dict(sorted(self.unresolved.items(), key=lambda kv: (-kv[1], kv[0]))[:100]),
            "errors": [{"id": e.id, "reason": e.reason} for e in self.errors],
            "passed_over": [{"id": r.id, "reason": r.passed_over} for r in self.passed_over],
            "seconds": round(self.seconds, 2),
            "settings": self.settings,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n"

    def write(self, path: str | Path) -> Path:
        """Write the report as JSON, atomically."""
        return atomic_write(Path(path), text_writer(self.to_json()))


def _bound(value: date | str | None, *, end: bool, option: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return frame.date_bound(value, end=end, option=option)


def _cache(cache: bool | str | Path, gazetteer: Path, model: str, online: bool, settings: Settings):
    from geomap.cache import ResultCache, fingerprint

    if cache is False or cache is None:
        return None
    path = settings.cache / "results.sqlite" if cache is True else Path(cache)
    return ResultCache(path, fingerprint(gazetteer, model) + ("+online" if online else ""))


def results(
    inputs: Inputs,
    *,
    manifest: str | Path | None = None,
    gazetteer: str | Path | None = None,
    model: str | None = None,
    engine: str | engines.Engine = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    cache: bool | str | Path = True,
    online: bool | None = None,
    fetch: bool | Fetcher = False,
    read_all: bool = False,
    report: Report | None = None,
) -> Iterator[ArticleResult | ArticleError]:
    """Stream the result of every article in ``inputs``, in order (the work under ``extract_incidents``).

    ``engine`` is ``local`` (``workers`` processes, default all cores) or ``dask`` (a cluster at
    ``scheduler``, or a local one); ``cache`` (True: in the cache folder, or a file) keeps each article's
    result so that a re-run only processes new or changed articles. ``online`` (default: ``GEOMAP_ONLINE``)
    asks the online geocoder (Nominatim, once a second in all, cached) for names the gazetteer lacks.
    ``fetch`` (True, or a :class:`~geomap.articles.Fetcher` with its own settings) downloads the pages of
    link lists, politely and through a cache of pages (``pages.sqlite`` in the cache folder); without it,
    no link is followed and nothing touches the network for them. Articles with no word an incident could
    be read from are passed over before the model (reported, with no places and no incidents) unless
    ``read_all``: then every article is geoparsed.
    """
    settings = Settings()
    gazetteer = Path(gazetteer or settings.gazetteer)
    model = model or settings.model
    online = settings.online if online is None else online
    if not gazetteer.exists():  # build it once, here, rather than in every worker
        from gazetteer import Gazetteer

        Gazetteer.open(gazetteer)
    inputs = [inputs] if isinstance(inputs, str | Path) else list(inputs)
    store = _cache(cache, gazetteer, model, online, settings)
    fetcher = Fetcher(settings.cache / "pages.sqlite") if fetch is True else fetch or None
    runner = (
        engines.get(
            engine,
            gazetteer=str(gazetteer),
            model=model,
            workers=workers,
            scheduler=scheduler,
            online=online,
            read_all=read_all,
        )
        if isinstance(engine, str)
        else engine
    )
    if report is not None:
        report.settings = {
            "model": model,
            "gazetteer": str(gazetteer),
            **runner.describe(),
            "cache": str(store.path) if store is not None else None,
            "fetch": fetcher.describe() if fetcher is not None else None,
        }
    try:
        yield from engines.process(read_articles(inputs, manifest=manifest, fetch=fetcher), runner, store)
    finally:
        if report is not None and store is not None:
            report.cached = store.hits
        if report is not None and fetcher is not None:
            report.fetched, report.fetched_cached = fetcher.fetched, fetcher.from_cache
        if fetch is True and fetcher is not None:
            fetcher.close()
        if isinstance(engine, str):
            runner.close()
        if store is not None:
            store.close()


def extract_incidents(
    inputs: Inputs,
    since: date | str | None = None,
    until: date | str | None = None,
    *,
    country: str | None = None,
    event_type: str | None = None,
    actor: str | None = None,
    min_killed: int | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    errors: list[ArticleError] | None = None,
    on_article: Callable[[ArticleResult | ArticleError], None] | None = None,
    report: Report | None = None,
    **work,
) -> gpd.GeoDataFrame:
    """Incidents of the articles in ``inputs`` (files, folders, manifests) as a GeoDataFrame, one row
    per incident (reports of one event by several articles merged).

    ``since``/``until`` take dates or "YYYY", "YYYY-MM", "YYYY-MM-DD" (inclusive); the other filters
    are those of :func:`geomap.frame.select`. Unreadable articles are appended to ``errors`` and skipped;
    ``on_article`` is called with each article's result as it is done; ``report`` collects the counts.
    ``work`` takes the options of :func:`results`: ``manifest``, ``gazetteer``, ``model``, ``engine``,
    ``workers``, ``scheduler``, ``cache``, ``online``, ``fetch`` and ``read_all``.
    """
    started = time.perf_counter()
    report = report if report is not None else Report()
    since, until = _bound(since, end=False, option="since"), _bound(until, end=True, option="until")
    found = []
    for result in results(inputs, report=report, **work):
        report.add(result)
        if isinstance(result, ArticleError):
            if errors is not None:
                errors.append(result)
        else:
            found.extend(result.incidents)
        if on_article is not None:
            on_article(result)
    incidents = frame.to_frame(merge(found))
    selected = frame.select(
        incidents,
        since=since,
        until=until,
        country=country,
        event_type=event_type,
        actor=actor,
        min_killed=min_killed,
        bbox=bbox,
    )
    report.incidents, report.selected = len(incidents), len(selected)
    report.seconds = time.perf_counter() - started
    return selected


def incident_map(
    source: gpd.GeoDataFrame | Inputs,
    output: str | Path | None = None,
    *,
    title: str | None = None,
    heatmap: bool = False,
    offline: bool = False,
    embed: bool = False,
    png: str | Path | None = None,
    **options,
):
    """A folium map of incidents: ``source`` is a frame from :func:`extract_incidents`, an incidents
    GeoJSON written by ``geomap extract``, or article inputs (extracted with ``options``, which also
    take the filters). Written atomically to ``output`` (a page, or with ``embed`` a fragment) and
    ``png`` when given; returned for display in a notebook."""
    from geomap import render

    if not isinstance(source, gpd.GeoDataFrame):
        found = _incidents_file(source)
        source = extract_incidents(source, **options) if found is None else frame.select(found, **_filters(options))
    elif options:
        source = frame.select(source, **_filters(options))
    m = render.incident_map(source, title=title, heatmap=heatmap, offline=offline, gazetteer=options.get("gazetteer"))
    if output is not None:
        render.save(m, output, embed=embed)
    if png is not None:
        render.to_png(m, png)
    return m


def _incidents_file(source: Inputs) -> gpd.GeoDataFrame | None:
    items = [source] if isinstance(source, str | Path) else list(source)
    if len(items) == 1 and Path(items[0]).suffix.lower() == ".geojson" and Path(items[0]).is_file():
        return frame.read(items[0])
    return None


def _filters(options: dict) -> dict:
    chosen = dict(options)
    chosen["since"] = _bound(chosen.get("since"), end=False, option="since")
    chosen["until"] = _bound(chosen.get("until"), end=True, option="until")
    return chosen


@dataclass
class RunResult:
    """What :func:`run` wrote (incidents GeoJSON, map page, report) and the incidents frame."""

    incidents: gpd.GeoDataFrame
    report: Report
    geojson: Path
    map: Path
    report_path: Path


def run(
    inputs: Inputs,
    output: str | Path = "output",
    *,
    title: str | None = None,
    heatmap: bool = False,
    offline: bool = False,
    **options,
) -> RunResult:
    """Articles to ``incidents.geojson``, ``map.html`` and ``report.json`` in the folder ``output``
    (``geomap run``); ``options`` are those of :func:`extract_incidents`. Each file is replaced
    only when complete."""
    from geomap import assets

    output = Path(output)
    if output.exists() and not output.is_dir():
        raise ValueError(f"{output}: not a folder")
    if offline:
        assets.require()
    report = options.pop("report", None) or Report()
    incidents = extract_incidents(inputs, report=report, **options)
    return write_run(
        incidents, report, output, title=title, heatmap=heatmap, offline=offline, gazetteer=options.get("gazetteer")
    )


def write_run(
    incidents: gpd.GeoDataFrame,
    report: Report,
    output: Path,
    *,
    title=None,
    heatmap=False,
    offline=False,
    gazetteer: str | Path | None = None,
) -> RunResult:
    """Write a run's three files into ``output`` as one change (all or none replaced); an offline map names
    cities from ``gazetteer`` (default: the configured one)."""
    from geomap import render

    m = render.incident_map(incidents, title=title, heatmap=heatmap, offline=offline, gazetteer=gazetteer)
    texts = {
        "incidents.geojson": frame.to_geojson(incidents),
        "map.html": render.to_html(m),
        "report.json": report.to_json(),
    }
    geojson, page, written = atomic_write_many({output / name: text_writer(t) for name, t in texts.items()})
    return RunResult(incidents, report, geojson, page, written)
