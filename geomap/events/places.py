"""Places: where each event happened, read from the parse and checked against the article's focus.

``geomap_event_places`` looks at the place mentions of an event's sentence (found and resolved by the
geoparser) and weighs how each hangs on the event:

* **attached**: what the event verb hits ("struck Kramatorsk", "Erbil was hit"), a locative phrase of the
  trigger, its clause or its target ("in Peshawar", "at a mosque inside Police Lines in Peshawar",
  "over eastern Ukraine"), a place naming the trigger or target ("the Baghdad bombing", "Kabul airport");
* **in the sentence**: any other mention, unless it is where the attackers came from or went ("launched
  from Iran", "the flight from Amsterdam", "travelling to Quetta"), where a speaker is ("a spokesman in
  Sana", "said in Washington"), part of a side's name ("Yemen's Houthi rebels"), or a country or city
  that acts ("Russia struck", "Tehran said").

Among the attached mentions the most specific wins (a facility, a town, a district, a province, a
country). ``geo_precision`` is 1 for the place itself, 2 near it ("near", "outside", "north of", "the
outskirts of"), 3 for a province, a part of a country ("eastern Ukraine") or a country.

Place sanity: an entry outside the countries the article is about (its *focus*, from all its place
mentions, where a name does not vouch for its own country when the text names places elsewhere and nothing
else there) needs an exact name and some importance; otherwise the mention's candidates in the focus
countries are tried, and failing that it is dropped, so that the event falls back to the containing place
the sentence also names ("a village in the central Mopti region") instead of a distant namesake. A
place the article locates itself ("Gashigar is around 43 km northeast of Damasak") gets that point;
"the capital" with no name is the focus country's capital.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
from geopy.distance import geodesic
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from gazetteer import Gazetteer
from gazetteer.model import Entry
from gazetteer.normalize import key as name_key
from gazetteer.store import great_circle_km
from geomap import lexicon
from geomap.events.records import DERIVED, Where, derived
from geomap.events.tree import clause_verb, distance, lemma, names_country, reach
from geomap.events.triggers import Frame
from geomap.places import ASSOCIATIVE, DEMONYM, REGION
from geomap.records import Toponym

BROAD = {"STM", "STMS", "SEA", "OCN", "GULF", "BAY", "STRT", "LK", "LKS", "RGN", "AREA", "MTS", "DSRT", "PEN", "ISL"}
AREA_WORDS = {"area", "outskirts", "suburb", "suburbs", "countryside", "environs", "vicinity", "region", "district"}
# people and groups a place may qualify ("US troops", "Yemen's Houthi rebels"): a nationality, not a place
WHOSE = lexicon.PEOPLE | set(lexicon.INSTRUMENTS) | lexicon.AIRCRAFT  # "US troops", "Israeli shells", "Russian jets"
# people who speak of where they live or were: what they say happened there
LOCALS = lexicon.words("villager resident witness local survivor inhabitant farmer townspeople shopkeeper")
BESIDE = {"next", "close", "adjacent", "near", "nearby"}  # "next to the embassy": where, not whither
RUINS = {"rubble", "debris", "ruins", "wreckage"}  # "pulled from the rubble of a hotel in Kharkiv": where it hit
HARM_DONE = {"fire", "damage", "siege", "harm"}  # "set fire to two plants", "damage to the port": what was hit
MOVING = {"travel", "head", "depart", "fly", "return", "flee", "evacuate", "transport", "transfer", "rush", "airlift"}
# nouns that a place name specifies: "the city of Misrata", "the capital, Sanaa", "the Kramatorsk railway station"
NAMED = {"GPE", "LOC", "FAC", "PERSON", "ORG", "NORP"}  # entities that may name a place the gazetteer lacks
NOUN_MODIFIERS = {"compound", "amod", "nmod", "poss", "npadvmod", "nummod"}
# what a side does: a country that qualifies these acted ("the US killing of a general")
ACTS = set(lexicon.EVENT_NOUNS) | set(lexicon.HARM_VERBS) | {"killing", "operation", "offensive", "campaign"}
FOCUS_SHARE = 0.2  # a country is the article's focus when this share of its place mentions lie in it
MENTIONED_SHARE = 0.1  # a place outside the focus is kept when its country has this share of the other mentions
PART_DEGREES = 60  # "eastern Ukraine": the provinces within this angle of east, seen from the country's centre


def specificity(entry: Entry, kind: str = "place") -> float:
    """Lower is more specific: facilities and places, then districts, provinces, broad features, countries."""
    if entry.feature_code.startswith("PCL") or entry.feature_code == "CONT":
        return 3.0
    if entry.feature_code == "ADM2":
        return 1.8
    if entry.feature_code == "RGN" and entry.admin1 is None and kind != REGION:
        return 2.4  # "north-west Syria", "the Middle East": wider than a province the text names
    if kind == REGION or entry.feature_code in ("ADM1", "RGN"):
        return 2.0
    if entry.feature_code in BROAD:
        return 2.6
    return 0.9 if entry.feature_class in ("S", "T") else 1.0


class Located(NamedTuple):
    """What an article locates by distance and direction (see :meth:`EventPlaces.located`)."""

    names: dict[str, tuple[Entry, float]]  # a name's key -> its point and the distance given
    points: dict[int, Entry]  # the start of a place mention a distance is told from -> the point told


@dataclass(frozen=True)
class Focus:
    """The countries an article is about, by their share of its place mentions. Countries named count a
    quarter as much as places in them: "US officials", "a US raid" tell of no event in the US."""

    counts: Counter
    names: dict  # country -> the names of the places the text names in it (not the country, not a demonym)

    @staticmethod
    def weight(t: Toponym) -> float:
        if t.entry is None or not t.entry.country or t.kind == ASSOCIATIVE:
            return 0.0
        return 0.25 if t.entry.feature_code.startswith("PCL") or t.kind == DEMONYM else 1.0

    @classmethod
    def of(cls, toponyms: list[Toponym]) -> Focus:
        counts: Counter = Counter()
        names: dict = defaultdict(set)
        for t in toponyms:
            if w := cls.weight(t):
                counts[t.entry.country] += w
                if w == 1.0:
                    names[t.entry.country].add(name_key(t.text))
        return cls(counts, names)

    def share(self, country: str | None, without: float = 0.0) -> float:
        """The share of the mentions that lie in ``country``, not counting the weight ``without`` of the
        mentions of the name asked about (a name does not vouch for itself)."""
        total = sum(self.counts.values()) - without
        return (self.counts.get(country, 0.0) - without) / total if total > 0 else 0.0

    def holds(self, country: str | None, without: float = 0.0, spelled: bool = False) -> bool:
        """A country with at least :data:`FOCUS_SHARE` of the mentions and half those of the first. The
        mentions of the name asked about (weight ``without``) do not count when nothing else lies in its
        country and the text names two other places elsewhere ("Palma", named twice, does not make Spain the
        focus of a report from Maputo about Cabo Delgado), or one when the name is only a spelling of the
        entry's ("the town of Marea, north of Aleppo" is not Mareau-aux-Pres in France)."""
        if country is None or not self.counts:
            return False
        own = self.counts.get(country, 0.0)
        elsewhere = sum(len(n) for c, n in self.names.items() if c != country)
        if own - without <= 0 and elsewhere >= (1 if spelled else 2):
            return False
        return own >= max(FOCUS_SHARE * sum(self.counts.values()), max(self.counts.values()) / 2)

    @property
    def main(self) -> str | None:
        return max(self.counts, key=self.counts.get) if self.counts else None


