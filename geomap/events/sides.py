"""Sides: who acted and who was hit, read from the clause's structure.

Side names come from a data file an analyst can extend (``data/sides.jsonl``: spaCy ``SpanRuler``
patterns, label ``SIDE``, ``id`` the side's name; more files through ``GEOMAP_SIDES``), found by a
``span_ruler`` into ``doc.spans["sides"]``. Peoples and countries named by the model (NORP, GPE) are
sides too, named as the gazetteer's country ("Israeli shells" -> Israel).

``geomap_event_sides`` reads each event's actor and target from its clause:

* a verb in the active voice: the subject acts ("Russia struck a station"), the object and what is
  hit "at", "on" or "against" are the target; in the passive, the "by" agent acts and the subject is hit;
* an event noun: its own modifiers or "by" phrase act ("a Saudi-led coalition airstrike", "an airstrike by
  the coalition", "Israeli shells"), what it is "on" or "against" is hit; when it is the object of a verb
  ("Iran launched an attack on ..."), that verb's subject acts; when it is the subject ("an airstrike
  targeted a funeral hall"), the verb's object is hit; when the event is where people "were killed in",
  they are the target;
* weapons are not actors: "shells fired by the RSF", "a US drone" name their side.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Token

from geomap import lexicon
from geomap.events.records import Side
from geomap.events.tree import clauses_opened_by, lemma, names_country
from geomap.events.triggers import Frame
from geomap.places import DEMONYM

SPANS_KEY = "sides"
DATA = Path(__file__).parent / "data" / "sides.jsonl"
SIDE_ENTS = {"NORP", "GPE", "ORG"}
MAX_WORDS = 8


def side_patterns() -> list[dict]:
    """The side patterns: the packaged file, then the files named in ``GEOMAP_SIDES`` (``os.pathsep``-separated)."""
    paths = [DATA, *(Path(p) for p in os.environ.get("GEOMAP_SIDES", "").split(os.pathsep) if p)]
    patterns = []
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row, dict) or "pattern" not in row or "id" not in row:
                    raise ValueError("needs 'pattern' and 'id'")
            except ValueError as exc:
                raise ValueError(f"{path}: line {n}: not a side pattern ({exc})") from None
            patterns.append({"label": "SIDE", **row})
    return patterns


def _side_of(token: Token) -> str | None:
    return token.doc.user_data.get(("geomap_side", token.i))


if not Token.has_extension("side"):
    Token.set_extension("side", getter=_side_of)
if not Doc.has_extension("claims"):
    Doc.set_extension("claims", default=None)


class EventSides:
    """Fills ``actor`` and ``target`` of each event of ``doc._.frames``."""

    def __init__(self, demonym):
        self.demonym = demonym  # word -> gazetteer entry of the country it names, or None

    def __call__(self, doc: Doc) -> Doc:
        for span in doc.spans.get(SPANS_KEY, []):
            for t in span:
                doc.user_data[("geomap_side", t.i)] = span.id_ or span.label_
        for frame in doc._.frames or []:
            actor, target = self.roles(frame)
            if target is not None and lemma(target) in lexicon.PLACE_NOUNS and not (_named(target) or _party(target)):
                target = None  # "an attack on a Syrian town": who was hit is told elsewhere, or the town's name
            if not _party(target):  # what was hit is a thing or a place: who was hit is who it held or who fell
                target = _occupant(target) or _victims(frame.sent) or _present(frame.head) or target
            frame.mention.actor = self.side(actor) if actor is not None else None
            frame.mention.target = self.side(target) if target is not None else None
        doc._.claims = [(at, side) for at, head in _claims(doc) if (side := self.side(head)) is not None]
        return doc

    def roles(self, frame: Frame) -> tuple[Token | None, Token | None]:
        """The head words of the actor and the target of an event."""
        t, head = frame.trigger, frame.head
        actor = target = None
        if t.pos_ in ("NOUN", "PROPN"):
            actor = _modifier_side(t) or _by(t)
            target = _against(t)
            # "Three soldiers killed in a drone attack": a headline's harm verb, whose subject is the victim
            harmed_in = t.dep_ == "pobj" and lemma(head) in lexicon.HARM_VERBS and not _object(head)
            doer = _subject(head)
            doer = _speaker(doer) if doer is not None and doer.pos_ == "PRON" else doer
            if t.dep_ == "dobj" and lemma(head) in lexicon.DEFENCE_VERBS:
                target = target or doer  # "troops repelled the attack": who was attacked
            elif actor is None and t.dep_ in ("dobj", "pobj") and not harmed_in and _armed(doer):
                actor = doer  # "Iran launched an attack on ..."; "jets carried out strikes"; "it killed 7 in a raid"
            if t.dep_ in ("nsubj",) and target is None:  # "attacks set fire to two plants": not the fire
                target = next((x for x in (_object(head), _against(head)) if _names_one(x)), None)
            if t.dep_ == "pobj" and target is None and (_passive(head) or harmed_in):
                target = _subject(head)  # "a Taliban chief killed in a drone attack"
        else:
            aimed = lemma(t) in lexicon.AIMED_VERBS  # "fired missiles", "missiles were fired": what was used
            if _passive(t):
                actor, target = _by(t), (_subject(t) if aimed else _against(t))
            else:
                actor, target = _subject(t) or _by(t), (_object(t) if aimed else None) or _against(t)
            if actor is None and target is None and head != t and head.pos_ == "VERB" and not _passive(head):
                actor, target = _subject(head), _object(head) or _against(head)  # "Shelling by the RSF hit a market"
        if actor is not None and actor.pos_ == "PRON":
            actor = _speaker(actor)  # "the army said it killed seven militants"
        elif actor is not None and not _armed(actor):
            actor = _owner(actor)  # "shells fired by the RSF", "a US drone"
        if target is not None and actor is not None and target.i == actor.i:
            target = None
        return (actor if _names_one(actor) else None), (target if _names_one(target) else None)

    def side(self, head: Token) -> Side | None:
        """The words naming a side (compact: the head and its modifiers) and the side they name: one of the
        side names, else the country a people or a country's name stands for ("Israeli shells")."""
        words = _phrase(head)
        if not words:
            return None
        named = next((w._.side for w in words if w._.side), None)
        source = head.doc._.source
        for w in words if named is None else ():
            entry = self.demonym(w.text) if w.ent_type_ == "NORP" else None
            top = source.toponym(w) if w.ent_type_ == "GPE" else None
            if top is not None and top.entry is not None and top.entry.feature_code.startswith("PCL"):
                entry = top.entry
            if entry is not None:
                named = entry.name
                break
        named = named or _named_before(head)
        return Side(head.doc[words[0].i : words[-1].i + 1].text, named)


