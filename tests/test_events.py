"""Event reading, one rule at a time, on sentences written for these tests: which words report an incident
(sense, arms, actuality), its type, sides, date, figures and place."""

from __future__ import annotations

from datetime import date

import pytest
import spacy
from geopy.distance import geodesic
from spacy.tokens import Doc

from geomap.events import EventReader
from geomap.events.dates import later, resolve
from geomap.events.figures import number
from geomap.events.records import When
from geomap.events.tags import split_tag_map
from geomap.places import PARSE_PIPES, Geoparser
from geomap.records import Article

PUBLISHED = date(2019, 3, 6)  # a Wednesday


@pytest.fixture(scope="module")
def reader(gaz):
    return EventReader(Geoparser(gaz, sentences=True))


def read(reader, text, published=PUBLISHED, title=None):
    (found,) = [incidents for _, incidents in reader.read([Article("a.txt", text, published, title)])]
    return found


def one(reader, text, published=PUBLISHED):
    found = [i for i in read(reader, text, published) if not i.historical]
    assert len(found) == 1, found
    return found[0]


# -- triggers: what reports an incident, and its type ------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Coalition warplanes struck an army camp near Raqqa on Monday.", "air strike"),
        ("Missiles slammed into a base near Homs on Monday.", "missile strike"),
        ("Turkish jets shot down a Russian bomber near Latakia on Monday.", "shootdown"),
        ("A drone struck an outpost near Mosul on Monday.", "drone attack"),
        ("Shelling hit the eastern districts of Aleppo on Monday.", "artillery"),
        ("Troops and rebels clashed near Idlib on Monday, leaving five dead.", "armed clash"),
        ("A car bomb went off near a market in Kirkuk on Monday, killing six people.", "bombing"),
        ("A suicide bomber blew himself up at a checkpoint in Kabul on Monday.", "bombing"),
        ("A chemical attack hit Douma on Monday, killing 40 people.", "chemical attack"),
        ("US commandos raided a village near Mosul on Monday, killing two militants.", "raid"),
        ("Gunmen opened fire on a bus near Peshawar on Monday, killing four.", "armed clash"),
        ("A helicopter opened fire on a wedding in Mopti on Monday.", "air strike"),
        ("Airstrikes hit Khan Shaykhun on Monday, giving off a poisonous gas.", "chemical attack"),
        ("Israeli shells hit a school in Gaza on Monday.", "artillery"),
        ("Army jets and artillery struck rebel positions near Hama on Monday.", "air strike"),
        ("An army convoy came under fire near Kandahar on Monday, leaving two soldiers dead.", "armed clash"),
        ("Three men were killed by Israeli fire in Jenin on Monday, health officials said.", "armed clash"),
        ("Four soldiers were killed on Monday when their truck hit a landmine near Kidal.", "bombing"),
        ("Rebels massacred dozens of villagers with machetes in Butembo on Monday.", "armed clash"),
    ],
)
def test_event_types(reader, sentence, kind):
    assert one(reader, sentence).event_type == kind


@pytest.mark.parametrize(
    "sentence",
    [
        "Metalworkers in Sao Paulo began a strike on Monday for higher wages.",
        "The actor died of a heart attack in Rome on Monday.",
        "The film was the biggest box-office bomb in Los Angeles this year.",
        "A cyberattack hit a hospital chain in Pennsylvania on Monday.",
        "Federal agents raided offices in Peoria on Monday and carried away documents.",
        "Fulham face a Premier League clash with Watford in London on Saturday.",
        "North Korea test-launched a ballistic missile that landed in the Sea of Japan on Monday.",
        "A small aircraft hit a hillside near Kathmandu on Monday, killing all 19 people on board.",
        "The company shelled out $5 million for a plant in Ohio on Monday.",
        "Kroger recalled shelled pistachios sold in California on Monday.",
        "Iran warned that it would target bases in Iraq if an attack on its soil occurs.",
        "The exercise will test how sailors in Norfolk fight an unnamed foe.",
        "Two earthquakes struck northern Iran on Monday, leaving 180 people dead.",
        "The senator attacked the governor's plan in Richmond on Monday.",
        "Such attacks in Somalia are usually the work of Al-Shabaab.",
        "Bishop John Ward died in Atlanta on Sunday after a long battle with cancer.",
        "Police raided several homes he owned in Columbus on Monday and arrested him.",
        "A fireworks factory blast killed 12 workers in Sivakasi on Monday; chemicals being mixed caught fire.",
        "Israeli and Palestinian negotiators clashed over borders at talks in Cairo on Monday.",
        "The clash reflects the tension between U.S. promises to narrow a trade deficit with China and Beijing's rise.",
        "Jet makes emergency landing in Ankara after bird strike\n\nA passenger jet landed safely in Ankara on Monday "
        "after a bird strike damaged an engine. No one was hurt.",
        "Pakistani police seized 40 kg of heroin in a raid on a warehouse in Karachi on Monday.",
        "The talks covered redress for air strikes the coalition carried out on Saada between 2015 and 2022.",
        "Survivors in Vukovar recalled siege-era shelling at a forum on Monday.",
        "The missile hit a designated impact zone off Odisha on Monday, the ministry said after the test.",
        "Firefighters backed by water-bombing planes fought the blaze near Marseille on Monday.",
        "Early footage of the game shows bombed-out tenements in Warsaw rebuilt in detail.",
    ],
)
def test_words_used_in_another_sense_or_not_happened_report_nothing(reader, sentence):
    assert read(reader, sentence) == []