if not Doc.has_extension("places"):
    Doc.set_extension("places", default=None)


class EventPlaces:
    """Sets each event's ``where`` (see the module's docstring), and ``doc._.places``: (sentence, place) for
    every place mention of the excerpt that may say where something happened, for events placed only by
    their country or province (:func:`geomap.events.incidents.refine`)."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer):
        self.gaz = gazetteer
        self.matcher = Matcher(nlp.vocab)
        self.units = np.array([nlp.vocab.strings.add(u) for u in lexicon.DISTANCE_UNITS], dtype=np.uint64)
        directions = sorted(lexicon.COMPASS)
        self.matcher.add(
            "RELATIVE",
            [
                [
                    {"LIKE_NUM": True},
                    {"LOWER": "nautical", "OP": "?"},
                    {"LOWER": {"IN": sorted(lexicon.DISTANCE_UNITS)}},
                    {"ORTH": "(", "OP": "?"},
                    {"LIKE_NUM": True, "OP": "?"},
                    {"LOWER": {"IN": sorted(lexicon.DISTANCE_UNITS)}, "OP": "?"},
                    {"ORTH": ")", "OP": "?"},
                    {"LOWER": {"IN": directions}},
                    {"ORTH": "-", "OP": "?"},
                    {"LOWER": {"IN": ["east", "west"]}, "OP": "?"},
                    {"LOWER": {"IN": ["of", "from"]}},
                ]
            ],
            greedy="LONGEST",
        )

    def __call__(self, doc: Doc) -> Doc:
        source = doc._.source
        focus = Focus.of(source.toponyms)
        located = self.located(source.doc, source.offset, source.toponyms)
        areas = _areas(doc)
        for frame in doc._.frames or []:
            frame.mention.where = self.place(doc, frame, focus, located, areas)
        places = []
        for n, sent in enumerate(doc.sents):
            for root, toponym in _mentions(sent, source):
                if _blocked(root) or (entry := self.entry(toponym, focus, located, root)) is None:
                    continue
                spec = specificity(entry, toponym.kind)
                places.append((n, Where(entry, 2, toponym.score, toponym.start, toponym.end, spec)))
        doc._.places = places
        return doc

    # -- which mention ---------------------------------------------------------------------------------

    def place(self, doc: Doc, frame: Frame, focus: Focus, located: Located, areas: set[str]) -> Where | None:
        source = doc._.source
        options = []
        for root, toponym in _mentions(frame.sent, source):
            role = _role(root, frame)
            if role is None:
                continue
            entry = self.entry(toponym, focus, located, root)
            if entry is None:
                entry = _hit_country(root, frame, toponym)
            if entry is None:
                continue
            if toponym.start in located.points:  # "struck a ship 70 nautical miles northwest of Hodeidah"
                entry, role = located.points[toponym.start], 0  # that point, where the event is told to lie
            precision = _precision(root, toponym, entry)
            if precision == 3 and entry.feature_code.startswith("PCL"):
                entry = self.part_of_country(root, entry)
            spec = specificity(entry, toponym.kind)
            if _off(root) and not derived(entry):
                spec = max(spec, 1.9)  # "north of Baghdad" is not Baghdad: a district the event is in says more
            if name_key(toponym.text) in areas:
                spec = max(spec, 2.0)  # "Gaza" of a text that tells of "the central Gaza town of Deir al-Balah"
            where = Where(entry, precision, toponym.score, toponym.start, toponym.end, spec)
            options.append((role, spec, distance(root, frame.trigger), where))
        capital = self.capital(frame, focus)
        if capital is not None:
            options.append(capital)
        if not options:
            return None
        # a place the sentence names before a point it tells by distance from another ("near the town of Sake,
        # about 25 km west of Goma")
        return min(options, key=lambda o: (o[0], o[1], derived(o[3].entry), o[3].entry.importance, o[2]))[3]

    def capital(self, frame: Frame, focus: Focus) -> tuple | None:
        """ "the capital was hit", "in the capital": the focus country's capital when the text gives no name."""
        for t in frame.sent:
            if lemma(t) != "capital" or t.pos_ != "NOUN":
                continue
            if any(
                c.dep_ in ("appos", "compound", "poss") or (c.dep_ == "prep" and c.lower_ == "of") for c in t.children
            ) or t.dep_ in ("compound", "amod"):
                continue  # named: "the capital, Sanaa", "the Kurdistan Region capital of Erbil"
            role = _role(t, frame)
            if role is None or role > 0 or focus.main is None:
                continue
            entry = self.gaz.capital(focus.main)
            if entry is not None:
                src = frame.trigger.doc._.source
                start, end = src.chars(frame.sent[t.i - frame.sent.start : t.i - frame.sent.start + 1])
                return (role, 1.0, distance(t, frame.trigger), Where(entry, 1, 0.5, start, end, 1.0))
        return None

    # -- which entry -----------------------------------------------------------------------------------

    def entry(self, toponym: Toponym, focus: Focus, located: Located, root: Token | None = None) -> Entry | None:
        """The entry a mention stands for, after place sanity; None when it should not place an event. A place
        inside an organisation's name counts when the name is that of an area ("Mobbar Local Government Area")."""
        if toponym.kind == DEMONYM:
            return None
        if toponym.kind == ASSOCIATIVE and not (root is not None and lemma(_noun_of(root)) in lexicon.PLACE_NOUNS):
            return None
        own, km = located.names.get(name_key(toponym.text), (None, 0.0))
        e = toponym.entry
        # road distances and rounded bearings err by about half the distance: a namesake farther away is another
        if own is not None and (e is None or great_circle_km(e.lat, e.lon, own.lat, own.lon) > max(50.0, km / 2)):
            return own
        if e is None:
            return None
        named = self.qualifier(root)
        if named is not None and named != e.country:  # "near Boni in central Mali" is not Bonn
            return next((c.entry for c in toponym.candidates if _close(c) and c.entry.country == named), None)
        same = (
            sum(Focus.weight(t) for t in root.doc._.source.toponyms if t.text == toponym.text and t.entry == e)
            if root is not None
            else 0.0
        )
        pick = next((c for c in toponym.candidates if c.entry.id == e.id), None)
        spelled = pick is None or not _same_name(pick)
        if focus.holds(e.country, same, spelled) or not focus.counts or e.country is None or _part_named(root, e):
            return e
        for c in toponym.candidates if not e.feature_code.startswith("PCL") else ():  # a country's name: the country
            mine = c.entry.country == e.country
            if focus.holds(c.entry.country, same if mine else 0.0, not _same_name(c)) and _close(c):
                return c.entry
        if pick is None or pick.match == "fuzzy":
            return None
        if named == e.country:
            return e  # the mention's own words name its country: "the Syrian border town of Albukamal"
        abbreviation = len(pick.matched_name) <= 3 and name_key(pick.matched_name) != name_key(e.name)
        if pick.match == "exact" and not abbreviation and focus.share(e.country, same) >= MENTIONED_SHARE:
            return e  # named exactly, in a country the article names elsewhere
        return None  # a spelling or an abbreviation ("AL" for "al-") of a place the article is not about

    def qualifier(self, root: Token | None) -> str | None:
        """The country the words around a place mention name: "the Syrian border town of Albukamal",
        "Albukamal, Syria", "Syria's Albukamal", "Tower 22, an outpost in Jordan", "near Boni in central Mali"."""
        if root is None:
            return None
        anchor = _anchor(root)
        near = [*anchor.children, *root.children]
        source = root.doc._.source
        # "Tower 22, a small US outpost in north-eastern Jordan": the place an appositive puts it in
        near += [w for a in near if a.dep_ == "appos" for w in a.subtree if w.dep_ == "pobj" and w.head.lower_ == "in"]
        beside = list(root.head.head.children) if root.dep_ == "pobj" else []  # "a convoy near Boni in central Mali"
        near += [
            o for c in near + beside if c.dep_ == "prep" and c.lower_ == "in" for o in c.children if o.dep_ == "pobj"
        ]
        for w in near:
            if w.dep_ not in ("amod", "compound", "poss", "appos", "nmod", "pobj") or w.i == root.i:
                continue
            if demonym := self.gaz.demonym(w.text):
                return demonym
            top = source.toponym(w)
            if top is not None and top.entry is not None and top.entry.feature_code.startswith("PCL"):
                return top.entry.country
        return None

    def part_of_country(self, root: Token, entry: Entry) -> Entry:
        """ "eastern Ukraine", "northwest Syria": the mean point of the country's provinces lying that way."""
        word = next(
            (
                _direction(c)
                for c in root.children
                if c.dep_ in ("amod", "compound")
                and (c.lower_ in lexicon.COMPASS_ADJECTIVES or c.lower_ in lexicon.COMPASS)
            ),
            None,
        )
        if word is None:
            return entry
        point = (entry.lat, entry.lon)
        if word != "central":
            towards = [d for d in self.gaz.divisions(entry.country) if _lies_towards(entry, d, lexicon.COMPASS[word])]
            if not towards:
                return entry
            point = (sum(d.lat for d in towards) / len(towards), sum(d.lon for d in towards) / len(towards))
        name = f"{word if word == 'central' else word + 'ern'} {entry.name}"
        return replace(
            entry, name=name, lat=point[0], lon=point[1], feature_class="L", feature_code="RGN", geonameid=None
        )

    def located(self, doc: Doc, offset: int, toponyms: list[Toponym]) -> Located:
        """Places the article locates itself: "Gashigar is around 43 km northeast of Damasak" -> a point 43 km
        northeast of Damasak, and the distance, for the name Gashigar (by the name's key); and that point for
        the mention of Damasak, for an event told to lie there ("struck a convoy 40 km northwest of Kidal")."""
        found = Located({}, {})
        if not toponyms or not np.isin(doc.to_array(LOWER), self.units).any():
            return found  # no distance unit: nothing located
        starts = [t.start - offset for t in toponyms]
        for _, start, end in self.matcher(doc):
            span = doc[start:end]
            after = next(
                (
                    t
                    for t, s in zip(toponyms, starts, strict=True)
                    if s >= span.end_char
                    and t.kind != DEMONYM
                    and not (t.entry and t.entry.feature_code.startswith("PCL"))
                ),
                None,
            )  # "330 km north-east of the Saudi capital, Riyadh": of Riyadh
            if after is None or after.entry is None or after.start - offset - span.end_char > 30:
                continue
            km = _kilometres(span)
            bearing = _bearing(span)
            if km is None or bearing is None:
                continue
            ref = after.entry
            point = geodesic(kilometers=km).destination((ref.lat, ref.lon), bearing)
            point_entry = replace(
                ref,
                id=-1,
                name=f"{span.text} {ref.name}",
                lat=point.latitude,
                lon=point.longitude,
                feature_class="P",
                feature_code="PPL",
                population=0,
                geonameid=None,
                source=f"{DERIVED}{span.text} {ref.name}",
                importance=0.0,
            )
            between = doc.char_span(span.end_char, after.start - offset, alignment_mode="expand")
            if specificity(ref) < 1.5 and not (between is not None and any(t.is_title for t in between)):
                found.points[after.start] = point_entry  # from a town, not a province ("west of Mayom in Unity State")
            # what is located: the last name before the distance in its sentence ("Gashigar is around 43 km ...")
            names = [e for e in doc.ents if span.sent.start <= e.start and e.end <= span.start and e.label_ in NAMED]
            if names:
                found.names[name_key(names[-1].text)] = (replace(point_entry, name=names[-1].text), km)
        return found