def _claims(doc: Doc) -> list[tuple[int | None, Token]]:
    """Claims of responsibility: "the Houthis claimed responsibility (for the attack)", "IS claimed the
    bombing". Each is where the claimed event's word begins in the article (None when the claim names none)
    and the head word of who claimed it."""
    found = []
    for t in doc:
        if t.pos_ != "VERB" or lemma(t) not in lexicon.CLAIM_VERBS:
            continue
        claimant = _subject(t)
        objects = [c for c in t.children if c.dep_ == "dobj"]
        if claimant is None or not objects or claimant.pos_ == "PRON" or _denied(t, claimant):
            continue
        obj = objects[0]
        if lemma(obj) in lexicon.RESPONSIBILITY:
            event = next((o for p in obj.children if p.lower_ == "for" for o in p.children if o.dep_ == "pobj"), None)
        elif lemma(obj) in lexicon.EVENT_NOUNS:
            event = obj
        else:
            continue
        found.append((doc._.source.char(event) if event is not None else None, claimant))
    return found


def _denied(verb: Token, claimant: Token) -> bool:
    """ "no group has claimed", "nobody claimed", "the army did not claim": no claim."""
    no = any(c.dep_ == "det" and c.lower_ == "no" for c in claimant.children)
    return no or claimant.lower_ in ("nobody", "none") or any(c.dep_ == "neg" for c in verb.children)


def _named_before(head: Token) -> str | None:
    """The side a bare noun refers back to: the nearest side named before it by a phrase with the same head
    noun ("the US-led coalition ... the coalition said")."""
    word = lemma(head)
    before = [s for s in head.doc.spans.get(SPANS_KEY, []) if s.end <= head.i and lemma(s[-1]) == word]
    return (before[-1].id_ or before[-1].label_) if before else None