def test_an_article_that_tells_only_of_earlier_events_reports_none(reader):
    memorial = (
        "Village marks 80 years since wartime massacre\n\nHundreds gathered in Tulle on Monday to mark 80 years "
        "since German troops killed 99 men there on 9 June 1944."
    )
    assert read(reader, memorial, published=date(2024, 6, 10)) == []
    late = "The toll of the car bombing in Karrada on July 3 has risen to 292, the ministry said on Monday."
    assert [i.killed_max for i in read(reader, late, published=date(2016, 8, 1))] == [292]  # its own story, late


def test_a_report_of_a_game_tells_no_incident_without_casualties(reader):
    game = (
        "Porto beat Braga on penalties\n\nPorto won the cup semifinal in Lisbon on Sunday after a shootout. "
        "Braga's attack bombed forward after halftime and their striker hit the crossbar, but Porto's goalkeeper "
        "held firm under fire."
    )
    assert read(reader, game) == []
    crush = game + " Later, a bomb exploded outside the stadium, killing three fans."
    assert [i.killed_min for i in read(reader, crush)] == [3]


# -- sides ----------------------------------------------------------------------------------------------------


def test_sides_from_the_clause(reader):
    active = one(reader, "Russian forces shelled Kharkiv on Monday.")
    assert (active.actor, active.actor_side) == ("Russian forces", "Russia")
    passive = one(reader, "Pro-regime forces were hit by US-led coalition warplanes near Albukamal on Monday.")
    assert passive.actor_side == "US-led coalition" and passive.target_side == "Syrian government forces"
    noun = one(reader, "An airstrike by the Saudi-led coalition on a funeral hall in Sanaa on Monday killed 80.")
    assert noun.actor_side == "Saudi-led coalition" and noun.target == "funeral hall"
    weapon = one(reader, "Shells fired by the Rapid Support Forces struck a market in Omdurman on Monday.")
    assert weapon.actor_side == "Rapid Support Forces" and weapon.target == "market"


def test_a_bare_noun_takes_the_side_named_before_with_that_noun(reader):
    found = one(reader, "The Saudi-led coalition said it would keep up pressure. The coalition's jets struck a "
                        "bridge near Hodeidah on Monday.")  # fmt: skip
    assert found.actor_side == "Saudi-led coalition"
    alone = one(reader, "The coalition's jets struck a bridge near Hodeidah on Monday.")
    assert alone.actor_side is None


def test_who_claimed_responsibility_acted(reader):
    claimed = one(reader, "A car bomb exploded at a market in Kirkuk on Monday, killing six people. The Islamic "
                          "State group claimed responsibility for the bombing.")  # fmt: skip
    assert claimed.actor_side == "Islamic State"
    story = one(reader, "Drones struck an oil plant near Jizan on Monday. The Houthis claimed responsibility.")
    assert story.actor_side == "Houthis"
    for denial in ("No group has claimed responsibility for the attack.", "The group did not claim responsibility."):
        denied = one(reader, f"A bomb went off near a bus station in Quetta on Monday. {denial}")
        assert denied.actor is None


def test_a_claim_dated_later_and_a_kind_of_attack_name_no_other_event(reader):
    later = one(reader, "A car bomb exploded at a police station in Kirkuk on Monday, killing three policemen. The "
                        "Islamic State group claimed the attack in a statement on Tuesday.")  # fmt: skip
    assert later.actor_side == "Islamic State" and later.date == date(2019, 3, 4)
    kind = one(reader, "A roadside bomb struck a convoy near Wana on Monday, killing four soldiers. No group claimed "
                       "it, but the Pakistani Taliban have carried out similar attacks.")  # fmt: skip
    assert kind.actor is None


def test_it_or_they_that_a_side_says_acted_is_that_side(reader):
    said = one(reader, "The Houthis said they had shot down a US drone over Marib on Monday.")
    assert said.actor_side == "Houthis" and said.event_type == "shootdown"
    raid = one(reader, "The army said it killed seven militants in a raid near Patikul on Monday.")
    assert raid.actor == "army"


def test_an_analyst_extends_the_side_names(gaz, tmp_path, monkeypatch):
    extra = tmp_path / "sides.jsonl"
    extra.write_text('{"id": "Northern Alliance", "pattern": "Eastern Brigade"}\n', encoding="utf-8")
    monkeypatch.setenv("GEOMAP_SIDES", str(extra))
    reader = EventReader(Geoparser(gaz, sentences=True))
    found = one(reader, "The Eastern Brigade shelled Idlib on Monday.")
    assert found.actor_side == "Northern Alliance"
    extra.write_text("not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"sides\.jsonl: line 1"):
        EventReader(Geoparser(gaz, sentences=True))


# -- dates ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("Monday", (date(2019, 3, 4), "day")),
        ("Wednesday", (date(2019, 3, 6), "day")),
        ("last Wednesday", (date(2019, 2, 27), "day")),
        ("late on Saturday", (date(2019, 3, 2), "day")),
        ("March 4, 2019", (date(2019, 3, 4), "day")),
        ("26 February", (date(2019, 2, 26), "day")),
        ("Dec. 30", (date(2018, 12, 30), "day")),
        ("2019-02-28", (date(2019, 2, 28), "day")),
        ("overnight", (date(2019, 3, 5), "day")),
        ("the weekend", (date(2019, 3, 2), "day")),
        ("two days ago", (date(2019, 3, 4), "day")),
        ("last week", (date(2019, 2, 25), "week")),
        ("last month", (date(2019, 2, 1), "month")),
        ("September 2018", (date(2018, 9, 1), "month")),
        ("in 2013", (date(2013, 1, 1), "year")),
        ("in recent days", None),
        ("13 years", None),
        ("February 30", None),
    ],
)
def test_resolve_date_expressions(words, expected):
    assert resolve(words.split(), PUBLISHED) == expected


