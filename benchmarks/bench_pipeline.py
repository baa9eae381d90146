"""End-to-end speed, scaling and memory of the whole pipeline, side by side with bare spaCy NER.

    python benchmarks/bench_pipeline.py [--articles 2000] [--workers 1 2] [--dask]
                                        [--memory 100000] [--map-sizes 1000 10000 100000]

The corpus is SYNTHETIC, for speed only: articles made by shuffling the sentences of the project's
own example reports (examples/articles), written as JSON Lines shards whose records say
``"source": "synthetic"``. Figures:

- bare spaCy NER (the same model with only tok2vec and ner, ``nlp.pipe``, one process) on the texts;
- ``extract_incidents`` end to end (read files, parse, resolve, incidents, merge, frame; no cache)
  with each ``--workers`` count, and with ``--dask`` on a local 2-worker Dask cluster: articles/s,
  words/s, the ratio to bare NER (one worker), the speed-up over one worker, and whether every
  engine's GeoJSON is byte-identical to the one-worker run;
- ``--memory N``: ``geomap extract`` over N articles in a child process, the peak total resident
  memory of it and its workers (sampled every 0.2 s with psutil);
- ``--map-sizes``: the map build and first render for that many incidents (benchmarks/bench_map.py).

Prints the figures and writes them to benchmarks/results/pipeline.json.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARD = 1000


def sentences() -> list[str]:
    """The sentences of the project's own example reports."""
    from geomap.articles import read_articles
    from geomap.records import Article

    texts = [a.text for a in read_articles([ROOT / "examples" / "articles"]) if isinstance(a, Article)]
    return [s.strip() for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if len(s.split()) >= 5]


def write_corpus(folder: Path, n: int, seed: int = 0) -> int:
    """``n`` synthetic articles of 6 to 12 sentences in JSON Lines shards; returns the word count."""
    rng = random.Random(seed)
    pool = sentences()
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for start in range(0, n, SHARD):
        with open(folder / f"synthetic-{start // SHARD:05d}.jsonl", "w", encoding="utf-8") as fh:
            for i in range(start, min(n, start + SHARD)):
                text = " ".join(rng.sample(pool, rng.randint(6, 12)))
                words += len(text.split())
                published = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
                record = {"id": f"synthetic-{i:06d}", "text": text, "published": published.isoformat()}
                fh.write(json.dumps({**record, "title": f"Synthetic article {i}", "source": "synthetic"}) + "\n")
    return words


def texts_of(folder: Path) -> list[str]:
    return [json.loads(line)["text"] for p in sorted(folder.glob("*.jsonl")) for line in p.open(encoding="utf-8")]


def bare_ner(texts: list[str], model: str) -> float:
    import spacy

    nlp = spacy.load(model, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    return time.perf_counter() - started


def end_to_end(folder: Path, out: Path, **options) -> float:
    """Seconds for ``extract_incidents`` (no cache). The in-process model is loaded before the clock
    starts, as bare NER's is; worker processes (2 workers, Dask) start inside the timing."""
    from geomap import engines, frame
    from geomap.api import extract_incidents
    from geomap.config import Settings

    settings = Settings()
    engines.reader(str(settings.gazetteer), settings.model)

    started = time.perf_counter()
    incidents = extract_incidents(folder, cache=False, **options)
    seconds = time.perf_counter() - started
    frame.write(incidents, out)
    return seconds


def peak_memory(folder: Path, out: Path) -> dict:
    """Run ``geomap extract`` on the folder in a child process; peak RSS of it and its workers."""
    import psutil

    cmd = [sys.executable, "-m", "geomap.cli", "extract", str(folder), "-o", str(out), "--no-cache", "-q"]
    started = time.perf_counter()
    child = psutil.Popen(cmd)
    peak = 0
    while child.poll() is None:
        total = 0
        for p in [child, *child.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
        peak = max(peak, total)
        time.sleep(0.2)
    if child.returncode:
        raise SystemExit(f"geomap extract failed with exit code {child.returncode}")
    return {"peak_rss_mb": round(peak / 2**20), "seconds": round(time.perf_counter() - started, 1)}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def speed_runs(args, model: str, tmp: Path) -> dict:
    """Bare NER, then each engine end to end, on the same synthetic corpus of ``args.articles``."""
    words = write_corpus(tmp / "corpus", args.articles)
    figures: dict = {"articles": args.articles, "words": words}
    bare = bare_ner(texts_of(tmp / "corpus"), model)
    figures["bare_ner"] = {"seconds": round(bare, 2), "words_per_s": round(words / bare)}
    print(f"bare spaCy NER      {words / bare:10,.0f} words/s  ({bare:.1f} s)", flush=True)
    runs, reference = {}, None
    engines = [("local", w) for w in args.workers] + ([("dask", 2)] if args.dask else [])
    for engine, workers in engines:
        name = f"{engine}-{workers}"
        out = tmp / f"{name}.geojson"
        seconds = end_to_end(tmp / "corpus", out, engine=engine, workers=workers)
        reference = reference or digest(out)
        runs[name] = {
            "seconds": round(seconds, 2),
            "articles_per_s": round(args.articles / seconds, 1),
            "words_per_s": round(words / seconds),
            "ratio_to_bare_ner": round(bare / seconds, 3),
            "identical_to_first": digest(out) == reference,
        }
        print(
            f"geomap {name:12s} {words / seconds:10,.0f} words/s  {args.articles / seconds:7.1f} articles/s  "
            f"ratio to bare NER {bare / seconds:.3f}  identical {digest(out) == reference}",
            flush=True,
        )
    figures["end_to_end"] = runs
    if "local-1" in runs and "local-2" in runs:
        figures["speedup_2_workers"] = round(runs["local-1"]["seconds"] / runs["local-2"]["seconds"], 2)
        print(f"2 workers / 1 worker  {figures['speedup_2_workers']}x", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000, help="Synthetic articles for the speed runs (0: skip).")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--dask", action="store_true", help="Also run the Dask engine (local cluster, 2 workers).")
    parser.add_argument("--memory", type=int, default=0, help="Articles for the peak-memory run (0: skip).")
    parser.add_argument("--map-sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    parser.add_argument("--json", type=Path, default=HERE / "results" / "pipeline.json")
    args = parser.parse_args()

    from geomap.config import Settings

    model = Settings().model
    figures: dict = {"corpus": "synthetic (shuffled sentences of examples/articles)", "model": model}
    with tempfile.TemporaryDirectory(prefix="geomap-bench-") as tmp:
        tmp = Path(tmp)
        if args.articles:
            figures.update(speed_runs(args, model, tmp))
        if args.memory:
            words = write_corpus(tmp / "memory", args.memory, seed=1)
            stats = peak_memory(tmp / "memory", tmp / "memory.geojson")
            figures["memory"] = {"articles": args.memory, "words": words, **stats}
            print(f"peak memory for {args.memory:,} articles: {stats['peak_rss_mb']:,} MB ({stats['seconds']} s)")
    if args.map_sizes:
        sizes = [str(n) for n in args.map_sizes]
        subprocess.run([sys.executable, str(HERE / "bench_map.py"), "--sizes", *sizes], check=True)
        figures["map"] = json.loads((HERE / "results" / "map.json").read_text())
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"-> {args.json}")


if __name__ == "__main__":
    main()
