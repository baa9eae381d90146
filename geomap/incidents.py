"""Incidents: what happened, when, where, who did it to whom and how many were hurt, read from articles.

Per article: every sentence with an incident trigger ("air strikes", "shot down", "shelling"...)
becomes a mention with its type, sides, date (``geomap.dates``), casualty figures
(``geomap.casualties``) and place: the most specific resolved toponym tied to the event in its
sentence or neighbours, never a place that only hosts a speaker ("officials in Damascus said") or
that attackers came from ("sorties from Hmeimim"). A neighbour reporting another event (another
type, or another date) lends it nothing. A part of a country ("northwest Syria") is the mean point
of the country's provinces that way; a country alone places only an event dated to the day.
Campaigns ("has been bombing ... since 2015") are not incidents, and a "since" date is no event's.
Figures after an event nested in the sentence ("... which had launched a sarin attack, killing
90") are that event's, as are people of another side counted after the trigger sentence; counts
win over statements of none, and a toll that counts only the wounded means none died.
Mentions of the same event in one article are joined; then reports of the same event from
several articles are merged (:func:`merge`).
"""

from __future__ import annotations

import calendar
import hashlib
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import pairwise

from spacy.tokens import Doc

from gazetteer.store import great_circle_km
from geomap import casualties, dates
from geomap.places import ASSOCIATIVE, DEMONYM, REGION, Geoparser
from geomap.records import Article, ArticleError, Incident, Toponym
from geomap.wordscan import Words

# (event type, trigger) from the most specific to the most generic
EVENT_TYPES: list[tuple[str, re.Pattern]] = [
    (t, re.compile(p, re.I))
    for t, p in [
        (
            "chemical attack",
            r"\bchemical (?:attacks?|strikes?|munitions?|weapons? (?:attacks?|strikes?))\b"
            r"|\b(?:us(?:e|ed|ing)|use of) chemical weapons\b|\bsarin\b|\bchlorine\b|\bnerve agent\b"
            r"|\bpoison gas\b|\bgas attack\b",
        ),
        (
            "shootdown",
            r"\bsh(?:ot|oots?|ooting) down\b|\bdowned (?:a|an|the|two|its|one)\b|\b(?:brought|brings?|bringing) down\b",
        ),
        (
            "drone attack",
            r"\b(?:drones?|UAVs?)\b[^.;]{0,60}\b(?:attack|strike|struck|hit|raid|crashed into)"
            r"|\b(?:attack|strike|struck|hit)\w*\b[^.;]{0,40}\b(?:drones?|UAVs?)\b|\bdrone (?:attack|strike)s?\b",
        ),
        (
            "missile strike",
            r"\b(?:cruise|ballistic|tomahawk|guided|surface-to-surface)?\s*missiles?\b[^.;]{0,60}"
            r"\b(?:strike|struck|hit|attack|slammed|landed|fired|launched|destroyed)|\bmissile (?:strike|attack)s?\b"
            r"|\b(?:fired|launched)\b[^.;]{0,40}\bmissiles?\b|\brocket (?:attack|fire)\b"
            r"|\brockets?\b[^.;]{0,40}\b(?:landed|struck|hit|slammed|fell|exploded)\b",
        ),
        (
            "artillery",
            r"\bartillery (?:fire|strikes?|barrages?|attacks?|shelling|shells|rounds)\b|\bshell(?:ing|ed)\b"
            r"|\bmortar (?:fire|shells?|attacks?|rounds?|bombs?)\b|\bhowitzers? fired\b"
            r"|\bshells\b[^.;]{0,30}\b(?:hit|struck|landed|slammed|fell|exploded)\b",
        ),
        (
            "air strike",
            r"\bair ?strikes?\b|\bair (?:raids?|attacks?)\b|\baerial (?:bombardment|attack|strike)s?\b|\bwarplanes?\b"
            r"|\bbomb(?:ed|ing|ings)\b|\b(?:jets?|aircraft|planes|bombers|helicopters?|gunships?)\b[^.;]{0,30}"
            r"\b(?:struck|hit|bombed|targeted|attacked)\b"
            r"|\bstrikes?\b[^.;]{0,40}\b(?:killed|killing|hit|targeted|destroyed|against|on)\b",
        ),
        ("armed clash", r"\bclash(?:es|ed)?\b|\bfire ?fights?\b|\bgun ?battles?\b|\bambush(?:ed)?\b|\bfirefight\b"),
    ]
]
# words (case-folded) one of which every match of a type's pattern contains: a sentence without any is not tried
EVENT_WORDS = {
    "chemical attack": ("chemical", "sarin", "chlorine", "nerve agent", "poison gas", "gas attack"),
    "shootdown": ("down",),
    "drone attack": ("drone", "uav"),
    "missile strike": ("missile", "rocket"),
    "artillery": ("artillery", "shell", "mortar", "howitzer"),
    "air strike": ("air", "aerial", "warplane", "bomb", "jet", "aircraft", "plane", "helicopter", "gunship", "strike"),
    "armed clash": ("clash", "fire", "gun", "ambush"),
}
FAMILY = {"air strike": "strike", "missile strike": "strike", "artillery": "strike", "drone attack": "strike"}

