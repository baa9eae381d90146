"""One incident per event: reports of the same event from several articles joined.

Two incidents report one event when they are of one family (air, missile, drone strikes and shelling
are all strikes: outlets name them differently), their dates lie within a day, and their places lie
within :data:`MERGE_KM` or one inside the other's province. Figures may differ (the merged range covers
them) and so may the spellings of the place and of the sides. The merged incident takes the most precise
place, a date read to the day, and every reporting article. Grouping is a blocked union-find: only pairs
that can match are compared, so 100,000 incidents group in seconds.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from gazetteer.store import great_circle_km
from geomap import lexicon
from geomap.records import Incident

MERGE_KM = 50.0
_BAND_DEG = MERGE_KM / 111.0  # points within MERGE_KM lie at most one band of latitude apart


def family(event_type: str) -> str:
    return lexicon.FAMILY.get(event_type, event_type)


def same_event(a: Incident, b: Incident) -> bool:
    """Same family, dates within a day, places close or one inside the other's province, told by different
    articles (an article's own incidents were told apart by reading it)."""
    if family(a.event_type) != family(b.event_type) or set(a.articles) & set(b.articles):
        return False
    if a.date and b.date and abs((a.date - b.date).days) > 1:
        return False
    if great_circle_km(a.lat, a.lon, b.lat, b.lon) <= MERGE_KM:
        return True
    coarse = max(a.geo_precision, b.geo_precision) == 3
    return coarse and a.admin1 is not None and (a.country, a.admin1) == (b.country, b.admin1)


def _blocking(item: Incident) -> tuple[str, int | None, int, tuple, bool]:
    day = item.date.toordinal() if item.date else None
    band = math.floor(item.lat / _BAND_DEG)
    return family(item.event_type), day, band, (item.country, item.admin1), item.geo_precision == 3


def _block_keys(item: Incident) -> list[tuple]:
    """Where an item is filed for the later items that may report the same event."""
    fam, day, band, region, coarse = _blocking(item)
    keys = [("near", fam, day, band), ("near*", fam, band), ("region", fam, day, region), ("region*", fam, region)]
    if coarse:
        keys += [("coarse", fam, day, region), ("coarse*", fam, region)]
    return keys


def _probe_keys(item: Incident) -> list[tuple]:
    """The filings of every earlier item that :func:`same_event` could join with ``item``."""
    fam, day, band, region, coarse = _blocking(item)
    bands = (band - 1, band, band + 1)
    kind = "region" if coarse else "coarse"  # a coarse item meets any item of its region
    if day is None:
        return [("near*", fam, b) for b in bands] + [(kind + "*", fam, region)]
    days = (day - 1, day, day + 1, None)
    return [("near", fam, d, b) for d in days for b in bands] + [(kind, fam, d, region) for d in days]


def group(items: list[Incident]) -> list[list[Incident]]:
    """Connected groups of incidents that report the same event, in order of first appearance."""
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index: dict[tuple, list[int]] = {}
    articles: dict[int, set[str]] = {n: set(item.articles) for n, item in enumerate(items)}  # by group root
    for n, item in enumerate(items):
        for m in sorted({m for key in _probe_keys(item) for m in index.get(key, ())}):
            a, b = root(m), root(n)
            if a != b and not articles[a] & articles[b] and same_event(item, items[m]):
                parent[max(a, b)] = min(a, b)
                articles[min(a, b)] = articles[a] | articles[b]
        for key in _block_keys(item):
            index.setdefault(key, []).append(n)
    groups: dict[int, list[Incident]] = {}
    for n, item in enumerate(items):
        groups.setdefault(root(n), []).append(item)
    return list(groups.values())


def merge(incidents: Iterable[Incident]) -> list[Incident]:
    """One incident per event: reports from several articles joined, with the most precise place,
    figures covering every report, and all the reporting articles. Ids are stable."""
    out = []
    for members in group(sorted(incidents, key=lambda i: (i.articles[:1], i.quote))):  # input order does not matter
        placed = min(members, key=lambda i: (i.geo_precision, -i.score))
        dated = min(members, key=lambda i: (i.date is None, not i.date_explicit, i.date_precision != "day"))
        merged = replace(
            placed,
            date=dated.date,
            date_precision=dated.date_precision,
            event_type=min((i.event_type for i in members), key=lexicon.TYPE_ORDER.index),
            actor=next((i.actor for i in members if i.actor), None),
            target=next((i.target for i in members if i.target), None),
            actor_side=next((i.actor_side for i in members if i.actor_side), None),
            target_side=next((i.target_side for i in members if i.target_side), None),
            killed_min=_low(_counts(members, "killed")),
            killed_max=_high(i.killed_max for i in members),
            injured_min=_low(_counts(members, "injured")),
            injured_max=_high(i.injured_max for i in members),
            historical=all(i.historical for i in members),
            articles=[a for i in members for a in i.articles],
            titles=[t for i in members for t in i.titles],
            urls=[u for i in members for u in i.urls],
            published=[p for i in members for p in i.published],
        )
        key = "|".join([*sorted(merged.articles), merged.event_type, str(merged.date), merged.quote])
        merged.id = hashlib.sha1(key.encode()).hexdigest()[:12]
        out.append(merged)
    return sorted(out, key=lambda i: (i.date or date.max, i.id))


def _counts(members: list[Incident], kind: str) -> list[int | None]:
    """The low ends of one kind of figure across reports; reports of none yield to any report of some."""
    lows = [(getattr(i, f"{kind}_min"), getattr(i, f"{kind}_max")) for i in members]
    some = [low for low, high in lows if high]
    return some or [low for low, _ in lows]


def _low(values: Iterable[int | None]) -> int | None:
    return min((v for v in values if v is not None), default=None)


def _high(values: Iterable[int | None]) -> int | None:
    return max((v for v in values if v is not None), default=None)
