"""End-to-end speed, scaling and memory of the whole pipeline on real news, side by side with bare spaCy NER.

    python benchmarks/bench_pipeline.py [--workers 1 2] [--dask] [--articles N] [--corpora DIR]
                                        [--memory 100000] [--map-sizes 1000 10000 100000]

The corpus is REAL unique text: the 1,135 articles of the four public geoparsing corpora in
``../shared/benchmarks/geoparsing/`` (GeoVirus, TR-News, LGL, GeoWebNews; read with
:func:`geomap.evaluate.read_corpus`), written once as JSON Lines shards in a temporary folder (no text is
copied into the project). ``--articles N`` takes the first N of them (0: skip the speed runs).

Every cache is cold: no result cache (``cache=False``), and each timed configuration runs in a fresh
child process (so the gazetteer's lookup cache, spaCy's string and vector caches and every lru cache start
empty); the models (spaCy, the gazetteer, the language identifier) load in that child before the clock.
Worker processes (2 workers, Dask) start, and load them, inside the timing. The operating system's file
cache is not emptied.
Figures, in one run, each against bare NER:

- bare spaCy NER (the same model with only tok2vec and ner, ``nlp.pipe``, one process) on the same
  texts, once before and once after the geomap runs; ratios are to the mean of the two;
- ``extract_incidents`` end to end (read files, parse, resolve, incidents, merge, frame; no cache),
  one worker, in default mode (articles with no word an incident could be read from are passed over
  before the model) and in full reading (``read_all=True``: every article geoparsed; "n/a" when this
  geomap has no such option);
- default mode with each other ``--workers`` count, and ``--dask`` on a local 2-worker Dask cluster: the
  speed-up over one worker, and whether each GeoJSON is byte-identical to the one-worker default run.

Words/s is the words of all the articles (``str.split``) over the seconds, passed-over articles included.

- ``--memory N``: ``geomap extract`` (default mode, all cores) over N articles in a child process, the peak
  total resident memory of it and its workers (sampled every 0.2 s with psutil). There are only 1,135
  real articles, so the N are made by cycling them, each copy with its own id.
- ``--map-sizes``: the map build and first render for that many incidents (benchmarks/bench_map.py).

Prints the figures and writes them to benchmarks/results/pipeline.json.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import inspect
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPORA = ROOT.parent / "shared" / "benchmarks" / "geoparsing"
NAMES = ("GeoVirus.xml", "TR-News.xml", "lgl.xml", "GWN.xml")
SHARD = 1000


def real_articles(corpora: Path) -> list[dict]:
    """The articles of the four corpora as JSON Lines records (id made unique with the corpus name)."""
    from geomap.evaluate import read_corpus

    missing = [name for name in NAMES if not (corpora / name).is_file()]
    if missing:
        raise SystemExit(f"{corpora}: missing {', '.join(missing)} (the public geoparsing corpora)")
    return [
        {"id": f"{path.stem}-{a.id}", "text": a.text, "source": path.stem}
        for path in (corpora / name for name in NAMES)
        for a in read_corpus(path).articles
    ]


def write_corpus(folder: Path, articles: list[dict], n: int) -> int:
    """``n`` articles in JSON Lines shards, cycling ``articles`` (copies get their own id); returns the words."""
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for start in range(0, n, SHARD):
        with open(folder / f"articles-{start // SHARD:05d}.jsonl", "w", encoding="utf-8") as fh:
            for i in range(start, min(n, start + SHARD)):
                copy, record = divmod(i, len(articles))
                record = articles[record]
                words += len(record["text"].split())
                fh.write(json.dumps({**record, "id": f"{record['id']}~{copy}" if copy else record["id"]}) + "\n")
    return words


def read_all_option() -> bool:
    """Whether this geomap can read every article (``read_all``) rather than pass some over before the model."""
    from geomap import api

    return any("read_all" in inspect.signature(f).parameters for f in (api.extract_incidents, api.results))


# -- in the fresh child process ------------------------------------------------------------------


def bare_ner(folder: str, model: str) -> dict:
    import spacy

    texts = [json.loads(line)["text"] for p in sorted(Path(folder).glob("*.jsonl")) for line in p.open("rb")]
    nlp = spacy.load(model, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    return {"seconds": time.perf_counter() - started}


def end_to_end(folder: str, out: str, model: str, options: dict) -> dict:
    """``extract_incidents`` with no result cache; with one local worker, its models (spaCy with the
    gazetteer, the language identifier) load first, on text of the benchmark's own."""
    from geomap import engines, frame
    from geomap.api import Report, extract_incidents
    from geomap.articles.language import identify
    from geomap.config import Settings

    if options.get("engine", "local") == "local" and options.get("workers") == 1:
        engines.reader(str(Settings().gazetteer), model)
        identify("The language identifier loads its model here, before the clock starts.")
    report = Report()
    started = time.perf_counter()
    incidents = extract_incidents(folder, cache=False, model=model, report=report, **options)
    seconds = time.perf_counter() - started
    frame.write(incidents, out)
    counts = {k: v for k, v in report.as_dict().items() if isinstance(v, int) and not isinstance(v, bool)}
    return {"seconds": seconds, "incidents": len(incidents), "report": counts}


