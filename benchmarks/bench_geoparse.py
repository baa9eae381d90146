"""Geoparsing throughput side by side with bare spaCy NER on the same texts, in one run.

    python benchmarks/bench_geoparse.py [--corpus ../shared/benchmarks/geoparsing/lgl.xml] [--repeat 3]

The texts are a gold corpus's articles (read, not copied). "bare NER" is the same spaCy model
with only tok2vec and ner, through ``nlp.pipe``; "geomap" is ``Geoparser.parse_many`` (the same
components plus recognition and resolution, with a cold lookup cache). The runs alternate and
the best of each is kept. Prints words/s for both and their ratio; writes JSON.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import spacy

from geomap.config import Settings
from geomap.evaluate import read_corpus
from geomap.places import Geoparser


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = Path(__file__).resolve().parent
    parser.add_argument("--corpus", type=Path, default=here.parent.parent / "shared/benchmarks/geoparsing/lgl.xml")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=here / "results/geoparse.json")
    args = parser.parse_args()
    texts = [a.text for a in read_corpus(args.corpus).articles]
    words = sum(len(t.split()) for t in texts)
    model = Settings().model
    bare = spacy.load(model, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
    geo = Geoparser(model=model)
    bare_times, geo_times, toponyms = [], [], 0
    for _ in range(args.repeat):
        t = time.perf_counter()
        for _doc in bare.pipe(texts, batch_size=32):
            pass
        bare_times.append(time.perf_counter() - t)
        geo.gazetteer._cached_lookup.cache_clear()
        t = time.perf_counter()
        toponyms = sum(len(found) for found in geo.parse_many(texts))
        geo_times.append(time.perf_counter() - t)
    figures = {
        "corpus": args.corpus.name,
        "texts": len(texts),
        "words": words,
        "toponyms": toponyms,
        "bare_ner_words_per_s": round(words / min(bare_times)),
        "geomap_words_per_s": round(words / min(geo_times)),
        "ratio": round(min(bare_times) / min(geo_times), 3),
    }
    for k, v in figures.items():
        print(f"{k:22s} {v}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
