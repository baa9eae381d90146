"""The language an article is written in, so that text the English model cannot read is reported, not parsed.

py3langid (a maintained fork of langid.py by trafilatura's author) ships its model in the wheel, needs
nothing from the network, loads once per process (about a second) and takes about a millisecond for the
first ``SAMPLE`` characters of an article. Texts with too few words to tell (numbers, codes and hashes are
no words) are given the benefit of the doubt. English is wanted most often, and most English news tells
itself by its commonest words, which no other language writes alone ("the", "of", "which"): a sample with
:data:`ENGLISH_SHARE` of them is English without asking the model.
"""

from __future__ import annotations

import re
import threading
from functools import cache

from geomap.lexicon import words

SAMPLE = 3000  # characters read from the start of the text
MIN_LETTERS = 40  # fewer letters in words than this: too short to tell
MIN_CONFIDENCE = 0.5  # a language other than the one wanted must be at least this likely to skip an article

# of the sample's words; measured: 0 in sentences of eight other languages, >= 0.1 in 1,126 of the 1,135 English
# articles of the four geoparsing corpora
ENGLISH_SHARE = 0.1
ENGLISH_WORDS = words("the of and to that for with from were have has this by which said")
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
    if wanted == "en" and _english_share(text[:SAMPLE]) >= ENGLISH_SHARE:
        return None
    found = identify(text)
    if found is None or found[0] == wanted or found[1] < MIN_CONFIDENCE:
        return None
    return f"{found[0]} (probability {found[1]:.2f})"


def _english_share(sample: str) -> float:
    found = _WORD.findall(sample)
    return sum(w.lower() in ENGLISH_WORDS for w in found) / len(found) if found else 0.0