# Sides as news names them: (canonical side, pattern)
SIDES: list[tuple[str, re.Pattern]] = [
    (k, re.compile(p))
    for k, p in [
        (
            "US-led coalition",
            r"\b(?:the )?(?:U\.?S\.?|American|Washington)[- ]led (?:international |military )?"
            r"(?:coalition|alliance)(?: (?:forces|aircraft|warplanes|jets))?|\b(?:the )?(?:international |anti-IS )?"
            r"[Cc]oalition(?: (?:forces|aircraft|warplanes|jets|strikes))?\b",
        ),
        (
            "Syrian government forces",
            r"\b(?:pro-(?:regime|government|Assad|Syrian government) (?:forces|fighters|"
            r"militias?|troops|convoy|units)|(?:Syrian )?(?:regime|government) (?:forces|troops)|"
            r"Syrian (?:army|military|government forces|troops|soldiers|air force|Arab Army)|"
            r"(?:the )?Assad regime(?:'s (?:forces|soldiers))?|"
            r"Assad(?:'s)? forces)\b",
        ),
        ("Islamic State", r"\b(?:the )?Islamic State(?: group| militants| fighters)?|\bISIS\b|\bISIL\b|\bDaesh\b"),
        ("SDF", r"\bSyrian Democratic Forces\b|\bSDF\b"),
        ("Hezbollah", r"\bHezbollah\b"),
        ("Houthis", r"\bHouthis?(?: rebels| forces)?\b|\bAnsar Allah\b"),
        ("Russian mercenaries", r"\bWagner(?: Group)?\b|\bRussian (?:mercenaries|contractors)\b"),
        ("Iran-backed militias", r"\bIran(?:ian)?-backed (?:militias?|fighters|groups)\b|\bKata'?ib Hezbollah\b"),
        (
            "United States",
            r"\b(?:the )?(?:United States|U\.S\.|US|American)(?: (?:military|forces|troops|navy|"
            r"warplanes|jets|warships|destroyers|Air Force))?\b",
        ),
        ("United Kingdom", r"\b(?:British|Britain|UK|Royal Air Force|RAF)(?: (?:forces|jets|warplanes))?\b"),
        (
            "Russia",
            r"\bRussian? (?:forces|military|warplanes|jets|air force|aircraft|troops|missiles?|Su-\d+\w*)"
            r"|\bRussia\b|\bRussian\b",
        ),
        ("Turkey", r"\bTurk(?:ish|ey)(?: (?:air force|F-16s?|jets|warplanes|forces|military|army))?\b"),
        ("Israel", r"\bIsrael(?:i)?(?: (?:air force|military|jets|warplanes|forces|army|Defense Forces))?\b|\bIDF\b"),
        ("Iran", r"\bIran(?:ian)?(?: (?:forces|military|Revolutionary Guards?|missiles?))?\b|\bIRGC\b"),
        ("Ukraine", r"\bUkrain(?:e|ian)(?: (?:forces|military|army|drones?))?\b"),
        ("Saudi-led coalition", r"\bSaudi[- ]led coalition\b|\bSaudi Arabia\b|\bSaudi\b"),
    ]
]
_SPEAKER_BEFORE = re.compile(
    r"\b(?:officials?|reporters|spokes(?:man|woman|person)|ministry|told [^.]{0,30}|based|said|says|spoke|speaking|"
    r"talks|summit|meeting|met|meets|gathered|convened|visit(?:ing|ed)?|conference|interview) (?:in|at)\s+$",
    re.I,
)
# "hit by coalition warplanes", "strikes by a US-led coalition": the actor; not "buildings used by militias"
_AGENT_BEFORE = re.compile(r"\bby\s+(?:the\s+|an?\s+)?$", re.I)
_DESCRIBED_BY = re.compile(
    r"\b(?:used|held|controlled|backed|supported|led|owned|run|operated|manned|occupied|founded|created|formed"
    r"|funded|armed|trained|dominated|surrounded|besieged|seized|captured|overrun)\s+by\s+(?:the\s+|an?\s+)?$",
    re.I,
)
_SPEAKER_AFTER = re.compile(
    r"^\W*(?:'s )?(?:said|says|has said|announced|accused|condemned|denied|warned|told|"
    r"claimed|responded|blamed|vowed|insisted|reported|called)\b|^-?based\b",
    re.I,
)
_NEAR = re.compile(
    r"\b(?:near|outside|close to|around|nearby|in the vicinity of|not far from|on the outskirts of|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?(?: of)?|"
    r"\d+\s*(?:km|kilometres|kilometers|miles) (?:from|of|outside))\s+(?:the\s+)?$",
    re.I,
)
_SPEECH = re.compile(
    r"\b(?:said|says|told|announced|statement|accused|condemned|denied|warned|according to|claimed|"
    r"spokes(?:man|woman|person)|ministry|officials?|reported|vowed|blamed)\b",
    re.I,
)
_IN_PLACE = re.compile(
    r"\b(?:in|near|at|on|outside|over|across|into|toward|towards|around|of|hit|struck|targeted|shelled|bombed)"
    r"\s+(?:the\s+)?(?:[a-z]+(?:ern|ral)?\s+)?$"
)
# "WASHINGTON, April 8 (Reuters) -": the filing date, not the event's
_DATELINE = re.compile(
    r"(?m)^[ \t]*[A-Z][A-Z .'-]{2,},?\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?\s*(?:\([^)]*\))?\s*[-–—]"
)
_AREA_AFTER = re.compile(r"^\s*(?:area|region|countryside|outskirts|environs)\b", re.I)
_RECALL = re.compile(
    r"\b(?:last (?:year|month|week)|previously|earlier (?:this|that|in)|in the past|a year ago|"
    r"recalled|the last time|since then|had (?:been )?(?:struck|hit|launched|carried out|targeted))",
    re.I,
)
# "sorties from Moscow's Khmeimim Air Base in Latakia", "missiles fired from the Mediterranean": where the attackers
# came from, not where it happened
_ORIGIN_BEFORE = re.compile(
    r"\b(?:sorties|flights|fl(?:y|ies|ew|ying|own)|launch(?:es|ed|ing)?|t(?:ook|akes?|aking) off|fir(?:ed|ing)|"
    r"operat(?:e|es|ed|ing)|c(?:ame|omes?|oming)|originat\w*|depart(?:s|ed|ing)?|based)\b[^.;:!?]{0,25}?"
    r"\bfrom\s+(?:the\s+)?(?:(?:[A-Z][\w'’.-]*|of|in|the|al|el|direction|air|naval|base|airbase|airport|airfield"
    r"|port|ships?|warships?|carriers?|destroyers?|submarines?|territory|soil|province|region)[\s,]+){0,6}$"
)
# "northwest Syria", "eastern Syria", "the south of Syria": a part of a country
_COMPASS = dict(north=0, northeast=45, east=90, southeast=135, south=180, southwest=225, west=270, northwest=315)
_DIRECTION = r"(?:north-?east|north-?west|south-?east|south-?west|north|south|east|west|central)"
_PART_BEFORE = re.compile(rf"\b(?:(?P<a>{_DIRECTION})(?:ern)?|the\s+(?P<b>{_DIRECTION})\s+of)\s+$", re.I)
_SAID_BEFORE = re.compile(r"\b(?:said|says|told|announced|stated|added|confirmed|denied|claimed)\s+(?:\w+\s+)?$", re.I)
_OVER_COUNTRY = re.compile(r"\b(?:in|over|inside|across|into)\s+(?:the\s+)?$", re.I)
PART_DEGREES = 60  # a part of a country: its divisions within this angle of the direction, seen from its centre
# a campaign, not an incident: "has been conducting air strikes in Syria since September 30"
_CAMPAIGN = re.compile(
    r"\b(?:has|have|had)\s+been\s+\w+ing\b[^.;]*\b(?:since|for\s+(?:months|years|weeks|the\s+past))\b"
    r"|\bsince\b[^.;]*\b(?:has|have)\s+been\s+\w+ing\b",
    re.I,
)
# "since September 30", "since the campaign began a year ago": a period's start, unless an event is told ("since
# August 21, 2013, when rockets struck") or dated ("since a rocket attack on December 27")
_SINCE_BEFORE = re.compile(
    r"\bsince\s+(?:(?:early|late|mid)[-\s]+)?$"
    r"|\bsince\b[^,;.!?()]*\b(?:start\w*|beg[au]n|beginning|launch\w*)\b[^,;.!?()]*$",
    re.I,
)
# "... killed seven soldiers, and on February 10 five died in shelling at Taftanaz": two events, two clauses
_CLAUSE_BREAK = re.compile(
    r";\s+|,\s+(?:and|while|whereas)\s+(?=(?:on|in|during|late|early|last|earlier|the next|the following)\b)", re.I
)
_WHEN_AFTER = re.compile(r",?\s+when\b", re.I)
# an event inside the sentence's event: "missiles struck an airbase which had launched a sarin attack, killing 90"
_NESTED_BEFORE = re.compile(
    r"\b(?:which|that|who|whose|after|for|following|when|where|because of|in (?:retaliation|response|revenge))\b"
    r"[^,;]{0,40}$",
    re.I,
)
_SEQUEL = re.compile(r"\b(?:then|later|afterwards|subsequently|in (?:response|retaliation|reprisal))\b", re.I)
HISTORICAL_DAYS = 7  # an event more than a week before publication is recalled
MERGE_KM = 50.0


