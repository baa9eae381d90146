"""Property tests (hypothesis): the name keys, the readers of figures and dates, the frame's filters, and
a short fuzzing run over ingest (random records, tables, front matter and manifests)."""

from __future__ import annotations

import builtins
import csv
import io
import json
import os
import sys
import tempfile
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gazetteer.normalize import ARTICLES, fold, key, skeleton
from geomap import frame
from geomap.articles import read_articles
from geomap.events.dates import later, resolve
from geomap.events.figures import number
from geomap.events.incidents import toll
from geomap.events.records import Count, Figure, Harm, When
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


@SETTINGS
@given(st.integers(1, 99), st.sampled_from(["", "at least", "more than", "about", "nearly", "up to"]), st.booleans())
def test_a_count_in_words_or_digits_is_its_number(n, qualifier, title):
    words = in_words(n).capitalize() if title else in_words(n)
    assert number([*qualifier.split(), words]) == (n, False)
    assert number([*qualifier.split(), f"{n * 1001:,}"]) == (n * 1001, False)


@SETTINGS
@given(st.lists(st.text(max_size=12) | st.sampled_from(["dozens", "hundred", "-", "thousands", "of"]), max_size=5))
def test_numbers_never_raise_and_are_not_negative(words):
    found = number(words)
    assert found is None or (found[0] >= 0 and isinstance(found[1], bool))


@st.composite
def figures(draw) -> list[Figure]:
    return [
        Figure(draw(st.sampled_from(list(Harm))), draw(st.integers(1, 5000)), draw(st.sampled_from(list(Count))),
               n, n + 1, "x", vague=draw(st.booleans()), rising=draw(st.booleans()))
        for n in range(draw(st.integers(0, 6)))
    ]  # fmt: skip


@SETTINGS
@given(figures(), st.sampled_from(list(Harm)))
def test_a_toll_is_a_range_the_figures_give(found, harm):
    mine = [f for f in found if f.harm == harm]
    result = toll(found, harm)
    if not mine:
        assert result is None
        return
    low, high = result
    assert 0 <= low <= high
    counted = [f.value for f in mine if f.count != Count.NONE]
    if not counted:
        assert result == (0, 0)
    elif not any(f.count == Count.ADDED for f in mine):
        assert low in counted and high in counted  # no figure the text does not give
    else:
        assert high <= sum(counted)


# -- dates -------------------------------------------------------------------------------------------------------

MONTHS = "January February March April May June July August September October November December".split()  # noqa: SIM905
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()  # noqa: SIM905
BACKWARD = [
    *WEEKDAYS, *(f"late {d}" for d in WEEKDAYS), *(f"last {d}" for d in WEEKDAYS),
    "yesterday", "last night", "overnight", "today", "this morning", "last week", "two days ago", "a week ago",
    "last month", "last year", "April", "December 30", "Nov. 24", "3 March", "last weekend", "three months ago",
]  # fmt: skip
PUBLISHED = st.dates(date(1950, 1, 1), date(2090, 12, 31))


@SETTINGS
@given(st.lists(st.text(max_size=12) | st.sampled_from([*MONTHS, *WEEKDAYS, "ago", "last", "2015", "30"]), max_size=5),
       st.none() | st.dates())  # fmt: skip
def test_resolving_never_raises_and_names_a_precision(words, reference):
    found = resolve(words, reference)
    assert found is None or found[1] in ("day", "week", "month", "year")


@SETTINGS
@given(st.sampled_from(BACKWARD), PUBLISHED)
def test_dates_counted_from_the_day_of_writing_are_never_after_it(phrase, published):
    found = resolve(phrase.split(), published)
    assert found is not None, phrase
    assert found[0] <= published, (phrase, published, found)
    assert resolve(phrase.split(), None) is None  # no day of writing, nothing to count from


@SETTINGS
@given(st.dates(date(1900, 1, 1), date(2099, 12, 31)), st.none() | PUBLISHED, st.booleans())
def test_a_full_date_does_not_depend_on_the_day_of_writing(day, published, day_first):
    month = MONTHS[day.month - 1]
    words = [str(day.day), month, str(day.year)] if day_first else [month, f"{day.day},", str(day.year)]
    assert resolve(words, published) == (day, "day")


@SETTINGS
@given(st.dates(date(1950, 1, 1), date(2090, 12, 31)), st.sampled_from(["day", "week", "month", "year"]),
       st.integers(1, 9), st.sampled_from(["day", "week", "month", "year"]))  # fmt: skip
def test_a_later_date_is_after_the_one_before(day, precision, n, unit):
    before = When(day, precision, 0, 0, "then")
    found = later(["the", *([in_words(n)] if n > 1 else ["a"]), unit + ("s" if n > 1 else ""), "later"], before)
    assert found is not None and found[0] > day


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
