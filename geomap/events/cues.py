"""The cheap first looks: which articles and which sentences hold a word an incident could be read from.

They run on tokens alone (no tagger, no parser): their lower-case forms are looked up among the inflected
forms of lexicon lemmas (:func:`geomap.lexicon.forms`). Before the model, an article with none of the words
without which no incident is told (:func:`trigger_lemmas`: event nouns and verbs, verbs of harm, weapons) is passed over
(:meth:`EventCues.may_tell`). After the entity recognizer, only the sentences holding a cue (the trigger
lemmas and the words of harm and of fighters, :func:`cue_lemmas`) are tagged and parsed by the event
pipeline; ``geomap_event_sentences`` stores them in ``doc.spans["event_sentences"]``.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from geomap import lexicon

SPANS_KEY = "event_sentences"
LEAD = 3  # the first sentences of a text: its place names set the scene for every event it tells
PLACE_WINDOW = 2  # a sentence naming a place this many sentences from a trigger may say where the event was


def cue_lemmas() -> set[str]:
    """The lemmas whose presence makes a sentence worth reading closely."""
    return (
        set(lexicon.EVENT_NOUNS)
        | lexicon.EVENT_VERBS
        | set(lexicon.INSTRUMENTS)
        | set(lexicon.HARM_VERBS)
        | set(lexicon.HARM_WORDS)
        | lexicon.CASUALTY_WORDS
        | lexicon.FIGHTERS
        | lexicon.RESPONSIBILITY
    ) - lexicon.WEAK_CUES


def trigger_lemmas() -> set[str]:
    """The lemmas without one of which a text tells no incident: the words that report one (event nouns and
    verbs, verbs of harm) and the weapons that the weaker ones need ("rockets landed", "a bomb went off",
    "shot down a plane")."""
    return (
        set(lexicon.EVENT_NOUNS) | lexicon.EVENT_VERBS | lexicon.HARM_TRIGGERS | set(lexicon.INSTRUMENTS)
    ) - lexicon.WEAK_CUES


@cache
def cue_forms() -> frozenset[str]:
    return frozenset(f for lemma in cue_lemmas() for f in lexicon.forms(lemma))


@cache
def trigger_forms() -> frozenset[str]:
    return frozenset(f for lemma in trigger_lemmas() for f in lexicon.forms(lemma))


class EventCues:
    """Finds the tokens that may tell of an incident, by their lower-cased form."""

    def __init__(self, vocab: Vocab):
        self.hashes = _hashes(vocab, cue_forms())
        self.trigger_hashes = _hashes(vocab, trigger_forms())
        self.sports = {f: lemma for lemma in lexicon.SPORTS for f in lexicon.forms(lemma)}
        self.sports_hashes = _hashes(vocab, frozenset(self.sports))

    def tokens(self, doc: Doc) -> np.ndarray:
        """Indices of the cue tokens of ``doc``."""
        return np.flatnonzero(np.isin(doc.to_array(LOWER), self.hashes))

    def may_tell(self, doc: Doc) -> bool:
        """Whether ``doc`` (tokens alone suffice) holds a word without which no incident is told."""
        return bool(np.isin(doc.to_array(LOWER), self.trigger_hashes).any())

    def sports_words(self, doc: Doc) -> set[str]:
        """The words of a game ``doc`` holds (:data:`geomap.lexicon.SPORTS`), as lemmas."""
        lower = doc.to_array(LOWER)
        found = np.unique(lower[np.isin(lower, self.sports_hashes)])
        return {self.sports[doc.vocab.strings[int(h)]] for h in found}

    def window(self, doc: Doc) -> tuple[list[Span], np.ndarray, np.ndarray]:
        """The sentences of ``doc``, which of them hold a cue, and which are worth reading: those holding a cue,
        the first :data:`LEAD` sentences and those at most :data:`PLACE_WINDOW` sentences from one holding a
        trigger word (:func:`trigger_lemmas`, the words events are read from)."""
        lower = doc.to_array(LOWER)
        cues = np.flatnonzero(np.isin(lower, self.hashes))
        triggers = np.flatnonzero(np.isin(lower, self.trigger_hashes))
        sents = [s for s in doc.sents if not s[0].is_space or any(not t.is_space for t in s)]  # not a blank line
        with_cue = np.array([_holds(cues, s) for s in sents], dtype=bool)
        with_trigger = np.array([_holds(triggers, s) for s in sents], dtype=bool)
        near = np.convolve(with_trigger, np.ones(2 * PLACE_WINDOW + 1))[PLACE_WINDOW : PLACE_WINDOW + len(sents)] > 0
        near |= with_cue
        near[:LEAD] = True
        return sents, with_cue, near

    def sentences(self, doc: Doc, places: list[Span] = ()) -> list[Span]:
        """The sentences of ``doc`` holding a cue, in order; when there is one, also those naming a place
        (``places``) in the :meth:`window`: where an event happened is often told in a sentence of its own,
        near it or in the lead."""
        sents, with_cue, near = self.window(doc)
        if not with_cue.any():
            return []
        named = np.array(sorted(p.start for p in places), dtype=np.int64)
        return [s for s, cue, close in zip(sents, with_cue, near, strict=True) if cue or (close and _holds(named, s))]


def _hashes(vocab: Vocab, forms: frozenset[str]) -> np.ndarray:
    return np.array(sorted(vocab.strings.add(f) for f in forms), dtype=np.uint64)


def _holds(indices: np.ndarray, sent: Span) -> bool:
    """Whether one of the sorted token ``indices`` lies in ``sent``."""
    first = np.searchsorted(indices, sent.start)
    return bool(first < len(indices) and indices[first] < sent.end)


@Language.factory("geomap_event_sentences")
def make_event_sentences(nlp: Language, name: str) -> EventSentences:
    return EventSentences(nlp.vocab)


class EventSentences:
    """Sets ``doc.spans["event_sentences"]``: the sentences the event pipeline will read (after the
    geoparser's ``geomap_toponyms``, whose place mentions it uses)."""

    def __init__(self, vocab: Vocab):
        self.cues = EventCues(vocab)

    def __call__(self, doc: Doc) -> Doc:
        places = list(doc.spans["toponyms"]) if "toponyms" in doc.spans else []
        doc.spans[SPANS_KEY] = self.cues.sentences(doc, places)
        return doc
