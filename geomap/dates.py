"""Event dates in English news text, resolved against the publication date.

:func:`find_dates` reads explicit dates ("December 7, 2015", "7 Dec 2015", "2015-12-07", "Nov. 24",
"April 2017", "in 2014") and relative ones (weekdays, "yesterday", "last week", "two days ago",
"in April"). A mention's span takes in the words that shape it ("late Saturday", "Thursday night",
"in April") but not a bare "on". Decisions:

* A weekday is the latest such day on or before publication (the same day when they match);
  "last Saturday" excludes the publication day itself; "next/coming Saturday" is not read.
  A weekday with its date ("Thursday (May 18)", "Thursday, May 18") takes that date.
* A date without a year takes the year that puts it latest but no later than the day after
  publication ("December 30" published 2016-01-02 is 2015-12-30); the spare day covers time zones.
* "last night" and "overnight" are the day before publication: night strikes are reported in the
  next morning's articles. "today", "tonight" and "this morning" are the publication day.
* Weeks resolve to the publication date minus 7 days per week ("this week" is the publication date),
  months and years to their first day.
* ``relative`` is true when the publication date was needed, including to supply a year; without
  a publication date such mentions are left out.
* "two days later", "a year later", "the next day" count from the date mentioned before them in the
  text, at the coarser of that date's precision and their own ("a year later" after "April 2017" is
  April 2018; years count in months). A weekday between "the" and a capitalised word names a
  title, not a day ("the Sunday Times").
* Month and weekday names must be capitalised; a month name alone counts only after "in",
  "during", "early", "late", "mid" or "since" ("they may strike", "in May", "mid-May"). Decades
  ("the 1990s"), times and plain numbers are not dates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from geomap.wordscan import Anchored, Words

PRECISIONS = ("day", "week", "month", "year")


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression at ``text[start:end]`` and the date it stands for (a month or year: its
    first day); ``precision`` is one of :data:`PRECISIONS`."""

    start: int
    end: int
    text: str
    date: date
    precision: str
    relative: bool


_FULL_MONTHS = "January February March April May June July August September October November December".split()  # noqa: SIM905
_MONTHS = {name: i for i, name in enumerate(_FULL_MONTHS, 1)} | {m[:3]: i for i, m in enumerate(_FULL_MONTHS, 1)}
_MONTHS["Sept"] = 9
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_FULL = "|".join(_FULL_MONTHS)
_MON = rf"(?:(?:{_FULL})\b|(?:Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b\.?)"
_DAY = r"[0-9]{1,2}(?:st|nd|rd|th)?\b"
_YEAR = r"[0-9]{4}\b"
_EXPLICIT = rf"(?:\b{_MON}\s+{_DAY}(?:,?\s+{_YEAR})?|\b{_DAY}\s+(?:of\s+)?{_MON}(?:,?\s+{_YEAR})?)"
_PART = r"\b(?i:early|late|mid)[-\s]\s*"
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_COUNTS = {"a": 1, "an": 1, "a couple of": 2} | {w: i for i, w in enumerate(_NUMBER_WORDS, 1)}