def _mentions(sent: Span, source) -> list[tuple[Token, Toponym]]:
    """The place mentions of a sentence: (the mention's head token, the mention)."""
    found: dict[int, tuple[list[Token], Toponym]] = {}
    for t in sent:
        top = source.toponym(t)
        if top is not None:
            found.setdefault(top.start, ([], top))[0].append(t)
    out = []
    for tokens, top in found.values():
        ids = {t.i for t in tokens}
        root = next((t for t in tokens if t.head.i not in ids or t.head == t), tokens[-1])
        out.append((root, top))
    return out


def _areas(doc: Doc) -> set[str]:
    """The names a text uses for an area that holds another place: "the central Gaza town of Deir al-Balah",
    "Kharkiv's village of Hroza" (a name also given to a town: "Gaza" is then the area, not the city)."""
    areas = set()
    for sent in doc.sents:
        for root, toponym in _mentions(sent, doc._.source):
            noun = root.head
            if (
                root.dep_ in ("compound", "amod", "nmod", "poss")
                and lemma(noun) in lexicon.PLACE_NOUNS
                and any(c.dep_ == "prep" and c.lower_ == "of" and c.n_rights for c in noun.children)
            ):
                areas.add(name_key(toponym.text))
    return areas


def _blocked(root: Token, stop: set[int] = frozenset()) -> bool:
    """A place mention that never says where an event happened: where attackers came from or went, whose
    people or side it names, where a speaker is. ``stop``: the event's words, above which nothing is looked at."""
    if _away(root):
        return True  # "launched from Iran", "the flight to Kuala Lumpur", "coming from the direction of Iraq"
    if root.dep_ == "pobj" and root.head.dep_ == "agent":
        return True  # "carried out by Iran": who, not where
    if _dateline(root):
        return True  # "ABUJA - Troops repelled ...": where the story was filed
    if root.dep_ in ("nsubj", "csubj") and root.head.pos_ in ("VERB", "AUX"):
        return True  # "Russia struck", "Moscow denied": a side, not a place
    if root.dep_ in ("compound", "amod", "nmod", "poss") and lemma(root.head) in WHOSE:
        return True  # "US service members", "Yemen's Houthi rebels", "U.S. jets": whose, not where
    after = root.doc[root.i + 1 : root.i + 3]
    if len(after) == 2 and after[0].text == "-" and after[1].tag_ == "VBN":
        return True  # "Iran-backed militias", "Saudi-led coalition", "UK-based monitor"
    if root.dep_ in ("compound", "amod", "nmod", "poss") and lemma(root.head) in ("time", "clock"):
        return True  # "at 9:30 p.m. Iraq time": a time zone
    if root.dep_ in ("compound", "amod", "nmod", "poss") and lemma(root.head) in ("border", "frontier", "boundary"):
        return True  # "a village near the Ukraine border": the line between two countries, not a place in one
    path = [root, *root.ancestors]
    for n, t in enumerate(path[1:], 1):
        if t.i in stop:
            break
        below = path[n - 1]
        if lemma(t) in LOCALS or lemma(below) in LOCALS:
            return False  # "villagers in Bounti said": those who live where it happened
        taken = lemma(t) in ("take", "bring", "move") and any(c.dep_ == "prep" and c.lower_ == "to" for c in t.children)
        if t.pos_ == "VERB" and (lemma(t) in lexicon.SPEECH_VERBS | MOVING or taken):  # "taken to a base at X"
            # "a spokesman in Sana said", "told reporters in Geneva", "travelling to Quetta"; but what is said
            # ("said the strikes hit Albukamal") tells where
            return below.dep_ not in ("ccomp", "xcomp", "advcl", "parataxis", "conj")
        if lemma(t) in lexicon.PEOPLE and below.dep_ == "prep" and t.dep_ in ("nsubj", "appos"):
            return True  # "a spokesman for the Houthis in Sana"
    return False


