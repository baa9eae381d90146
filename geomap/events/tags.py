"""The model's tag map and word exceptions, applied as arrays.

The model's ``attribute_ruler`` first maps each fine-grained tag to its part of speech and morphology (one pattern
per tag), then applies exceptions (patterns on words, tags and dependencies). spaCy's ``Matcher`` tests every
pattern at every token, so the ruler cost about as much as parsing. ``geomap_tag_map`` does the tag mapping with a
table over the tag array, and the exceptions on one word (and its tag) with a table keyed by the word; the ruler
keeps the others (several tokens, words given by a pattern, spaces), applied after it as before. A word exception
moves to the table only when no exception the ruler keeps comes before it, sets one of the same attributes and may
match the same token (a pattern such as ``^n[ou]thin'$`` meets only the words it matches), so the result is the
model's own.
"""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np
from spacy.attrs import DEP, LEMMA, LOWER, MORPH, POS, TAG
from spacy.attrs import IDS as ATTRS
from spacy.language import Language
from spacy.parts_of_speech import IDS
from spacy.tokens import Doc

WORD_KEYS = {"TAG", "LOWER", "DEP"}
WORD_ATTRS = {"POS", "MORPH", "LEMMA"}


def is_tag_map(pattern: dict) -> bool:
    """Whether an attribute-ruler pattern maps one tag, alone, to attributes."""
    tokens = pattern["patterns"]
    return (
        len(tokens) == 1
        and len(tokens[0]) == 1
        and set(tokens[0][0]) == {"TAG"}
        and isinstance(tokens[0][0]["TAG"], str)
        and set(pattern["attrs"]) <= {"POS", "MORPH"}
        and not pattern.get("index")
    )


def is_word_rule(pattern: dict) -> bool:
    """Whether an attribute-ruler pattern matches one token by its lower-case form (and maybe its tag and its
    dependency label), each given as a string or an ``IN`` list, and sets its part of speech, morphology or
    lemma."""
    tokens = pattern["patterns"]
    if len(tokens) != 1 or len(tokens[0]) != 1 or pattern.get("index") or not set(pattern["attrs"]) <= WORD_ATTRS:
        return False
    token = tokens[0][0]
    return "LOWER" in token and set(token) <= WORD_KEYS and all(_values(v) is not None for v in token.values())


def _values(value) -> frozenset[str] | None:
    """The strings a token constraint allows (None: not a plain string or ``IN`` list)."""
    if isinstance(value, str):
        return frozenset((value,))
    if isinstance(value, dict) and set(value) == {"IN"}:
        return frozenset(value["IN"])
    return None


def _may_meet(a: dict, b: dict) -> bool:
    """Whether patterns ``a`` and ``b`` may set attributes on one token: unless a tag or a word rules it out
    for every pair of their alternatives."""
    return any(
        all(_may_both(ta.get(key), tb.get(key)) for key in WORD_KEYS)
        for ta in (alt[a.get("index") or 0] for alt in a["patterns"])
        for tb in (alt[b.get("index") or 0] for alt in b["patterns"])
    )


def _may_both(a, b) -> bool:
    """Whether one value may meet two token constraints: strings or ``IN`` lists that share one, a ``REGEX``
    and a string it matches, or anything else (not known: it may)."""
    values_a, values_b = _values(a), _values(b)
    if values_a is not None and values_b is not None:
        return bool(values_a & values_b)
    for pattern, values in ((a, values_b), (b, values_a)):
        if isinstance(pattern, dict) and set(pattern) == {"REGEX"} and values is not None:
            return any(re.search(pattern["REGEX"], v) for v in values)
    return True


