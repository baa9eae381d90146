"""Helpers over the parse that every event component reads it with."""

from __future__ import annotations

from bisect import bisect_right
from functools import cache

from spacy.parts_of_speech import AUX, PROPN
from spacy.tokens import Doc, Span, Token

from geomap import lexicon

_NAME_POS = (AUX, PROPN)  # parts of speech whose words are read as written, not by their lemma
# words the lexicon knows as nouns: a capitalised plural of one is that noun, not a name ("Missiles struck")
KNOWN = set(lexicon.EVENT_NOUNS) | set(lexicon.INSTRUMENTS) | lexicon.ARMED | set(lexicon.HARM_WORDS) | lexicon.PERSONS


def lemma(t: Token) -> str:
    """A token's lemma in lower case; a capitalised common noun the tagger took for a name or a verb
    ("Missiles struck ...", "Shelling hit ...") is brought to its lexicon form when the lexicon knows it."""
    name = t.pos in _NAME_POS
    return _lemma(t.text if name else t.lemma_, name)


@cache
def _lemma(word: str, name: bool) -> str:
    low = word.lower()
    if name and low not in KNOWN:
        for cut in ("es", "s"):
            if low.endswith(cut) and low[: -len(cut)] in KNOWN:
                return low[: -len(cut)]
    return low


def distance(a: Token, b: Token) -> int:
    """Edges between two tokens of one parse tree (99 when they are in different trees)."""
    up = {t.i: n for n, t in enumerate([a, *a.ancestors])}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in up:
            return n + up[t.i]
    return 99


def clause_verb(t: Token) -> Token | None:
    """The verb of the clause a word belongs to (a participle that qualifies a noun is no clause)."""
    return next((a for a in (t, *t.ancestors) if a.pos_ in ("VERB", "AUX") and a.dep_ != "amod"), None)


def own_clause(c: Token) -> bool:
    """Whether a conjunct is a clause of its own, with its own subject ("jets struck sites, and on Friday a
    drone killed a general"), rather than a second verb of one subject ("killed five and wounded ten")."""
    return c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children)


def clauses_opened_by(verb: Token, words: tuple[str, ...]) -> list[Token]:
    """The adverbial clauses of a verb that one of ``words`` opens: "when a car bomb ripped through a market",
    "as civilians waited", "after militants attacked a base"."""
    return [
        c
        for c in verb.children
        if c.dep_ == "advcl" and any(m.lower_ in words for m in c.children if m.dep_ in ("mark", "advmod"))
    ]


def reach(head: Token) -> set[int]:
    """The token indices of a clause head's subtree, without the clauses of their own conjoined to it."""
    out, stack = set(), [head]
    while stack:
        t = stack.pop()
        out.add(t.i)
        stack.extend(c for c in t.children if not own_clause(c))
    return out


def sentence_index(doc: Doc, t: Token) -> int:
    """The index of a token's sentence among the Doc's sentences."""
    starts = doc.user_data.get("geomap_sentence_starts")
    if starts is None:
        starts = doc.user_data["geomap_sentence_starts"] = [s.start for s in doc.sents]
    return bisect_right(starts, t.i) - 1


def nouns(span: Span) -> frozenset[str]:
    """The lemmas of the nouns and names of a sentence: what it is about."""
    return frozenset(lemma(t) for t in span if t.pos_ in ("NOUN", "PROPN") and not t.is_stop and len(t) > 2)


def names_country(t: Token) -> bool:
    """Whether ``t`` is part of a name or adjective the article's geoparse resolved to a country."""
    source = t.doc._.source if Doc.has_extension("source") else None
    top = source.toponym(t) if source is not None else None
    return top is not None and top.entry is not None and top.entry.feature_code.startswith("PCL")
