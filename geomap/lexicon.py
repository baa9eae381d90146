"""One lexicon: the word lists that geoparsing, dates, figures and event reading share.

Words are lower case. Event words are lemmas (the event pipeline tags and lemmatizes the sentences
it reads); :data:`CUE_FORMS` holds their inflected forms for the cheap scan that runs before any
tagging. Side names (who acts, who is hit) are data an analyst can extend, in
``geomap/events/data/sides.jsonl``.
"""

from __future__ import annotations

# -- calendar ----------------------------------------------------------------------------------------------
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH_NUMBERS = {m: i for i, m in enumerate(MONTHS, 1)} | {m[:3]: i for i, m in enumerate(MONTHS, 1)} | {"sept": 9}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
PARTS_OF_DAY = {"morning", "afternoon", "evening", "night", "dawn", "dusk", "midnight", "noon", "daybreak"}

# -- numbers -----------------------------------------------------------------------------------------------
ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
TENS = {w: 10 * i for i, w in enumerate(("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty"), 2)} | {
    "ninety": 90
}
NUMBER_WORDS = {w: i for i, w in enumerate((*ONES, *TEENS), 1)} | TENS | {"a": 1, "an": 1, "zero": 0, "dozen": 12}
MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# vague counts as ACLED reads them (conservative): "dozens" is 12, "scores" one score; "several" and "a few"
# are not read as figures
VAGUE_COUNTS = {
    "tens": 10,
    "dozens": 12,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1000,
}

# -- places ------------------------------------------------------------------------------------------------
COMPASS = {
    "north": 0,
    "northeast": 45,
    "east": 90,
    "southeast": 135,
    "south": 180,
    "southwest": 225,
    "west": 270,
    "northwest": 315,
}
COMPASS_ADJECTIVES = {f"{d}ern": d for d in COMPASS} | {"central": "central"}
DISTANCE_UNITS = {"km": 1.0, "kilometres": 1.0, "kilometers": 1.0, "kilometre": 1.0, "kilometer": 1.0} | {
    "mile": 1.609344,
    "miles": 1.609344,
}
# a locative preposition: the place it governs is where something is or happens
LOCATIVE_PREPOSITIONS = {
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "on",
    "into",
    "across",
    "over",
    "around",
    "within",
    "throughout",
    "onto",
    "towards",
    "toward",
    "nearby",
    "along",
    "off",
    "beside",
    "by",
}
NEAR_PREPOSITIONS = {"near", "outside", "around", "nearby", "off", "beside", "towards", "toward", "along"}
# a place after these is where the attackers came from or went, not where it happened
AWAY_PREPOSITIONS = {"from", "to", "for", "toward", "towards", "via"}
# words that stand for a government, not a place where things happen
METONYMS = {
    "white house",
    "pentagon",
    "kremlin",
    "downing street",
    "elysee",
    "élysée",
    "capitol hill",
    "whitehall",
    "foggy bottom",
    "quai d'orsay",
    "zhongnanhai",
}

