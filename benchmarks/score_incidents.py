"""Score extracted incidents against a gold file in the format of ``../shared/seeds/gold.json``.

    python benchmarks/score_incidents.py ../shared/seeds                      # runs geomap on the folder
    python benchmarks/score_incidents.py tests/fixtures/unseen --gold other.json --json
    python benchmarks/score_incidents.py ../shared/seeds --incidents output/seeds.geojson   # score a saved run

Each gold incident names its ``article``, ``role`` (primary / secondary), a ``date`` range, a reference point
(``lat``, ``lon``; null where the text states no place) with ``tolerance_km``, and ``killed`` / ``injured``
ranges (null where the article reports none). Optional keys: ``historical`` (else: primaries are current,
secondaries are historical when the gold date ends more than 7 days before the article's publication) and
``event`` (gold incidents sharing an ``event`` value are reports of one event in several articles and must come
out as ONE merged incident).

Matching: each gold incident is paired with at most one extracted incident that lists its article (an
incident merged from several articles can answer gold incidents of each of them). A pair counts when the point
agrees with the gold on at least two of: point within tolerance, date, kind of event; pairs are taken best first
(most of the three agreeing, then nearest). Checks per matched incident:

* place: great-circle km <= tolerance_km.
* date: the date lies in the gold range; a date read at month or year precision ("in April 2017") passes when the
  gold range lies inside that month or year (the text gave no day), and is tagged so.
* killed / injured: null when the gold is null, else both ends of the extracted range inside the gold range.
* historical: as expected (above).

Where the gold names them, three more checks say what happened and who did it to whom; they are reported beside
the others but not counted in "passed" (gold files word them freely): ``type`` (the extracted type is the gold
``event_type``), ``actor`` and ``target`` (the extracted side's name or words equal, contain or are contained in
the gold's, case aside; a gold may give a list of names of one side; a null gold wants none).

Extracted incidents left unmatched are ``extra`` when their point is within the tolerance of a gold incident of
one of their articles (a second, unmerged report of it, or another event next to it), else ``false`` (an incident
placed where the gold has nothing; the summary also says how many of those the output marks as recalled, since
a gold file may list only some of the earlier events an article recalls).

A gold file may also list ``clusters`` (articles that report one event: their primary incidents must come out
merged; scored as the F1 of article pairs sharing an incident) and ``negatives`` (articles that report no
incident: every incident read from them is false), as ``../shared/benchmarks/incidents/dev/gold.json`` does.
"""

from __future__ import annotations

import argparse
import calendar
import json
import math
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazetteer.store import great_circle_km as km  # noqa: E402

RECALLED_DAYS = 7
CHECKS = ("place", "date", "killed", "injured", "historical")
HOW = ("type", "actor", "target")  # reported, not counted in "passed"
# gold event types are free text ("air/missile strike", "aircraft shot down"): compared by family
FAMILIES = [
    ("shootdown", ("shot down", "shootdown", "downed", "downing")),
    ("chemical", ("chemical", "sarin", "chlorine", "gas attack")),
    ("clash", ("clash", "firefight", "gun battle", "ambush", "fighting")),
    ("strike", ("strike", "raid", "bomb", "shell", "artillery", "missile", "rocket", "drone", "mortar")),
]


def family(event_type: str | None) -> str | None:
    text = (event_type or "").lower()
    return next((name for name, words in FAMILIES if any(w in text for w in words)), None)


def _span(day: date, precision: str | None) -> tuple[date, date]:
    if precision == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    return day, day


def date_check(found: dict, gold: dict) -> tuple[bool, str]:
    if not gold.get("date"):
        return True, f"{found.get('date')} (the text states no date)"
    if not found.get("date"):
        return False, "no date"
    day = date.fromisoformat(found["date"])
    low, high = (date.fromisoformat(d) for d in gold["date"])
    if low <= day <= high:
        return True, found["date"]
    precision = found.get("date_precision")
    first, last = _span(day, precision)
    if precision in ("month", "year") and first <= low and high <= last:
        return True, f"{found['date']} ({precision})"
    return False, f"{found['date']} ({precision})"