def test_a_date_counted_from_the_one_before():
    april = When(date(2017, 4, 1), "month", 0, 0, "April 2017")
    assert later(["A", "year", "later"], april) == (date(2018, 4, 1), "month")
    monday = When(date(2019, 3, 4), "day", 0, 0, "Monday")
    assert later(["the", "next", "day"], monday) == (date(2019, 3, 5), "day")


def test_the_date_of_the_event_not_of_the_saying_the_toll_or_the_dateline(reader):
    said = one(reader, "Jets struck a base near Homs on Monday, the ministry said on Tuesday.")
    assert said.date == date(2019, 3, 4) and said.date_precision == "day"
    toll = one(reader, "The death toll from Monday's bombing in Kabul rose to 40 on Wednesday.")
    assert toll.date == date(2019, 3, 4) and (toll.killed_min, toll.killed_max) == (40, 40)
    filed = one(reader, "BEIRUT, March 6 (Wire) - Missiles struck an air base near Homs on Monday.")
    assert filed.date == date(2019, 3, 4)
    undated = one(reader, "Jets struck a base near Homs, the ministry said on Tuesday.")
    assert undated.date == PUBLISHED and undated.date_precision == "week"


def test_a_dateline_sets_the_day_relative_dates_count_from(reader):
    text = "Jabaliya, March 1: Shells hit a school in Jabalia today, killing 20 people."
    found = one(reader, text, published=date(2019, 3, 2))
    assert found.date == date(2019, 3, 1)


# -- figures ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "value"),
    [("at least 82", (82, False)), ("Twenty-seven", (27, False)), ("two-hundred", (200, False)),
     ("1,280", (1280, False)), ("a dozen", (12, False)), ("dozens", (12, True)), ("scores", (20, True)),
     ("tens of thousands", (10_000, True)), ("many", None)],
)  # fmt: skip
def test_numbers_in_words_and_digits(words, value):
    assert number(words.split()) == value


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        (
            "An airstrike hit a market in Idlib on Monday, killing at least 12 people and wounding 30.",
            (12, 12),
            (30, 30),
        ),
        (
            "At least 50 civilians were killed and 30 injured when jets bombed a village near Hama on Monday.",
            (50, 50),
            (30, 30),
        ),
        (
            "A bomb exploded at a checkpoint in Mogadishu on Monday. The death toll rose to 79 on Tuesday after 73 "
            "bodies were counted.",
            (79, 79),
            None,
        ),
        ("Shelling hit Idlib on Monday, killing three. Officials had first said no one was killed.", (3, 3), None),
        ("A drone struck a checkpoint near Mosul on Monday. The army said no soldiers were killed.", (0, 0), None),
        ("A rocket attack hit a base near Erbil on Monday, wounding four soldiers.", None, (4, 4)),
        (
            "A suicide bombing in Kabul on Monday killed 12 soldiers; the blasts also killed 60 civilians.",
            (72, 72),
            None,
        ),
        (
            "An airstrike hit a hospital in Kunduz on Monday, killing nine staff. At least 16 people were killed in "
            "all, including seven patients.",
            (16, 16),
            None,
        ),
        (
            "A bomb went off in a mosque in Peshawar on Monday, killing 44 people. Twenty-seven of the dead were "
            "policemen.",
            (44, 44),
            None,
        ),
        (
            "Jets struck a village near Hama on Monday, killing 20. The war has left more than 300,000 people dead.",
            (20, 20),
            None,
        ),
        ("Missiles hit Erbil on Monday. There were no casualties.", (0, 0), (0, 0)),
        (
            "Drones struck a refinery near Baiji on Monday. No one was killed or injured, officials said.",
            (0, 0),
            (0, 0),
        ),
        (
            "A drone hit an outpost near Rutba on Monday, killing two soldiers. Officials first said about 20 were "
            "wounded, then revised the figure on Tuesday to more than 40.",
            (2, 2),
            (20, 20),
        ),
        ("Fifteen missiles struck Al Asad air base on Monday.", None, None),
        (
            "Clashes between the army and militants near Kidal left 12 soldiers and 20 militants dead on Monday.",
            (32, 32),
            None,
        ),
        (  # the dead of the two sides, told apart: summed
            "Troops killed 11 militants in a raid on a hideout near Miranshah on Monday, the army said. Two soldiers "
            "were killed in the exchange of fire.",
            (13, 13),
            None,
        ),
        (  # one side counted twice: the range
            "Troops killed 11 militants in a raid on a hideout near Miranshah on Monday, the army said. Residents "
            "said 14 militants died in the raid.",
            (11, 14),
            None,
        ),
    ],
)
def test_figures_of_an_event(reader, text, killed, injured):
    found = one(reader, text)
    assert (found.killed_min, found.killed_max) == (killed or (None, None))
    assert (found.injured_min, found.injured_max) == (injured or (None, None))


def test_a_named_victim_counts_one_unless_a_toll_is_given(reader):
    found = one(reader, "A US drone strike killed a Taliban commander near Quetta on Monday.")
    assert (found.killed_min, found.killed_max) == (1, 1)
    toll = one(reader, "At least 21 people were killed when shells hit a market in Kherson on Monday. A police "
                       "officer was killed near the market.")  # fmt: skip
    assert (toll.killed_min, toll.killed_max) == (21, 21)