@dataclass
class _Mention:
    """One incident mention in one article: a trigger sentence with what could be read around it."""

    event_type: str
    sentence: int
    quote: str
    place: Toponym
    geo_precision: int
    date: date | None
    date_precision: str | None
    actor: tuple[str, str] | None  # (canonical, as named)
    target: tuple[str, str] | None
    span: tuple[int, int] = (0, 0)  # the trigger sentence in the article's text
    killed: list = field(default_factory=list)
    injured: list = field(default_factory=list)
    historical: bool = False
    dated: bool = False  # the date was read from the text, not assumed from publication
    followers: list = field(default_factory=list)  # undated mentions that continue this one


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    text: str
    whole: int = 0  # the sentence a clause was cut from: clauses of one sentence report different events


@dataclass
class _Doc:
    """One article as incident extraction reads it: sentences with their event triggers and dates."""

    article: Article
    sentences: list[_Sentence]
    toponyms: list[Toponym]
    kinds: list[tuple[str, int] | None]  # event_type() of each sentence
    dates: list[list]  # the date mentions of each sentence
    figures: list
    toponyms_of: list[list[Toponym]] = field(init=False)  # the toponyms and figures of each sentence
    figures_of: list[list] = field(init=False)

    def __post_init__(self) -> None:
        self.toponyms_of = self.by_sentence(self.toponyms, self.sentences)
        self.figures_of = self.by_sentence(self.figures, self.sentences)

    @staticmethod
    def by_sentence(items: list, sentences: list[_Sentence]) -> list[list]:
        """The items (with a ``start``) of each sentence, in their order."""
        starts = [s.start for s in sentences]
        found: list[list] = [[] for _ in sentences]
        for item in items:
            j = bisect_right(starts, item.start) - 1
            if j >= 0 and item.start < sentences[j].end:
                found[j].append(item)
        return found

    def other(self, i: int, j: int) -> bool:
        """Whether sentence ``j`` reports another event than sentence ``i``: of another family, or in another clause
        of the same sentence."""
        found = self.kinds[j]
        if found is None:
            return False
        kind = self.kinds[i][0]
        return self.sibling(i, j) or FAMILY.get(found[0], found[0]) != FAMILY.get(kind, kind)

    def before_sequel(self, i: int, j: int) -> bool:
        """Whether ``j`` is the event sentence just before ``i``, which tells what came after it ("U.S. aircraft then
        struck ...", "in retaliation")."""
        return j == i - 1 and self.kinds[j] is not None and bool(_SEQUEL.search(self.sentences[i].text))

    def sibling(self, i: int, j: int) -> bool:
        """Whether ``i`` and ``j`` are different clauses of one sentence, each reporting an event."""
        return i != j and self.sentences[i].whole == self.sentences[j].whole


