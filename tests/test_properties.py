"""Property tests (hypothesis): the name keys, the readers of figures and dates, the frame's filters, and
a short fuzzing run over ingest (random records, tables, front matter and manifests)."""

from __future__ import annotations

import builtins
import csv
import io
import itertools
import json
import os
import sys
import tempfile
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gazetteer.normalize import ARTICLES, fold, key, skeleton
from geomap import casualties, dates, frame
from geomap.articles import read_articles
from geomap.records import Article, ArticleError, Incident

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SURROGATES = st.sampled_from(["\ud800", "\udc80", "\udfff"])
ANY_TEXT = st.lists(st.text(max_size=20) | SURROGATES, max_size=6).map("".join)  # with lone surrogates too
LATIN = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x24F), max_size=30)
WORD = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=3, max_size=12)
COMBINING = st.sampled_from([chr(c) for c in range(0x300, 0x370) if unicodedata.combining(chr(c))])  # accents

# -- name keys ---------------------------------------------------------------------------------------------------


@SETTINGS
@given(ANY_TEXT)
def test_name_keys_never_raise_and_are_fixed_points(text):
    folded, k, skel = fold(text), key(text), skeleton(text)
    assert fold(folded) == folded and key(k) == k  # idempotent
    assert skel.isascii() and skeleton(folded) == skel
    assert folded == folded.strip() and "  " not in folded


@SETTINGS
@given(LATIN)
def test_fold_ignores_case(text):
    assert fold(text.upper()) == fold(text.lower()) == fold(text)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ -'"),
                          st.lists(COMBINING, max_size=2)), max_size=20))  # fmt: skip
def test_fold_ignores_diacritics(letters):
    plain = "".join(c for c, _ in letters)
    marked = "".join(c + "".join(marks) for c, marks in letters)
    assert fold(marked) == fold(plain)


@SETTINGS
@given(st.sampled_from(sorted(ARTICLES)), WORD, st.sampled_from([" ", "-", "_", " - "]), st.booleans())
def test_skeleton_drops_the_arabic_article(article, word, joint, title):
    assume(word not in ARTICLES)
    name = f"{article}{joint}{word}"
    assert skeleton(name.title() if title else name) == skeleton(word)


@SETTINGS
@given(WORD, st.data())
def test_skeleton_ignores_the_vowels_of_transliterations(word, data):
    """Deir/Dayr, Hajin/Hajen: swapping a vowel (past the first two letters) keeps the skeleton."""
    skel = skeleton(word)
    assume(len(skel) >= 2 and not set(skel) & set("aeiou"))
    spots = [i for i, c in enumerate(word) if c in "aeiou" and i >= 2]
    assume(spots)
    i = data.draw(st.sampled_from(spots))
    vowel = data.draw(st.sampled_from("aeiou"))
    assert skeleton(word[:i] + vowel + word[i + 1 :]) == skel


# -- figures -----------------------------------------------------------------------------------------------------

ONES = "one two three four five six seven eight nine".split()  # noqa: SIM905
TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()  # noqa: SIM905
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()  # noqa: SIM905


def in_words(n: int) -> str:
    """1..99 in English words (written for this test)."""
    if n < 10:
        return ONES[n - 1]
    if n < 20:
        return TEENS[n - 10]
    tens, ones = divmod(n, 10)
    return TENS[tens - 2] + (f"-{ONES[ones - 1]}" if ones else "")


KILLED = ["{n} people were killed", "killing {n} civilians", "{n} soldiers died", "the death toll rose to {n}"]
INJURED = ["{n} people were wounded", "injuring {n} civilians", "{n} were hurt"]
FILLER = st.sampled_from(["", "Residents said", "In the north,", "A strike hit the market;", "Officials said that"])


def figures_of(text: str, kind: str) -> list[tuple[int, int | None]]:
    return [(f.low, f.high) for f in casualties.find_figures(text) if f.kind == kind]


FIGURE_WORDS = ["killed", "dozens", "at least", "1,200", "no one", "12", "wounded", " "]


@SETTINGS
@given(ANY_TEXT | st.lists(st.sampled_from(FIGURE_WORDS)).map(" ".join))
def test_figures_never_raise_and_are_ranges(text):
    found = casualties.find_figures(text)
    assert [f.start for f in found] == sorted(f.start for f in found)
    for f in found:
        assert f.kind in casualties.KINDS and f.low >= 0 and (f.high is None or f.high >= f.low)
        assert text[f.start : f.end] == f.text
    for kind in casualties.KINDS:
        combined = casualties.combine(found, kind)
        ranges = [(f.low, f.low if f.high is None else f.high) for f in found if f.kind == kind]
        assert combined == ((min(r[0] for r in ranges), max(r[1] for r in ranges)) if ranges else None)