def test_the_wounded_of_an_attack_that_began_with_a_bomb_are_its_own(reader):
    text = (
        "Gunmen ambushed a police convoy near Mastung on Tuesday, killing three officers. Two other officers were "
        "hurt in the attack, which started with a roadside bomb before the gunmen opened fire."
    )
    found = one(reader, text)
    assert (found.killed_min, found.injured_min, found.injured_max) == (3, 2, 2)


def test_one_victim_named_beside_a_count_adds_one(reader):
    found = one(reader, "A bomb killed three policemen and a child in Kabul on Monday.")
    assert (found.killed_min, found.killed_max) == (4, 4)
    both = one(reader, "A gunman killed eight people in Herat on Sunday, killing seven guards and a cook.")
    assert (both.killed_min, both.killed_max) == (8, 8)


def test_people_counted_together_are_one_count(reader):
    text = (
        "Eleven killed in Bentiu clash\n\nTwo soldiers and nine herders were killed on Sunday when fighting broke "
        "out near Bentiu."
    )
    found = one(reader, text)
    assert (found.killed_min, found.killed_max) == (11, 11)  # not 11 and 2 + 9 added to it
    sides = one(reader, "Troops killed 11 militants near Bentiu on Sunday. Two soldiers were also killed.")
    assert (sides.killed_min, sides.killed_max) == (13, 13)  # the two sides of a clash still add up


def test_martyred_by_a_bomber_who_rammed_a_gate(reader):
    text = (
        "Four policemen and a guard were martyred and 12 others injured on Monday when a suicide bomber rammed an "
        "explosives-laden car into the gate of a police station in Bannu, police said."
    )
    found = one(reader, text, published=date(2025, 7, 16))
    assert found.event_type == "bombing" and found.date == date(2025, 7, 14) and found.date_precision == "day"
    assert (found.killed_min, found.killed_max, found.injured_min) == (5, 5, 12)


def test_a_shootout_and_the_dead_of_both_sides(reader):
    found = one(reader, "Four gunmen and a policeman were killed on Friday in a shootout in Culiacan.")
    assert found.event_type == "armed clash" and (found.killed_min, found.killed_max) == (5, 5)


def test_a_toll_since_a_date_and_the_wounded_that_go_with_it_are_not_the_event_s(reader):
    text = (
        "An air strike killed six people in Nabatieh on Tuesday. The ministry said the strike raised the number "
        "of people killed since October 2023 to 2,900, with more than 12,000 wounded."
    )
    found = one(reader, text)
    assert (found.killed_max, found.injured_max) == (6, None)


def test_bandits_are_armed_and_what_they_did_over_years_is_no_incident(reader):
    text = (
        "Bandits stormed the village of Maru on Sunday, killing nine people. Bandit gangs have killed thousands "
        "of people and kidnapped many more across Zamfara and Katsina in recent years."
    )
    found = read(reader, text)
    assert [(i.location, i.date, i.killed_min) for i in found] == [("Maru", date(2019, 3, 3), 9)]


def test_a_raid_the_text_recalls_is_not_the_story_s_raid(reader):
    text = (
        "Troops raided the Jenin camp on Tuesday, killing four men, the group said. The group recalls the raid on "
        "the Nur Shams camp near Tulkarm, which began on 19 April, during which 14 people were killed."
    )
    found = one(reader, text)
    assert (found.location, found.killed_min, found.killed_max) == ("Janīn", 4, 4)


def test_a_day_told_before_who_informed_and_a_calendar_day_before_overnight(reader):
    text = (
        "Two police officers were injured when drones attacked the police station of Suarez, in the department of "
        "Cauca, on Sunday night, authorities informed."
    )
    assert one(reader, text).date == date(2019, 3, 3)
    both = one(reader, "Insurgents raided a camp near Kidal overnight on 1 March, killing three herders.")
    assert both.date == date(2019, 3, 1)


def test_a_bomb_first_then_gunfire_in_one_sentence_is_one_attack(reader):
    text = (
        "A bomb first hit the patrol near Busayrah on Monday, then gunmen opened fire, killing four fighters and "
        "injuring two others."
    )
    found = one(reader, text)
    assert (found.event_type, found.killed_min, found.injured_min) == ("bombing", 4, 2)


def test_gunmen_who_invaded_villages_attacked_them(reader):
    found = one(reader, "Gunmen invaded three villages near Bokkos late on Sunday. Twelve residents died, police said.")
    assert found.event_type == "armed clash" and found.location == "Bokkos" and found.killed_min == 12


def test_chemical_grenades_dropped_onto_trenches(reader):
    text = "Grenades with an irritant agent were dropped from drones onto trenches near Pokrovsk on Sunday."
    assert one(reader, text).event_type == "chemical attack"


def test_the_blast_told_again_near_a_river_is_the_same_blast(reader):
    text = (
        "A roadside bomb hit an army patrol near Tarmiyah on Sunday, killing two soldiers. Three other soldiers were "
        "wounded in the blast, which hit their vehicle on a road along the Tigris river."
    )
    found = one(reader, text)
    assert (found.killed_min, found.injured_min) == (2, 3)


# -- places -----------------------------------------------------------------------------------------------------