def range_check(low, high, gold) -> tuple[bool, str]:
    shown = "null" if low is None else (f"{low}" if low == high else f"{low}-{high}")
    if gold is None:
        return low is None and high is None, shown
    if low is None:
        return False, shown
    return gold[0] <= low <= (high if high is not None else low) <= gold[1], shown


@dataclass
class Match:
    gold: dict
    found: dict | None = None
    checks: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.found is not None and all(self.checks[c] for c in CHECKS)


def expected_historical(gold: dict, published: dict[str, date | None]) -> bool:
    if "historical" in gold:
        return bool(gold["historical"])
    if gold.get("role") == "primary":
        return False
    pub = published.get(gold["article"])
    if not gold.get("date"):
        return True  # an earlier event the text does not date
    return bool(pub) and date.fromisoformat(gold["date"][1]) < pub - timedelta(days=RECALLED_DAYS)


def _distance(found: dict, gold: dict) -> float:
    """Km from the found point to the gold's; infinite when the gold states no place."""
    return math.inf if gold.get("lat") is None else km(found["lat"], found["lon"], gold["lat"], gold["lon"])


def _event(gold: dict) -> str | None:
    return None if gold.get("event") is None else str(gold["event"])


def _union(ranges: list) -> list | None:
    ranges = [r for r in ranges if r is not None]
    return [min(r[0] for r in ranges), max(r[1] for r in ranges)] if ranges else None


def evaluate(found: list[dict], gold: list[dict], published: dict[str, date | None]) -> dict:
    """Match gold and found incidents (``found``: the contract's properties plus ``lat``/``lon``) and check them."""
    pairs = []
    for gi, g in enumerate(gold):
        for fi, f in enumerate(found):
            if g["article"] not in f["articles"]:
                continue
            dist = _distance(f, g)
            place_ok = dist <= (g["tolerance_km"] or 0)
            date_ok = date_check(f, g)[0]
            type_ok = family(f.get("event_type")) == family(g.get("event_type"))
            if place_ok + date_ok + type_ok >= 2:
                pairs.append((-(place_ok + date_ok + type_ok), dist, gi, fi))
    matches = [Match(g) for g in gold]
    used: set[tuple[str, int]] = set()  # (article, found index): one gold incident per article per found one
    for _, dist, gi, fi in sorted(pairs):
        m, f = matches[gi], found[fi]
        if m.found is not None or (m.gold["article"], fi) in used:
            continue
        used.add((m.gold["article"], fi))
        m.found = f
        m.notes["index"] = fi
        m.checks["place"] = dist <= (m.gold["tolerance_km"] or 0)
        m.notes["place"] = f"{dist:.0f}/{m.gold['tolerance_km']} km {f.get('location')} (gp {f.get('geo_precision')})"
        m.checks["date"], m.notes["date"] = date_check(f, m.gold)
        # a merged incident is judged by the figures its reports give together (outlets' figures differ)
        same = [g for g in gold if g is m.gold or (_event(g) is not None and _event(g) == _event(m.gold))]
        told = [g for g in same if g["article"] in f["articles"]]
        for kind in ("killed", "injured"):
            low, high = f.get(f"{kind}_min"), f.get(f"{kind}_max")
            m.checks[kind], m.notes[kind] = range_check(low, high, _union([g[kind] for g in told]))
        want = expected_historical(m.gold, published)
        m.checks["historical"] = bool(f.get("historical")) == want
        m.notes["historical"] = f"{bool(f.get('historical'))} (want {want})"
        if "event_type" in m.gold:
            m.checks["type"] = f.get("event_type") == m.gold["event_type"]
            m.notes["type"] = f"{f.get('event_type')} (want {m.gold['event_type']})"
        for role in ("actor", "target"):
            if role in m.gold:
                m.checks[role] = side_check(f.get(f"{role}_side"), f.get(role), m.gold[role])
                m.notes[role] = f"{f.get(role)} [{f.get(f'{role}_side')}] (want {m.gold[role]})"
    matched = {m.notes["index"] for m in matches if m.found is not None}
    extra = []
    for fi, f in enumerate(found):
        if fi in matched:
            continue
        near = any(g["article"] in f["articles"] and _distance(f, g) <= (g["tolerance_km"] or 0) for g in gold)
        extra.append({"kind": "extra" if near else "false", **f})
    # reports of one event (gold "event") must be one incident; different events must not share one
    events: dict[str, list[Match]] = {}
    for m in matches:
        if _event(m.gold) is not None:
            events.setdefault(_event(m.gold), []).append(m)
    merges = {
        key: len({m.notes.get("index") for m in ms}) == 1 and all(m.found is not None for m in ms)
        for key, ms in events.items()
        if len(ms) > 1
    }
    wrongly = sum(
        1
        for a in matches
        for b in matches
        if a is not b
        and a.gold["article"] < b.gold["article"]
        and a.found is not None
        and a.notes["index"] == b.notes.get("index")
        and (_event(a.gold) is None or _event(a.gold) != _event(b.gold))
    )
    return {"matches": matches, "extra": extra, "merges": merges, "wrongly_merged": wrongly}


