"""Tune the resolver's document weights on the tuning corpora (GeoWebNews and LGL), by coordinate descent.

    python benchmarks/tune_resolver.py [--corpora GWN.xml lgl.xml] [--gold-spans]

Recognition and candidate lookup run once; each weight setting only re-chooses among the
candidates, so a setting costs seconds. With ``--gold-spans`` the resolver is given the gold
mentions (as ``geomap eval --gold-spans``) and both figures, end to end and given names, are printed
and averaged. Prints acc@161 per corpus for every setting tried and
the best one (to be copied into ``geomap.places.Weights`` by hand, with the figures).
TR-News and GeoVirus are for reporting only: never tune on them.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict, replace
from pathlib import Path

from geopy.distance import great_circle

from geomap.evaluate import ACC_KM, _match, read_corpus
from geomap.places import Geoparser, Weights, choose
from geomap.records import Toponym

GRID = {
    "prior": [1.0, 1.5, 2.0, 2.5, 3.0],
    "alternate": [0.6, 0.7, 0.8, 0.9, 1.0],
    "country": [0.5, 1.0, 1.5, 2.5, 4.0],
    "region": [0.5, 1.0, 2.0, 3.0, 5.0],
    "near": [0.0, 0.5, 1.0, 2.0, 4.0],
    "near_km": [50.0, 150.0, 400.0, 1000.0],
    "country_floor": [1.5, 2.0, 2.5, 3.0, 4.0],
    "capital_floor": [1.25, 1.75, 2.25, 3.0],
    "sharpness": [2.0, 4.0, 8.0, 16.0],
    "rounds": [1, 2, 3, 5],
    "qualified": [2.0, 3.0, 5.0, 10.0],
}


def prepare(path: Path, parser: Geoparser, *, gold_spans: bool = False) -> list[tuple[dict, dict, dict, list]]:
    """Per text: what the resolver chooses from (usable candidates, group sizes, qualifier hints) and,
    for each gold toponym with coordinates that a mention matches (as :func:`geomap.evaluate.evaluate`
    matches them), its group and gold point. ``gold_spans``: the mentions are the gold ones."""
    corpus = read_corpus(path)
    resolver = parser.nlp.get_pipe("geomap_resolver")
    if gold_spans:
        docs = parser.given_docs((a.text, [(t.start, t.end) for t in a.toponyms]) for a in corpus.articles)
        chunked = ((article, [(0, doc)]) for article, doc in zip(corpus.articles, docs, strict=True))
    else:
        chunked = parser.docs((a.text, a) for a in corpus.articles)
    out = []
    for article, chunks in chunked:
        for offset, doc in chunks:
            groups, _, usable, hints, sides = resolver.inputs(doc)
            spans = [(s, g) for g, members in groups.items() for s in members]
            predicted = [Toponym(s.start_char + offset, s.end_char + offset, s.text, s.text, g[1]) for s, g in spans]
            gold = [t for t in article.toponyms if offset <= t.start < offset + len(doc.text)]
            checks = [
                (spans[pi][1], (gold[gi].lat, gold[gi].lon))
                for gi, pi in _match(gold, predicted).items()
                if gold[gi].lat is not None
            ]
            out.append((usable, {g: len(m) for g, m in groups.items()}, hints, sides, checks))
    return out


def accuracy(prepared: list, weights: Weights) -> float:
    """acc@161 over the matched gold toponyms (an unresolved mention is a miss, as in the evaluation)."""
    good = total = 0
    for usable, sizes, hints, sides, checks in prepared:
        picks = choose(usable, sizes, weights, hints, sides)
        for group, point in checks:
            total += 1
            pick = picks.get(group)
            good += pick is not None and great_circle((pick.entry.lat, pick.entry.lon), point).km <= ACC_KM
    return good / total if total else 0.0


def main() -> None:
    here = Path(__file__).resolve().parent
    data = here.parent.parent / "shared/benchmarks/geoparsing"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", type=Path, default=[data / "GWN.xml", data / "lgl.xml"])
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--gold-spans", action="store_true", help="Also score resolution of the gold mentions.")
    args = parser.parse_args()
    geo = Geoparser()
    prepared = {p.name: prepare(p, geo) for p in args.corpora}
    if args.gold_spans:
        prepared |= {f"{p.name} given": prepare(p, geo, gold_spans=True) for p in args.corpora}

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
