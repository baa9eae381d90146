"""The language an article is written in, so that text the English model cannot read is reported, not parsed.

py3langid (a maintained fork of langid.py by trafilatura's author) ships its model in the wheel, needs
nothing from the network, loads once per process (about a second) and takes about a millisecond for the
first ``SAMPLE`` characters of an article. Texts with too few words to tell (numbers, codes and hashes are
no words) are given the benefit of the doubt.
"""

from __future__ import annotations

import re
import threading
from functools import cache

SAMPLE = 3000  # characters read from the start of the text
MIN_LETTERS = 40  # fewer letters in words than this: too short to tell
MIN_CONFIDENCE = 0.5  # a language other than the one wanted must be at least this likely to skip an article

_WORD = re.compile(r"\b[^\W\d_]+\b")  # a run of letters: no digits in it nor beside it (hashes, codes are no words)
_lock = threading.Lock()


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> tuple[str, float] | None:
    """The most likely ISO 639-1 code of ``text`` and its probability; None when the text is too short to tell."""
    sample = text[:SAMPLE]
    if sum(len(word) for word in _WORD.findall(sample)) < MIN_LETTERS:
        return None
    with _lock:  # the model is loaded once even when two threads ask first
        identifier = _identifier()
    lang, confidence = identifier.classify(sample)
    return lang, confidence


def other_language(text: str, wanted: str) -> str | None:
    """``"<code> (probability p)"`` when ``text`` is surely not in the language ``wanted``; else None."""
    found = identify(text)
    if found is None or found[0] == wanted or found[1] < MIN_CONFIDENCE:
        return None
    return f"{found[0]} (probability {found[1]:.2f})"