def _role(root: Token, frame: Frame) -> int | None:
    """How a place mention hangs on an event: 0 attached, 1 elsewhere in its clause or the clause above, None
    never (see the module's docstring)."""
    trigger, head = frame.trigger, frame.head
    if _blocked(root, {trigger.i, head.i}):
        return None
    said = head != trigger and lemma(head) in lexicon.SPEECH_VERBS and trigger.dep_ != "nsubjpass"
    if said and root.i not in {w.i for w in trigger.subtree}:
        return None  # "In Moscow, the Kremlin called the strike an act of aggression": where it was said (but
        # "strikes were reported near Sanaa" tells where they were)
    if names_country(root) and (_modifies(root, trigger) or (lemma(_noun_of(root)) in ACTS and root.dep_ != "poss")):
        return None  # "an Iran missile strike", "Russia's attack", "the US killing of": who, not where
    # a name qualifying a noun the event does not hang on: whose ("Washington's refusal", "U.S. support")
    qualifier = root.dep_ in ("compound", "amod", "nmod", "poss")
    root = _anchor(root)
    clause = clause_verb(root.head) if root.head != root else None
    path = [root, *root.ancestors]
    attached = {trigger.i, head.i}
    attached |= {c.i for c in head.children if c.dep_ in ("dobj", "nsubjpass", "attr")}
    attached |= {c.i for c in trigger.children if c.dep_ in ("dobj", "nsubjpass", "compound", "poss")}
    if root.dep_ in ("dobj", "nsubjpass", "compound", "poss", "appos", "npadvmod") and root.head.i in attached:
        return 0
    if root.dep_ == "dobj" and lemma(root.head) in lexicon.AIMED_VERBS and root.head.i in reach(head):
        return 0  # "launched missiles at bases, striking the Ain al-Asad air base": what the act hit
    locative = any(
        p.pos_ == "ADP" and (p.lower_ in lexicon.LOCATIVE_PREPOSITIONS or (p.lower_ == "from" and _measured(p)))
        for p in path[:4]
    ) or any(p.pos_ == "ADP" and _harm_done_to(p) for p in path[:6])
    if locative:
        near = clause is None or clause.i in attached or clause.i in reach(head)
        # the place of another event told inside this one's clause ("in retaliation for attacks on shipping in
        # the Red Sea") places it only when nothing closer does
        others = [t for t in path[1:6] if t.pos_ == "NOUN" and lemma(t) in lexicon.EVENT_NOUNS and t.i != trigger.i]
        told = {f.trigger.i for f in trigger.doc._.frames or ()}
        if frame.mention.anaphoric and any(t.i in told for t in others):
            return None  # "the raid was a response to the attack on Khan Shaykhun": that attack's place
        other = bool(others)
        return (1 if other else 0) if near else 1 if head.i in {t.i for t in clause.subtree} else None
    if qualifier:
        return None
    if clause is None or clause.i in attached or clause.i in reach(head):
        return 1
    if head.i in {t.i for t in clause.subtree}:
        return 1  # in the clause above the event's: "In Donetsk, officials said a rocket hit the station"
    return None