_MONTH_NAME = re.compile(_MON, re.A)
_EXPLICIT_RE = re.compile(_EXPLICIT, re.A)
_ISO_RE = re.compile(r"\b([0-9]{4})-([0-9]{2})-([0-9]{2})\b", re.A)
_WEEKDAY_RE = re.compile(
    rf"(?:\b(?P<mod>(?i:late|early)(?:\s+on)?|(?i:last))\s+)?\b(?P<wd>{'|'.join(_WEEKDAYS)})\b"
    rf"(?:\s+(?:morning|afternoon|evening|night))?(?:\s*\(\s*(?P<x>{_EXPLICIT})\s*\)|,?\s+(?P<y>{_EXPLICIT}))?",
    re.A,
)
_NEXT_RE = re.compile(r"\b(?:next|coming)\s+$", re.I | re.A)
_TITLE_BEFORE = re.compile(r"\bthe\s+$", re.I | re.A)
_TITLE_AFTER = re.compile(r"\s+[A-Z][a-z]", re.A)
_MONTH_YEAR_RE = re.compile(rf"(?:\b(?i:in|during)\s+)?(?:{_PART})?\b(?P<mon>{_MON}),?\s+(?P<year>{_YEAR})", re.A)
_MONTH_RE = re.compile(
    rf"(?:\b(?i:in|during)\s+(?:{_PART})?|{_PART}|(?<=\b[Ss]ince\s))(?P<mon>{_FULL})\b(?!\.?,?\s*[0-9])", re.A
)
_YEAR_RE = re.compile(rf"\b(?i:in|during)\s+(?:{_PART})?(?P<year>(?:19|20)[0-9]{{2}})\b(?!-[0-9])", re.A)
_RELATIVE_RE = re.compile(
    rf"""\b(?:
      (?P<day_before>(?:the\s+)?day\s+before\s+yesterday)
    | (?P<yesterday>yesterday(?:\s+(?:morning|afternoon|evening))?|last\s+night|overnight)
    | (?P<today>(?:earlier\s+)?today|tonight|this\s+(?:morning|afternoon|evening))
    | (?P<this_week>(?:earlier\s+)?this\s+week)
    | (?P<last_week>last\s+week)
    | (?P<this_month>(?:earlier\s+)?this\s+month)
    | (?P<last_month>last\s+month)
    | (?P<this_year>(?:earlier\s+)?this\s+year)
    | (?P<last_year>last\s+year)
    | (?P<ago>(?P<n>[0-9]{{1,4}}|a\s+couple\s+of|an?|{"|".join(_NUMBER_WORDS)})
        \s+(?P<unit>day|week|month|year)s?\s+ago)
    )\b""",
    re.X | re.I | re.A,
)

_LATER_RE = re.compile(
    rf"\b(?:(?P<n>[0-9]{{1,3}}|an?|{'|'.join(_NUMBER_WORDS)})\s+(?P<unit>day|week|month|year)s?\s+later"
    r"|the\s+(?:next|following)\s+(?P<next>day|week|month|year))\b",
    re.I | re.A,
)
_UNIT_PRECISION = {"day": "day", "week": "week", "month": "month", "year": "month"}

Resolved = tuple[date, str, bool]


def _months_back(day: date, n: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - n, 12)
    return date(year, month + 1, 1)


_RELATIVE: dict[str, Callable[[date], tuple[date, str]]] = {
    "day_before": lambda p: (p - timedelta(days=2), "day"),
    "yesterday": lambda p: (p - timedelta(days=1), "day"),
    "today": lambda p: (p, "day"),
    "this_week": lambda p: (p, "week"),
    "last_week": lambda p: (p - timedelta(days=7), "week"),
    "this_month": lambda p: (p.replace(day=1), "month"),
    "last_month": lambda p: (_months_back(p, 1), "month"),
    "this_year": lambda p: (date(p.year, 1, 1), "year"),
    "last_year": lambda p: (date(p.year - 1, 1, 1), "year"),
}