@SETTINGS
@given(st.integers(1, 99_999), st.sampled_from(KILLED + INJURED), st.booleans(), FILLER)
def test_a_plain_count_is_read_exactly(n, template, words, before):
    assume(not 1900 <= n <= 2099)  # a bare number in that span is a year
    number = in_words(n) if words and n < 100 else f"{n:,}" if n >= 1000 and n % 2 else str(n)
    kind = "killed" if template in KILLED else "injured"
    assert figures_of(f"{before} {template.format(n=number)}.", kind) == [(n, n)]


@SETTINGS
@given(st.integers(1, 5000), st.sampled_from(["at least", "more than", "about", "nearly", "up to"]))
def test_qualified_counts_keep_the_number_in_range(n, qualifier):
    ((low, high),) = figures_of(f"Officials said {qualifier} {n} people were killed.", "killed")
    if qualifier == "at least":
        assert (low, high) == (n, None)
    elif qualifier == "more than":
        assert (low, high) == (n + 1, None)
    elif qualifier == "about":
        assert low <= n <= high and n - low == high - n >= 1 and high - n <= max(1, n // 10 + 1)
    elif qualifier == "nearly":
        assert low <= high == n - 1 or n == 1
    else:
        assert low <= 1 and high == n


# -- dates -------------------------------------------------------------------------------------------------------

MONTHS = "January February March April May June July August September October November December".split()  # noqa: SIM905
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()  # noqa: SIM905
BACKWARD = [
    *(f"on {d}" for d in WEEKDAYS),
    *(f"late {d}" for d in WEEKDAYS),
    "yesterday", "last night", "overnight", "today", "this morning", "last week", "two days ago",
    "last month", "last year", "in April", "on December 30", "on Nov. 24", "on 3 March",
]  # fmt: skip
PUBLISHED = st.dates(date(1950, 1, 1), date(2090, 12, 31))


@SETTINGS
@given(ANY_TEXT | st.lists(st.sampled_from([*BACKWARD, "May 18", "2015", "later", " "])).map(" ".join),
       st.none() | st.dates())  # fmt: skip
def test_find_dates_never_raises_and_keeps_mentions_apart(text, published):
    found = dates.find_dates(text, published)
    for d in found:
        assert text[d.start : d.end] == d.text and d.precision in dates.PRECISIONS
        assert published is not None or not d.relative  # no relative date without a publication date
    explicit = [d for d in found if not any(w in d.text for w in ("later", "next", "following"))]
    assert all(a.end <= b.start for a, b in itertools.pairwise(explicit))


@SETTINGS
@given(st.lists(st.sampled_from(BACKWARD), min_size=1, max_size=4), PUBLISHED)
def test_dates_read_against_publication_are_never_after_it(phrases, published):
    text = "Strikes were reported " + ", and ".join(phrases) + "."
    found = dates.find_dates(text, published)
    assert found
    for d in found:
        assert d.relative and d.date <= published + timedelta(days=1), (d, published)


@SETTINGS
@given(st.dates(date(1900, 1, 1), date(2099, 12, 31)), st.none() | PUBLISHED, FILLER)
def test_a_full_date_does_not_depend_on_publication(day, published, before):
    text = f"{before} the strike on {MONTHS[day.month - 1]} {day.day}, {day.year} killed two."
    found = dates.find_dates(text, published)
    assert [(d.date, d.precision, d.relative) for d in found] == [(day, "day", False)]
    assert dates.resolve_event_date(found, published) == (day, "day")


@given(PUBLISHED)
def test_no_mention_means_the_week_of_publication(published):
    assert dates.resolve_event_date([], published) == (published, "week")
    assert dates.resolve_event_date([], None) == (None, None)


# -- the frame's filters -----------------------------------------------------------------------------------------

KINDS = ["air strike", "missile strike", "drone attack"]


@st.composite
def incidents(draw) -> list[Incident]:
    rows = []
    for n in range(draw(st.integers(0, 12))):
        day = draw(st.none() | st.dates(date(2010, 1, 1), date(2025, 12, 31)))
        killed = draw(st.none() | st.integers(0, 500))
        rows.append(
            Incident(
                id=f"i{n}", date=day, date_precision="day" if day else None, event_type=draw(st.sampled_from(KINDS)),
                actor=draw(st.sampled_from([None, "US-led coalition", "Russian forces", "coalition jets"])),
                target=None, location=f"Place {n}", lat=draw(st.floats(-60, 60)), lon=draw(st.floats(-170, 170)),
                country=draw(st.sampled_from(["SY", "IQ", "ye", None])), admin1=None, geonameid=None,
                geo_precision=1, killed_min=killed, killed_max=killed, injured_min=None, injured_max=None,
                quote=f"Quote {n}", historical=False, articles=[f"a{n}.txt"],
            )
        )  # fmt: skip
    return rows


@st.composite
def filters(draw) -> dict:
    chosen = {}
    if draw(st.booleans()):
        chosen["since"] = draw(st.dates(date(2010, 1, 1), date(2025, 12, 31)))
    if draw(st.booleans()):
        chosen["until"] = draw(st.dates(chosen.get("since", date(2010, 1, 1)), date(2026, 1, 1)))
    if draw(st.booleans()):
        chosen["country"] = draw(st.sampled_from(["sy", "IQ", "YE", "FR"]))
    if draw(st.booleans()):
        chosen["event_type"] = draw(st.sampled_from([*KINDS, "Air Strike"]))
    if draw(st.booleans()):
        chosen["actor"] = draw(st.sampled_from(["coalition", "RUSSIAN", "forces"]))
    if draw(st.booleans()):
        chosen["min_killed"] = draw(st.integers(0, 600))
    if draw(st.booleans()):
        west, south = draw(st.floats(-180, 170)), draw(st.floats(-90, 80))
        chosen["bbox"] = (west, south, draw(st.floats(west + 1, 180)), draw(st.floats(south + 1, 90)))
    return chosen


@SETTINGS
@given(incidents(), filters(), filters())
def test_select_is_a_subset_and_filters_compose(rows, first, second):
    gdf = frame.to_frame(rows)
    assume(not (first.get("since") and second.get("until") and first["since"] > second["until"]))
    assume(not (second.get("since") and first.get("until") and second["since"] > first["until"]))
    once = frame.select(gdf, **first)
    assert set(once.index) <= set(gdf.index) and list(once.columns) == list(gdf.columns)
    both = frame.select(once, **second)
    keys = first.keys() & second.keys()
    if not keys:  # different filters: applying them in turn is applying them together
        assert list(both.index) == list(frame.select(gdf, **first, **second).index)
    assert list(both.index) == list(frame.select(frame.select(gdf, **second), **first).index)
    for _, row in once.iterrows():
        if first.get("since") or first.get("until"):
            day = date.fromisoformat(frame.iso_day(row["date"]))  # undated rows never pass a date filter
            assert first.get("since", date.min) <= day <= first.get("until", date.max)
        if "min_killed" in first:
            assert row["killed_max"] >= first["min_killed"]
        if "bbox" in first:
            west, south, east, north = first["bbox"]
            assert west <= row.geometry.x <= east and south <= row.geometry.y <= north
    dropped = gdf.loc[~gdf.index.isin(once.index)]
    if first.keys() <= {"since", "until"}:  # what the dates drop is undated or outside them
        for _, row in dropped.iterrows():
            day = frame.iso_day(row["date"]) and date.fromisoformat(row["date"])
            assert not day or not first.get("since", date.min) <= day <= first.get("until", date.max)


@SETTINGS
@given(st.dates(date(1000, 1, 1), date(9999, 12, 31)), st.booleans())
def test_date_bounds_cover_what_they_name(day, end):
    assert frame.date_bound(day.isoformat(), end=end) == day
    month = frame.date_bound(day.isoformat()[:7], end=end)
    year = frame.date_bound(str(day.year), end=end)
    assert (month.year, month.month) == (day.year, day.month) and year.year == day.year
    assert (month >= day if end else month <= day) and (year >= month if end else year <= month)


@SETTINGS
@given(ANY_TEXT | st.from_regex(r"\A-?\d{1,3}(\.\d+)?(,-?\d{1,3}(\.\d+)?){0,4}\Z"))
def test_bbox_and_date_bound_answer_or_name_the_option(text):
    try:
        west, south, east, north = frame.parse_bbox(text)
        assert -180 <= west < east <= 180 and -90 <= south < north <= 90
    except ValueError as exc:
        assert "--bbox" in str(exc)
    try:
        bound = frame.date_bound(text, end=False, option="--since")
        assert isinstance(bound, date)
    except ValueError as exc:
        assert "--since" in str(exc)
    day = frame.iso_day(text)
    assert day is None or frame.iso_day(day) == day == date.fromisoformat(day).isoformat()


@SETTINGS
@given(st.floats(-180, 179), st.floats(-90, 89), st.floats(0.001, 180), st.floats(0.001, 90))
def test_bbox_round_trip(west, south, width, height):
    east, north = min(180.0, west + width), min(90.0, south + height)
    assume(west < east and south < north)
    assert frame.parse_bbox(f"{west!r},{south!r},{east!r},{north!r}") == (west, south, east, north)


# -- ingest fuzzing ----------------------------------------------------------------------------------------------

FIELDS = st.sampled_from(["text", "Body", "title", "url", "date", "published", "id", "source", "link", "x"])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(FIELDS | ANY_TEXT, inner, max_size=5),
    max_leaves=12,
)
HTML_BITS = st.sampled_from(
    ["<p>", "</p>", "<title>", "<meta property='og:title' content='", "'>", "<script>", "<time datetime='",
     "2017-01-01", "<div>", "&amp;", "&#xD800;", "&#0;", "text "]
)  # fmt: skip
CELLS = st.text(max_size=30) | st.sampled_from(["Warplanes struck Idlib.", "2017-04-07", "../x.txt", "\n", '"'])
PATHS = st.sampled_from(
    ["a.txt", "../outside.txt", "../../etc/passwd", "/etc/passwd", "sub/../a.txt", "sub/../../outside.txt", "link.txt",
     "a.txt", "", " ", "C:\\outside.txt", "..\\outside.txt", "nope.json", "sub", "\x00.txt"]
) | st.text(max_size=12)  # fmt: skip


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