def _hit_country(root: Token, frame: Frame, toponym: Toponym) -> Entry | None:
    """A country named by its name as what the event hit ("the attack on Israel", "attacked Israel"): that
    country, wherever the article's story is (a country's name has no namesake)."""
    e, event = toponym.entry, (frame.trigger, frame.head)
    if e is None or not e.feature_code.startswith("PCL"):
        return None
    if not any(c.entry.id == e.id and c.match == "exact" for c in toponym.candidates):
        return None
    aimed = root.dep_ == "pobj" and root.head.lower_ in lexicon.AIMED_PREPS and root.head.head in event
    return e if aimed or (root.dep_ == "dobj" and root.head in event) else None


def _same_name(candidate) -> bool:
    """A candidate whose name is the mention's, up to transliteration ("Hodeidah" for Al Hudaydah)."""
    return candidate.match == "exact" or candidate.name_similarity >= 1.0


def _close(candidate) -> bool:
    """A candidate whose name is the mention's, or nearly."""
    return candidate.match == "exact" or candidate.name_similarity >= 0.8


def _part_named(root: Token | None, entry: Entry) -> bool:
    """ "in central Mali", "eastern Ukraine": a part of a country the text names, whatever else it mentions."""
    if root is None or not entry.feature_code.startswith("PCL"):
        return False
    compass = lexicon.COMPASS_ADJECTIVES.keys() | lexicon.COMPASS.keys()
    return any(c.dep_ in ("amod", "compound") and c.lower_ in compass for c in root.children)