def _clauses(sentence: _Sentence) -> list[_Sentence]:
    """A sentence cut where the parts on both sides of a semicolon or ", and on <date>" report events of their own."""
    cuts = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(sentence.text)), len(sentence.text)]
    parts: list[tuple[int, int]] = []
    for a, b in pairwise(cuts):
        if parts and not (event_type(sentence.text[a:b]) and event_type(sentence.text[slice(*parts[-1])])):
            parts[-1] = (parts[-1][0], b)
        else:
            parts.append((a, b))
    return [_Sentence(sentence.start + a, sentence.start + b, sentence.text[a:b], sentence.whole) for a, b in parts]


def _nested(sentence: _Sentence, kind: str, trigger: int, at: int) -> bool:
    """Whether offset ``at`` follows an event of another type nested in the sentence's own ("... an airbase
    which had launched a sarin attack, killing 90"): figures there are that event's."""
    before = [
        (m.start(), t)
        for _, t, p in _tried(sentence.text)
        for m in p.finditer(sentence.text)
        if trigger < m.start() < at
    ]
    if not before:
        return False
    start, nested = max(before)
    return nested != kind and bool(_NESTED_BEFORE.search(sentence.text, max(0, start - 60), start))


def _time_span(day: date, precision: str) -> tuple[date, date]:
    if precision == "month":
        return day, day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision == "year":
        return day, date(day.year, 12, 31)
    slack = timedelta(days=7 if precision == "week" else 1)
    return day - slack, day + slack


def _same_time(a: tuple[date, str], b: tuple[date, str]) -> bool:
    """Whether two (date, precision) can name the same day."""
    (a0, a1), (b0, b1) = _time_span(*a), _time_span(*b)
    return a0 <= b1 and b0 <= a1


def _lies_towards(centre, d, bearing: float) -> bool:
    """Whether ``d`` lies within PART_DEGREES of ``bearing`` (degrees from north) seen from ``centre``."""
    north = d.lat - centre.lat
    east = (d.lon - centre.lon) * math.cos(math.radians(centre.lat))
    if abs(north) + abs(east) < 1e-6:
        return False
    return abs((math.degrees(math.atan2(east, north)) - bearing + 180) % 360 - 180) <= PART_DEGREES


def _tried(text: str) -> Iterator[tuple[int, str, re.Pattern]]:
    """(rank, type, pattern) of the event types whose words (:data:`EVENT_WORDS`) ``text`` holds: the
    others cannot match."""
    folded = text.casefold()
    return ((r, t, p) for r, (t, p) in enumerate(EVENT_TYPES) if any(w in folded for w in EVENT_WORDS[t]))


def event_type(text: str) -> tuple[str, int] | None:
    """The incident type a sentence reports first ("missiles struck an airbase that had launched a sarin
    attack" is a missile strike), the more specific type on a tie, with the trigger's offset."""
    found = [(m.start(), rank, name) for rank, name, pattern in _tried(text) if (m := pattern.search(text))]
    if not found:
        return None
    start, _, name = min(found)
    return name, start


def sides(text: str, trigger: int) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """(actor, target) as (canonical side, words used) around a trigger at ``trigger``."""
    found: list[tuple[int, int, str, str]] = []
    taken: list[tuple[int, int]] = []
    for key, pattern in SIDES:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), m.end(), key, re.sub(r"^the ", "", m.group(0))))
    # a side that speaks ("the Assad regime said ...", "according to Russia") is not a side of the event
    found = [
        f
        for f in found
        if not _SPEAKER_AFTER.match(text[f[1] : f[1] + 20]) and not re.search(r"according to\s*$", text[: f[0]])
    ]
    found.sort()
    if not found:
        return None, None
    by = next(
        (
            f
            for f in found
            if _AGENT_BEFORE.search(text, max(0, f[0] - 12), f[0]) and not _DESCRIBED_BY.search(text, 0, f[0])
        ),
        None,
    )
    if by is not None:
        others = [f for f in found if f[2] != by[2]]
        return (by[2], by[3]), ((others[0][2], others[0][3]) if others else None)
    before = [f for f in found if f[0] < trigger]
    after = [f for f in found if f[0] >= trigger]
    actor = before[-1] if before else None
    target = next((f for f in after if actor is None or f[2] != actor[2]), None)
    if actor is None and target is not None and len(after) > 1:
        actor, target = target, next((f for f in after[1:] if f[2] != target[2]), None)
    return (actor[2], actor[3]) if actor else None, (target[2], target[3]) if target else None


def _is_speaker(text: str, t: Toponym, sentence: str) -> bool:
    """A place that hosts a speaker or stands for a government: "officials in Damascus said", "Moscow denied"."""
    before, after = text[max(0, t.start - 40) : t.start], text[t.end : t.end + 20]
    if t.text.lower().removeprefix("the ") in _METONYMS:
        return True
    if _SPEAKER_BEFORE.search(before) or _SPEAKER_AFTER.match(after):
        return True
    # a capital is a government ("Washington says", "London the green light") unless something happens in it
    return t.entry.feature_code == "PPLC" and not _IN_PLACE.search(before)