def side_check(side: str | None, words: str | None, gold: str | list[str] | None) -> bool:
    """Whether an extracted side (its name, else its words) is the gold's (or one of the gold's names of it):
    equal, or one contains the other."""
    if gold is None:
        return side is None and words is None
    wants = [w.casefold() for w in ([gold] if isinstance(gold, str) else gold)]
    return any(
        x and (x.casefold() == want or x.casefold() in want or want in x.casefold())
        for x in (side, words)
        for want in wants
    )


def merge_f1(found: list[dict], clusters: list[list[str]], primary: set[str]) -> float:
    """F1 of the pairs of articles (among those with a primary gold incident) that share an incident, against
    the pairs of the gold clusters."""
    gold = {tuple(sorted(p)) for c in clusters for p in combinations(c, 2)}
    told = {p for f in found for p in combinations(sorted(set(f["articles"]) & primary), 2)}
    hits = len(gold & told)
    return 2 * hits / (len(gold) + len(told)) if hits else 0.0


def summary(result: dict) -> dict:
    out = {}
    for role in ("primary", "secondary"):
        ms = [m for m in result["matches"] if m.gold.get("role", "primary") == role]
        found = [m for m in ms if m.found is not None]
        out[role] = {"gold": len(ms), "found": len(found), "passed": sum(m.passed for m in ms)} | {
            c: sum(bool(m.checks.get(c)) for m in found) for c in CHECKS
        }
        for c in HOW:
            judged = [m for m in found if c in m.checks]
            if judged:
                out[role][c] = f"{sum(m.checks[c] for m in judged)}/{len(judged)}"
    out["false"] = sum(e["kind"] == "false" for e in result["extra"])
    out["false_historical"] = sum(e["kind"] == "false" and bool(e.get("historical")) for e in result["extra"])
    out["extra"] = sum(e["kind"] == "extra" for e in result["extra"])
    out["merged"] = f"{sum(result['merges'].values())}/{len(result['merges'])}"
    out["wrongly_merged"] = result["wrongly_merged"]
    if "merge_f1" in result:
        out["merge_f1"] = round(result["merge_f1"], 2)
    if "negatives" in result:
        out["negatives"] = {"articles": result["negatives"], "false": len(result["false_on_negatives"])}
    return out


def score_line(s: dict) -> str:
    parts = []
    for role in ("primary", "secondary"):
        r = s[role]
        checks = " ".join(f"{c} {r[c]}" for c in CHECKS + HOW if c in r)
        parts.append(f"{role} found {r['found']}/{r['gold']} passed {r['passed']} ({checks})")
    extra = f"false {s['false']} ({s['false_historical']} recalled) extra {s['extra']}"
    parts.append(f"{extra} merged {s['merged']} wrongly merged {s['wrongly_merged']}")
    if "merge_f1" in s:
        parts.append(f"merge F1 {s['merge_f1']:.2f}")
    if "negatives" in s:
        parts.append(f"false on negatives {s['negatives']['false']}/{s['negatives']['articles']}")
    return " | ".join(parts)


