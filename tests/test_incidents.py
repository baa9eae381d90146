"""Incident extraction: triggers, sides, places, dates, figures, joining reports; the seed articles."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from geopy.distance import geodesic

from geomap.articles import read_articles
from geomap.events import EventReader, merge
from geomap.events.merge import same_event as _same_event
from geomap.places import Geoparser
from geomap.records import Article, ArticleError


@pytest.fixture(scope="module")
def reader(gaz):
    return EventReader(Geoparser(gaz, sentences=True))


def extract(items, reader, errors=None):
    arts = []
    for x in items:
        if isinstance(x, ArticleError):
            if errors is not None:
                errors.append(x)
        else:
            arts.append(x)
    return merge(i for _, incs in reader.read(arts) for i in incs)


def read_one(reader, text, published=date(2017, 5, 19), aid="a.txt", title=None):
    article = Article(aid, text, published=published, title=title)
    return next(iter(reader.read([article])))[1]


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


# -- our own sentences, one rule each -------------------------------------------------------------------


def test_a_part_of_a_country_locates_a_recalled_event_and_nested_figures_stay_out(reader):
    text = (
        "Israeli jets struck an arms depot near Damascus on Sunday. In June 2016, Israeli missiles hit an air base "
        "that had launched a chlorine attack, killing about 40 people, in western Syria."
    )
    recalled = [i for i in read_one(reader, text) if i.historical]
    assert len(recalled) == 1
    strike = recalled[0]
    assert strike.event_type == "missile strike" and strike.location == "western Syria"
    assert strike.geo_precision == 3 and strike.country == "SY" and strike.admin1 is None
    assert strike.lon < 38.0  # west of Syria's centre point (38 E)
    assert strike.date == date(2016, 6, 1) and strike.date_precision == "month"
    assert strike.killed_min is None and strike.injured_min is None  # the 40 died in the chlorine attack


def test_a_country_alone_locates_an_event_dated_to_the_day(reader):
    found = read_one(reader, "On May 3, a Turkish F-16 shot down a Syrian helicopter over Syria, killing two crew.")
    assert len(found) == 1
    assert (found[0].event_type, found[0].location, found[0].geo_precision) == ("shootdown", "Syria", 3)
    assert found[0].date == date(2017, 5, 3) and found[0].historical and found[0].killed_min == 2
    assert read_one(reader, "Turkish jets shot down a helicopter over Syria.") == []
    # the day a statement was made does not date the event
    assert read_one(reader, "Coalition air strikes in Syria are illegal, the minister said on Thursday.") == []


def test_campaigns_and_places_attackers_come_from_are_not_incidents(reader):
    assert read_one(reader, "Turkey has been carrying out air strikes in Iraq since 2019.") == []
    text = (
        "Russian jets have been flying sorties from Hmeimim air base in Latakia. Coalition air strikes in Syria "
        "are illegal, the minister said."
    )
    assert read_one(reader, text) == []
    found = read_one(reader, "Russian warplanes flying from Hmeimim air base bombed rebel positions in Idlib province.")
    assert [i.location for i in found] == ["Idlib"]


def test_a_period_start_does_not_date_the_event(reader):
    text = (
        "Coalition jets fired missiles at an army camp in the Raqqa province. It was the first such raid since "
        "the coalition began bombing Syria more than a year ago."
    )
    found = read_one(reader, text)
    assert len(found) == 1 and not found[0].historical and found[0].date == date(2017, 5, 19)
    titled = read_one(reader, "Officials told the Sunday Times that coalition jets struck a depot near Albukamal.")
    assert titled[0].date == date(2017, 5, 19) and titled[0].date_precision == "week"


def test_a_later_event_is_dated_from_the_one_before(reader):
    text = (
        "In April 2017, US missiles struck Shayrat air base in Homs province. A year later, US, British and French "
        "missiles hit a research centre near Damascus."
    )
    found = sorted(read_one(reader, text, published=date(2019, 2, 3)), key=lambda i: i.date)
    assert [(i.date, i.date_precision, i.historical) for i in found] == [
        (date(2017, 4, 1), "month", True),
        (date(2018, 4, 1), "month", True),
    ]
    assert found[0].location == "Shayrat Air Base" and found[1].location == "Damascus"


def test_people_of_another_side_counted_later_belong_to_another_event(reader):
    text = (
        "Coalition jets struck pro-regime forces near Albukamal on Thursday, killing 20 fighters. The regime forces "
        "had assaulted an SDF base, an assault that left two SDF fighters wounded."
    )
    (strike,) = read_one(reader, text)
    assert (strike.killed_min, strike.killed_max, strike.injured_min) == (20, 20, None)


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        ("A drone struck a checkpoint near Mosul on Monday. The army said no soldiers were killed.", (0, 0), None),
        ("Shelling hit Idlib on Monday, killing three. Officials had first said no one was killed.", (3, 3), None),
        ("A rocket attack hit a base near Erbil on Tuesday, wounding four soldiers.", None, (4, 4)),  # killed: not told
        ("Warplanes bombed a market in Idlib on Tuesday, killing nine.", (9, 9), None),
    ],
)
def test_statements_of_none_and_wounded_only_tolls(reader, text, killed, injured):
    (found,) = read_one(reader, text)
    assert (found.killed_min, found.killed_max) == (killed or (None, None))
    assert (found.injured_min, found.injured_max) == (injured or (None, None))


def test_a_toll_since_a_date_is_the_periods_but_the_first_casualties_since_are_the_events(reader):
    period = "Shelling killed three people in Kharkiv on Monday. Since March, 1,200 civilians have been killed there."
    assert [(i.killed_min, i.killed_max) for i in read_one(reader, period)] == [(3, 3)]
    first = "Rockets hit a base near Irbil on Monday, injuring two soldiers, the first casualties since the truce."
    assert [(i.injured_min, i.injured_max) for i in read_one(reader, first)] == [(2, 2)]


def test_a_report_of_none_yields_to_a_count_of_the_same_event(reader):
    a = Article(
        "a.txt",
        "Coalition jets struck pro-regime forces near Albukamal on Thursday. No one was killed, the coalition said.",
        published=date(2017, 5, 19),
    )
    b = Article(
        "b.txt",
        "Pro-regime forces were hit by coalition warplanes outside Albukamal late Thursday; three fighters died.",
        published=date(2017, 5, 20),
    )
    (strike,) = merge(i for _, incs in reader.read([a, b]) for i in incs)
    assert strike.articles == ["a.txt", "b.txt"] and (strike.killed_min, strike.killed_max) == (3, 3)


def test_two_events_told_in_one_sentence_are_two_incidents(reader):
    text = (
        "On June 4, mortar fire near Kafr Nabl killed four soldiers, and on June 9 a drone strike on the town of "
        "Saraqib killed two civilians."
    )
    found = sorted(read_one(reader, text, published=date(2019, 7, 1)), key=lambda i: i.date)
    assert [(i.event_type, i.date, i.location, i.killed_min, i.historical) for i in found] == [
        ("artillery", date(2019, 6, 4), "Kafranbel", 4, True),
        ("drone attack", date(2019, 6, 9), "Saraqib", 2, True),
    ]


def test_an_event_that_came_after_borrows_nothing_from_the_one_before(reader):
    text = (
        "Rockets hit a base near Kirkuk on Friday, killing a contractor. US jets then struck militia sites in Iraq "
        "and Syria, killing 25 fighters."
    )
    (found,) = read_one(reader, text)
    assert found.location == "Kirkuk" and (found.killed_min, found.killed_max) == (1, 1)


def test_a_vague_place_takes_the_precise_place_of_the_same_event_told_later(reader):
    text = (
        "Missiles struck an air base in central Syria early on Monday, killing 14 people. Officials would not say "
        "who fired them. Residents heard several blasts. Smoke rose for hours. Ambulances came. Later on Monday the "
        "army said eight missiles had struck a base near Palmyra."
    )
    (found,) = read_one(reader, text)
    assert geodesic((found.lat, found.lon), (34.56, 38.27)).km < 10  # Palmyra (Tadmur)
    assert (found.geo_precision, found.killed_min) == (2, 14)


def test_paragraph_breaks_do_not_part_an_event_from_its_figures(reader):
    text = (
        "U.S. jets bombed facilities near Albukamal on Thursday.\n\nThe strikes destroyed several buildings, "
        "officials said.\n\nA monitor said at least 17 fighters were killed."
    )
    (found,) = read_one(reader, text)
    assert found.location == "Ālbū Kamāl" and found.killed_min == 17


def test_an_event_more_than_a_week_old_is_recalled_and_an_embassy_is_a_place(reader):
    (old,) = read_one(reader, "Rockets landed near the US embassy in Baghdad on May 9.", published=date(2017, 5, 19))
    assert old.location == "Baghdad" and old.historical
    (new,) = read_one(reader, "Rockets landed near the US embassy in Baghdad on May 14.", published=date(2017, 5, 19))
    assert not new.historical


def test_a_single_victim_named_among_the_dead_is_not_a_toll(reader):
    text = (
        "At least 21 people were killed when shells hit a market in Kherson on Wednesday. A police officer was "
        "killed near the market."
    )
    (found,) = read_one(reader, text)
    assert (found.killed_min, found.killed_max) == (21, 21)


def test_a_meeting_place_is_not_where_it_happened_and_since_when_dates_a_recalled_event(reader):
    text = (
        "A missile fell on a farm in eastern Poland on Tuesday, killing two workers. NATO envoys met in Brussels to "
        "discuss the blast. The region had been quiet since March, when Russian missiles struck a base near Lviv."
    )
    found = read_one(reader, text, published=date(2022, 11, 16))
    assert all(i.location != "Brussels" for i in found)
    (recalled,) = [i for i in found if i.historical]
    assert recalled.location == "Lviv" and recalled.date == date(2022, 3, 1)
    (fell,) = [i for i in found if not i.historical]  # "a missile fell on a farm, killing two": a strike
    assert (fell.event_type, fell.country, fell.date, fell.killed_min) == (
        "missile strike",
        "PL",
        date(2022, 11, 15),
        2,
    )


def test_coarse_places_join_by_province_not_by_country():
    a = SimpleNamespace(
        event_type="air strike",
        date=date(2017, 5, 18),
        lat=35.5,
        lon=36.7,
        country="SY",
        admin1=None,
        geo_precision=3,
        articles=["a.txt"],
    )
    b = SimpleNamespace(**{**vars(a), "lat": 35.8, "lon": 40.0, "articles": ["b.txt"]})  # ~300 km east, same country
    assert not _same_event(a, b)
    assert _same_event(*(SimpleNamespace(**{**vars(x), "admin1": "07"}) for x in (a, b)))


def test_errors_are_collected_not_fatal(reader):
    errors: list[ArticleError] = []
    items = [
        ArticleError("bad.bin", "binary file"),
        Article("ok.txt", "Shelling hit Idlib on Monday.", published=date(2020, 2, 4)),
    ]
    found = extract(items, reader, errors)
    assert [e.id for e in errors] == ["bad.bin"] and len(found) == 1


# -- the seed articles: every primary incident found with its place, date and reported figures ---------


def assert_figures_told(found, g):
    """No figure the article does not give: none where the reference has none, and a figure read lies in the
    reference's range (a figure missed is counted by benchmarks/score_incidents.py, not failed here)."""
    for kind in ("killed", "injured"):
        low, high = getattr(found, f"{kind}_min"), getattr(found, f"{kind}_max")
        if g[kind] is None:
            assert (low, high) == (None, None), (g["place"], kind)
        elif low is not None:
            assert g[kind][0] <= low <= high <= g[kind][1], (g["place"], kind)


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
        assert_figures_told(found, g)


