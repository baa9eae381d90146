"""Speed-ups that must not change a reading: anchored scans give what the plain ``finditer`` gives, and the event-word
prefilter skips only sentences no event pattern matches."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap import casualties, dates
from geomap.evaluate import read_corpus
from geomap.wordscan import Anchored, Words

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"

SCANS = [("quantity", casualties._QUANTITY_SCAN), ("later", dates._LATER)] + [
    (f"date reader {i}", scan) for i, (scan, _) in enumerate(dates._READERS)
]

# the words and marks the patterns turn on, with near misses glued to words and digits
VOCABULARY = [
    *"""at least more than over about around some an estimated nearly up to as many fewer under another
    a an one two three twelve twenty twenty-five ninety hundred thousand dozen dozens tens scores hundreds
    thousands several few between and or to killed wounded Monday Thursday late early last on night
    morning May June Sept Sep. Dec. December in during mid since Since the day before yesterday
    today tonight this week month year ago later next following earlier couple of 12 3 2017 2015-12-07
    18th 1st 7 62 1,200 xMay _12 F-16 May5 é12 3rd-floor ( ) , . - –""".split(),  # noqa: SIM905
    "\n",
]


def _texts() -> list[str]:
    paths = [*FIXTURES.rglob("*.txt"), *FIXTURES.rglob("*.md"), *(ROOT / "examples").rglob("*.txt")]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    if SHARED.is_dir():
        texts += [p.read_text(encoding="utf-8", errors="replace") for p in (SHARED / "seeds").rglob("*.txt")]
        corpus = SHARED / "benchmarks" / "geoparsing" / "TR-News.xml"
        if corpus.is_file():
            texts += [a.text for a in read_corpus(corpus).articles]
    return texts


def _same(scan: Anchored, text: str) -> None:
    expected = [(m.span(), m.group()) for m in scan.pattern.finditer(text)]
    assert [(m.span(), m.group()) for m in scan.finditer(Words(text))] == expected


@pytest.mark.parametrize(("label", "scan"), SCANS, ids=[label for label, _ in SCANS])
def test_anchored_scan_equals_the_plain_scan_on_real_text(label, scan):
    texts = _texts()
    assert len(texts) > 20
    for text in texts:
        _same(scan, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY), max_size=40), st.lists(st.sampled_from([" ", "", "  ", ", "])))
def test_anchored_scan_equals_the_plain_scan_on_dense_text(words, glue):
    text = "".join(w + (glue[i % len(glue)] if glue else " ") for i, w in enumerate(words))
    for _, scan in SCANS:
        _same(scan, text)


def test_words_are_indexed_in_order_by_lower_case_and_digit():
    words = Words("May 12 and the may, 3rd _x")
    assert list(words.starts(frozenset({"may"}))) == [0, 15]
    assert list(words.starts(frozenset({"may", "#"}))) == [0, 4, 15, 20]
    assert list(words.starts(frozenset({"absent"}))) == []


def test_an_anchored_pattern_must_be_ascii():
    with pytest.raises(ValueError, match=r"re\.ASCII"):
        Anchored(re.compile(r"\bmay\b"), ["may"])


def test_event_words_only_skip_sentences_no_event_pattern_matches():
    """``incidents.EVENT_WORDS`` is a prefilter: on real sentences it changes no reading."""
    from geomap import incidents

    def plain(text):
        found = [(m.start(), r, n) for r, (n, p) in enumerate(incidents.EVENT_TYPES) if (m := p.search(text))]
        return (min(found)[2], min(found)[0]) if found else None

    sentences = [s for t in _texts() for s in re.split(r"(?<=[.!?])\s+", t)]
    assert len(sentences) > 100  # about 180 from our own texts, thousands more with ../shared
    assert set(incidents.EVENT_WORDS) == {n for n, _ in incidents.EVENT_TYPES}
    for s in sentences:
        assert incidents.event_type(s) == plain(s), s
