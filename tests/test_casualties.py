"""Killed and injured figures: phrasings, number forms, qualifiers, negatives, non-figures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geomap.casualties import KINDS, Figure, combine, find_figures

# Our own sentences, written for these tests.


def read(text: str) -> list[tuple[str, int, int | None]]:
    return [(f.kind, f.low, f.high) for f in find_figures(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The blast went off at dawn, killing three soldiers.", [("killed", 3, 3)]),
        ("Insurgents killed 62 soldiers near the border post.", [("killed", 62, 62)]),
        ("62 soldiers were killed in the ambush.", [("killed", 62, 62)]),
        ("The ministry said 62 killed and more than 100 wounded.", [("killed", 62, 62), ("injured", 101, None)]),
        ("The explosion left 13 wounded.", [("injured", 13, 13)]),
        ("The shelling left 13 people dead.", [("killed", 13, 13)]),
        ("Three soldiers died of their injuries.", [("killed", 3, 3)]),
        ("Officials counted 14 deaths.", [("killed", 14, 14)]),
        ("Seven villagers lost their lives.", [("killed", 7, 7)]),
        ("Five fatalities were reported at the checkpoint.", [("killed", 5, 5)]),
        ("The mortar hit the market, wounding 13.", [("injured", 13, 13)]),
        ("The mine exploded, injuring two.", [("injured", 2, 2)]),
        ("Two were killed and 13 others injured.", [("killed", 2, 2), ("injured", 13, 13)]),
        ("Two were hurt when the wall collapsed.", [("injured", 2, 2)]),
        ("A medic was wounded by shrapnel.", [("injured", 1, 1)]),
        ("One guard died at the scene.", [("killed", 1, 1)]),
        ("The death toll rose to 62 on Monday.", [("killed", 62, 62)]),
        ("The raid claimed 30 lives.", [("killed", 30, 30)]),
        ("Gunmen stormed the post, killing three and wounding five.", [("killed", 3, 3), ("injured", 5, 5)]),
        ("Three gunmen killed two police officers.", [("killed", 2, 2)]),
        ("Two civilians are believed to have been killed.", [("killed", 2, 2)]),
        ("One of the 12 soldiers was killed.", [("killed", 1, 1)]),
        ("The ambush killed 5 of the 12 soldiers.", [("killed", 5, 5)]),
        ("Eleven of our soldiers were martyred in the attack.", [("killed", 11, 11)]),
        ("Two crew members ejected and were wounded.", [("injured", 2, 2)]),
        ("The number of fighters killed in the raids rose to 22 on Friday.", [("killed", 22, 22)]),
        ("The death toll from the overnight raids on the border town rose to 31.", [("killed", 31, 31)]),
    ],
)
def test_phrasings(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("The strike killed 1,200 people.", 1200, 1200),
        ("Twenty-five people were killed.", 25, 25),
        ("Forty two people were killed.", 42, 42),
        ("A dozen people were killed.", 12, 12),
        ("Two hundred and five people were killed.", 205, 205),
        ("Dozens were killed.", 12, None),
        ("Tens of people were killed.", 10, None),
        ("Scores of people were killed.", 20, None),
        ("Hundreds of people were killed.", 100, None),
        ("Thousands of people were killed.", 1000, None),
        ("Tens of thousands of people were killed.", 10_000, None),
        ("Several people were killed.", 3, None),
        ("At least 80 people were killed.", 80, None),
        ("More than 60 people were killed.", 61, None),
        ("Over 60 people were killed.", 61, None),
        ("Around 100 people were killed.", 90, 110),
        ("About 100 people were killed.", 90, 110),
        ("Approximately 100 people were killed.", 90, 110),
        ("Some 100 people were killed.", 90, 110),
        ("About 5 people were killed.", 4, 6),
        ("Nearly 100 people were killed.", 90, 99),
        ("Almost 100 people were killed.", 90, 99),
        ("Up to 100 people were killed.", 1, 100),
        ("As many as 100 people were killed.", 1, 100),
        ("Fewer than 10 people were killed.", 1, 9),
        ("Between 60 and 90 people were killed.", 60, 90),
        ("60 to 90 people were killed.", 60, 90),
        ("60-90 people were killed.", 60, 90),
        ("Two or three people were killed.", 2, 3),
        ("The bombing killed a further 10 people.", 10, 10),
        ("The bombing killed some 2000 people.", 1800, 2200),
    ],
)
def test_number_forms_and_qualifiers(text, low, high):
    assert read(text) == [("killed", low, high)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("There were no casualties.", [("injured", 0, 0), ("killed", 0, 0)]),
        ("The convoy passed without casualties.", [("injured", 0, 0), ("killed", 0, 0)]),
        ("No one was killed in the blast.", [("killed", 0, 0)]),
        ("Nobody was hurt.", [("injured", 0, 0)]),
        ("None of the passengers were injured.", [("injured", 0, 0)]),
        ("Police reported no deaths.", [("killed", 0, 0)]),
        ("There were no injuries.", [("injured", 0, 0)]),
        ("No one was killed or wounded.", [("injured", 0, 0), ("killed", 0, 0)]),
        ("No one was injured, but one guard was killed.", [("injured", 0, 0), ("killed", 1, 1)]),
        ("No soldiers were killed in the raid.", [("killed", 0, 0)]),
        ("No U.S. personnel were injured, a spokesman said.", [("injured", 0, 0)]),
        ("No lives were lost.", [("killed", 0, 0)]),
        ("No one lost their lives in the fire.", [("killed", 0, 0)]),
        ("The blast caused no loss of life.", [("killed", 0, 0)]),
        ("The convoy got through without loss of life.", [("killed", 0, 0)]),
        ("The barrage did not cause any casualties.", [("injured", 0, 0), ("killed", 0, 0)]),
        ("The shelling did not result in any deaths.", [("killed", 0, 0)]),
        ("The rocket killed no one.", [("killed", 0, 0)]),
        ("The mortar round did not hurt anyone.", [("injured", 0, 0)]),
        ("No one was harmed.", [("injured", 0, 0), ("killed", 0, 0)]),
        ("No one was reported killed.", [("killed", 0, 0)]),
    ],
)
def test_negatives(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Three air strikes hit the depot.",
        "Two vehicles were destroyed near the bridge.",
        "The group has fought there since 2014 and killed many.",
        "An F-16 and a Su-24 were seen over the 55 km zone.",
        "A 22-year-old man was detained.",
        "On 24 November at 10:30 the strike hit.",
        "Prices rose 60% and 12 percent after $5 million in damage.",
        "The strike caused 20 casualties.",
        "Twelve were killed or wounded.",
        "Three of the dead were children.",
        "Three gunmen killed the guard.",
        "We wish a swift recovery to our wounded.",
        "Two men ran and were arrested after the blast.",
        "There were no immediate reports of casualties.",
        "There was no word on how many soldiers were killed.",
        "Nobody lost hope after the raid.",
        "The model assumed 4.5 killed per week.",
        "The 3rd battalion lost two tanks, killed in the morning.",
    ],
)
def test_not_figures(text):
    assert read(text) == []


def test_numbers_that_are_not_people_leave_the_real_figure():
    assert read("Three air strikes killed 12 civilians two days after the ceasefire.") == [("killed", 12, 12)]
    assert read("Two vehicles were destroyed and three soldiers hurt.") == [("injured", 3, 3)]
    assert read("A 22-year-old was killed.") == [("killed", 1, 1)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Two soldiers and a civilian were killed.", [("killed", 3, 3)]),
        ("Three soldiers, two policemen and a child died.", [("killed", 6, 6)]),
        ("At least two soldiers and dozens of civilians were killed.", [("killed", 14, None)]),
        ("The shelling killed three soldiers and two civilians.", [("killed", 5, 5)]),
        ("Gunmen killed 3 soldiers and 2 militants were wounded.", [("killed", 3, 3), ("injured", 2, 2)]),
        ("Two soldiers and a spokesman said 3 were killed.", [("killed", 3, 3)]),
    ],
)
def test_listed_counts_add_up(text, expected):
    assert read(text) == expected


def test_figures_carry_their_phrase():
    text = "The attack killed more than 60 people and wounded over 60, officials said."
    figures = find_figures(text)
    assert [(f.kind, f.text) for f in figures] == [("killed", "killed more than 60"), ("injured", "wounded over 60")]
    assert all(text[f.start : f.end] == f.text for f in figures)


def figure(kind: str, low: int, high: int | None) -> Figure:
    return Figure(kind, low, high, 0, 1, "x")


def test_combine():
    figures = [figure("killed", 3, 3), figure("killed", 80, None), figure("killed", 5, 9), figure("injured", 0, 0)]
    assert combine(figures, "killed") == (3, 80)
    assert combine(figures, "injured") == (0, 0)
    assert combine([figure("killed", 12, None)], "killed") == (12, 12)
    assert combine([], "killed") is None
    assert combine(find_figures("Two were killed, then a third died, and no one was hurt."), "killed") == (1, 2)


VOCABULARY = [
    "killed", "killing", "wounded", "hurt", "dead", "died", "deaths", "casualties", "lost", "their", "lives", "no",
    "one", "none", "of", "the", "were", "was", "at", "least", "more", "than", "about", "nearly", "up", "to", "between",
    "and", "or", "a", "dozen", "dozens", "tens", "thousands", "twenty-five", "62", "1,200", "2014", "0", "99999999",
    "F-16", "22-year-old", "%", "$", "10:30", "-", ",", ".", "toll", "rose", "claimed", "soldiers", "strikes", "May",
]  # fmt: skip
texts = st.one_of(st.text(), st.lists(st.sampled_from(VOCABULARY), max_size=14).map(" ".join))


@given(texts)
def test_find_figures_never_raises_and_keeps_offsets(text):
    for f in find_figures(text):
        assert f.kind in KINDS and f.low >= 0 and (f.high is None or f.high >= f.low)
        assert text[f.start : f.end] == f.text
