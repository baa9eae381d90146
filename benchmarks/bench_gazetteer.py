"""Gazetteer benchmark: build time, open + first lookup, exact and fuzzy lookup speed, file size.

    python benchmarks/bench_gazetteer.py [--build] [--json benchmarks/results/gazetteer.json]

Exact lookups use names drawn from the gazetteer itself; fuzzy lookups use the same names with
one consonant changed (so that neither the exact nor the skeleton key matches). Each query is
timed once, uncached. Figures are printed and written as JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gazetteer import Gazetteer, build, default_path


def timed_open(path: Path) -> float:
    """Open + first lookup in a fresh interpreter (what a user's first command pays)."""
    code = (
        "import time; t=time.perf_counter(); from gazetteer import Gazetteer; "
        f"g=Gazetteer({str(path)!r}); g.lookup('Damascus'); print(time.perf_counter()-t)"
    )
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def sample_names(gaz: Gazetteer, n: int, seed: int = 7) -> list[str]:
    rows = gaz.db.execute(
        "SELECT name FROM entries WHERE population > 1000 AND feature_class='P' ORDER BY id"
    ).fetchall()
    rng = random.Random(seed)
    return [r[0] for r in rng.sample(rows, n)]


def typo(name: str, rng: random.Random) -> str:
    positions = [i for i, c in enumerate(name) if c.isalpha() and c.lower() not in "aeiouy"]
    if not positions:
        return name + "x"
    i = rng.choice(positions[1:] or positions)
    return name[:i] + rng.choice("bdfgklmnprstvz") + name[i + 1 :]


def per_query_us(gaz: Gazetteer, queries: list[str], **kwargs) -> list[float]:
    times = []
    for q in queries:
        t = time.perf_counter()
        gaz.lookup(q, **kwargs)
        times.append((time.perf_counter() - t) * 1e6)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="also time a full build (into a temporary file)")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--json", type=Path, default=Path("benchmarks/results/gazetteer.json"))
    args = parser.parse_args()
    figures: dict = {}
    if args.build:
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            build.build(Path(tmp) / "g.sqlite", fetch=False)
            figures["build_seconds"] = round(time.perf_counter() - t, 1)
    path = default_path()
    gaz = Gazetteer.open(path)
    figures["file_mb"] = round(path.stat().st_size / 1e6, 1)
    figures["open_first_lookup_seconds"] = round(min(timed_open(path) for _ in range(3)), 4)
    names = sample_names(gaz, args.queries)
    exact = per_query_us(gaz, names, fuzzy=False)
    rng = random.Random(11)
    typos = [typo(n, rng) for n in names[: args.queries // 4]]
    fuzzy = per_query_us(gaz, typos)
    figures["exact_lookup_us_median"] = round(statistics.median(exact), 1)
    figures["exact_lookup_us_mean"] = round(statistics.fmean(exact), 1)
    figures["fuzzy_lookup_ms_median"] = round(statistics.median(fuzzy) / 1000, 2)
    figures["fuzzy_lookup_ms_p95"] = round(sorted(fuzzy)[int(len(fuzzy) * 0.95)] / 1000, 2)
    figures["queries"] = {"exact": len(exact), "fuzzy": len(fuzzy)}
    for k, v in figures.items():
        print(f"{k:28s} {v}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