def child(spec: dict) -> None:
    """Run one timed configuration and write its figures to ``spec["result"]``."""
    if spec["kind"] == "bare":
        figures = bare_ner(spec["folder"], spec["model"])
    else:
        figures = end_to_end(spec["folder"], spec["out"], spec["model"], spec["options"])
    Path(spec["result"]).write_text(json.dumps(figures))


def fresh(tmp: Path, name: str, **spec) -> dict:
    """One timed configuration in a fresh Python process."""
    spec["result"] = str(tmp / f"{name}.json")
    print(f"  running {name} in a fresh process...", file=sys.stderr)
    subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)], check=True)
    return json.loads(Path(spec["result"]).read_text())


# -- in the parent ---------------------------------------------------------------------------------


def peak_memory(folder: Path, out: Path) -> dict:
    """Run ``geomap extract`` on the folder in a child process; peak RSS of it and its workers."""
    import psutil

    cmd = [sys.executable, "-m", "geomap.cli", "extract", str(folder), "-o", str(out), "--no-cache", "-q"]
    started = time.perf_counter()
    child_ = psutil.Popen(cmd)
    peak = 0
    while child_.poll() is None:
        total = 0
        for p in [child_, *child_.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
        peak = max(peak, total)
        time.sleep(0.2)
    if child_.returncode:
        raise SystemExit(f"geomap extract failed with exit code {child_.returncode}")
    return {"peak_rss_mb": round(peak / 2**20), "seconds": round(time.perf_counter() - started, 1)}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def row(name: str, articles: int, words: int, seconds: float, ratio: str, rest: str = "") -> None:
    print(f"{name:34s} {articles:8,d} {words:9,d} {seconds:8.1f} {words / seconds:9,.0f}  {ratio:>8s}  {rest}")


def speed_runs(args, model: str, articles: list[dict], tmp: Path) -> dict:
    """Bare NER and each configuration of geomap, every one in a fresh process, on the same real articles."""
    n = len(articles)
    words = write_corpus(tmp / "corpus", articles, n)
    folder = str(tmp / "corpus")
    figures: dict = {"articles": n, "words": words}
    full = read_all_option()
    configs = [("default mode, 1 worker", "default-1", {"workers": 1})]
    configs += [("full reading, 1 worker", "full-1", {"workers": 1, "read_all": True})] if full else []
    configs += [(f"default mode, {w} workers", f"default-{w}", {"workers": w}) for w in args.workers if w != 1]
    configs += [("default mode, Dask 2 workers", "dask-2", {"engine": "dask", "workers": 2})] if args.dask else []

    print(f"{'':34s} {'articles':>8s} {'words':>9s} {'seconds':>8s} {'words/s':>9s}  {'/bare NER':>8s}")
    bare = [fresh(tmp, "bare-0", kind="bare", folder=folder, model=model)["seconds"]]
    row("bare spaCy NER (before)", n, words, bare[0], "-")
    runs = {}
    for label, name, options in configs:
        out = tmp / f"{name}.geojson"
        runs[name] = {"label": label, "options": options}
        runs[name] |= fresh(tmp, name, kind="extract", folder=folder, out=str(out), model=model, options=options)
        runs[name]["geojson"] = digest(out)
    bare.append(fresh(tmp, "bare-1", kind="bare", folder=folder, model=model)["seconds"])
    row("bare spaCy NER (after)", n, words, bare[1], "-")
    reference = sum(bare) / len(bare)
    figures["bare_ner"] = {
        "seconds": [round(s, 2) for s in bare],
        "mean_seconds": round(reference, 2),
        "words_per_s": round(words / reference),
    }
    row("bare spaCy NER (mean)", n, words, reference, "1.000")
    first = runs["default-1"]["geojson"]
    for run in runs.values():
        seconds = run["seconds"]
        run |= {
            "seconds": round(seconds, 2),
            "articles_per_s": round(n / seconds, 1),
            "words_per_s": round(words / seconds),
            "ratio_to_bare_ner": round(reference / seconds, 3),
            "identical_to_default_1": run["geojson"] == first,
        }
        same = "=" if run["identical_to_default_1"] else "DIFFERS from"
        passed = run["report"].get("articles_passed_over", 0)
        rest = f"{run['incidents']} incidents, {passed} passed over, GeoJSON {same} default 1 worker"
        row(f"geomap {run['label']}", n, words, seconds, f"{run['ratio_to_bare_ner']:.3f}", rest)
    if not full:
        print("geomap full reading, 1 worker      n/a (no read_all option)")
    figures["end_to_end"] = runs
    if "default-2" in runs:
        figures["speedup_2_workers"] = round(runs["default-1"]["seconds"] / runs["default-2"]["seconds"], 2)
        print(f"default mode, 2 workers / 1 worker: {figures['speedup_2_workers']}x")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=CORPORA, help="Folder of the four geoparsing corpora.")
    parser.add_argument("--articles", type=int, default=None, help="First N real articles (default all; 0: skip).")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--dask", action="store_true", help="Also run the Dask engine (local cluster, 2 workers).")
    parser.add_argument("--memory", type=int, default=0, help="Articles for the peak-memory run (0: skip).")
    parser.add_argument("--map-sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    parser.add_argument("--json", type=Path, default=HERE / "results" / "pipeline.json")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # each figure as it is measured, in order with the children's output
    if args.child:
        child(json.loads(args.child))
        return

    from geomap.config import Settings

    model = Settings().model
    figures: dict = {
        "corpus": f"real: {', '.join(NAMES)} from {args.corpora}",
        "model": model,
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; model {model}")
    need_articles = args.articles != 0 or args.memory
    articles = real_articles(args.corpora) if need_articles else []
    with tempfile.TemporaryDirectory(prefix="geomap-bench-") as tmp:
        tmp = Path(tmp)
        if args.articles != 0:
            figures.update(speed_runs(args, model, articles[: args.articles], tmp))
        if args.memory:
            words = write_corpus(tmp / "memory", articles, args.memory)
            stats = peak_memory(tmp / "memory", tmp / "memory.geojson")
            figures["memory"] = {"articles": args.memory, "words": words, "real_texts": len(articles), **stats}
            print(
                f"peak memory for {args.memory:,} articles ({words:,} words; the {len(articles):,} real articles "
                f"cycled, each copy with its own id): {stats['peak_rss_mb']:,} MB ({stats['seconds']} s)",
            )
    figures["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.map_sizes:
        sizes = [str(n) for n in args.map_sizes]
        subprocess.run([sys.executable, str(HERE / "bench_map.py"), "--sizes", *sizes], check=True)
        figures["map"] = json.loads((HERE / "results" / "map.json").read_text())
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"-> {args.json}")


if __name__ == "__main__":
    main()
