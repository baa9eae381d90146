"""The local engine: this process for one worker or a short run, else a pool of worker processes."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import chain, islice
from multiprocessing.pool import Pool

from geomap.engines import Engine, Result, default_workers, ordered, reader, work
from geomap.records import Article


class LocalEngine(Engine):
    """``workers`` processes (default: all cores), each loading the model and gazetteer once.

    Runs of a single batch stay in this process: starting workers would cost more than it saves.
    """

    name = "local"

    def __init__(
        self, gazetteer: str, model: str, *, workers: int | None = None, online: bool = False, read_all: bool = False
    ):
        super().__init__(gazetteer, model, online=online, read_all=read_all)
        if workers is not None and workers < 1:
            raise ValueError(f"--workers {workers}: use 1 or more")
        self._workers = workers or default_workers()
        self._pool: Pool | None = None

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
            with _caller_not_imported():  # spawned: no inherited model, locks or connections
                self._pool = multiprocessing.get_context("spawn").Pool(self._workers, reader, self.args[:3])
        pool = self._pool
        yield from ordered(lambda b: pool.apply_async(work, (b, *self.args)), chain(head, batches), 2 * self._workers)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


@contextmanager
def _caller_not_imported():
    """Workers run geomap's code only: they need not import the caller's main module (and in a script
    without an ``if __name__ == "__main__":`` guard, importing it would start the run again)."""
    main = sys.modules["__main__"]
    saved = {name: getattr(main, name) for name in ("__spec__", "__file__") if hasattr(main, name)}
    main.__spec__ = None
    if "__file__" in saved:
        del main.__file__
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(main, name, value)
