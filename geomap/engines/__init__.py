"""Engines run the per-article work (parse, resolve places, read incidents) over batches of articles.

One contract, one module per engine (as geopy's geocoders): :class:`Engine` maps :func:`work` over
batches and yields the results in input order, so every engine gives the same output as one worker.
``local`` runs in this process or a pool of processes; ``dask`` on a ``dask.distributed`` cluster.
:func:`process` streams articles through an engine, a result cache and in-article error isolation.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from geomap.records import Article, ArticleError, ArticleResult

Result = ArticleResult | ArticleError
BATCH_SIZE = 32

_local = threading.local()


def reader(gazetteer: str, model: str, online: float | None = None):
    """The incident reader of this thread (spaCy model and gazetteer loaded once per worker);
    ``online``: seconds between this worker's requests to the online geocoder, None for none."""
    from geomap.events import EventReader
    from geomap.places import Geoparser

    readers = _local.__dict__.setdefault("readers", {})
    if (gazetteer, model, online) not in readers:
        parser = Geoparser(gazetteer, model=model, sentences=True, online=online)
        readers[gazetteer, model, online] = EventReader(parser)
    return readers[gazetteer, model, online]


def work(
    batch: list[Article], gazetteer: str, model: str, online: float | None = None, read_all: bool = False
) -> list[Result]:
    """The results of a batch of articles, in order; an article that breaks the pipeline is
    reported as an :class:`ArticleError` and costs the others nothing. Unless ``read_all``, articles
    with no word an incident could be read from are passed over before the model."""
    event_reader = reader(gazetteer, model, online)
    try:
        return [_result(a, chunks, found) for a, chunks, found in event_reader.results(batch, read_all)]
    except Exception as exc:  # isolate the article that failed
        if len(batch) > 1:
            return [r for a in batch for r in work([a], gazetteer, model, online, read_all)]
        return [ArticleError(batch[0].id, f"could not be processed ({type(exc).__name__}: {exc})")]


PASSED_OVER = "no word an incident could be read from: not geoparsed (--read-all reads every article)"


def _result(article: Article, chunks, incidents) -> ArticleResult:
    if chunks is None:
        return ArticleResult(article.id, [], passed_over=PASSED_OVER)
    toponyms = [t for _, doc in chunks for t in doc._.toponyms]
    return ArticleResult(
        article.id,
        incidents,
        places=len(toponyms),
        unresolved=[t.name for t in toponyms if t.entry is None],
    )


class Engine:
    """Base contract: ``map(batches)`` yields ``work(batch)`` for each batch, in order."""

    name = "engine"

    def __init__(self, gazetteer: str, model: str, *, online: bool = False, read_all: bool = False):
        self.gazetteer, self.model, self.online, self.read_all = str(gazetteer), model, online, read_all

    @property
    def args(self) -> tuple:
        """The arguments of :func:`work` after the batch: with the online geocoder, each worker
        waits ``workers`` seconds between requests, so that all together ask once a second."""
        return self.gazetteer, self.model, float(self.workers) if self.online else None, self.read_all

    @property
    def workers(self) -> int:
        return 1

    def map(self, batches: Iterable[list[Article]]) -> Iterator[list[Result]]:
        for batch in batches:
            yield work(batch, *self.args)

    def close(self) -> None:
        """Release the engine's workers (an engine may start them lazily)."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def describe(self) -> dict:
        return {
            "engine": self.name,
            "workers": self.workers,
            "online_geocoder": self.online,
            "read_all": self.read_all,
        }


def ordered(submit: Callable, batches: Iterable, ahead: int) -> Iterator:
    """Results of ``submit(batch)`` (a future or an ``AsyncResult``) in input order, with at most
    ``ahead`` batches in flight."""
    futures: deque = deque()
    batches = iter(batches)

    def result(future):
        return future.result() if hasattr(future, "result") else future.get()

    try:
        for batch in batches:
            futures.append(submit(batch))
            if len(futures) >= ahead:
                yield result(futures.popleft())
        while futures:
            yield result(futures.popleft())
    finally:
        for f in futures:
            if hasattr(f, "cancel"):
                f.cancel()


def default_workers() -> int:
    """All the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def check(name: str, scheduler: str | None = None) -> None:
    """Raise ValueError unless ``name`` is an engine that takes the ``scheduler`` given."""
    if name not in ("local", "dask"):
        raise ValueError(f"--engine {name!r}: unknown engine (use local or dask)")
    if scheduler and name != "dask":
        raise ValueError("--scheduler: only the dask engine takes a scheduler address (add --engine dask)")


def get(
    name: str = "local",
    *,
    gazetteer: str,
    model: str,
    workers: int | None = None,
    scheduler: str | None = None,
    online: bool = False,
    read_all: bool = False,
):
    """The engine called ``name`` (``local`` or ``dask``)."""
    check(name, scheduler)
    if name == "local":
        from geomap.engines.local import LocalEngine

        return LocalEngine(gazetteer, model, workers=workers, online=online, read_all=read_all)
    from geomap.engines.dask import DaskEngine

    return DaskEngine(gazetteer, model, workers=workers, scheduler=scheduler, online=online, read_all=read_all)


def process(
    items: Iterable[Article | ArticleError],
    engine: Engine,
    cache=None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[Result]:
    """The result of every input, in order: errors as they were read, cached results from ``cache``
    (a :class:`geomap.cache.ResultCache`), the rest computed by ``engine`` and stored in the cache.

    Only results and cache keys (never texts) of the batches waiting for the engine stay in memory.
    """
    waiting: deque[tuple[list, list]] = deque()  # per batch: its slots (None: the engine's) and their keys

    def todo() -> Iterator[list[Article]]:
        items_ = iter(items)
        while chunk := list(islice(items_, batch_size)):
            articles = [a for a in chunk if isinstance(a, Article)]
            keys = [cache.key(a) for a in articles] if cache is not None else [None] * len(articles)
            found = cache.get_many(keys) if cache is not None else {}
            if engine.read_all:  # an article passed over before is read now
                found = {k: r for k, r in found.items() if r is None or r.passed_over is None}
            hits = iter(found.get(k) for k in keys)
            slots = [item if isinstance(item, ArticleError) else next(hits) for item in chunk]
            missing = [(a, k) for a, k in zip(articles, keys, strict=True) if found.get(k) is None]
            waiting.append((slots, [k for _, k in missing]))
            if missing:
                yield [a for a, _ in missing]

    for computed in engine.map(todo()):
        while not waiting[0][1]:
            yield from waiting.popleft()[0]
        slots, keys = waiting.popleft()
        if cache is not None:
            cache.put_many(zip(keys, computed, strict=True))
        results = iter(computed)
        yield from (next(results) if s is None else s for s in slots)
    while waiting:
        yield from waiting.popleft()[0]
