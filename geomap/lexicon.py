"""One lexicon: the word lists that dates, figures and event reading share.

Words are lower case. Event words are lemmas (the event pipeline tags and lemmatizes the sentences it
reads); :func:`forms` inflects them for the cheap looks that run before any tagging. Side
names (who acts, who is hit) are data an analyst can extend, in ``geomap/events/data/sides.jsonl``.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """The set of the space-separated words of ``text``."""
    return frozenset(text.split())


# inflections that the regular rules below do not make
IRREGULAR = {
    "strike": ("struck", "stricken"),
    "hit": ("hit",),
    "shoot": ("shot",),
    "bring": ("brought",),
    "blow": ("blew", "blown"),
    "go": ("went", "gone"),
    "tear": ("tore", "torn"),
    "slay": ("slew", "slain"),
    "die": ("died", "dying", "dies"),
    "body": ("bodies",),
    "life": ("lives",),
    "casualty": ("casualties",),
    "fatality": ("fatalities",),
    "injury": ("injuries",),
    "militia": ("militias",),
    "gunman": ("gunmen",),
    "policeman": ("policemen",),
    "militiaman": ("militiamen",),
    "fire": ("fired", "firing"),
    "fall": ("fell", "fallen"),
    "overrun": ("overran",),
    "lead": ("led",),
    "leave": ("left",),
}


def forms(lemma: str) -> set[str]:
    """A lemma's regular inflections (over-generated: this is a filter, the tagged pass decides)."""
    out = {lemma, *IRREGULAR.get(lemma, ())}
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    out |= {lemma + "s", lemma + "es", stem + "ed", stem + "ing", lemma + "d"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        out |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}  # "dropped", "shelling"
    if lemma.endswith("y"):
        out |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    return out