def _phrase(head: Token) -> list[Token]:
    """The head word of a noun phrase with the words before it that qualify it, and an "of" phrase after."""
    left = [w for w in head.subtree if w.i <= head.i and w.dep_ not in ("det", "punct", "predet", "cc")]
    start = head.i
    for w in reversed(left):
        if w.i == start - 1 or (w.i < start and w.dep_ in ("compound", "amod", "poss", "nmod", "case", "npadvmod")):
            start = min(start, w.i)
    words = [w for w in head.doc[start : head.i + 1] if w.dep_ not in ("det", "predet")]
    of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None:
        obj = next((c for c in of.children if c.dep_ == "pobj"), None)
        if obj is not None:
            words += list(head.doc[of.i : obj.i + 1])
    while words and words[0].is_punct:
        words = words[1:]
    return words[-MAX_WORDS:] if len(words) > MAX_WORDS else words


def _speaker(pronoun: Token) -> Token | None:
    """Who "it", "they" or "we" is when a speaker tells what it did: "the Houthis said they had shot down a
    drone", "the army said it killed seven militants"."""
    if pronoun.lower_ not in ("it", "they", "we") or pronoun.head.dep_ != "ccomp":
        return None
    saying = pronoun.head.head
    speaker = _subject(saying) if lemma(saying) in lexicon.SPEECH_VERBS else None
    return speaker if speaker is not None and speaker.pos_ != "PRON" and _armed(speaker) else None


def _passive(t: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in t.children) or (
        t.tag_ == "VBN" and t.dep_ in ("acl", "ROOT")
    )


def _subject(t: Token) -> Token | None:
    found = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if found is None and t.dep_ in ("conj", "xcomp", "advcl") and t.head != t:
        return _subject(t.head) if t.dep_ != "advcl" else None
    if found is None and t.dep_ in ("acl", "amod") and t.head.pos_ in ("NOUN", "PROPN"):
        return t.head
    return found


def _object(t: Token) -> Token | None:
    """The direct object; through a count to what it counts ("struck dozens of Houthi targets")."""
    return _counted(next((c for c in t.children if c.dep_ in ("dobj",)), None))


def _counted(t: Token | None) -> Token | None:
    """What a count counts ("dozens of targets", "two of the plants"), else the word itself."""
    if t is not None and not _names_one(t):
        counted = next((o for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children), None)
        if counted is not None and counted.dep_ == "pobj":
            return counted
    return t


def _against(t: Token) -> Token | None:
    """What an event is aimed at: "on a funeral", "against U.S. forces", "at Al Asad", "set fire to", "targeting
    men" (also when the parser hung it on the "by" agent: "an airstrike by the coalition on a funeral hall")."""
    by = _by(t)
    burnt = any(c.dep_ == "dobj" and lemma(c) == "fire" for c in t.children) and lemma(t) == "set"
    for c in [*t.children, *(by.children if by is not None else ())]:
        if c.dep_ == "prep" and (c.lower_ in lexicon.AIMED_PREPS or (burnt and c.lower_ == "to")):
            obj = next((o for o in c.children if o.dep_ == "pobj"), None)
            if obj is not None:
                return _counted(obj)  # "set fire to two of the plants"
        if c.dep_ in ("acl", "advcl") and lemma(c) in ("target", "hit", "strike"):
            obj = next((o for o in c.children if o.dep_ == "dobj"), None)
            if obj is not None:
                return obj
    return None


def _by(t: Token) -> Token | None:
    for c in t.children:
        if c.dep_ in ("agent", "prep") and c.lower_ == "by":
            return next((o for o in c.children if o.dep_ == "pobj"), None)
        if c.dep_ == "acl" and (by := _by(c)) is not None:  # "an airstrike carried out by ..."
            return by
    return None


def _modifier_side(t: Token) -> Token | None:
    """A side named before an event noun: "Saudi-led air strikes", "the Russian strike", "Russia's attack"."""
    for c in sorted(t.children, key=lambda c: c.i):
        if (
            c.dep_ in ("compound", "amod", "poss", "nmod", "npadvmod")
            and c.i < t.i
            and lemma(c) not in lexicon.INSTRUMENTS
        ):
            if c._.side or c.ent_type_ in ("NORP", "GPE", "ORG") or lemma(c) in lexicon.ARMED:
                return c
            inner = _modifier_side(c)
            if inner is not None:
                return inner
    return None