@st.composite
def article_files(draw) -> tuple[str, bytes]:
    """One file of a random kind with random structure."""
    kind = draw(st.sampled_from(["json", "jsonl", "csv", "md", "html", "manifest"]))
    if kind == "json":
        return "x.json", json.dumps(draw(JSON)).encode()
    if kind == "jsonl":
        return "x.jsonl", "\n".join(json.dumps(v) for v in draw(st.lists(JSON, max_size=4))).encode()
    if kind == "csv":
        header = draw(st.lists(st.sampled_from(["text", "title", "date", "url", "id", "x"]) | CELLS, max_size=4))
        rows = draw(st.lists(st.lists(CELLS, max_size=5), max_size=4))
        return "x.csv", _csv([header, *rows]).encode()
    if kind == "md":
        meta = draw(st.lists(st.tuples(st.sampled_from(["title", "date", "url", "published"]) | CELLS, CELLS)))
        front = "".join(f"{k}: {v}\n" for k, v in meta)
        return "x.md", f"---\n{front}---\n{draw(ANY_TEXT)}".encode("utf-8", "surrogatepass")
    if kind == "html":
        return "x.html", "".join(draw(st.lists(HTML_BITS | ANY_TEXT, max_size=20))).encode("utf-8", "surrogatepass")
    columns = draw(st.lists(st.sampled_from(["file", "published", "title", "url", "source"]) | CELLS, max_size=5))
    rows = draw(st.lists(st.lists(PATHS | CELLS, max_size=5), max_size=6))
    return "manifest.csv", _csv([columns, *rows]).encode()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(article_files(), min_size=1, max_size=3))