def test_the_place_of_the_event_not_of_the_speaker_the_attackers_or_the_side(reader):
    speaker = one(reader, "A spokesman in Damascus said jets struck a depot near Palmyra on Monday.")
    assert speaker.location != "Damascus" and geodesic((speaker.lat, speaker.lon), (34.56, 38.27)).km < 25
    origin = one(reader, "Russian warplanes flying from Hmeimim air base bombed rebel positions in Idlib province "
                         "on Monday.")  # fmt: skip
    assert origin.location == "Idlib" and origin.geo_precision == 3
    actor = one(reader, "Iran launched missiles at Ain al-Asad air base on Monday.")
    assert actor.location == "Ain al-Asad Air Base" and actor.country == "IQ"


def test_the_capital_unnamed_is_the_capital_of_the_country_the_article_is_about(reader):
    text = "Fighting has spread across Yemen this year. The capital was hit by airstrikes overnight, killing five."
    found = one(reader, text)
    assert found.location == "Sanaa"


def test_a_place_the_article_locates_itself(reader):
    text = (
        "Militants attacked troops in Gashigar on Monday, killing four soldiers. Gashigar is about 43 km northeast "
        "of Damasak."
    )
    found = one(reader, text)
    damasak = (13.1052, 12.5085)
    assert 38 < geodesic(damasak, (found.lat, found.lon)).km < 48 and found.lat > damasak[0]
    assert found.geo_precision == 2 and found.country == "NG"


def test_an_event_told_at_a_distance_from_a_town_is_at_that_point(reader):
    text = (
        "Rebels said they shot down an army drone on Monday about 40 km northwest of the town of Kidal. "
        "Rebels shot down a drone near Kidal, a spokesman said."
    )
    found = one(reader, text)
    kidal = (18.4411, 1.4078)
    assert 35 < geodesic(kidal, (found.lat, found.lon)).km < 45 and found.lon < kidal[1]
    assert found.geo_precision == 2


def test_a_ship_hit_at_sea_at_a_distance_from_a_port(reader):
    text = (
        "Missile hits cargo ship in the Gulf of Aden\n\nA missile struck a bulk carrier in the Gulf of Aden on Monday, "
        "about 60 nautical miles east of Aden, a maritime agency said. One sailor was hurt."
    )
    found = one(reader, text)
    aden = (12.7794, 45.0367)
    assert 100 < geodesic(aden, (found.lat, found.lon)).km < 120 and found.lon > aden[1]
    assert found.injured_min == 1


def test_a_mine_run_over_a_distance_from_a_town(reader):
    text = (
        "Two soldiers were killed and three others hurt on Tuesday when their truck ran over a landmine about 10 km "
        "from Mpeketoni in Lamu County, police said."
    )
    found = one(reader, text)
    assert found.event_type == "bombing" and found.location == "Mpeketoni" and found.date == date(2019, 3, 5)
    assert (found.killed_min, found.injured_min) == (2, 3)


def test_a_district_the_event_is_in_says_more_than_a_direction_from_a_city(reader):
    text = "A roadside bomb killed two soldiers north of Baghdad on Sunday. The bomb hit a patrol in Tarmiyah district."
    found = one(reader, text)
    assert found.location == "Al Tarmia District"


def test_a_name_the_text_uses_for_an_area_around_a_town_does_not_place_it(reader):
    text = (
        "Strike on Gaza school kills nine\n\nAn airstrike hit a school in the central Gaza town of Deir al-Balah "
        "on Monday, killing nine people, medics said."
    )
    assert one(reader, text).location == "Dayr al Balaḩ"


def test_a_place_near_the_people_a_camp_is_for_places_the_attack(reader):
    text = "Militiamen killed 12 people in an attack on a camp for displaced families near the town of Djugu on Monday."
    assert one(reader, text).location == "Djugu"


def test_a_distant_namesake_is_not_taken_and_the_containing_place_is(reader):
    text = (
        "Villagers in Bountiful, in the central Mopti region of Mali, said a helicopter opened fire on a wedding "
        "on Monday. Residents of Mali's Mopti region said 20 people died."
    )
    found = one(reader, text)
    assert found.country == "ML" and found.geo_precision == 3


def test_a_namesake_named_twice_does_not_vouch_for_its_own_country(reader):
    text = (
        "Militants stormed the town of Palma in Cabo Delgado province on Monday, killing nine people, police in "
        "Pemba said. Residents fled Palma by boat."
    )
    found = one(reader, text)
    assert (found.country, found.geo_precision) == ("MZ", 3)  # not the Spanish city: the province the text names
    alone = one(reader, "Militants stormed the town of Palma on Monday, killing nine people. Residents fled Palma.")
    assert alone.country == "ES"  # with nothing else to go by, the known town
    # a spelling (Mareau-aux-Pres in France) against one exact place elsewhere: the event is near that place
    near = one(reader, "Shells hit the village of Marea, north of Aleppo, on Monday, killing two children.")
    assert (near.location, near.geo_precision) == ("Aleppo", 2)
    # another transliteration of the name (Hodeidah for Al Hudaydah) is no mere spelling: a reaction from a
    # capital elsewhere does not unseat it
    port = one(
        reader,
        "Air strikes hit the port of Hodeidah on Monday, killing three dock workers. Officials in Tehran condemned "
        "the strikes, and ships in the Red Sea were told to keep away.",
    )
    assert port.country == "YE" and port.geo_precision == 1


