"""What main-text extraction costs a whole `geomap run` over a folder of 1,000 saved web pages.

    python benchmarks/bench_html_run.py                 # 1,000 pages, 2 workers
    python benchmarks/bench_html_run.py --pages 200 --workers 1

The pages are written by this script into a temporary folder, never into the project. Each takes the
markup of one of the saved pages in ``../shared/benchmarks/html/pages`` (tags, attributes, nesting, scripts
and styles as they are, so the parser and the extractor face real page structure and size), and every piece
of text in it is replaced by text this script makes up: English sentences about strikes in real places, as
long as the text they replace. Page ``i`` uses skeleton ``i % 60`` with its own random text, so all pages
differ (no page is read from the result cache) and have the main-text length of real news pages.

Three measurements on the same pages, each in wall seconds and CPU seconds (user + system, all processes;
on a shared machine CPU seconds are the steadier figure):
1. ``extraction``: reading every page with ``read_articles`` in one process (decoding, parsing, trafilatura
   with metadata, boilerplate lines, language check): the ingest work of the run, measured on its own.
2. ``run (pages)``: ``geomap run FOLDER --no-cache`` (the whole job: start-up, ingest, geoparsing and
   incidents in worker processes, map and outputs).
3. ``run (texts)``: the same run over the extracted main texts saved as ``.txt`` files (same ids).
The share is extraction / run (pages); ``run (pages) - run (texts)`` is what reading HTML adds to the run.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT.parent / "shared" / "benchmarks" / "html" / "pages"

PLACES = ["Aleppo", "Idlib", "Saraqib", "Homs", "Hama", "Raqqa", "Deir ez-Zor", "Mosul", "Kirkuk", "Tikrit",
          "Fallujah", "Ramadi", "Sanaa", "Hodeidah", "Marib", "Taiz", "Aden", "Kharkiv", "Donetsk", "Mariupol",
          "Kherson", "Zaporizhzhia", "Bakhmut", "Tripoli", "Benghazi", "Sirte", "Gaza", "Khan Younis", "Rafah",
          "Kandahar", "Helmand", "Kunduz", "Mogadishu", "Kismayo", "Maiduguri", "Timbuktu", "Gao",
          "El Fasher"]  # fmt: skip
ACTORS = ["Warplanes", "Government forces", "Rebel fighters", "Coalition jets", "Drones", "Militants",
          "Artillery units", "Helicopter gunships", "Armed men", "Security forces"]  # fmt: skip
ACTS = ["struck a market in", "shelled the outskirts of", "bombed a school near", "attacked a checkpoint in",
        "hit a fuel depot outside", "fired rockets at", "raided a village near",
        "targeted a convoy south of"]  # fmt: skip
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "overnight", "at dawn", "on Sunday"]
AFTER = ["killing {n} people, residents said.", "wounding {n} civilians, a medic said.",
         "officials said, adding that {n} fighters were killed.", "according to a monitoring group.",
         "the ministry said in a statement.", "leaving {n} dead and dozens wounded, rescuers said."]  # fmt: skip
FILLER = ["The", "officials", "said", "the", "area", "remained", "tense", "as", "aid", "groups", "called", "for",
          "calm", "and", "residents", "fled", "toward", "the", "coast", "while", "talks", "continued", "in", "the",
          "capital", "over", "a", "ceasefire", "that", "has", "repeatedly", "collapsed", "this", "year"]  # fmt: skip


def sentence(rng: random.Random) -> str:
    after = rng.choice(AFTER).format(n=rng.randint(2, 40))
    return f"{rng.choice(ACTORS)} {rng.choice(ACTS)} {rng.choice(PLACES)} {rng.choice(DAYS)}, {after}"


def text_like(rng: random.Random, old: str) -> str:
    """Made-up text as long as ``old``: report sentences for long pieces, a few words for short ones."""
    size = len(old.strip())
    if size == 0:
        return old
    if size < 60:
        words, total = [], 0
        while total + 6 < size:
            words.append(rng.choice(FILLER + PLACES))
            total += len(words[-1]) + 1
        return " ".join(words).capitalize() or "News"
    parts, total = [], 0
    while total < size:
        parts.append(sentence(rng) if rng.random() < 0.35 else " ".join(rng.choices(FILLER, k=12)).capitalize() + ".")
        total += len(parts[-1]) + 1
    text = " ".join(parts)
    return text[: text.rfind(" ", 0, size + 1)] if len(text) > size else text  # no longer than the original


def synthesize(skeleton: bytes, rng: random.Random) -> bytes:
    """The skeleton's markup with all its text (and text-bearing attributes, scripts, styles) replaced."""
    tree = lxml.html.document_fromstring(skeleton)
    for el in tree.iter():
        if not isinstance(el.tag, str):
            el.text = el.tail = None if el.getparent() is None else el.tail
            continue
        if el.tag in ("script", "style"):
            if el.text:
                kind = el.get("type", "")
                el.text = (
                    f'{{"@type": "NewsArticle", "headline": "{text_like(rng, "x" * 60)}", '
                    f'"datePublished": "20{rng.randint(15, 23)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"}}'
                    if "ld+json" in kind
                    else re.sub(r"\S", lambda _: rng.choice("abcdefxyz0123=;(){} "), el.text)
                )
        elif el.text:
            el.text = text_like(rng, el.text)
        if el.tail:
            el.tail = text_like(rng, el.tail)
        for name in ("alt", "title", "content", "aria-label", "placeholder", "value", "data-title"):
            if el.get(name):
                el.set(name, text_like(rng, el.get(name)))
    return lxml.html.tostring(tree, encoding="utf-8", doctype="<!DOCTYPE html>")


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, all its processes) of a command."""
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - started, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    skeletons = sorted(PAGES.glob("*.html"))
    if not skeletons:
        print(f"bench_html_run: no pages in {PAGES}", file=sys.stderr)
        return 2
    from geomap.articles import read_articles
    from geomap.records import Article

    with tempfile.TemporaryDirectory() as tmp:
        pages, texts, out = Path(tmp, "pages"), Path(tmp, "texts"), Path(tmp, "out")
        pages.mkdir()
        texts.mkdir()
        raw = [p.read_bytes() for p in skeletons]
        for i in range(args.pages):
            (pages / f"{i:04d}.html").write_bytes(synthesize(raw[i % len(raw)], random.Random(i)))
        size = sum(p.stat().st_size for p in pages.iterdir())

        started, cpu = time.perf_counter(), time.process_time()
        items = list(read_articles([pages]))
        extraction, extraction_cpu = time.perf_counter() - started, time.process_time() - cpu
        articles = [a for a in items if isinstance(a, Article)]
        for a in articles:
            (texts / f"{Path(a.id).stem}.txt").write_text(a.text)
        words = sum(len(a.text.split()) for a in articles)

        geomap = [sys.executable, "-m", "geomap.cli", "run", "--no-cache", "-q", "-j", str(args.workers)]
        (run_pages, cpu_pages), (run_texts, cpu_texts) = (
            timed([*geomap, str(folder), "-o", str(out / folder.name)]) for folder in (pages, texts)
        )

    print(f"{args.pages} pages ({size / 2**20:.0f} MB, {size / args.pages / 1024:.0f} KB a page), "
          f"{len(articles)} articles, {words / max(1, len(articles)):.0f} words of main text each; "
          f"{args.workers} workers; {1000 * extraction / args.pages:.0f} ms of extraction a page")  # fmt: skip
    print(f"{'':38} {'wall s':>8} {'CPU s':>8}")
    print(f"{'extraction (read_articles, 1 process)':38} {extraction:8.1f} {extraction_cpu:8.1f}")
    print(f"{'geomap run over the pages':38} {run_pages:8.1f} {cpu_pages:8.1f}")
    print(f"{'geomap run over their texts (.txt)':38} {run_texts:8.1f} {cpu_texts:8.1f}")
    print(f"{'extraction / whole run':38} {extraction / run_pages:8.1%} {extraction_cpu / cpu_pages:8.1%}")
    added = ((run_pages - run_texts) / run_pages, (cpu_pages - cpu_texts) / cpu_pages)
    print(f"{'run (pages) - run (texts), share':38} {added[0]:8.1%} {added[1]:8.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
