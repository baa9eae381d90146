"""The local engine: this process for one worker or a short run, else a pool of worker processes."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import chain, islice

from geomap.engines import Engine, Result, default_workers, ordered, reader, work
from geomap.records import Article


class LocalEngine(Engine):
    """``workers`` processes (default: all cores), each loading the model and gazetteer once.

    Runs of a single batch stay in this process: starting workers would cost more than it saves.
    """

    name = "local"

    def __init__(self, gazetteer: str, model: str, *, workers: int | None = None, online: bool = False):
        super().__init__(gazetteer, model, online=online)
        if workers is not None and workers < 1:
            raise ValueError(f"--workers {workers}: use 1 or more")
        self._workers = workers or default_workers()
        self._pool: ProcessPoolExecutor | None = None

    @property
    def workers(self) -> int:
        return self._workers

    def map(self, batches: Iterable[list[Article]]) -> Iterator[list[Result]]:
        batches = iter(batches)
        head = list(islice(batches, 2))
        if self._workers == 1 or len(head) < 2:
            yield from super().map(chain(head, batches))
            return
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self._workers,
                mp_context=multiprocessing.get_context("spawn"),  # no inherited model, locks or connections
                initializer=reader,
                initargs=self.args,
            )
        pool = self._pool
        yield from ordered(lambda b: pool.submit(work, b, *self.args), chain(head, batches), 2 * self._workers)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
