"""Regex scans that try a pattern only where a match can begin: at certain words.

``re`` tries a pattern at every position of the text; for the long alternations that read dates
and casualty figures that scan is most of their cost. An :class:`Anchored` pattern declares the
words a match can begin with (lower case) and whether it can begin with a digit, and tries the
pattern only at those words of a :class:`Words` index, built once per text and shared by the
patterns. It yields exactly what ``pattern.finditer`` yields when every match begins at the start
of an ASCII word that is one of the declared words (``tests/test_wordscan.py`` checks each pattern
against the plain scan).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import chain

_WORD = re.compile(r"[A-Za-z0-9_]+")
DIGIT = "#"  # the key under which words beginning with a digit are indexed


class Words:
    """Where each ASCII word of ``text`` begins, by lower-case word (digit-initial words under
    :data:`DIGIT`)."""

    __slots__ = ("_starts", "text")

    def __init__(self, text: str):
        self.text = text
        starts: defaultdict[str, list[int]] = defaultdict(list)
        for m in _WORD.finditer(text):
            word = m.group()
            starts[DIGIT if word[0] <= "9" else word.lower()].append(m.start())  # ASCII: digits sort first
        self._starts = starts

    def starts(self, words: frozenset[str]) -> list[int]:
        """The start positions, in order, of the text's words that are in ``words``."""
        return sorted(chain.from_iterable(self._starts[w] for w in words & self._starts.keys()))


class Anchored:
    """A compiled ASCII pattern whose matches begin at one of ``first_words`` (lower case) or,
    with ``digits``, at a word beginning with a digit."""

    __slots__ = ("first_words", "pattern")

    def __init__(self, pattern: re.Pattern[str], first_words: Iterable[str], *, digits: bool = False):
        if not pattern.flags & re.ASCII:
            raise ValueError("an anchored pattern must be compiled with re.ASCII (words are ASCII words)")
        self.pattern = pattern
        self.first_words = frozenset(w.lower() for w in first_words) | ({DIGIT} if digits else set())

    def finditer(self, words: Words) -> Iterator[re.Match[str]]:
        """The pattern's non-overlapping matches in ``words.text``, as ``pattern.finditer`` gives them."""
        text, end = words.text, 0
        for start in words.starts(self.first_words):
            if start >= end and (m := self.pattern.match(text, start)):
                end = max(m.end(), start + 1)
                yield m