def _away(t: Token) -> bool:
    """Whether a place is where something came from or went: a preposition above it, through the nouns it
    qualifies, is "from", "to", "for" or "via" ("from the direction of Iraq", "from his resort in Florida"); "for"
    only before the place itself ("left for Damascus", not "a camp for displaced people near Djugu"); not a
    distance from it ("10 km from Mpeketoni")."""
    place = t
    while t.dep_ in ("pobj", "compound", "appos", "conj"):
        if t.dep_ != "pobj":
            t = t.head
            continue
        prep = t.head
        if (
            prep.lower_ in lexicon.AWAY_PREPOSITIONS
            and (prep.lower_ != "for" or t == place)
            and not (prep.head.lower_ in BESIDE or _harm_done_to(prep) or lemma(t) in RUINS or _measured(prep))
        ):
            return True
        if prep.head == prep or prep.head.pos_ not in ("NOUN", "PROPN") or lemma(prep.head) in lexicon.EVENT_NOUNS:
            return False  # a verb's or an event's phrase: "in response to an attack on a base in Deir ez-Zor"
        t = prep.head
    return False


def _harm_done_to(prep: Token) -> bool:
    """ "set fire to two plants", "damage to the port": a "to" that names what was hit."""
    head = prep.head
    done = lemma(head) in HARM_DONE or any(c.dep_ == "dobj" and lemma(c) in HARM_DONE for c in head.children)
    return prep.lower_ == "to" and done