def _features(path: Path) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        {**f["properties"], "lon": f["geometry"]["coordinates"][0], "lat": f["geometry"]["coordinates"][1]}
        for f in data["features"]
    ]


def _extract(folder: Path) -> tuple[list[dict], dict[str, date | None]]:
    import geomap
    from geomap.articles import read_articles
    from geomap.records import Article

    published = {a.id: a.published for a in read_articles([folder]) if isinstance(a, Article)}
    errors: list = []
    gdf = geomap.extract_incidents(folder, errors=errors)
    for e in errors:
        print(f"unreadable: {e.id}: {e.reason}", file=sys.stderr)
    rows = []
    for row in gdf.to_dict("records"):
        geom = row.pop("geometry")
        rows.append({k: (None if _missing(v) else v) for k, v in row.items()} | {"lat": geom.y, "lon": geom.x})
    return rows, published


def _missing(value) -> bool:
    try:
        return value is None or bool(value != value) or str(value) == "<NA>"
    except (TypeError, ValueError):
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="folder of articles (with its manifest.csv)")
    parser.add_argument("--gold", type=Path, help="gold file (default: FOLDER/gold.json)")
    parser.add_argument("--incidents", type=Path, help="score this GeoJSON (from geomap extract) instead of running")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    gold_file = json.loads((args.gold or args.folder / "gold.json").read_text(encoding="utf-8"))
    gold, negatives = gold_file["incidents"], set(gold_file.get("negatives", []))
    for n, cluster in enumerate(gold_file.get("clusters", [])):  # the primary incidents of a cluster: one event
        for g in gold:
            if g["article"] in cluster and g.get("role", "primary") == "primary":
                g.setdefault("event", f"cluster {n + 1}")
    if args.incidents:
        from geomap.articles import read_articles
        from geomap.records import Article

        found = _features(args.incidents)
        published = {a.id: a.published for a in read_articles([args.folder]) if isinstance(a, Article)}
    else:
        found, published = _extract(args.folder)
    on_negatives = [f for f in found if set(f["articles"]) & negatives]
    articles = {g["article"] for g in gold}
    found = [f for f in found if set(f["articles"]) & articles]
    result = evaluate(found, gold, published)
    if "clusters" in gold_file:
        primary = {g["article"] for g in gold if g.get("role", "primary") == "primary"}
        result["merge_f1"] = merge_f1(found, gold_file["clusters"], primary)
    if negatives:
        result["negatives"], result["false_on_negatives"] = len(negatives), on_negatives
    s = summary(result)
    if args.json:
        print(json.dumps(s, indent=2))
        return 0
    for m in result["matches"]:
        g = m.gold
        head = f"{'PASS' if m.passed else 'FAIL'} {g.get('role', 'primary'):9} {g['article']}: {g['place']}"
        if m.found is None:
            print(f"{head}\n     not found")
            continue
        print(head)
        for c in CHECKS + HOW:
            if c in m.checks:
                print(f"     {c:10} {'ok  ' if m.checks[c] else 'FAIL'} {m.notes[c]}")
    for e in result["extra"]:
        print(
            f"{e['kind'].upper():9} {','.join(e['articles'])}: {e['event_type']} {e.get('date')} at {e.get('location')}"
            f" (historical {bool(e.get('historical'))}): {str(e.get('quote'))[:90]}"
        )
    for f in result.get("false_on_negatives", []):
        print(f"FALSE     {','.join(f['articles'])} (reports no incident): {f['event_type']} at {f.get('location')}")
    for key, ok in result["merges"].items():
        print(f"{'MERGED' if ok else 'NOT MERGED'} event {key}")
    print(score_line(s))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
