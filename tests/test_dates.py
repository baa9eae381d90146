"""Event dates: explicit and relative expressions, resolution against the publication date."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geomap.dates import PRECISIONS, DateMention, find_dates, resolve_event_date

# Our own sentences, written for these tests. Published on a Saturday.
SAT = date(2017, 5, 20)


def read(text: str, published: date | None = SAT) -> list[tuple[str, date, str, bool]]:
    return [(m.text, m.date, m.precision, m.relative) for m in find_dates(text, published)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rebels shelled the town on Saturday.", ("Saturday", date(2017, 5, 20))),
        ("The convoy was hit late Saturday.", ("late Saturday", date(2017, 5, 20))),
        ("Troops moved in early on Thursday.", ("early on Thursday", date(2017, 5, 18))),
        ("Drones circled Thursday night.", ("Thursday night", date(2017, 5, 18))),
        ("The market burned on Sunday morning.", ("Sunday morning", date(2017, 5, 14))),
        ("Police said last Saturday's raid failed.", ("last Saturday", date(2017, 5, 13))),
    ],
)
def test_weekdays_are_the_latest_on_or_before_publication(text, expected):
    assert read(text) == [(*expected, "day", True)]


def test_weekdays_need_a_publication_date_and_a_past():
    assert read("Rebels shelled the town on Saturday.", None) == []
    assert read("Talks resume next Tuesday, or the coming Friday.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Jets struck on Thursday (May 18) at dawn.",
        "Jets struck Thursday, May 18, at dawn.",
        "Jets struck Thursday 18 May.",
    ],
)
def test_a_weekday_with_its_date_takes_the_date(text):
    ((span, day, precision, relative),) = read(text, date(2017, 5, 19))
    assert span.startswith("Thursday") and day == date(2017, 5, 18) and precision == "day" and relative


@pytest.mark.parametrize(
    ("text", "published", "day", "relative"),
    [
        ("The siege began on November 24.", SAT, date(2016, 11, 24), True),
        ("The siege began Nov. 24.", SAT, date(2016, 11, 24), True),
        ("The siege began on the 24th of November.", SAT, date(2016, 11, 24), True),
        ("The siege began 24 November.", SAT, date(2016, 11, 24), True),
        ("The siege began December 7, 2015.", None, date(2015, 12, 7), False),
        ("The siege began 7 December 2015.", None, date(2015, 12, 7), False),
        ("The siege began 2015-12-07.", None, date(2015, 12, 7), False),
        ("The siege began Dec 7.", date(2015, 12, 9), date(2015, 12, 7), True),
        ("The siege began December 30.", date(2016, 1, 2), date(2015, 12, 30), True),
        ("The siege began May 21.", SAT, date(2017, 5, 21), True),  # one day of tolerance
        ("The siege began May 22.", SAT, date(2016, 5, 22), True),
    ],
)
def test_explicit_days(text, published, day, relative):
    ((_, found, precision, is_relative),) = read(text, published)
    assert (found, precision, is_relative) == (day, "day", relative)


def test_a_date_without_a_year_needs_a_publication_date():
    assert read("The siege began on November 24.", None) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Shells fell yesterday.", ("yesterday", date(2017, 5, 19), "day")),
        ("Shells fell yesterday morning.", ("yesterday morning", date(2017, 5, 19), "day")),
        ("Shells fell today.", ("today", SAT, "day")),
        ("Shells fall tonight.", ("tonight", SAT, "day")),
        ("Shells fell this morning.", ("this morning", SAT, "day")),
        ("Shells fell last night.", ("last night", date(2017, 5, 19), "day")),
        ("Shells fell overnight.", ("overnight", date(2017, 5, 19), "day")),
        ("Shells fell the day before yesterday.", ("the day before yesterday", date(2017, 5, 18), "day")),
        ("Shells fell last week.", ("last week", date(2017, 5, 13), "week")),
        ("Shells fell earlier this week.", ("earlier this week", SAT, "week")),
        ("Shells fell earlier this month.", ("earlier this month", date(2017, 5, 1), "month")),
        ("Shells fell this month.", ("this month", date(2017, 5, 1), "month")),
        ("Shells fell last month.", ("last month", date(2017, 4, 1), "month")),
        ("Shells fell in April.", ("in April", date(2017, 4, 1), "month")),
        ("Shells fell in June.", ("in June", date(2016, 6, 1), "month")),
        ("Shells fell in mid-May.", ("in mid-May", date(2017, 5, 1), "month")),
        ("Shells fell late May.", ("late May", date(2017, 5, 1), "month")),
        ("Shells fell last year.", ("last year", date(2016, 1, 1), "year")),
        ("Shells fell earlier this year.", ("earlier this year", date(2017, 1, 1), "year")),
        ("Shells fell two days ago.", ("two days ago", date(2017, 5, 18), "day")),
        ("Shells fell 3 days ago.", ("3 days ago", date(2017, 5, 17), "day")),
        ("Shells fell three weeks ago.", ("three weeks ago", date(2017, 4, 29), "week")),
        ("Shells fell a month ago.", ("a month ago", date(2017, 4, 1), "month")),
        ("Shells fell two years ago.", ("two years ago", date(2015, 1, 1), "year")),
    ],
)
def test_relative_expressions(text, expected):
    assert read(text) == [(*expected, True)]


def test_relative_expressions_need_a_publication_date():
    assert read("Shells fell yesterday, last week and two days ago, in April.", None) == []


def test_last_month_crosses_the_year():
    assert read("Shells fell last month.", date(2017, 1, 15)) == [("last month", date(2016, 12, 1), "month", True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The town fell in April 2017.", ("in April 2017", date(2017, 4, 1), "month")),
        ("The town fell April 2017.", ("April 2017", date(2017, 4, 1), "month")),
        ("The town fell in May 2016.", ("in May 2016", date(2016, 5, 1), "month")),
        ("The town fell in 2014.", ("in 2014", date(2014, 1, 1), "year")),
    ],
)
def test_absolute_months_and_years(text, expected):
    assert read(text, None) == [(*expected, False)]


@pytest.mark.parametrize(
    "text",
    [
        "The group has fought since the 1990s and in the 1980s.",
        "The vote is at 10:30 and 45 delegates attend.",
        "Officials fear the militants may strike again.",
        "They may move by May if talks fail.",
        "Jan Kowalski, a medic, said Mar and Jun were shut.",
        "The saturday market and the monday meeting.",
        "Some 2015 residents fled; route 24 is shut.",
    ],
)
def test_things_that_are_not_dates(text):
    assert read(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rebels took the town in March 2016. A year later, jets hit it.", ("A year later", date(2017, 3, 1), "month")),
        ("Jets struck on Monday. Two days later, a convoy burned.", ("Two days later", date(2017, 5, 17), "day")),
        ("The dam was hit on 2 May 2015; the next day the bridge fell.", ("the next day", date(2015, 5, 3), "day")),
        ("A drone hit a depot in 2014. Three months later, more.", ("Three months later", date(2014, 1, 1), "year")),
        ("Shells fell on 10 March 2016. The following week, calm.", ("The following week", date(2016, 3, 17), "week")),
    ],
)
def test_later_counts_from_the_date_before(text, expected):
    assert read(text)[-1][:3] == expected


def test_later_chains_and_needs_a_date_before():
    assert [m[1] for m in read("Clashes began on 1 June 2016; a day later and two days later, more.")] == [
        date(2016, 6, 1),
        date(2016, 6, 2),
        date(2016, 6, 4),
    ]
    assert read("A year later, the town was rebuilt.") == []


def test_a_weekday_inside_a_title_is_not_a_date():
    found = read("He told the Sunday Times that the raid on Tuesday failed.")
    assert found == [("Tuesday", date(2017, 5, 16), "day", True)]


def test_a_month_after_since_is_read():
    assert read("It was quiet since March, when shells fell.") == [("March", date(2017, 3, 1), "month", True)]


def test_may_needs_a_day_a_year_or_in():
    assert [m[0] for m in read("The army may attack in May, or May 3, or May 2018.")] == ["in May", "May 3", "May 2018"]


def test_several_mentions_in_order_with_offsets():
    text = "A drone hit a truck on Friday; a similar strike on March 3, 2016 killed two."
    mentions = find_dates(text, SAT)
    assert [(m.text, m.date) for m in mentions] == [("Friday", date(2017, 5, 19)), ("March 3, 2016", date(2016, 3, 3))]
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_impossible_dates_are_skipped():
    assert read("The siege began February 30, 2016 or on 2016-13-01.") == []


def mention(day: date, precision: str) -> DateMention:
    return DateMention(0, 1, "x", day, precision, True)


def test_resolve_event_date():
    first, second = mention(date(2017, 5, 18), "day"), mention(date(2017, 5, 1), "month")
    assert resolve_event_date([first, second], SAT) == (date(2017, 5, 18), "day")
    assert resolve_event_date([second], None) == (date(2017, 5, 1), "month")
    assert resolve_event_date([], SAT) == (SAT, "week")
    assert resolve_event_date([], None) == (None, None)


VOCABULARY = [
    "on", "in", "late", "early", "last", "next", "this", "ago", "day", "days", "weeks", "month", "year", "Saturday",
    "Thursday", "night", "May", "December", "Dec.", "Sept", "7", "24th", "31", "2015", "1999", "0000", "99999",
    "2016-02-30", ",", "(", ")", "-", "yesterday", "overnight", "two", "a", "twelve", "mid-", "of", "the", "1990s",
    "later", "following", "Times",
]  # fmt: skip
texts = st.one_of(st.text(), st.lists(st.sampled_from(VOCABULARY), max_size=12).map(" ".join))


@given(texts, st.one_of(st.none(), st.dates()))
def test_find_dates_never_raises_and_keeps_offsets(text, published):
    mentions = find_dates(text, published)
    assert all(text[m.start : m.end] == m.text and m.precision in PRECISIONS for m in mentions)
    assert all(a.end <= b.start for a, b in pairwise(mentions))
    assert published is not None or not any(m.relative for m in mentions)
