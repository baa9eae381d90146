"""Passing over, before the model, the articles with no word an incident could be read from: no incident is
lost (the same incidents with and without it), and the run report lists what was passed over."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from geomap.articles import read_articles
from geomap.cli import app
from geomap.events import EventReader
from geomap.places import Geoparser
from geomap.records import Article
from tests.conftest import ROOT, SHARED


@pytest.fixture(scope="module")
def reader(gaz):
    return EventReader(Geoparser(gaz, sentences=True))


def incidents(reader, articles, read_all):
    return [(a.id, found) for a, _, found in reader.results(articles, read_all)]


def articles_of(*folders):
    return [a for a in read_articles([f for f in folders if f.exists()]) if isinstance(a, Article)]


def test_the_same_incidents_with_and_without_passing_over(reader):
    """The bundled examples, the seeds and the shared dev set (its 14 look-alike negatives included)."""
    dev = SHARED / "benchmarks" / "incidents" / "dev"
    articles = articles_of(ROOT / "examples" / "articles", SHARED / "seeds", dev)
    assert len(articles) >= 11
    assert incidents(reader, articles, False) == incidents(reader, articles, True)


WORDS = ["The", "minister", "visited", "Aleppo", "on", "Monday", "and", "said", "talks", "in", "Geneva", "went",
         "well", "farmers", "sold", "42", "tons", "of", "wheat", "near", "Mosul", "."]  # fmt: skip
EVENT_WORDS = ["killed", "airstrike", "shelling", "struck", "bomb", "clashes", "wounded", "missiles", "drone"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(WORDS + EVENT_WORDS), min_size=3, max_size=25), min_size=1, max_size=4))
def test_a_text_passed_over_could_give_no_incident(reader, sentences):
    text = " ".join(" ".join(s) + "." for s in sentences)
    article = Article("a.txt", text, date(2020, 1, 1))
    full = incidents(reader, [article], True)
    assert incidents(reader, [article], False) == full
    if not reader.may_report(text):
        assert full == [("a.txt", [])]


def test_the_report_lists_what_was_passed_over(gaz, tmp_path, monkeypatch):
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(gaz.path))
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "strike.txt").write_text("Jets struck a depot near Homs on Monday, killing five fighters.")
    (folder / "wheat.txt").write_text("Farmers near Mosul sold more wheat this year, the ministry said in Baghdad.")
    runner = CliRunner()
    for options, passed in (([], ["wheat.txt"]), (["--read-all"], [])):
        out = tmp_path / f"out{len(options)}"
        result = runner.invoke(app, ["run", str(folder), "--no-cache", "-q", "-o", str(out), *options])
        assert result.exit_code == 0, result.output
        report = json.loads((out / "report.json").read_text())
        assert [p["id"] for p in report["passed_over"]] == passed and report["articles_passed_over"] == len(passed)
        assert report["articles_read"] == 2 and report["incidents"] == 1
        assert report["places_found"] >= (2 if not passed else 1)


def test_the_model_reads_the_lead_the_cues_and_the_sentences_near_a_trigger(reader):
    lead = ["Talks opened in Geneva on Monday.", "Delegates arrived late.", "The hall was full."]
    quiet = ["Farmers sold wheat.", "Prices held.", "The river rose.", "Schools reopened.", "Buses ran late."]
    cue = "Rebel fighters were seen in the hills."  # a word of fighters, no trigger: read, not its neighbours
    text = "\n".join([*lead, *quiet, "Shelling hit Idlib on Tuesday.", *quiet, cue, *quiet])
    read = reader.reading(text)
    assert len(read) == len(text) and read.count("\n") >= text.count("\n")
    kept = [line for line in read.split("\n") if line.strip()]
    assert kept == [*lead, *quiet[3:], "Shelling hit Idlib on Tuesday.", *quiet[:2], cue]
    assert reader.reading("Farmers sold wheat near Mosul.") is None


EVENTS = [
    "Shelling hit the market in Idlib on Tuesday, killing four people.",
    "A drone struck a checkpoint near Mosul on Wednesday.",
    "Two soldiers were wounded in the attack.",
]
QUIET = [  # no place: a place named far from every event still counts towards the article's focus
    "The minister spoke on Monday.",
    "Farmers sold 42 tons of wheat.",
    "Talks went well, officials said.",
    "The weather stayed mild.",
    "Schools reopened after the holiday.",
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(EVENTS + QUIET * 3), min_size=8, max_size=30), st.booleans())
def test_long_texts_give_the_same_incidents_when_only_their_event_sentences_are_read(reader, sentences, lines):
    """Sentences far from every event word are blanked before the model: the events, their figures, dates
    and places are read as from the whole text."""
    text = ("\n" if lines else " ").join(sentences)
    article = Article("a.txt", text, date(2020, 1, 1))
    assert incidents(reader, [article], False) == incidents(reader, [article], True)