# Buildings and streets that stand for governments
_METONYMS = {
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

# Large features locate an incident only as well as a region does.
_BROAD = {
    "STM",
    "STMS",
    "SEA",
    "OCN",
    "GULF",
    "BAY",
    "STRT",
    "LK",
    "LKS",
    "RGN",
    "AREA",
    "MTS",
    "DSRT",
    "PEN",
    "ISL",
    "ISLS",
    "VAL",
    "CNL",
}


def _specificity(t: Toponym) -> float:
    """Lower is more specific: facilities and places, then districts, provinces, broad features, countries."""
    e = t.entry
    if e.feature_code.startswith("PCL") or e.feature_code == "CONT":
        return 3.0
    if e.feature_code == "ADM2":
        return 1.8
    if t.kind == REGION or e.feature_code == "ADM1":
        return 2.0
    if e.feature_code in _BROAD:
        return 2.6
    return 0.9 if e.feature_class in ("S", "T") else 1.0  # a base, an airport, a hill: where it happened


def _precision(text: str, t: Toponym) -> int:
    if _specificity(t) > 1.5:
        return 3
    if _NEAR.search(text[max(0, t.start - 45) : t.start]) or _AREA_AFTER.match(text[t.end : t.end + 15]):
        return 2
    return 1


class IncidentReader:
    """Reads incidents from articles, parsing them with a :class:`~geomap.places.Geoparser`."""

    def __init__(self, geoparser: Geoparser | None = None):
        self.geoparser = geoparser or Geoparser(sentences=True)
        if not self.geoparser.nlp.has_pipe("sentencizer"):
            raise ValueError("IncidentReader needs a Geoparser made with sentences=True")

    def read(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Incident]]]:
        """For each article, in order, the incidents it reports (joined within the article)."""
        for article, chunks in self.geoparser.docs((a.text, a) for a in articles):
            yield article, self.article_incidents(article, chunks)

    def article_incidents(self, article: Article, chunks: list[tuple[int, Doc]]) -> list[Incident]:
        text = article.text
        spans = [(o + s.start_char, o + s.end_char, s.text) for o, doc in chunks for s in doc.sents]
        spans = [_Sentence(*span, whole=n) for n, span in enumerate(x for x in spans if not x[2].isspace())]
        sentences = [clause for s in spans for clause in _clauses(s)]
        kinds = [event_type(s.text) for s in sentences]
        if not any(kinds):  # most news reports no incident: no dates or figures to read
            return []
        datelines = [m.span() for m in _DATELINE.finditer(text[:600])]
        words = Words(text)
        date_mentions = [
            d
            for d in dates.find_dates(text, article.published, words)
            if not any(a <= d.start < b for a, b in datelines)
            and not (_SINCE_BEFORE.search(text, max(0, d.start - 120), d.start) and not _WHEN_AFTER.match(text, d.end))
        ]
        doc = _Doc(
            article=article,
            sentences=sentences,
            toponyms=[t for o, chunk in chunks for t in _shifted(chunk._.toponyms, o)],
            kinds=kinds,
            dates=_Doc.by_sentence(date_mentions, sentences),
            figures=casualties.find_figures(text, words),
        )
        mentions = [m for i, found in enumerate(doc.kinds) if found and (m := self._mention(doc, i)) is not None]
        # one article names its sides loosely from sentence to sentence: there, sides need not agree
        groups = _group(_attach_undated(_refine(mentions)), sides_must_agree=False)
        return [self._incident(article, group) for group in groups]

    def _mention(self, doc: _Doc, i: int) -> _Mention | None:
        kind, trigger = doc.kinds[i]
        sentence, article = doc.sentences[i], doc.article
        if _CAMPAIGN.search(sentence.text):
            return None
        # the next sentence lends its date unless it reports another kind of event; the one before goes on with it
        window = [
            j
            for j in (i, i + 1, i - 1)
            if 0 <= j < len(doc.sentences)
            and not (j > i and doc.other(i, j))
            and not doc.sibling(i, j)
            and not doc.before_sequel(i, j)
        ]
        day, precision = dates.resolve_event_date([d for j in window for d in doc.dates[j]], article.published)
        place = self._place(doc, i, (day, precision) if day else None)
        if place is None:
            return None
        actor, target = sides(sentence.text, trigger)
        if (actor is None or target is None) and article.title:
            t_actor, t_target = sides(article.title, len(article.title) // 2)
            actor, target = actor or t_actor, target or (t_target if t_target != actor else None)
        # figures of this event: its sentence and the next ones, up to one that reports an event; for the
        # article's first event also the lines before it (a headline: "Around 100 soldiers killed ...")
        reach = [i]
        for j in range(i + 1, min(i + 5, len(doc.sentences))):
            if doc.kinds[j]:
                break
            reach.append(j)
        if not any(doc.kinds[:i]):
            reach.extend(range(i))
        own = [
            f
            for f in sorted((f for j in reach for f in doc.figures_of[j]), key=lambda f: (f.start, f.kind))
            if not _nested(sentence, kind, trigger, f.start - sentence.start)
        ]
        historical = bool(day and article.published and (article.published - day).days > HISTORICAL_DAYS) or (
            not doc.dates[i] and bool(_RECALL.search(sentence.text))
        )
        return _Mention(
            event_type=kind,
            sentence=i,
            quote=sentence.text.strip(),
            place=place[0],
            geo_precision=place[1],
            date=day,
            date_precision=precision,
            actor=actor,
            target=target,
            span=(sentence.start, sentence.end),
            killed=[f for f in own if f.kind == "killed"],
            injured=[f for f in own if f.kind == "injured"],
            historical=historical,
            dated=any(doc.dates[j] for j in window),
        )

    def _place(self, doc: _Doc, i: int, when: tuple[date, str] | None) -> tuple[Toponym, int] | None:
        """The most specific place tied to sentence ``i`` (an event dated ``when``): its own,
        else a neighbour's that reports no other event (of another type, or dated otherwise); a country alone
        only for an event dated to the day ("On November 24, ... over Syria")."""
        text, sentences = doc.article.text, doc.sentences

        def usable(j: int) -> list[Toponym]:
            s = sentences[j]
            return [
                self._country_part(text, t)
                for t in doc.toponyms_of[j]
                if t.entry is not None
                and t.kind not in (DEMONYM, ASSOCIATIVE)
                and not _is_speaker(text, t, s.text)
                and not _ORIGIN_BEFORE.search(text, max(0, t.start - 90), t.start)
            ]

        def lends(j: int) -> bool:
            if j == i:
                return True
            if doc.other(i, j) or doc.before_sequel(i, j):
                return False
            theirs = [(d.date, d.precision) for d in doc.dates[j]]
            return when is None or not theirs or any(_same_time(when, d) for d in theirs)

        # the sentence itself, then the ones that follow (reports go on describing the event), then the one before;
        # a more specific place a little further away beats a vaguer one close by
        pool = [
            (_specificity(t) + penalty, -t.score, t)
            for j, penalty in ((i, 0.0), (i + 1, 0.25), (i + 2, 0.5), (i + 3, 0.75), (i + 4, 1.0), (i - 1, 0.35))
            if 0 <= j < len(sentences) and lends(j)
            for t in usable(j)
            if _specificity(t) < 3
        ]
        if pool:
            best = min(pool, key=lambda x: x[:2])[2]
            return best, _precision(text, best)
        # the day of the event, not of a statement about it ("the minister said on Thursday")
        said = [_SAID_BEFORE.search(text, max(0, d.start - 30), d.start) for d in doc.dates[i]]
        if any(d.precision == "day" and not s for d, s in zip(doc.dates[i], said, strict=True)):
            for t in usable(i):
                if t.entry.feature_code.startswith("PCL") and _OVER_COUNTRY.search(text, max(0, t.start - 20), t.start):
                    return t, 3
        return None

    def _country_part(self, text: str, t: Toponym) -> Toponym:
        """A part of a country ("northwest Syria"): the mean point of its divisions lying that way from its centre."""
        e = t.entry
        part = _PART_BEFORE.search(text, max(0, t.start - 25), t.start)
        if part is None or not e.feature_code.startswith("PCL"):
            return t
        word = (part["a"] or part["b"]).lower().replace("-", "")
        name = f"{part.group().strip().removeprefix('the ')} {e.name}"
        point = (e.lat, e.lon)
        if word != "central":
            towards = [d for d in self.geoparser.gazetteer.divisions(e.country) if _lies_towards(e, d, _COMPASS[word])]
            if not towards:
                return t
            point = (sum(d.lat for d in towards) / len(towards), sum(d.lon for d in towards) / len(towards))
        entry = replace(e, name=name, lat=point[0], lon=point[1], feature_class="L", feature_code="RGN", geonameid=None)
        return replace(t, entry=entry)

    def _incident(self, article: Article, group: list[_Mention]) -> Incident:
        lead = group[0]
        near_lead = [f for m in group for f in m.followers if _close(f, lead)]
        placed = min([*group, *near_lead], key=lambda m: (m.geo_precision, _specificity(m.place), -m.place.score))
        # a follower placed far from what it follows tells of something else: its figures and dates stay out
        group = [*group, *(f for m in group for f in m.followers if _close(f, m) or _close(f, lead))]
        dated = next((m for m in group if m.date_precision == "day"), next((m for m in group if m.date), lead))
        e = placed.place.entry
        actor = next((m.actor for m in group if m.actor), None)
        target = next((m.target for m in group if m.target and m.target[0] != (actor or ("",))[0]), None)
        # people of another side than the one hit, counted after the trigger sentence, are another event's ("the
        # attack left one SDF member injured"); in a clash both sides are hit
        hit = ({target[0]} | ({actor[0]} if actor and lead.event_type == "armed clash" else set())) if target else None
        figures = [
            f
            for m in group
            for f in (*m.killed, *m.injured)
            if hit is None or m.span[0] <= f.start < m.span[1] or _counted_side(article.text, f) in (None, *hit)
        ]
        killed = _toll(figures, "killed")
        injured = _toll(figures, "injured")
        if killed is None and injured is not None and injured[1] > 0:
            killed = (0, 0)  # a toll that counts the wounded and names no dead: none died
        return Incident(
            id="",
            date=dated.date,
            date_precision=dated.date_precision,
            event_type=lead.event_type,
            actor=actor[1] if actor else None,
            target=target[1] if target else None,
            actor_side=actor[0] if actor else None,
            target_side=target[0] if target else None,
            location=e.name,
            lat=e.lat,
            lon=e.lon,
            country=e.country,
            admin1=e.admin1_name,
            geonameid=e.geonameid,
            geo_precision=placed.geo_precision,
            killed_min=killed[0] if killed else None,
            killed_max=killed[1] if killed else None,
            injured_min=injured[0] if injured else None,
            injured_max=injured[1] if injured else None,
            quote=lead.quote,
            historical=all(m.historical for m in group),
            articles=[article.id],
            titles=[article.title],
            urls=[article.url],
            published=[article.published.isoformat() if article.published else None],
            score=placed.place.score,
        )


def _refine(mentions: list[_Mention]) -> list[_Mention]:
    """A mention placed by a country or a part of one only ("the T-4 airport in central Syria") takes the place of
    another mention of the same event, of the same family and time, placed more precisely in that country ("the
    base, also known as Tiyas")."""
    for m in mentions:
        e = m.place.entry
        if m.geo_precision != 3 or e.admin1 is not None or e.country is None or m.date is None:
            continue
        family = FAMILY.get(m.event_type, m.event_type)
        better = [
            n
            for n in mentions
            if n.geo_precision < 3
            and n.place.entry.country == e.country
            and FAMILY.get(n.event_type, n.event_type) == family
            and n.historical == m.historical
            and n.date is not None
            and _same_time((m.date, m.date_precision), (n.date, n.date_precision))
        ]
        if better:
            m.place, m.geo_precision = better[0].place, better[0].geo_precision
    return mentions


def _attach_undated(mentions: list[_Mention]) -> list[_Mention]:
    """A mention with no date of its own that recalls nothing continues the story of the mention of
    the same family before it that starts one: the article's lead, or a dated current mention."""
    current = [m for m in mentions if not m.historical]
    anchors = [m for m in current if m.dated or m is current[0]]
    is_anchor = {id(m) for m in anchors}
    by_family: dict[str, list[_Mention]] = {}
    for a in anchors:
        by_family.setdefault(FAMILY.get(a.event_type, a.event_type), []).append(a)
    out: list = []
    follow: dict[int, list[_Mention]] = {}
    for m in mentions:
        same = by_family.get(FAMILY.get(m.event_type, m.event_type), [])
        if id(m) in is_anchor or m.historical or not same:
            out.append(m)
            continue
        before = bisect_left(same, m.sentence, key=lambda a: a.sentence)  # the last anchor before it, else the first
        anchor = same[before - 1] if before else same[0]
        follow.setdefault(id(anchor), []).append(m)
    for m in out:
        m.followers = follow.get(id(m), [])
    return out


_VAGUE = re.compile(r"\b(?:dozens|tens|scores|hundreds|thousands)\b", re.I)
_TOLL_WORD_END = re.compile(
    r"(?:killed|dead|died|deaths|fatalities|slain|lives|life|injured|wounded|hurt|harmed|injuries)\W*$", re.I
)
_SINGLE = re.compile(r"(?:an?|one)\s+(?!of\b)", re.I)  # "a police officer was killed", not "one of the pilots"
_COUNTED_AFTER = re.compile(r"\s+((?:[\w.'’-]+\s+){0,3}[\w.'’-]+)")


def _counted_side(text: str, f) -> str | None:
    """The side the people of a figure belong to, when named: "one SDF member injured", "killing three
    Syrian soldiers"."""
    words = f.text
    if not _TOLL_WORD_END.search(words) and (after := _COUNTED_AFTER.match(text, f.end)):
        words += " " + re.split(r"\b(?:by|in|at|near|on|from|after|when|while)\b", after[1])[0]
    found = [(m.start(), key) for key, p in SIDES if (m := p.search(words))]
    return min(found)[1] if found else None


def _toll(figures: list, kind: str) -> tuple[int, int] | None:
    """The range of one kind of figure: counted figures over vague ones, counts over statements of none, and
    totals over single people named among them ("21 were killed ... a police officer was killed")."""
    figures = _definite([f for f in figures if f.kind == kind])
    counts = [f for f in figures if f.high is None or f.high > 0]
    if any(f.low > 1 for f in counts):
        counts = [f for f in counts if not (f.low == f.high == 1 and _SINGLE.match(f.text))]
    return casualties.combine(counts or figures, kind)


def _definite(figures: list) -> list:
    """Counted figures win over vague ones ("dozens") when an article gives both."""
    counted = [f for f in figures if not _VAGUE.search(f.text)]
    return counted or figures


def _close(a: _Mention, b: _Mention) -> bool:
    """Whether ``a`` lies near ``b``, or inside it when ``b`` is a province or a part of a country."""
    ea, eb = a.place.entry, b.place.entry
    if great_circle_km(ea.lat, ea.lon, eb.lat, eb.lon) <= MERGE_KM:
        return True
    if b.geo_precision != 3 or eb.country is None or ea.country != eb.country:
        return False
    if eb.feature_code == "ADM1":
        return ea.admin1 is not None and ea.admin1 == eb.admin1
    return eb.feature_code == "RGN" and eb.admin1 is None and eb.geonameid is None  # "northwest Syria"


def _shifted(toponyms: list[Toponym], offset: int) -> list[Toponym]:
    return [replace(t, start=t.start + offset, end=t.end + offset) for t in toponyms] if offset else toponyms


def _same_event(a, b, *, sides_must_agree: bool = True) -> bool:
    """Same kind of event, same sides, dates within a day, places close or one inside the other's region."""
    if FAMILY.get(a.event_type, a.event_type) != FAMILY.get(b.event_type, b.event_type):
        return False
    if a.date and b.date and abs((a.date - b.date).days) > 1:
        return False
    for x, y in ((a.actor, b.actor), (a.target, b.target)) if sides_must_agree else ():
        if x and y and _side_key(x) != _side_key(y):
            return False
    pa, pb = _point(a), _point(b)
    if great_circle_km(*pa[:2], *pb[:2]) <= MERGE_KM:
        return True
    coarse = max(pa[3], pb[3]) == 3
    return coarse and pa[2][1] is not None and pa[2] == pb[2]  # one in the other's province


def _side_key(side) -> str:
    return side[0] if isinstance(side, tuple) else next((k for k, p in SIDES if p.search(side)), side)


def _point(x) -> tuple[float, float, tuple | None, int]:
    if isinstance(x, _Mention):
        e = x.place.entry
        return e.lat, e.lon, (e.country, e.admin1), x.geo_precision
    return x.lat, x.lon, (x.country, x.admin1), x.geo_precision


def _group(items: list, *, sides_must_agree: bool = True) -> list[list]:
    """Connected groups of items that report the same event, in order of first appearance.

    Only pairs that can match are compared (same family, days within one, latitudes within
    ``MERGE_KM`` or the same region when one is coarse), so 100,000 incidents group in seconds.
    """
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index: dict[tuple, list[int]] = {}
    for n, item in enumerate(items):
        for m in {m for key in _probe_keys(item) for m in index.get(key, ())}:
            if root(m) != root(n) and _same_event(item, items[m], sides_must_agree=sides_must_agree):
                parent[max(root(m), root(n))] = min(root(m), root(n))
        for key in _block_keys(item):
            index.setdefault(key, []).append(n)
    groups: dict[int, list] = {}
    for n, item in enumerate(items):
        groups.setdefault(root(n), []).append(item)
    return list(groups.values())


_BAND_DEG = MERGE_KM / 111.0  # points within MERGE_KM lie at most one band of latitude apart


def _blocking(item) -> tuple[str, int | None, int, tuple | None, bool]:
    lat, _, region, precision = _point(item)
    day = item.date.toordinal() if item.date else None
    return FAMILY.get(item.event_type, item.event_type), day, math.floor(lat / _BAND_DEG), region, precision == 3


def _block_keys(item) -> list[tuple]:
    """Where an item is filed for the later items that may report the same event."""
    family, day, band, region, coarse = _blocking(item)
    keys = [("near", family, day, band), ("near*", family, band), ("region", family, day, region)]
    keys.append(("region*", family, region))
    if coarse:
        keys += [("coarse", family, day, region), ("coarse*", family, region)]
    return keys


def _probe_keys(item) -> list[tuple]:
    """The filings of every earlier item that :func:`_same_event` could join with ``item``."""
    family, day, band, region, coarse = _blocking(item)
    bands = (band - 1, band, band + 1)
    kind = "region" if coarse else "coarse"  # a coarse item meets any item of its region
    if day is None:
        return [("near*", family, b) for b in bands] + [(kind + "*", family, region)]
    days = (day - 1, day, day + 1, None)
    return [("near", family, d, b) for d in days for b in bands] + [(kind, family, d, region) for d in days]


def merge(incidents: Iterable[Incident]) -> list[Incident]:
    """One incident per event: reports from several articles joined, with the most precise place,
    figures covering every report, and all the reporting articles. Ids are stable."""
    out = []
    for group in _group(sorted(incidents, key=lambda i: i.articles[:1])):  # the inputs' order does not matter
        placed = min(group, key=lambda i: (i.geo_precision, -i.score))
        dated = next((i for i in group if i.date_precision == "day"), next((i for i in group if i.date), group[0]))
        merged = replace(
            placed,
            date=dated.date,
            date_precision=dated.date_precision,
            actor=next((i.actor for i in group if i.actor), None),
            target=next((i.target for i in group if i.target), None),
            actor_side=next((i.actor_side for i in group if i.actor_side), None),
            target_side=next((i.target_side for i in group if i.target_side), None),
            killed_min=_low(_counts(group, "killed")),
            killed_max=_high(i.killed_max for i in group),
            injured_min=_low(_counts(group, "injured")),
            injured_max=_high(i.injured_max for i in group),
            historical=all(i.historical for i in group),
            articles=[a for i in group for a in i.articles],
            titles=[t for i in group for t in i.titles],
            urls=[u for i in group for u in i.urls],
            published=[p for i in group for p in i.published],
        )
        key = "|".join([*sorted(merged.articles), merged.event_type, str(merged.date), merged.quote])
        merged.id = hashlib.sha1(key.encode()).hexdigest()[:12]
        out.append(merged)
    return sorted(out, key=lambda i: (i.date or date.max, i.id))


def _counts(group: list[Incident], kind: str) -> list[int | None]:
    """The low ends of one kind of figure across reports; reports of none yield to any report of some."""
    lows = [(getattr(i, f"{kind}_min"), getattr(i, f"{kind}_max")) for i in group]
    some = [low for low, high in lows if high]
    return some or [low for low, _ in lows]


def _low(values: Iterable[int | None]) -> int | None:
    return min((v for v in values if v is not None), default=None)


def _high(values: Iterable[int | None]) -> int | None:
    return max((v for v in values if v is not None), default=None)


def extract(
    items: Iterable[Article | ArticleError],
    reader: IncidentReader | None = None,
    errors: list[ArticleError] | None = None,
) -> list[Incident]:
    """Incidents of all readable articles, merged across articles; unreadable inputs go to ``errors``."""
    reader = reader or IncidentReader()

    def readable() -> Iterator[Article]:
        for item in items:
            if isinstance(item, ArticleError):
                if errors is not None:
                    errors.append(item)
            else:
                yield item

    return merge(i for _, found in reader.read(readable()) for i in found)