# -- events ------------------------------------------------------------------------------------------------
# Lemmas that name an event on their own, and the type they give. Generic words ("attack", "strike",
# "explosion") take their type from the instruments around them (:data:`INSTRUMENTS`).
EVENT_NOUNS = {
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
    "skirmish": "armed clash",
    "ambush": "armed clash",
    "raid": "raid",
    "attack": None,
    "assault": None,
    "strike": None,
    "explosion": None,
    "blast": None,
    "massacre": None,
    "incursion": None,
    "encounter": None,
    "battle": None,
    "fighting": None,
}
# verbs that report an attack when their subject or object is armed or hit
EVENT_VERBS = {
    "strike",
    "hit",
    "target",
    "bomb",
    "shell",
    "attack",
    "raid",
    "pound",
    "bombard",
    "fire",
    "launch",
    "slam",
    "land",
    "explode",
    "detonate",
    "ambush",
    "clash",
    "storm",
    "overrun",
    "infiltrate",
    "repel",
    "rout",
    "rock",
    "tear",
    "down",
    "blow",
    "go",
    "open",
    "drop",
    "crash",
}
# verb + particle or object that make one event word: "shot down", "blew himself up", "went off", "opened fire"
PHRASAL = {
    ("shoot", "down"): "shootdown",
    ("bring", "down"): "shootdown",
    ("blow", "up"): "bombing",
    ("go", "off"): "bombing",
    ("open", "fire"): None,
}
# what an event is made with, and the type it gives (most specific first)
INSTRUMENTS: dict[str, str] = {
    **dict.fromkeys(("sarin", "chlorine", "nerve", "chemical", "toxic", "poisonous", "mustard"), "chemical attack"),
    **dict.fromkeys(("drone", "uav"), "drone attack"),
    **dict.fromkeys(("missile", "rocket", "tomahawk", "katyusha"), "missile strike"),
    **dict.fromkeys(("artillery", "shell", "mortar", "howitzer", "tank", "grad"), "artillery"),
    **dict.fromkeys(
        (
            "warplane",
            "jet",
            "aircraft",
            "plane",
            "helicopter",
            "gunship",
            "aerial",
            "air",
            "airstrike",
            "sortie",
        ),
        "air strike",
    ),
    **dict.fromkeys(("bomb", "bomber", "explosive", "ied", "suicide", "vest", "grenade", "landmine"), "bombing"),
    **dict.fromkeys(("gun", "gunman", "gunfire", "rifle", "sniper", "machine"), "armed clash"),
}
TYPE_ORDER = (
    "chemical attack",
    "shootdown",
    "drone attack",
    "missile strike",
    "artillery",
    "air strike",
    "bombing",
    "raid",
    "armed clash",
)
# the family of events that several reports may give different types to ("missiles" or "air strikes")
FAMILY = {"air strike": "strike", "missile strike": "strike", "artillery": "strike", "drone attack": "strike"}
# aircraft words: an aircraft acts in an air strike only when it is a military one
AIRCRAFT = {"aircraft", "plane", "airplane", "airliner", "jet", "helicopter", "flight", "chopper"}
MILITARY_AIRCRAFT = {"warplane", "bomber", "gunship", "fighter", "drone", "uav"}
# people who fight: a subject that makes "attacked", "clashed", "opened fire" an armed event
ARMED = {
    "army",
    "troop",
    "soldier",
    "force",
    "military",
    "militant",
    "insurgent",
    "rebel",
    "fighter",
    "gunman",
    "jihadist",
    "terrorist",
    "militia",
    "militiaman",
    "guerrilla",
    "commando",
    "marine",
    "paratrooper",
    "sniper",
    "bomber",
    "attacker",
    "assailant",
    "extremist",
    "separatist",
    "occupier",
    "battalion",
    "brigade",
    "regiment",
    "unit",
    "jets",
    "warplane",
    "navy",
    "coalition",
    "regime",
    "junta",
}
# words that make a trigger something else: "hunger strike", "heart attack", "box-office bomb"
OTHER_SENSES = {
    "strike": {"hunger", "general", "labor", "labour", "worker", "union", "teacher", "lightning", "price", "rail"},
    "attack": {
        *("heart", "panic", "asthma", "cyber", "shark", "ransomware", "anxiety", "hacker", "verbal", "dog"),
        *("anthrax", "ricin", "biological", "bioterror", "virus", "malware", "phishing", "personal"),
    },
    "bomb": {"box", "office", "flop", "bath", "calorie", "photo"},
    "raid": {"tax", "fbi", "police", "immigration"},
    "clash": {"league", "cup", "title", "derby", "match", "final", "semi", "quarter", "fixture", "personality"},
    "blast": {"furnace", "radius", "gamma", "cold", "heat"},
    "explosion": {"population", "gas", "boiler"},
    "shell": {"out", "pistachio", "nut", "peanut", "egg", "seed", "shrimp", "crab"},
    "fire": {"wild", "forest", "brush", "house", "bush"},
}
# nouns that mark a sports, business or legal sense for clashes, strikes and raids
NON_ARMED_CONTEXT = {
    "match",
    "game",
    "league",
    "team",
    "season",
    "fixture",
    "tournament",
    "cup",
    "goal",
    "striker",
    "wage",
    "salary",
    "pay",
    "union",
    "worker",
    "employee",
    "employer",
    "factory",
    "court",
    "judge",
    "lawsuit",
    "office",
    "document",
    "agent",
    "exercise",
    "drill",
    "test",
    "simulation",
    "game",
    "delivery",
    "customer",
    "box",
    "film",
    "movie",
    "crash",
    "accident",
    "fog",
}
# what makes a reported event not an incident: a plan, a threat, a test, a drill
NOT_HAPPENED = {
    "plan",
    "threaten",
    "vow",
    "warn",
    "prepare",
    "consider",
    "would",
    "could",
    "might",
    "may",
    "will",
    "shall",
    "should",
    "can",
    "test",
    "exercise",
    "drill",
    "rehearse",
    "simulate",
    "practice",
    "if",
    "unless",
    "prevent",
    "deter",
    "avoid",
    "want",
    "seek",
    "intend",
    "aim",
    "fear",
    "risk",
    "design",
    "capable",
    "able",
    "fail",
    "try",
    "attempt",
}