def _armed(t: Token | None) -> bool:
    """Whether a noun phrase names people or a side rather than a weapon."""
    if t is None:
        return False
    words = {lemma(w) for w in t.subtree}
    if lemma(t) in lexicon.INSTRUMENTS or lemma(t) in lexicon.EVENT_NOUNS:
        return False
    return bool(t._.side or t.ent_type_ in SIDE_ENTS or lemma(t) in lexicon.ARMED or words & lexicon.ARMED)


def _names_one(t: Token | None) -> bool:
    """Whether a word can name who acts or is hit: not a day, a bare number, a pronoun or another event
    ("killing two", "fired on Monday", "in response to the attack")."""
    return not (
        t is None
        or t.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY")
        or t.pos_ in ("NUM", "PRON")
        or lemma(t) in lexicon.EVENT_NOUNS
    )


def _named(t: Token) -> bool:
    """Whether a noun phrase holds a name ("the town of Khan Shaykhun", "the Ghouta suburbs"), not only a people's
    ("a Syrian town")."""
    source = t.doc._.source
    return any(w.pos_ == "PROPN" or getattr(source.toponym(w), "kind", DEMONYM) != DEMONYM for w in _phrase(t))


def _party(t: Token | None) -> bool:
    """Whether a noun phrase names people who can be hit (a side, a people, a country, troops, civilians), not a
    thing or a town."""
    if t is None:
        return False
    head = lemma(t) in lexicon.PEOPLE or t.ent_type_ in (SIDE_ENTS - {"GPE"}) | {"PERSON"} or names_country(t)
    words = _phrase(t)
    if lemma(t) in lexicon.PLACE_NOUNS:  # "a camp of Syrian troops", but not "a Syrian town"
        words = [w for w in words if w.i > t.i]
    return head or any(w._.side or w.ent_type_ == "NORP" for w in words)


def _occupant(t: Token | None) -> Token | None:
    """Who a hit thing belonged to or held: "bases hosting US troops", "a base used by US forces"."""
    if t is None:
        return None
    for c in t.children:
        if c.dep_ == "acl":
            held = next((o for o in c.children if o.dep_ == "dobj"), None) or _by(c)
            if held is not None and _party(held):
                return held
    return None


def _victims(sent) -> Token | None:
    """The people an event's sentence says were killed or wounded, when they name a side or a kind of people
    ("killing seven members of Iran's Revolutionary Guards", "three US soldiers were killed"), not a number
    or "people" ("one person")."""
    for t in sent:
        if t.pos_ != "VERB" or lemma(t) not in lexicon.HARM_VERBS:
            continue
        patient = (
            _subject(t)
            if _passive(t) or lemma(t) in ("die", "perish")
            else next((c for c in t.children if c.dep_ == "dobj"), None)
        )
        if (
            patient is not None
            and _names_one(patient)
            and _party(patient)
            and lemma(patient) not in ("people", "person")
        ):
            return patient
    return None


def _present(head: Token) -> Token | None:
    """The people an event's clause says were there when it happened: "struck the station as thousands of
    civilians waited for trains", "hit the market while shoppers were inside"."""
    for c in clauses_opened_by(head, ("as", "while", "when")):
        present = _counted(_subject(c))
        if _party(present) and not _armed(present) and lemma(present) not in ("people", "person"):
            return present
    return None


def _owner(t: Token) -> Token | None:
    """The side a weapon or an event belongs to: its "by" agent, a side among its modifiers, or its "of"
    phrase ("aircraft of the US-led coalition")."""
    of = next((o for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children), None)
    return _by(t) or _modifier_side(t) or (of if of is not None and of.dep_ == "pobj" and _armed(of) else None)


@Language.factory("geomap_event_sides", default_config={"gazetteer_path": ""})
def make_event_sides(nlp: Language, name: str, gazetteer_path: str) -> EventSides:
    from geomap.places import open_gazetteer

    gaz = open_gazetteer(gazetteer_path)
    return EventSides(cache(gaz.demonym_entry))


def add_side_ruler(nlp: Language) -> None:
    """Add the side-name ruler (a spaCy ``span_ruler`` over ``doc.spans["sides"]``) with the side patterns."""
    ruler = nlp.add_pipe(
        "span_ruler",
        name="geomap_side_names",
        config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "LOWER", "overwrite": True},
    )
    ruler.add_patterns(side_patterns())
