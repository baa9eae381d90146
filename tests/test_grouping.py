"""Blocked grouping of incidents gives exactly the groups of comparing every pair, and scales."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.incidents import _group, _same_event

TYPES = ["air strike", "missile strike", "shootdown", "armed clash"]
REGIONS = [("SY", "Deir ez-Zor"), ("SY", "Homs"), ("IQ", "Anbar"), ("SY", None)]


def naive(items, sides_must_agree=True):
    groups: list[list] = []
    for item in items:
        joined = [g for g in groups if any(_same_event(item, o, sides_must_agree=sides_must_agree) for o in g)]
        groups = [g for g in groups if g not in joined] + [[x for g in joined for x in g] + [item]]
    order = {id(x): n for n, x in enumerate(items)}
    return sorted((sorted(g, key=lambda x: order[id(x)]) for g in groups), key=lambda g: order[id(g[0])])


item = st.builds(
    lambda t, d, lat, lon, region, precision, actor: SimpleNamespace(
        event_type=t,
        date=None if d is None else date(2018, 2, 1) + timedelta(days=d),
        lat=lat,
        lon=lon,
        country=region[0],
        admin1=region[1],
        geo_precision=precision,
        actor=actor,
        target=None,
    ),
    st.sampled_from(TYPES),
    st.one_of(st.none(), st.integers(0, 6)),
    st.floats(33.0, 36.0),  # a small area, so that many pairs are near each other
    st.floats(38.0, 41.0),
    st.sampled_from(REGIONS),
    st.sampled_from([1, 2, 3]),
    st.sampled_from([None, "US-led coalition", "Russian forces"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(item, max_size=25), st.booleans())
def test_blocked_grouping_equals_comparing_every_pair(items, sides_must_agree):
    def ids(groups):
        return [[id(x) for x in g] for g in groups]

    assert ids(_group(items, sides_must_agree=sides_must_agree)) == ids(naive(items, sides_must_agree))


def test_points_just_under_the_merge_distance_across_a_latitude_band_join():
    a = SimpleNamespace(
        event_type="air strike",
        date=date(2018, 2, 7),
        lat=34.4490,
        lon=40.9,
        country="SY",
        admin1=None,
        geo_precision=1,
        actor=None,
        target=None,
    )
    b = SimpleNamespace(**{**vars(a), "lat": 34.4490 + 0.44})  # about 49 km north, in the next band
    assert len(_group([a, b])) == 1
