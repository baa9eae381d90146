"""Blocked grouping of incidents gives exactly the groups of comparing every pair, and scales."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.events.merge import group, same_event

TYPES = ["air strike", "missile strike", "shootdown", "armed clash", "bombing"]
REGIONS = [("SY", "Deir ez-Zor"), ("SY", "Homs"), ("IQ", "Anbar"), ("SY", None)]


def naive(items):
    """Each item compared with every earlier one, in order; groups told by one article are not joined."""
    owner = list(range(len(items)))  # the group of each item, named by its first item
    for n, item in enumerate(items):
        for m in range(n):
            a, b = owner[m], owner[n]
            told = [{x for k in range(n + 1) if owner[k] == g for x in items[k].articles} for g in (a, b)]
            if a != b and not told[0] & told[1] and same_event(item, items[m]):
                owner = [min(a, b) if o in (a, b) else o for o in owner]
    groups: dict[int, list] = {}
    for n, item in enumerate(items):
        groups.setdefault(owner[n], []).append(item)
    return list(groups.values())


def report(t, d, lat, lon, region, precision, article):
    return SimpleNamespace(
        event_type=t,
        date=None if d is None else date(2018, 2, 1) + timedelta(days=d),
        lat=lat,
        lon=lon,
        country=region[0],
        admin1=region[1],
        geo_precision=precision,
        articles=[article],
    )


item = st.builds(
    report,
    st.sampled_from(TYPES),
    st.one_of(st.none(), st.integers(0, 6)),
    st.floats(33.0, 36.0),  # a small area, so that many pairs are near each other
    st.floats(38.0, 41.0),
    st.sampled_from(REGIONS),
    st.sampled_from([1, 2, 3]),
    st.sampled_from(["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(item, max_size=25))
def test_blocked_grouping_equals_comparing_every_pair(items):
    def ids(groups):
        return sorted(sorted(id(x) for x in g) for g in groups)

    assert ids(group(items)) == ids(naive(items))


def test_points_just_under_the_merge_distance_across_a_latitude_band_join():
    a = report("air strike", 6, 34.4490, 40.9, ("SY", None), 1, "a.txt")
    b = SimpleNamespace(**{**vars(a), "lat": 34.4490 + 0.44, "articles": ["b.txt"]})  # ~49 km north, next band
    assert len(group([a, b])) == 1


def test_reports_of_one_article_are_not_joined():
    a = report("air strike", 6, 34.4490, 40.9, ("SY", None), 1, "a.txt")
    b = SimpleNamespace(**{**vars(a), "lat": 34.46})
    assert len(group([a, b])) == 2
