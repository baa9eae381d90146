"""Name keys that survive case, diacritics, punctuation and Arabic transliteration.

Two keys are computed for every name:

* :func:`fold` -- the exact key: Unicode-folded, lower case, punctuation to spaces
  ("Deir ez-Zor" -> "deir ez zor").
* :func:`skeleton` -- a lossy phonetic key for transliteration variants: the Arabic
  article and its assimilated forms are dropped, doubled letters collapse, common
  consonant alternations merge and vowels go ("Dier al Zor", "Deir Ezzor" and
  "Dayr az Zawr" all give "drzr").

Skeleton matches are only candidates: they are re-scored against the query with
rapidfuzz before anything is returned.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that NFKD does not decompose into ASCII.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ŋ": "n",
        "ə": "e",
        # hamza / ayn marks and apostrophe look-alikes vanish inside words
        "ʿ": "",
        "ʾ": "",
        "ʻ": "",
        "ʼ": "",
        "‘": "",
        "’": "",
        "`": "",
        "´": "",
        "'": "",
    }
)
_NON_WORD = re.compile(r"[^\w]+|_")
_SPACES = re.compile(r"\s+")

# The Arabic definite article as transliterated in news text, including the sun-letter
# assimilations (ad-, ar-, as-, at-, az-, ash-, ...) and the vowel variants (el-, ul-, il-).
ARTICLES = frozenset(
    [
        "al",
        "el",
        "il",
        "ul",
        "ad",
        "ed",
        "ar",
        "er",
        "as",
        "es",
        "at",
        "et",
        "az",
        "ez",
        "an",
        "en",
        "ash",
        "esh",
        "adh",
        "ath",
        "dh",
    ]
)
# A fused, assimilated article: "Ezzor", "Assuwayda", "Arraqqa" (article vowel + doubled consonant).
_FUSED_ASSIMILATED = re.compile(r"^[aeiu](sh|th|dh|[dnrstz])(?=\1[a-z]{2})")
_FUSED_AL = re.compile(r"^[ae]l(?=[a-z]{4})")

# Consonant alternations, applied in order, on a folded, article-free string.
_ALTERNATIONS = (
    ("kh", "h"),
    ("gh", "g"),
    ("sh", "s"),
    ("ch", "s"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "f"),
    ("dj", "j"),
    ("dzh", "j"),
    ("zh", "j"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("v", "f"),
)
_VOWELS = re.compile(r"[aeiouyw]")
# an "h" after a vowel and before a consonant or the end: taa marbuta ("Raqqah" ~ "Raqqa") and a
# transliteration's silent or optional "h" ("Dahl Bandin" ~ "Dalbandin", "Shahrak" ~ "Sharak")
_VOWEL_H = re.compile(r"(?<=[aeiou])h(?![aeiouy])")
_DOUBLES = re.compile(r"(.)\1+")


def fold(name: str) -> str:
    """Exact key: NFKD-folded, lower case, ASCII where possible, words split on punctuation."""
    text = unicodedata.normalize("NFKC", name).lower().translate(_SPECIAL)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _NON_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def strip_articles(folded: str) -> list[str]:
    """Tokens of a folded name without Arabic articles (standalone or fused to the next word)."""
    out = []
    for token in folded.split():
        if token in ARTICLES:
            continue
        out.append(_FUSED_ASSIMILATED.sub("", token, count=1))
    if not out:  # a name that is only an article ("As") keeps itself
        return folded.split()
    return out


def skeleton(name: str, *, folded: bool = False) -> str:
    """Phonetic key for transliteration variants; empty for names with no Latin letters."""
    text = name if folded else fold(name)
    tokens = strip_articles(text)
    if not tokens:
        return ""
    # a leading fused "al"/"el" ("Albukamal", "Albu Kamal") is dropped, as a standalone one is
    word = _FUSED_AL.sub("", "".join(_VOWEL_H.sub("", t) for t in tokens), count=1)
    if not word.isascii() or not word.isalnum():
        return ""
    word = _DOUBLES.sub(r"\1", word)
    for src, dst in _ALTERNATIONS:
        word = word.replace(src, dst)
    consonants = _VOWELS.sub("", word)
    return consonants if len(consonants) >= 2 else word


_FACILITY = re.compile(
    r"\b(?:international |military |civil )?(?:airport|air base|airbase|air field|airfield|aerodrome|"
    r"airstrip|air station)$"
)


@lru_cache(maxsize=65536)
def key(name: str) -> str:
    """The index key: :func:`fold`, with airport/air-base/airfield endings made one ("X airport")."""
    return _FACILITY.sub("airport", fold(name))