def test_a_part_of_a_country_and_a_country_alone(reader):
    part = one(reader, "A Malaysian airliner was shot down over eastern Ukraine on Monday, killing all 298 aboard.")
    assert part.location == "eastern Ukraine" and part.geo_precision == 3 and part.lon > 33
    assert read(reader, "Turkish jets shot down a helicopter over Syria.") == []  # a country, no day: not mapped


def test_a_vague_place_takes_the_town_named_in_the_next_sentences(reader):
    text = (
        "A missile hit a hospital in Afghanistan on Monday, killing 16 people. The hospital, in Kunduz, was the only "
        "one in the region."
    )
    assert one(reader, text).location == "Kunduz"


# -- readings added with the bundled examples' gold ----------------------------------------------------------


def test_whose_aircraft_and_whom_a_headline_killed(reader):
    owned = one(reader, "Aircraft of the US-led coalition struck army positions near Raqqa on Monday.")
    assert owned.event_type == "air strike" and owned.actor == "US-led coalition"
    headline = one(reader, "Three soldiers killed in drone attack on base near Mosul on Monday")
    assert headline.actor is None and headline.target == "Three soldiers"  # who was hit: the victims, not the base


def test_who_was_hit_is_who_a_hit_thing_held_or_who_fell(reader):
    fell = one(reader, "An air strike destroyed a house near Tyre on Monday, killing four Hezbollah fighters.")
    assert fell.target == "four Hezbollah fighters" and fell.target_side == "Hezbollah"
    held = one(reader, "Iran fired missiles at bases hosting US troops near Erbil on Monday.")
    assert held.target == "US troops" and held.target_side == "United States"
    counted = one(reader, "British jets struck dozens of Houthi targets near Hodeidah on Monday.")
    assert counted.target_side == "Houthis"
    thing = one(reader, "Shells hit a water station in Donetsk on Monday.")
    assert thing.target == "water station"  # nobody named as hit: what was hit
    burnt = one(reader, "Drone attacks set fire to two of the Acme Oil Company's depots near Basra on Monday.")
    assert burnt.target == "Acme Oil Company's depots"
    town = read(reader, "Rockets hit an Iraqi town on Monday. The rockets struck Baiji, a town near Tikrit, at dawn.")
    assert [i.target for i in town] == ["Baiji"]  # the town's name, not "Iraqi town"


def test_who_fired_the_missiles_of_the_event_acted(reader):
    text = (
        "An air strike destroyed a building in Homs on Monday, killing six people. A local official said "
        "Israeli jets had fired the missiles."
    )
    assert one(reader, text).actor_side == "Israel"
    aimed = one(reader, "Iran fires missiles at US forces near Erbil on Monday")  # "at" hung on the missiles
    assert aimed.event_type == "missile strike" and aimed.actor_side == "Iran"
    assert read(reader, "The son fired the gun, wounding his mother in the leg on Monday, police in Reno said.") == []


def test_the_attack_placed_elsewhere_by_a_speaker_is_the_same_event(reader):
    text = (
        "A drone struck an army outpost near Ruwaished in Jordan on Sunday, killing two soldiers. The outpost "
        "lies across the border from Al-Qaim in Iraq. A spokesman at first said the attack had taken place in "
        "Iraq. The Islamic State group claimed the attack."
    )
    found = read(reader, text)
    assert [(i.location, i.actor_side) for i in found] == [("Ruwaished", "Islamic State")]


def test_a_country_that_was_hit_places_an_event_the_story_recalls(reader):
    text = (
        "Rockets hit a base near Irbil on Monday, injuring two soldiers. Officials in Baghdad and Irbil condemned "
        "the attack. The attacks on the bases began after Hamas fighters attacked Israel on October 7."
    )
    found = read(reader, text, published=date(2024, 1, 10))
    recalled = [(i.location, i.date, i.actor_side) for i in found if i.historical]
    assert recalled == [("Israel", date(2023, 10, 7), "Hamas")]  # not Hamm, in Germany; in Israel, not Iraq
    since = "A drone hit a base near Irbil on Monday, the first attack since militias began attacking US forces in May."
    assert all(not i.historical for i in read(reader, since, published=date(2024, 1, 10)))


@pytest.mark.parametrize(
    "sentence",
    [
        "Protesters downed power lines near Lyon on Monday.",
        "Russian jets have been bombing rebel-held villages near Latakia.",
        "Sheriff's investigators and police went to an address in Tyler on Monday to execute a search warrant.",
        "Troops tore down a barricade in Nablus on Monday.",
        "A fire spread through a shed in Tyler on Monday; fire crews used aerial ladders. The fire was accidental.",
    ],
)
def test_no_incident_in_what_is_no_attack_or_goes_on_for_a_while(reader, sentence):
    assert [i for i in read(reader, sentence) if not i.historical] == []


def test_downed_what_flies_is_a_shootdown(reader):
    assert one(reader, "Rebels downed a government helicopter near Aleppo on Monday.").event_type == "shootdown"


def test_where_it_was_said_or_where_people_were_taken_is_not_where_it_happened(reader):
    text = (
        "Jets struck a depot near Homs on Monday. In Moscow, the Kremlin called the strike an act of aggression. "
        "The wounded pilot was taken to the Russian air base at Hmeimim."
    )
    (found,) = read(reader, text)
    assert found.location == "Homs"


def test_a_country_named_is_the_country_and_an_appositive_places_a_site_in_it(reader):
    text = (
        "US officials said a drone struck Tower 22, a small US outpost in north-eastern Jordan, on Sunday, "
        "killing three US soldiers. The US military and US officials in Washington blamed militias."
    )
    found = one(reader, text)
    assert found.country == "JO" and found.location == "Tower 22"