# -- casualties --------------------------------------------------------------------------------------------
KILLED, INJURED = "killed", "injured"
HARM_VERBS = {
    "kill": KILLED,
    "die": KILLED,
    "perish": KILLED,
    "martyr": KILLED,
    "slay": KILLED,
    "massacre": KILLED,
    "murder": KILLED,
    "execute": KILLED,
    "claim": KILLED,  # "claimed 20 lives"
    "wound": INJURED,
    "injure": INJURED,
    "hurt": INJURED,
    "maim": INJURED,
}
HARM_WORDS = {
    "dead": KILLED,
    "death": KILLED,
    "fatality": KILLED,
    "body": KILLED,
    "corpse": KILLED,
    "martyr": KILLED,
    "life": KILLED,
    "toll": KILLED,
    "killed": KILLED,
    "wounded": INJURED,
    "injured": INJURED,
    "injury": INJURED,
    "wound": INJURED,
    "hurt": INJURED,
}
# "casualties" may count the dead alone or with the wounded: only its negation is read
CASUALTY_WORDS = {"casualty", "causality", "victim", "loss"}
# counts that name a part of the people hurt, not their number: "27 of the dead", "among the victims"
PART_WORDS = {"among", "including", "of", "include", "includes", "included"}
TOTAL_WORDS = {"all", "total", "overall", "altogether", "toll"}
# a toll over a period or a war, not an event's: "since the war began", "the conflict has killed"
PERIOD_WORDS = {
    "since",
    "war",
    "conflict",
    "insurgency",
    "campaign",
    "operation",
    "offensive",
    "crisis",
    "uprising",
    "revolution",
    "fighting",
    "violence",
    "year",
    "month",
    "decade",
    "far",
}
RISING = {"rise", "climb", "reach", "increase", "jump", "mount", "grow", "soar", "bring", "surge", "stand", "hit"}
EARLIER = {"earlier", "initially", "initial", "first", "previously", "preliminary"}

# -- speech ------------------------------------------------------------------------------------------------
SPEECH_VERBS = {
    "say",
    "tell",
    "report",
    "announce",
    "confirm",
    "state",
    "add",
    "claim",
    "deny",
    "accuse",
    "blame",
    "condemn",
    "warn",
    "note",
    "quote",
    "cite",
    "tweet",
    "post",
    "write",
    "describe",
    "publish",
    "release",
    "issue",
    "speak",
    "declare",
    "insist",
    "estimate",
    "believe",
    "know",
    "hear",
    "affirm",
    "acknowledge",
    "allege",
    "stress",
    "explain",
    "reveal",
    "show",
    "indicate",
    "suggest",
    "expect",
}
# fighters: a sentence that names them is worth reading (they may attack, clash, be routed)
FIGHTERS = {"insurgent", "militant", "terrorist", "jihadist", "gunman", "rebel", "militia", "militiaman", "sniper"}
# event words too common to make a sentence worth reading on their own ("the air", "went", "a fire broke out")
WEAK_CUES = {"go", "open", "down", "land", "rock", "tear", "drop", "crash", "air", "machine", "mine", "tank", "loss"}
# nouns a number counts that are not people: "15 missiles", "9 trucks", "43 km", "145 Battalion"
THINGS = {
    *"""strike airstrike raid bomb rocket missile shell mortar drone grenade mine round shot bullet vehicle car truck
    tank bus boat ship aircraft plane jet helicopter weapon gun rifle building house home village town city district
    province area zone km kilometre kilometer mile metre meter foot feet yard hectare acre ton tonne second minute hour
    day night week month year decade time percent cent million billion dollar euro pound attack explosion blast
    incident clash operation am pm gmt base site facility entrance battalion brigade division regiment school
    hospital position target location sortie barrel page factory entrance gate floor storey""".split()
}
# singular nouns for a person: "the commander was killed" counts one
PERSONS = {
    *"""chief commander leader general soldier officer policeman civilian child man woman boy girl journalist
    official fighter militant member worker guard pilot head preacher minister governor mayor colonel captain
    lieutenant sergeant commando marine medic doctor nurse driver resident student teacher daughter son father
    mother brother sister wife husband person cleric imam spokesman activist photographer reporter
    contractor""".split()
}