# -- calendar ------------------------------------------------------------------------------------------------
MONTHS = (
    *("january", "february", "march", "april", "may", "june"),
    *("july", "august", "september", "october", "november", "december"),
)
MONTH_NUMBERS = {m: i for i, m in enumerate(MONTHS, 1)} | {m[:3]: i for i, m in enumerate(MONTHS, 1)} | {"sept": 9}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# -- numbers -------------------------------------------------------------------------------------------------
_ONES = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
NUMBER_WORDS = (
    {w: i for i, w in enumerate((_ONES + " seventeen eighteen nineteen").split(), 1)}
    | {w: 10 * i for i, w in enumerate(_TENS.split(), 2)}
    | {"a": 1, "an": 1, "zero": 0, "dozen": 12, "both": 2}
)
MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# vague counts as ACLED reads them (conservative): "dozens" is 12, "scores" one score; "several" and "a few"
# are not read as figures
VAGUE_COUNTS = {"tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000}

# -- places --------------------------------------------------------------------------------------------------
COMPASS = {"north": 0, "northeast": 45, "east": 90, "southeast": 135, "south": 180, "southwest": 225, "west": 270}
COMPASS |= {"northwest": 315}
COMPASS_ADJECTIVES = {f"{d}ern": d for d in COMPASS} | {"central": "central"}
DISTANCE_UNITS = dict.fromkeys(("km", "kilometres", "kilometers", "kilometre", "kilometer"), 1.0)
DISTANCE_UNITS |= dict.fromkeys(("mile", "miles"), 1.609344)
NAUTICAL_MILE = 1.852  # km
# a preposition whose object is where something is or happens
LOCATIVE_PREPOSITIONS = words("in at near outside inside on into across over around within throughout onto along off")
NEAR_PREPOSITIONS = words("near outside around nearby off beside towards toward along")
# a place after these is where the attackers came from or went, not where it happened
AWAY_PREPOSITIONS = words("from to for toward towards via")

# -- events --------------------------------------------------------------------------------------------------
# Lemmas that name an event on their own, and the type they give. Generic words ("attack", "strike",
# "explosion") take their type from the instruments around them (INSTRUMENTS).
EVENT_NOUNS: dict[str, str | None] = {
    "airstrike": "air strike",
    "bombardment": "air strike",
    "shelling": "artillery",
    "barrage": "artillery",
    "bombing": "bombing",
    "shootdown": "shootdown",
    "downing": "shootdown",
    "clash": "armed clash",
    "firefight": "armed clash",
    "gunfight": "armed clash",
    "gunbattle": "armed clash",
    "shootout": "armed clash",
    "skirmish": "armed clash",
    "ambush": "armed clash",
    "raid": "raid",
    **dict.fromkeys(words("attack assault strike explosion blast massacre incursion encounter battle fighting fire")),
}
# verbs that report an attack when their subject or object is armed or hit ("go" and "open" only in PHRASAL:
# "went off", "opened fire"; police who "went to an address" attacked nothing)
EVENT_VERBS = words(
    "strike hit target bomb shell attack raid pound bombard fire launch slam land explode detonate ambush clash "
    "storm overrun infiltrate invade repel rout rock tear down blow drop crash ram fall"
)
# verbs by which a side meets an attack ("repelled the attacks"): their clause's weapons are the defenders'
DEFENCE_VERBS = words("repel repulse thwart foil fend resist counter")
# verb + particle or object that make one event: "shot down", "blew himself up", "went off", "opened fire"
# verbs of harm that report an incident when an armed side or a weapon is their subject ("gunmen killed five")
HARM_TRIGGERS = words("kill wound injure massacre martyr")
# verbs whose object is what was hit ("struck a depot"); others' is what was used ("fired rockets")
AIMED_VERBS = words("strike hit target bomb shell attack raid pound bombard storm invade ambush shoot down bring")
# their forms before an object, which is where the attack landed ("shelled Donetsk", "struck Kharkiv overnight")
AIMED_FORMS = frozenset(f for verb in AIMED_VERBS - words("shoot down bring") for f in forms(verb))
# the prepositions of what an attack was aimed at ("fired on a convoy", "against U.S. forces")
AIMED_PREPS = words("on against at into onto targeting")
PHRASAL = {
    ("shoot", "down"): "shootdown",
    ("bring", "down"): "shootdown",
    ("blow", "up"): "bombing",
    ("go", "off"): "bombing",
    ("open", "fire"): None,
}
# what an event is made with, and the type it gives
INSTRUMENTS: dict[str, str] = {
    **dict.fromkeys(words("sarin chlorine nerve chemical toxic poisonous mustard irritant"), "chemical attack"),
    **dict.fromkeys(words("drone uav"), "drone attack"),
    **dict.fromkeys(words("missile rocket tomahawk katyusha"), "missile strike"),
    **dict.fromkeys(words("artillery shell mortar howitzer tank grad"), "artillery"),
    **dict.fromkeys(words("warplane jet aircraft plane helicopter gunship aerial air airstrike sortie"), "air strike"),
    **dict.fromkeys(words("bomb bomber explosive ied suicide vest grenade landmine"), "bombing"),
    **dict.fromkeys(words("gun gunman gunfire rifle sniper machine"), "armed clash"),
}
# the types, most specific first: an event told with several takes the first (aircraft with artillery: an air strike)
TYPE_ORDER = (
    "chemical attack",
    "shootdown",
    "drone attack",
    "missile strike",
    "air strike",
    "artillery",
    "bombing",
    "raid",
    "armed clash",
)
# the family of events that reports may give different types to ("missiles" or "air strikes")
FAMILY = dict.fromkeys(("air strike", "missile strike", "artillery", "drone attack"), "strike")
# an aircraft acts in an air strike only when it is a military one
AIRCRAFT = words("aircraft plane airplane airliner jet helicopter flight chopper")
MILITARY_AIRCRAFT = words("warplane bomber gunship drone uav")
# fighters: a sentence that names them is worth reading (they may attack, clash, be routed)
FIGHTERS = words("insurgent militant terrorist jihadist gunman rebel militia militiaman sniper bandit")
# who fights: an actor that makes "attacked", "clashed", "opened fire" an armed event
ARMED = FIGHTERS | words(
    "army troop soldier force military fighter guerrilla commando marine paratrooper bomber attacker assailant "
    "extremist separatist occupier battalion brigade regiment unit jets warplane navy coalition regime junta"
)
# the two sides a clash's dead are counted by ("11 militants" and "two soldiers": 13 killed in all)
COMBATANTS = {
    **dict.fromkeys(FIGHTERS | words("fighter attacker assailant extremist separatist guerrilla"), "fighters"),
    **dict.fromkeys(words("soldier troop policeman serviceman paratrooper commando marine guardsman"), "forces"),
}
# words after a demonym that make it a side, not a place: "Russian forces", "a Turkish drone", "Israeli
# shelling", "Saudi-led", "the Russian-installed mayor"
SIDE_MARKS = (
    ARMED | FIGHTERS | frozenset(INSTRUMENTS) | frozenset(EVENT_NOUNS) | words("installed backed led controlled allied")
)
# words that give a trigger another sense, as its modifiers or what it is with or against: "hunger strike",
# "heart attack", "box-office bomb", "shelled out", "a battle with cancer"
OTHER_SENSES = {
    "strike": words("hunger general labor labour worker union teacher lightning price rail bird"),
    "attack": words(
        "heart panic asthma cyber shark ransomware anxiety hacker verbal dog anthrax ricin biological bioterror "
        "virus malware phishing personal"
    ),
    "bomb": words("box office flop bath calorie photo"),
    "bombing": words("water"),
    "raid": words("tax fbi police immigration"),
    "clash": words("league cup title derby match final semi quarter fixture personality"),
    "blast": words("furnace radius gamma cold heat"),
    "explosion": words("population gas boiler"),
    "shell": words("out pistachio nut peanut egg seed shrimp crab"),
    "fire": words("wild forest brush house bush"),
    "battle": words("cancer illness disease leukemia tumour tumor addiction depression legal court custody trade"),
}
# words of a game: an article with :data:`SPORTS_ARTICLE` of them tells of sport ("their attack", "the striker
# fired a shot", "under fire", "a penalty shootout"), where no incident without casualties is read
SPORTS = words(
    "match league fixture tournament cup goal striker goalkeeper midfielder shootout crossbar referee "
    "championship semifinal derby kickoff halftime"
)
SPORTS_ARTICLE = 3
# words of a sports, business, legal or practice sense for clashes, strikes and raids
NON_ARMED_CONTEXT = SPORTS | words(
    "game team season wage salary pay union worker employee employer factory court judge lawsuit office "
    "document agent exercise drill test simulation delivery customer box film movie crash accident fog tariff "
    "deficit negotiator negotiation debate"
)
# what makes a reported event not an incident: a plan, a threat, a test, a failure
NOT_HAPPENED = words(
    "plan threaten vow warn prepare consider test exercise drill rehearse simulate practice prevent deter avoid "
    "want seek intend aim fear risk design capable able fail try attempt"
)
# event words too common to make a sentence worth reading on their own ("the air", "went", "a fire broke out")
WEAK_CUES = words("go open down land rock tear drop crash air machine mine tank loss fall")

# -- casualties ----------------------------------------------------------------------------------------------
KILLED, INJURED = "killed", "injured"
HARM_VERBS = dict.fromkeys(words("kill die perish martyr slay massacre murder execute claim"), KILLED)
HARM_VERBS |= dict.fromkeys(words("wound injure hurt maim"), INJURED)
HARM_WORDS = dict.fromkeys(words("dead death fatality body corpse martyr life toll killed"), KILLED)
HARM_WORDS |= dict.fromkeys(words("wounded injured injury wound hurt"), INJURED)
# "casualties" may count the dead alone or with the wounded: only its negation is read
CASUALTY_WORDS = words("casualty causality victim loss")
# a toll over a war or a period, not an event's: "since the war began", "the conflict has killed"
PERIOD_WORDS = words(
    "since war conflict insurgency campaign operation offensive crisis uprising revolution fighting violence"
)
RISING = words("rise climb reach increase jump mount grow soar bring surge stand hit revise update raise")
EARLIER = words("earlier initially initial first previously preliminary")
# nouns a number counts that are not people: "15 missiles", "9 trucks", "43 km", "145 Battalion"
THINGS = words(
    "strike airstrike raid bomb rocket missile shell mortar drone grenade mine round shot bullet vehicle car truck "
    "tank bus boat ship aircraft plane jet helicopter weapon gun rifle building house home village town city "
    "district province area zone km kilometre kilometer mile metre meter foot feet yard hectare acre ton tonne "
    "second minute hour day night week month year decade time percent cent million billion dollar euro pound "
    "attack explosion blast incident clash operation am pm gmt base site facility entrance battalion brigade "
    "division regiment school hospital position target location sortie barrel page factory gate floor storey"
)
# singular nouns for a person: "the commander was killed" counts one
PERSONS = words(
    "chief commander leader general soldier officer policeman civilian child man woman boy girl journalist "
    "official fighter militant member worker guard pilot head preacher minister governor mayor colonel captain "
    "lieutenant sergeant commando marine medic doctor nurse driver resident student teacher daughter son father "
    "mother brother sister wife husband person cleric imam spokesman activist photographer reporter contractor"
)
# nouns a place name specifies ("the town of X", "the capital, X")
PLACE_NOUNS = words(
    "city town village capital district province region area camp neighbourhood neighborhood suburb state "
    "governorate county township municipality port outskirts"
)
# people who can be hit or act: armed men, persons and their plural kinds ("US personnel", "civilians")
PEOPLE = ARMED | PERSONS | words("member official personnel people citizen national")

# -- speech --------------------------------------------------------------------------------------------------
# a claim of responsibility names who acted: "the Houthis claimed responsibility", "IS claimed the bombing"
CLAIM_VERBS = words("claim admit")
RESPONSIBILITY = words("responsibility credit")
SPEECH_VERBS = words(
    "say tell report announce confirm state add claim deny accuse blame condemn denounce warn note quote cite "
    "tweet post write describe publish release issue speak declare insist estimate believe know hear affirm "
    "acknowledge allege stress explain reveal show indicate suggest expect call criticize criticise praise welcome "
    "inform"
)
