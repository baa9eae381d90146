"""Score main-text extraction from saved web pages, geomap beside trafilatura's own defaults.

    python benchmarks/score_html.py                       # ../shared/benchmarks/html
    python benchmarks/score_html.py path/to/html --pages  # also one line per page that does not pass
    python benchmarks/score_html.py --json
    python benchmarks/score_html.py --lines ../shared/benchmarks/geoparsing/*.xml   # what the line filter drops

The folder holds ``eval.json`` (a list of ``{"file", "with": [...], "without": [...]}``) and ``pages/<file>``.
geomap's text is what ``geomap.articles.read_articles`` gives for the page (the real ingest path, so the same
script measures any checkout: ``PYTHONPATH=../main python benchmarks/score_html.py``); trafilatura's is
``trafilatura.extract(page_bytes)`` with every option at its default (and, to show where geomap's gain comes
from, with reader comments off, as geomap runs it). A snippet is found when it is a
case-sensitive substring of the text after every run of whitespace in both is collapsed to one space (the rule of
trafilatura's own evaluation). Figures: ``with`` = share of the "with" snippets found, ``without`` = share of the
"without" snippets absent, ``pages`` = pages with every "with" snippet found and every "without" one absent.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "benchmarks" / "html"


def squeeze(text: str) -> str:
    return " ".join(text.split())


def geomap_text(path: Path) -> str:
    from geomap.articles import read_articles

    items = list(read_articles([path]))
    return "\n".join(getattr(item, "text", "") for item in items)


def trafilatura_text(path: Path, **options) -> str:
    import trafilatura

    return trafilatura.extract(path.read_bytes(), **options) or ""


EXTRACTORS = {
    "geomap": geomap_text,
    "trafilatura defaults": trafilatura_text,
    "trafilatura, comments off": lambda path: trafilatura_text(path, include_comments=False),
}


def dropped_lines(paths: list[Path]) -> int:
    """Print the lines of plain news texts that geomap's boilerplate filter would drop: a check of the filter on
    text it was not tuned on (the ``<text>`` elements of the gold corpora' XML, or text files)."""
    from geomap.articles.html import is_boilerplate

    total = dropped = 0
    for path in paths:
        raw = path.read_text(encoding="utf-8", errors="replace")
        texts = (
            [html.unescape(t) for t in re.findall(r"<text>(.*?)</text>", raw, re.S)] if path.suffix == ".xml" else [raw]
        )
        for line in (squeeze(line) for text in texts for line in text.split("\n")):
            if line:
                total += 1
                if is_boilerplate(line):
                    dropped += 1
                    print(f"{path.name}: {line[:160]}")
    print(f"{dropped} of {total} lines dropped")
    return 0


def score(folder: Path, extract) -> dict:
    """The three figures of one extractor over the folder, its CPU time per page and the pages that fail."""
    pages = json.loads((folder / "eval.json").read_text(encoding="utf-8"))
    found = kept_out = n_with = n_without = clean = 0
    failing: list[dict] = []
    seconds = 0.0
    for page in pages:
        started = time.process_time()
        text = squeeze(extract(folder / "pages" / page["file"]))
        seconds += time.process_time() - started
        missed = [s for s in page["with"] if squeeze(s) not in text]
        leaked = [s for s in page["without"] if squeeze(s) in text]
        found += len(page["with"]) - len(missed)
        kept_out += len(page["without"]) - len(leaked)
        n_with, n_without = n_with + len(page["with"]), n_without + len(page["without"])
        if missed or leaked:
            failing.append({"file": page["file"], "missed": missed, "leaked": leaked})
        else:
            clean += 1
    return {
        "with": round(found / n_with, 3),
        "without": round(kept_out / n_without, 3),
        "pages": clean,
        "of": len(pages),
        "cpu_ms_per_page": round(1000 * seconds / len(pages), 1),
        "failing": failing,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT, help="folder with eval.json and pages/")
    ap.add_argument("--pages", action="store_true", help="list each page that does not pass, with its snippets")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--lines", nargs="+", type=Path, help="instead: the lines of these news texts the filter drops")
    args = ap.parse_args()
    if args.lines:
        return dropped_lines(args.lines)
    if not (args.folder / "eval.json").is_file():
        print(f"score_html: {args.folder}: no eval.json", file=sys.stderr)
        return 2
    results = {name: score(args.folder, extract) for name, extract in EXTRACTORS.items()}
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return 0
    print(f"{'extractor':<22} {'with':>6} {'without':>8} {'clean pages':>12} {'CPU ms/page':>12}")
    for name, r in results.items():
        clean = f"{r['pages']} of {r['of']}"
        print(f"{name:<22} {r['with']:>6.3f} {r['without']:>8.3f} {clean:>12} {r['cpu_ms_per_page']:>12.1f}")
    if args.pages:
        for name, r in results.items():
            print(f"\n{name}: pages that do not pass")
            for page in r["failing"]:
                print(f"  {page['file']}")
                for s in page["missed"]:
                    print(f"    missed: {s[:100]!r}")
                for s in page["leaked"]:
                    print(f"    leaked: {s[:100]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
