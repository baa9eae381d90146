"""Incident extraction: triggers, sides, places, dates, figures, joining reports; the seed articles."""

from __future__ import annotations

import json
from datetime import date

import pytest
from geopy.distance import geodesic

from geomap.articles import read_articles
from geomap.incidents import IncidentReader, event_type, extract, merge, sides
from geomap.places import Geoparser
from geomap.records import Article, ArticleError


@pytest.fixture(scope="module")
def reader(gaz):
    return IncidentReader(Geoparser(gaz, sentences=True))


def read_one(reader, text, published=date(2017, 5, 19), aid="a.txt", title=None):
    article = Article(aid, text, published=published, title=title)
    return next(iter(reader.read([article])))[1]


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Coalition warplanes struck an army camp.", "air strike"),
        ("Missiles slammed into the base before dawn.", "missile strike"),
        ("Turkish jets shot down a Russian bomber.", "shootdown"),
        ("A drone struck the outpost overnight.", "drone attack"),
        ("Heavy shelling hit the eastern districts.", "artillery"),
        ("Clashes broke out between rival factions.", "armed clash"),
        ("Doctors said a nerve agent was used in the chemical attack.", "chemical attack"),
        ("US missiles struck an airbase that had launched a sarin attack.", "missile strike"),
        ("The minister visited the region on Tuesday.", None),
        ("An artillery piece was destroyed.", None),
    ],
)
def test_event_types(sentence, kind):
    found = event_type(sentence)
    assert (found[0] if found else None) == kind


def test_sides_active_passive_and_speakers():
    text = "US-led coalition jets struck pro-regime forces near the border."
    assert sides(text, text.index("struck")) == (
        ("US-led coalition", "US-led coalition jets"),
        ("Syrian government forces", "pro-regime forces"),
    )
    passive = "Syrian troops were hit by coalition warplanes."
    actor, target = sides(passive, passive.index("hit"))
    assert actor[0] == "US-led coalition" and target[0] == "Syrian government forces"
    spoken = "Russia said Turkish F-16s shot down its bomber."
    actor, _ = sides(spoken, spoken.index("shot"))
    assert actor[0] == "Turkey"


# Our own short report: a strike, a speaker capital, figures, a recalled event.
REPORT = (
    "Coalition aircraft bombed a Syrian army position near Albukamal on Thursday, killing four soldiers "
    "and wounding nine. Officials in Damascus said the raid was an act of aggression. "
    "In April 2017, US missiles struck Shayrat air base in Homs province."
)


def test_reported_and_recalled_events(reader):
    found = read_one(reader, REPORT)
    current = [i for i in found if not i.historical]
    recalled = [i for i in found if i.historical]
    assert len(current) == 1 and len(recalled) == 1
    strike = current[0]
    assert strike.event_type == "air strike" and strike.date == date(2017, 5, 18)
    assert strike.date_precision == "day"
    assert strike.location == "Ālbū Kamāl" and strike.geo_precision == 2
    assert (strike.killed_min, strike.killed_max, strike.injured_min, strike.injured_max) == (4, 4, 9, 9)
    assert strike.actor and "oalition" in strike.actor
    assert recalled[0].event_type == "missile strike" and recalled[0].location == "Shayrat Air Base"
    assert recalled[0].date == date(2017, 4, 1) and recalled[0].date_precision == "month"
    assert all(i.location != "Damascus" for i in found)  # the speaker's city is not where it happened


def test_province_only_is_precision_three(reader):
    found = read_one(reader, "Warplanes struck a camp in the Deir ez-Zor province on Sunday, killing three.")
    assert found[0].geo_precision == 3 and found[0].admin1 == found[0].location


def test_country_alone_locates_nothing(reader):
    assert read_one(reader, "Russia has carried out air strikes in Syria since 2015.") == []


def test_same_event_from_two_articles_is_one_incident(reader):
    a = Article(
        "a.txt",
        "Coalition jets struck pro-regime forces near Albukamal on Thursday, killing five.",
        published=date(2017, 5, 19),
    )
    b = Article(
        "b.txt",
        "Pro-regime forces were hit by coalition warplanes outside Albukamal late Thursday; "
        "eight fighters were killed.",
        published=date(2017, 5, 20),
    )
    c = Article("c.txt", "A drone attack hit a base near Mosul on Thursday.", published=date(2017, 5, 19))
    found = merge(i for _, incs in reader.read([a, b, c]) for i in incs)
    assert len(found) == 2
    strike = next(i for i in found if i.event_type == "air strike")
    assert strike.articles == ["a.txt", "b.txt"] and strike.source_count == 2
    assert (strike.killed_min, strike.killed_max) == (5, 8)
    again = merge(i for _, incs in reader.read([a, b, c]) for i in incs)
    assert [i.id for i in again] == [i.id for i in found]  # stable ids


def test_errors_are_collected_not_fatal(reader):
    errors: list[ArticleError] = []
    items = [
        ArticleError("bad.bin", "binary file"),
        Article("ok.txt", "Shelling hit Idlib on Monday.", published=date(2020, 2, 4)),
    ]
    found = extract(items, reader, errors)
    assert [e.id for e in errors] == ["bad.bin"] and len(found) == 1


# -- the seed articles: every primary incident found with its place, date and reported figures ---------


def test_seed_primary_incidents(reader, shared):
    gold = json.loads((shared / "seeds" / "gold.json").read_text())["incidents"]
    by_article = {
        a.id: incs for a, incs in reader.read(x for x in read_articles([shared / "seeds"]) if isinstance(x, Article))
    }
    places = {i.location for incs in by_article.values() for i in incs}
    assert not places & {"Tampa", "Moscow", "Ankara", "Astana", "Washington", "London"}
    for g in (g for g in gold if g["role"] == "primary"):
        match = [
            i
            for i in by_article[g["article"]]
            if geodesic((i.lat, i.lon), (g["lat"], g["lon"])).km <= g["tolerance_km"]
            and i.date
            and g["date"][0] <= i.date.isoformat() <= g["date"][1]
            and not i.historical
        ]
        assert match, g["place"]
        found = match[0]
        # the figures an article states are read within the reference ranges
        if g["killed"] and g["killed"][1] > 0:
            assert g["killed"][0] <= found.killed_min <= found.killed_max <= g["killed"][1], g["place"]
        if g["injured"]:
            assert g["injured"][0] <= found.injured_min <= found.injured_max <= g["injured"][1], g["place"]
        if g["killed"] is None:
            assert found.killed_min is None


def test_library_api_extract_incidents(gaz, monkeypatch):
    import geomap

    monkeypatch.setenv("GEOMAP_GAZETTEER", str(gaz.path))
    examples = __import__("pathlib").Path(__file__).resolve().parents[1] / "examples" / "articles"
    errors = []
    everything = geomap.extract_incidents(examples, errors=errors)
    assert errors == [] and len(everything) >= 11
    syria = geomap.extract_incidents([examples], since="2017", until="2017-12", country="SY")
    assert len(syria) and set(syria["country"]) == {"SY"}
    assert all("2017-01-01" <= d <= "2017-12-31" for d in syria["date"])
    with pytest.raises(ValueError, match="since"):
        geomap.extract_incidents(examples, since="2017-13")
