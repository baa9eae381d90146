"""The model's tag map, applied as arrays.

The model's ``attribute_ruler`` first maps each fine-grained tag to its part of speech and morphology (one pattern
per tag), then applies exceptions (patterns on words and tags). spaCy's ``Matcher`` tests every pattern at every
token, so the tag map alone cost more than parsing. ``geomap_tag_map`` does the same mapping with a table over the
tag array, and the ruler keeps only the exceptions, applied after it as before: the result is the same.
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import MORPH, POS, TAG
from spacy.language import Language
from spacy.parts_of_speech import IDS
from spacy.tokens import Doc


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


def split_tag_map(nlp: Language, ruler: str = "attribute_ruler") -> None:
    """Move the tag map that leads the ruler's patterns into ``geomap_tag_map``, placed before the ruler; the
    ruler keeps the patterns after it (the exceptions). Patterns that follow an exception stay in the ruler."""
    patterns = nlp.get_pipe(ruler).patterns
    lead = next((n for n, p in enumerate(patterns) if not is_tag_map(p)), len(patterns))
    if not lead:
        return
    nlp.add_pipe("geomap_tag_map", before=ruler, config={"patterns": patterns[:lead]})
    nlp.get_pipe(ruler).clear()
    nlp.get_pipe(ruler).add_patterns(patterns[lead:])


@Language.factory("geomap_tag_map", default_config={"patterns": []})
def make_tag_map(nlp: Language, name: str, patterns: list[dict]) -> TagMap:
    return TagMap(nlp, patterns)


class TagMap:
    """Sets each token's part of speech and morphology from its tag (attribute-ruler tag-map patterns)."""

    def __init__(self, nlp: Language, patterns: list[dict]):
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

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc) or not len(self.tags):
            return doc
        table = doc.to_array([TAG, POS, MORPH])
        at = np.minimum(np.searchsorted(self.tags, table[:, 0]), len(self.tags) - 1)
        known = self.tags[at] == table[:, 0]
        for column, values, has in ((1, self.pos, self.has[0]), (2, self.morph, self.has[1])):
            hit = known & has[at]
            table[hit, column] = values[at[hit]]
        doc.from_array([POS, MORPH], table[:, 1:])
        return doc