def _dateline(t: Token) -> bool:
    """A place opening a line and followed by a dash, colon, comma or bracket: where the story was filed."""
    sent = t.sent
    first = sent[0]
    while first.is_space and first.i + 1 < sent.end:
        first = first.doc[first.i + 1]
    if t.i - first.i > 3:
        return False
    after = [w for w in sent[t.i - sent.start + 1 : t.i - sent.start + 4] if not w.is_space]
    return (
        bool(after)
        and after[0].text in ("-", "–", "—", ":", "(", ",")
        and (first.i == t.i or t.doc[first.i : t.i].text.isupper() or all(w.is_title for w in t.doc[first.i : t.i]))
        and (after[0].text != "," or t.text.isupper())
    )


def _modifies(t: Token, noun: Token) -> bool:
    """Whether ``t`` is a modifier of ``noun``, directly or through other modifiers ("Iran missile strike")."""
    return _noun_of(t).i == noun.i or any(a.i == noun.i for a in _modified(t))


def _modified(t: Token) -> list[Token]:
    found = []
    while t.dep_ in NOUN_MODIFIERS and t.head != t:
        t = t.head
        found.append(t)
    return found


def _noun_of(t: Token) -> Token:
    """The noun a modifier qualifies, through other modifiers: "Iran" -> "strike" in "an Iran missile strike"."""
    chain = _modified(t)
    return chain[-1] if chain else t