def test_next_to_an_embassy_is_where_and_a_part_of_the_dead_is_no_toll(reader):
    text = (
        "An air strike on Monday destroyed a building next to Iran's embassy in Damascus, "
        "killing at least 50 people, among them five children."
    )
    found = one(reader, text)
    assert found.location == "Damascus" and (found.killed_min, found.killed_max) == (50, 50)


def test_the_date_of_a_when_clause_and_of_a_noun_in_a_state(reader):
    text = (
        "The strikes followed an attack on January 9, when US warships shot down a large salvo of Houthi drones "
        "fired at shipping lanes in the Red Sea."
    )
    shootdown = next(i for i in read(reader, text, published=date(2024, 1, 13)) if i.event_type == "shootdown")
    assert shootdown.date == date(2024, 1, 9)
    hosting = one(reader, "Iran launched missiles at bases hosting US troops in Iraq in the early hours of Monday.")
    assert hosting.date == date(2019, 3, 4)


def test_no_one_harmed_and_a_toll_between_two_figures(reader):
    unharmed = one(
        reader, "Iran fired missiles at an air base near Ramadi on Monday. Officials said no Americans were harmed."
    )
    assert (unharmed.killed_min, unharmed.killed_max, unharmed.injured_min, unharmed.injured_max) == (0, 0, 0, 0)
    text = "A chemical attack hit Douma on Monday. Death tolls varied, from about 60 to more than 80, officials said."
    ranged = one(reader, text)
    assert (ranged.killed_min, ranged.killed_max) == (60, 80)


def test_a_clause_joined_to_an_act_gives_its_type_and_the_act_its_sides(reader):
    found = one(reader, "Shelling by the Rapid Support Forces hit a crowded market in Omdurman on Monday, killing 17.")
    assert found.event_type == "artillery" and found.actor == "Rapid Support Forces" and found.killed_min == 17


def test_a_date_before_the_speaker_belongs_to_what_was_said(reader):
    found = one(
        reader,
        "An airstrike on a house in Rafah killed at least 12 people, including four children, overnight, medics said.",
    )
    assert found.date == date(2019, 3, 5) and found.date_precision == "day"


def test_a_named_victim_and_others_add_up(reader):
    found = one(
        reader, "A drone strike on a car in Nabatieh killed a Hezbollah commander and two other people on Monday."
    )
    assert (found.killed_min, found.killed_max) == (3, 3)


def test_counts_of_two_kinds_of_people_killed_add_up(reader):
    found = one(reader, "Shelling killed five soldiers and three civilians in Donetsk on Monday.")
    assert (found.killed_min, found.killed_max) == (8, 8)


def test_strikes_reported_somewhere_place_the_attack_and_a_cause_place_yields(reader):
    text = (
        "Jets struck militia targets across Yemen on Monday, in retaliation for attacks on shipping in the Red Sea. "
        "Strikes were reported near Sanaa."
    )
    found = one(reader, text)
    assert found.location == "Sanaa" and found.country == "YE"
    assert [i for i in read(reader, "Dockworkers in Le Havre began strikes on Monday over pensions.")] == []


def test_a_place_the_text_puts_in_another_country_is_not_a_namesake_there(reader):
    found = one(reader, "Jihadists ambushed an army convoy near Boni in central Mali on Monday, killing 11 soldiers.")
    assert found.country == "ML"


# -- what the event pipeline reads ------------------------------------------------------------------------------


def test_the_excerpt_keeps_cue_sentences_the_lead_and_places_near_a_cue(reader):
    lead = "Officials met in Amman on Sunday."
    filler = ["The talks went on.", "Nothing else was said.", "The weather was mild.", "Prices were stable."]
    event = ["Shelling hit Idlib on Monday.", "Aid reached Hama."]
    text = " ".join([lead, *filler, *event, *filler, "Trade rose in Homs."])
    doc = reader.geoparser.nlp(text)
    kept = [s.text for s in doc.spans["event_sentences"]]
    assert kept == [lead, "Shelling hit Idlib on Monday.", "Aid reached Hama."]


def test_the_event_pipeline_tags_and_lemmatizes_as_the_model_does(reader):
    """Its tag map and word exceptions as arrays and its lemma index as sets give the model's own parts of
    speech, morphology and lemmas."""
    text = (
        "Warplanes were striking the villages; the shelled towns had burned and two women died. \"We don't "
        "know,\" he said, as 12 U.S.-made rockets hit Kyiv's outskirts at 5:30 a.m. on Monday, wounding 3. "
        "Something hit me, I told them; nobody knew it was theirs, but they're gonna find out whether it's ours."
    )
    model = spacy.load(reader.geoparser.model, exclude=["ner", "senter"])
    with reader.nlp.select_pipes(enable=[*PARSE_PIPES, "geomap_tag_map"]):
        ours = [(t.pos_, str(t.morph), t.lemma_) for t in reader.nlp(text)]
    assert ours == [(t.pos_, str(t.morph), t.lemma_) for t in model(text)]