def _latest(month: int, day: int, limit: date) -> date:
    """The latest date with this month and day not after ``limit``."""
    for year in range(limit.year, limit.year - 8, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= limit:
            return candidate
    raise ValueError(f"no date {month}-{day} before {limit}")


def _explicit(text: str, published: date | None) -> Resolved | None:
    month = _MONTHS[_MONTH_NAME.search(text).group().rstrip(".")]
    day, *year = (int(n) for n in re.findall("[0-9]+", text))
    if year:
        return date(year[0], month, day), "day", False
    if published is None:
        return None
    return _latest(month, day, published + timedelta(days=1)), "day", True


def _weekday(m: re.Match[str], published: date | None) -> Resolved | None:
    if explicit := m["x"] or m["y"]:
        return _explicit(explicit, published)
    if published is None or _NEXT_RE.search(m.string, max(0, m.start() - 12), m.start()):
        return None
    if _TITLE_BEFORE.search(m.string, max(0, m.start() - 5), m.start()) and _TITLE_AFTER.match(m.string, m.end()):
        return None  # "the Sunday Times"
    back = (published.weekday() - _WEEKDAYS.index(m["wd"])) % 7
    if back == 0 and (m["mod"] or "").lower() == "last":
        back = 7
    return published - timedelta(days=back), "day", True


def _month(m: re.Match[str], published: date | None) -> Resolved | None:
    if published is None:
        return None
    month = _MONTHS[m["mon"]]
    year = published.year if month <= published.month else published.year - 1
    return date(year, month, 1), "month", True


def _relative(m: re.Match[str], published: date | None) -> Resolved | None:
    if published is None:
        return None
    if not m["ago"]:
        return (*_RELATIVE[m.lastgroup or ""](published), True)
    word = " ".join(m["n"].lower().split())
    n = int(word) if word.isdigit() else _COUNTS[word]
    unit = m["unit"].lower()
    if unit == "day":
        return published - timedelta(days=n), "day", True
    if unit == "week":
        return published - timedelta(weeks=n), "week", True
    if unit == "month":
        return _months_back(published, n), "month", True
    return date(published.year - n, 1, 1), "year", True


_MONTH_WORDS = (*_MONTHS, "Sep")
_IN_PART = ("in", "during", "early", "late", "mid")
_READERS: list[tuple[Anchored, Callable[[re.Match[str], date | None], Resolved | None]]] = [
    (Anchored(_WEEKDAY_RE, ("late", "early", "last", *_WEEKDAYS)), _weekday),
    (Anchored(_EXPLICIT_RE, _MONTH_WORDS, digits=True), lambda m, p: _explicit(m.group(), p)),
    (Anchored(_ISO_RE, (), digits=True), lambda m, p: (date(int(m[1]), int(m[2]), int(m[3])), "day", False)),
    (
        Anchored(_MONTH_YEAR_RE, (*_IN_PART, *_MONTH_WORDS)),
        lambda m, p: (date(int(m["year"]), _MONTHS[m["mon"].rstrip(".")], 1), "month", False),
    ),
    (Anchored(_MONTH_RE, (*_IN_PART, *_FULL_MONTHS)), _month),
    (Anchored(_YEAR_RE, ("in", "during")), lambda m, p: (date(int(m["year"]), 1, 1), "year", False)),
    (
        Anchored(
            _RELATIVE_RE,
            (
                "the",
                "day",
                "yesterday",
                "last",
                "overnight",
                "earlier",
                "today",
                "tonight",
                "this",
                "a",
                "an",
                *_NUMBER_WORDS,
            ),
            digits=True,
        ),
        _relative,
    ),
]
_LATER = Anchored(_LATER_RE, ("a", "an", "the", *_NUMBER_WORDS), digits=True)


def _later(m: re.Match[str], anchor: DateMention) -> DateMention | None:
    """A date "two days later" or "the next day" than ``anchor``, the date mentioned before."""
    unit = (m["unit"] or m["next"]).lower()
    word = (m["n"] or "one").lower()
    n = int(word) if word.isdigit() else _COUNTS[word]
    day = anchor.date
    if unit in ("day", "week"):
        day += timedelta(days=n * (7 if unit == "week" else 1))
    else:
        day = _months_back(day, -n * (12 if unit == "year" else 1))
    precision = max(_UNIT_PRECISION[unit], anchor.precision, key=PRECISIONS.index)
    if precision == "year":
        day = date(day.year, 1, 1)
    return DateMention(m.start(), m.end(), m.group(), day, precision, anchor.relative)


def find_dates(text: str, published: date | None, index: Words | None = None) -> list[DateMention]:
    """Date mentions in ``text`` (``index``: its words, when the caller has one), in order; overlapping
    readings keep the leftmost, then longest."""
    found: list[tuple[int, int, Resolved | None]] = []
    words = index or Words(text)
    for pattern, read in _READERS:
        for m in pattern.finditer(words):
            try:
                value = read(m, published)
            except (ValueError, OverflowError):  # no such date, or out of the calendar's range
                value = None
            found.append((m.start(), m.end(), value))
    found.sort(key=lambda f: (f[0], f[0] - f[1]))
    mentions: list[DateMention] = []
    end = 0
    for start, stop, value in found:
        if start >= end:
            end = stop
            if value:
                mentions.append(DateMention(start, stop, text[start:stop], *value))
    for m in _LATER.finditer(words):
        anchor = next((d for d in reversed(mentions) if d.end <= m.start()), None)
        if anchor is None or any(d.start < m.end() and m.start() < d.end for d in mentions):
            continue
        try:
            later = _later(m, anchor)
        except (ValueError, OverflowError):
            continue
        mentions.insert(mentions.index(anchor) + 1, later)
    return mentions


def resolve_event_date(mentions: Sequence[DateMention], published: date | None) -> tuple[date | None, str | None]:
    """The date and precision of one incident from its date mentions, best first: the first
    mention; with none, the publication date at week precision ("reported around then");
    with no publication date either, ``(None, None)``."""
    if mentions:
        return mentions[0].date, mentions[0].precision
    return (published, "week") if published else (None, None)