def test_ingest_fuzz_never_raises_nor_reads_outside(files):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "in"
        (folder / "sub").mkdir(parents=True)
        (root / "outside.txt").write_text("OUTSIDE")
        (folder / "a.txt").write_text("Warplanes struck Idlib on Friday.")
        (folder / "link.txt").symlink_to(root / "outside.txt")
        for n, (name, data) in enumerate(files):
            (folder / (name if name == "manifest.csv" else f"{n}-{name}")).write_bytes(data)
        opened: list[Path] = []
        path_open, real_open = Path.open, builtins.open

        def spy_path(self, *args, **kwargs):
            opened.append(Path(os.path.abspath(self)))
            return path_open(self, *args, **kwargs)

        def spy_open(file, *args, **kwargs):
            if isinstance(file, str | os.PathLike):
                opened.append(Path(os.path.abspath(file)))
            return real_open(file, *args, **kwargs)

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(Path, "open", spy_path)
            mp.setattr(builtins, "open", spy_open)
            items = list(read_articles([folder]))
    assert items and all(isinstance(i, Article | ArticleError) for i in items)
    for item in items:
        fields = [item.id, item.reason] if isinstance(item, ArticleError) else [item.id, item.text, item.title or ""]
        for value in fields:
            value.encode("utf-8")  # every text can be written out
        if isinstance(item, Article):
            assert item.text.strip() and "OUTSIDE" not in item.text
    library = (Path(sys.prefix), Path(sys.base_prefix))  # data files of installed packages, read on first use
    assert all(p.is_relative_to(folder) or any(p.is_relative_to(lib) for lib in library) for p in opened), opened