def test_word_exceptions_move_before_the_ruler_only_where_the_order_cannot_matter():
    patterns = [
        {"patterns": [[{"TAG": "VBD"}]], "attrs": {"POS": "VERB"}},  # the tag map
        {"patterns": [[{"TAG": "VBZ", "LOWER": "gets"}], [{"TAG": "VBD", "LOWER": "got"}]], "attrs": {"LEMMA": "get"}},
        {"patterns": [[{"LOWER": "got"}]], "attrs": {"LEMMA": "obtain"}},  # may meet the one before: stays after it
        {"patterns": [[{"LOWER": "went", "TAG": {"IN": ["VBD", "VBN"]}}]], "attrs": {"LEMMA": "go"}},  # moves
        {"patterns": [[{"LOWER": "got"}]], "attrs": {"POS": "AUX"}},  # another attribute: moves
        {"patterns": [[{"LOWER": {"REGEX": "^h"}}]], "attrs": {"LEMMA": "h-word"}},  # a pattern: stays
        {"patterns": [[{"LOWER": "home", "DEP": "advmod"}]], "attrs": {"LEMMA": "place"}},  # the pattern meets it
        {"patterns": [[{"LOWER": "it", "DEP": "nsubj"}]], "attrs": {"LEMMA": "thing"}},  # it cannot: moves
        {"patterns": [[{"LOWER": "and", "DEP": {"IN": ["cc", "prep"]}}]], "attrs": {"LEMMA": "plus"}},  # moves
    ]

    def pipeline():
        nlp = spacy.blank("en")
        nlp.add_pipe("attribute_ruler").add_patterns(patterns)
        return nlp

    split = pipeline()
    split_tag_map(split)
    assert split.pipe_names == ["geomap_tag_map", "attribute_ruler"]
    assert len(split.get_pipe("geomap_tag_map").words) == 4 and len(split.get_pipe("attribute_ruler").patterns) == 4
    words, tags = ["He", "got", "it", "and", "went", "home"], ["PRP", "VBD", "PRP", "CC", "VBD", "NN"]
    heads, deps = [1, 1, 1, 1, 1, 4], ["nsubj", "ROOT", "dobj", "cc", "conj", "advmod"]
    read = [
        [(t.pos_, t.lemma_) for t in nlp(Doc(nlp.vocab, words=words, tags=tags, heads=heads, deps=deps))]
        for nlp in (pipeline(), split)
    ]
    assert read[0] == read[1]
    assert read[1] == [("", "h-word"), ("AUX", "obtain"), ("", ""), ("", "plus"), ("VERB", "go"), ("", "place")]


def test_an_attack_repelled_keeps_its_own_type_and_the_defenders_are_hit(reader):
    text = (
        "Militants attacked an army post in Maiduguri on Monday, killing two soldiers. The soldiers, backed by "
        "air force jets, repelled the attack."
    )
    found = one(reader, text)
    assert (found.event_type, found.actor) == ("armed clash", "Militants")  # the defenders' jets are not its means


def test_an_event_put_in_a_class_takes_its_type_from_how_it_was_done(reader):
    text = (
        "The army said it killed 30 rebels near Idlib on Monday after they attacked a checkpoint, in one of the "
        "heaviest clashes of the year. Army warplanes struck the attackers through the night."
    )
    assert one(reader, text).event_type == "air strike"


def test_people_there_when_a_thing_was_hit_are_who_was_hit(reader):
    text = "A rocket hit a bus depot in Kharkiv on Monday as dozens of civilians waited for buses, killing six."
    assert one(reader, text).target == "civilians"
    assert one(reader, "A rocket hit a bus depot in Kharkiv on Monday, killing six.").target == "bus depot"


def test_a_time_zone_and_another_event_told_before_do_not_place_an_event(reader):
    assert read(reader, "Jets struck an arms depot at 4 a.m. Moscow time on Monday.") == []
    text = (
        "Jets struck a depot in Mosul on Monday. Officials said the raid was a response to the attack on "
        "a checkpoint in Tikrit on Sunday, in which four soldiers were killed."
    )
    found = read(reader, text)  # the raid is the strike told before, not a raid at the checkpoint
    assert (found[0].location, found[0].event_type, found[0].historical) == ("Mosul", "air strike", False)
    assert [(i.event_type, i.historical) for i in found[1:]] == [("armed clash", True)]


def test_people_harmed_when_a_weapon_acted_in_a_clause_of_its_own_verb(reader):
    text = "Seven people were killed and 20 wounded when a truck bomb ripped through a market in Baquba on Thursday."
    found = one(reader, text)
    assert (found.event_type, found.location, found.date) == ("bombing", "Baqubah", date(2019, 2, 28))
    assert (found.killed_max, found.injured_max) == (7, 20)


def test_an_attack_told_as_before_the_raid_keeps_its_toll_and_a_named_province_beats_a_part_of_a_country(reader):
    text = (
        "Mogadishu - Somali forces backed by US air strikes killed 24 al-Shabaab militants in a raid near Jilib on "
        "March 4, the government said on Monday. The raid came a week after militants attacked an army base in the "
        "same area, killing nine soldiers."
    )
    raid = one(reader, text, published=date(2019, 3, 11))
    assert (raid.killed_min, raid.killed_max) == (24, 24)  # not 9-24: the nine fell in the earlier attack
    text = (
        "A drone strike killed a militant commander in north-west Syria on Monday. The strike, near a village in "
        "Idlib province, hit a car."
    )
    assert one(reader, text).location == "Idlib"


def test_a_two_part_compass_word_and_the_rubble_a_place_lies_under(reader):
    text = "Gunmen killed 30 villagers in an attack in north-eastern Nigeria on Saturday."
    assert one(reader, text).location == "northeastern Nigeria"
    text = "Rescuers pulled bodies from the rubble of a hotel in Kharkiv on Monday after a Russian missile strike."
    assert one(reader, text).location == "Kharkiv"