def test_seed_recalled_incidents(reader, shared):
    """Every secondary incident is found in its article, marked historical, with its date and figures."""
    gold = json.loads((shared / "seeds" / "gold.json").read_text())["incidents"]
    by_article = {
        a.id: incs for a, incs in reader.read(x for x in read_articles([shared / "seeds"]) if isinstance(x, Article))
    }
    for g in (g for g in gold if g["role"] == "secondary"):
        low, high = (date.fromisoformat(d) for d in g["date"])
        month = (low.year, low.month)
        match = [
            i
            for i in by_article[g["article"]]
            if i.historical
            and i.date
            and (low <= i.date <= high or (i.date_precision == "month" and (i.date.year, i.date.month) == month))
        ]
        assert len(match) == 1, g["place"]
        assert_figures_told(match[0], g)


def test_unseen_fixtures_merge_reports_and_read_statements_of_none(reader):
    """Our own articles about real incidents (tests/fixtures/unseen, scored by benchmarks/score_incidents.py)."""
    folder = Path(__file__).parent / "fixtures" / "unseen"
    found = extract(read_articles([folder]), reader)
    merged = [i for i in found if len(i.articles) > 1]
    assert [sorted(i.articles) for i in merged] == [
        ["u03_us-strikes-militias-wire.txt", "u04_albukamal-monitor-local.txt"]
    ]
    assert merged[0].date == date(2021, 2, 25) and 17 <= merged[0].killed_min <= merged[0].killed_max <= 22
    (rockets,) = [i for i in found if i.articles == ["u06_green-zone-rockets.txt"] and not i.historical]
    assert (rockets.killed_min, rockets.killed_max, rockets.injured_min, rockets.injured_max) == (0, 0, 0, 0)


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
