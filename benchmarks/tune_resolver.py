"""Tune the resolver's document weights on the tuning corpora (GeoWebNews and LGL), by coordinate descent.

    python benchmarks/tune_resolver.py [--corpora GWN.xml lgl.xml]

Recognition and candidate lookup run once; each weight setting only re-chooses among the
candidates, so a setting costs seconds. Prints acc@161 per corpus for every setting tried and
the best one (to be copied into ``geomap.places.Weights`` by hand, with the figures).
TR-News and GeoVirus are for reporting only: never tune on them.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from dataclasses import asdict, replace
from pathlib import Path

from geopy.distance import great_circle

from gazetteer.normalize import key as name_key
from geomap.evaluate import read_corpus
from geomap.places import Geoparser, Weights, choose

GRID = {
    "country": [0.5, 1.0, 1.5, 2.5],
    "region": [0.5, 1.0, 2.0, 3.0],
    "near": [0.0, 0.5, 1.0, 2.0],
    "near_km": [150.0, 400.0, 1000.0],
    "country_floor": [1.5, 2.0, 2.5, 3.0],
    "capital_floor": [1.25, 1.75, 2.25],
}


def prepare(path: Path, parser: Geoparser) -> list[tuple[dict, dict, list]]:
    """Per article: candidate options and sizes of each name group, and the gold points its mentions match."""
    corpus = read_corpus(path)
    out = []
    for article, toponyms in zip(corpus.articles, parser.parse_many(a.text for a in corpus.articles), strict=True):
        options, sizes = {}, defaultdict(int)
        for t in toponyms:
            g = (name_key(t.text), t.kind)
            options.setdefault(g, list(t.candidates))
            sizes[g] += 1
        checks = []
        for gold in article.toponyms:
            if gold.lat is None:
                continue
            hit = next((t for t in toponyms if t.start < gold.end and gold.start < t.end), None)
            if hit is not None:
                checks.append(((name_key(hit.text), hit.kind), (gold.lat, gold.lon)))
        out.append((options, dict(sizes), checks))
    return out


def accuracy(prepared: list, weights: Weights) -> float:
    good = total = 0
    for options, sizes, checks in prepared:
        picks = choose(options, sizes, weights)
        for group, point in checks:
            total += 1
            pick = picks.get(group)
            if pick is None or (pick.match in ("skeleton", "fuzzy") and pick.name_similarity < 0.75):
                continue
            good += great_circle((pick.entry.lat, pick.entry.lon), point).km <= 161
    return good / total if total else 0.0


def main() -> None:
    here = Path(__file__).resolve().parent
    data = here.parent.parent / "shared/benchmarks/geoparsing"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", type=Path, default=[data / "GWN.xml", data / "lgl.xml"])
    parser.add_argument("--passes", type=int, default=2)
    args = parser.parse_args()
    geo = Geoparser()
    prepared = {p.name: prepare(p, geo) for p in args.corpora}

    def score(w: Weights) -> tuple[float, dict]:
        per = {name: accuracy(rows, w) for name, rows in prepared.items()}
        return sum(per.values()) / len(per), per

    best = Weights()
    best_score, per = score(best)
    print(f"start {best_score:.4f} {per}")
    for _ in range(args.passes):
        for field, values in GRID.items():
            for value in values:
                trial = replace(best, **{field: value})
                s, per = score(trial)
                print(f"{field}={value:<6} {s:.4f} " + " ".join(f"{k} {v:.4f}" for k, v in per.items()))
                if s > best_score + 1e-9:
                    best, best_score = trial, s
    print(f"best {best_score:.4f} {asdict(best)}")


if __name__ == "__main__":
    main()