def split_tag_map(nlp: Language, ruler: str = "attribute_ruler") -> None:
    """Move the tag map that leads the ruler's patterns, and the word exceptions after it that can safely go
    first (see the module's docstring), into ``geomap_tag_map``, placed before the ruler; the ruler keeps the
    rest in order."""
    patterns = nlp.get_pipe(ruler).patterns
    lead = next((n for n, p in enumerate(patterns) if not is_tag_map(p)), len(patterns))
    words: list[dict] = []
    kept: list[dict] = []
    for pattern in patterns[lead:]:
        if is_word_rule(pattern) and not any(
            set(k["attrs"]) & set(pattern["attrs"]) and _may_meet(k, pattern) for k in kept
        ):
            words.append(pattern)
        else:
            kept.append(pattern)
    if not lead and not words:
        return
    nlp.add_pipe("geomap_tag_map", before=ruler, config={"patterns": patterns[:lead], "words": words})
    nlp.get_pipe(ruler).clear()
    nlp.get_pipe(ruler).add_patterns(kept)


@Language.factory("geomap_tag_map", default_config={"patterns": [], "words": []})
def make_tag_map(nlp: Language, name: str, patterns: list[dict], words: list[dict]) -> TagMap:
    return TagMap(nlp, patterns, words)


class TagMap:
    """Sets each token's part of speech and morphology from its tag (attribute-ruler tag-map patterns), then
    applies the word exceptions (``words``, attribute-ruler patterns of :func:`is_word_rule`) in order."""

    def __init__(self, nlp: Language, patterns: list[dict], words: list[dict] = ()):
        strings, morphology = nlp.vocab.strings, nlp.vocab.morphology
        tags = np.array([strings.add(p["patterns"][0][0]["TAG"]) for p in patterns], dtype=np.uint64)
        order = np.argsort(tags)
        self.tags = tags[order]
        self.pos = np.array([IDS[p["attrs"].get("POS", "")] for p in patterns], dtype=np.uint64)[order]
        self.morph = np.array([morphology.add(p["attrs"].get("MORPH", "")) for p in patterns], dtype=np.uint64)[order]
        self.has = (
            np.array(["POS" in p["attrs"] for p in patterns])[order],
            np.array(["MORPH" in p["attrs"] for p in patterns])[order],
        )
        # lower-case form -> (allowed tags or None, allowed labels or None, {column of the table: value}), in the
        # ruler's order
        self.words: dict[int, list[tuple[Allowed, Allowed, dict[int, int]]]] = defaultdict(list)
        encode = {"POS": IDS.__getitem__, "MORPH": morphology.add, "LEMMA": strings.add}
        for p in words:
            token = p["patterns"][0][0]
            tags_in, deps_in = (_ids(strings, token.get(key)) for key in ("TAG", "DEP"))
            values = {_COLUMNS.index(ATTRS[attr]): encode[attr](value) for attr, value in p["attrs"].items()}
            for lower in _values(token["LOWER"]):
                self.words[strings.add(lower)].append((tags_in, deps_in, values))
        self.lowers = np.array(sorted(self.words), dtype=np.uint64)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        table = doc.to_array(_COLUMNS)
        tag_at, word_at, dep_at = _COLUMNS.index(TAG), _COLUMNS.index(LOWER), _COLUMNS.index(DEP)
        if len(self.tags):
            at = np.minimum(np.searchsorted(self.tags, table[:, tag_at]), len(self.tags) - 1)
            known = self.tags[at] == table[:, tag_at]
            for attr, values, has in ((POS, self.pos, self.has[0]), (MORPH, self.morph, self.has[1])):
                hit = known & has[at]
                table[hit, _COLUMNS.index(attr)] = values[at[hit]]
        for i in np.flatnonzero(np.isin(table[:, word_at], self.lowers)):
            tag, dep = int(table[i, tag_at]), int(table[i, dep_at])
            for tags_in, deps_in, values in self.words[int(table[i, word_at])]:
                if (tags_in is None or tag in tags_in) and (deps_in is None or dep in deps_in):
                    for column, value in values.items():
                        table[i, column] = value
        doc.from_array(_SET, table[:, [_COLUMNS.index(a) for a in _SET]])
        return doc


_SET = [POS, MORPH, LEMMA]  # what the table sets
_COLUMNS = [TAG, LOWER, DEP, *_SET]  # the columns of a doc's table
Allowed = frozenset[int] | None  # the string ids a token constraint allows; None: any


def _ids(strings, value) -> Allowed:
    allowed = _values(value)
    return frozenset(strings.add(v) for v in allowed) if allowed is not None else None
