"""The Dask engine: batches of articles as tasks on a ``dask.distributed`` cluster.

Give the address of an existing scheduler (``tcp://host:8786``), or none for a local cluster of
``workers`` processes on 127.0.0.1. Every worker needs geomap installed and the gazetteer at the same
path (or ``GEOMAP_GAZETTEER``); each of its threads loads the model once and keeps it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from geomap.engines import Engine, Result, default_workers, ordered, work
from geomap.records import Article


class DaskEngine(Engine):
    """Runs :func:`geomap.engines.work` on a Dask cluster; results come back in input order."""

    name = "dask"

    def __init__(
        self,
        gazetteer: str,
        model: str,
        *,
        workers: int | None = None,
        scheduler: str | None = None,
        online: bool = False,
        read_all: bool = False,
    ):
        super().__init__(gazetteer, model, online=online, read_all=read_all)
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ValueError("--engine dask needs dask.distributed: pip install 'geomap[dask]'") from None
        if workers is not None and workers < 1:
            raise ValueError(f"--workers {workers}: use 1 or more")
        self.scheduler = scheduler
        self._cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="10s")
            except OSError as exc:
                raise ValueError(f"--scheduler {scheduler}: cannot reach a Dask scheduler there ({exc})") from None
        else:
            self._cluster = LocalCluster(
                n_workers=workers or default_workers(),
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            self.client = Client(self._cluster)

    @property
    def workers(self) -> int:
        info = self.client.scheduler_info()["workers"].values()
        return max(1, sum(w.get("nthreads", 1) for w in info))

    def map(self, batches: Iterable[list[Article]]) -> Iterator[list[Result]]:
        def submit(batch):
            return self.client.submit(work, batch, *self.args, pure=False)

        yield from ordered(submit, batches, 2 * self.workers)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def describe(self) -> dict:
        return {**super().describe(), "scheduler": self.scheduler or self.client.scheduler.address}