def _anchor(t: Token) -> Token:
    """The noun a place name specifies, which hangs on the event in its stead: "the city of X" -> city,
    "the capital, X" -> capital, "X railway station" -> station."""
    for _ in range(3):
        if t.dep_ == "pobj" and t.head.lower_ == "of" and lemma(t.head.head) in lexicon.PLACE_NOUNS:
            t = t.head.head
        elif t.dep_ == "appos" or (t.dep_ == "compound" and t.head.pos_ in ("NOUN", "PROPN")):
            t = t.head
        else:
            break
    return t


def _precision(root: Token, toponym: Toponym, entry: Entry) -> int:
    if specificity(entry, toponym.kind) > 1.5:
        return 3
    prep = root.head if root.dep_ == "pobj" else None
    if prep is not None and prep.lower_ in lexicon.NEAR_PREPOSITIONS:
        return 2
    if _off(root) or (prep is not None and prep.lower_ in ("of", "from") and lemma(prep.head) in AREA_WORDS):
        return 2  # "north of Omdurman", "10 km from Kathmandu", "the outskirts of Mogadishu"
    if derived(entry):
        return 2
    return 1


def _off(root: Token) -> bool:
    """A place named as what the event lies away from: "north of Omdurman", "10 km from Kathmandu"."""
    return root.dep_ == "pobj" and _measured(root.head)


def _measured(prep: Token) -> bool:
    """ "north of", "10 km from": a preposition that tells how far or which way from a place."""
    head = prep.head
    return prep.lower_ in ("of", "from") and (
        head.lower_ in lexicon.COMPASS
        or head.like_num
        or lemma(head) in lexicon.DISTANCE_UNITS
        or any(lemma(c) in lexicon.DISTANCE_UNITS for c in prep.children)  # "ran over a mine [10 km] from X"
    )


def _direction(word: Token) -> str:
    """The direction a compass word names, with the first half the parser hung on it: "north-eastern" -> northeast."""
    base = lexicon.COMPASS_ADJECTIVES.get(word.lower_, word.lower_)
    first = next((c.lower_ for c in word.children if c.lower_ in ("north", "south")), None)
    return first + base if first and base in ("east", "west") else base


def _kilometres(span: Span) -> float | None:
    number = span[0].text.replace(",", "")
    nautical = span[1].lower_ == "nautical"  # "70 nautical miles northwest of Hodeidah"
    unit = lexicon.NAUTICAL_MILE if nautical else lexicon.DISTANCE_UNITS.get(span[1].lower_)
    try:
        return float(number) * unit if unit else None
    except ValueError:
        return None


def _bearing(span: Span) -> float | None:
    words = [t.lower_ for t in span if t.lower_ in lexicon.COMPASS or t.lower_ in ("east", "west")]
    if not words:
        return None
    return lexicon.COMPASS.get("".join(words[-2:]) if len(words) >= 2 else words[-1]) or lexicon.COMPASS.get(words[-1])


def _lies_towards(centre: Entry, d: Entry, bearing: float) -> bool:
    north = d.lat - centre.lat
    east = (d.lon - centre.lon) * math.cos(math.radians(centre.lat))
    if abs(north) + abs(east) < 1e-6:
        return False
    return abs((math.degrees(math.atan2(east, north)) - bearing + 180) % 360 - 180) <= PART_DEGREES


@Language.factory("geomap_event_places", default_config={"gazetteer_path": ""})
def make_event_places(nlp: Language, name: str, gazetteer_path: str) -> EventPlaces:
    from geomap.places import open_gazetteer

    return EventPlaces(nlp, open_gazetteer(gazetteer_path))
