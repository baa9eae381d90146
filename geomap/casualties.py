"""Killed and injured figures in English news sentences about armed incidents.

:func:`find_figures` reads a count together with the word that says what befell those counted,
either way round ("killing three soldiers", "62 soldiers were killed", "the death toll rose to
62", "claimed 62 lives"), and statements of none ("no one was hurt", "no casualties", "no soldiers were
killed", "no lives were lost", "without loss of life", "did not cause any injuries", "killed no one"). Decisions:

* Vague counts take ACLED's conservative values as open-ended lows: "tens" 10, "dozens" 12,
  "scores" 20, "hundreds" 100, "thousands" 1000; likewise "several" 3 and "a few" 2.
* Qualifiers: "at least N" is (N, None); "more than"/"over" (N+1, None); "about", "around",
  "approximately", "some" N plus or minus 10% (at least 1); "nearly"/"almost" (N - 10%, N-1);
  "up to"/"as many as" (1, N); "fewer than" (1, N-1). Ranges: "60 to 90", "60-90", "between 60
  and 90", "two or three".
* "N casualties" is not read: it may count the dead alone or the dead and wounded together;
  "no casualties" is zero of both. Joint counts ("12 killed or wounded") are not read either, nor
  "no immediate reports of casualties", which says nothing. Counts among the dead or wounded
  ("three of the dead were children") are not totals and are not read.
* A count is not read when it counts things rather than people ("three air strikes", "the 55 km
  zone") or is part of a name ("F-16"), age, date, time, percentage, sum of money or decimal.
  A bare four-digit number from 1900 to 2099 is a year unless qualified ("some 2000").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from geomap.wordscan import Anchored, Words

KINDS = ("killed", "injured")


@dataclass(frozen=True, slots=True)
class Figure:
    """A count of people killed or injured, as a range; ``high`` is None when open-ended."""

    kind: str
    low: int
    high: int | None
    start: int
    end: int
    text: str


_ONES = "one two three four five six seven eight nine".split()  # noqa: SIM905
_TEENS_WORDS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()  # noqa: SIM905
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}  # noqa: SIM905
_WORD_VALUES = {w: i for i, w in enumerate((*_ONES, *_TEENS_WORDS), 1)} | _TENS
_VAGUE = {
    "tens": 10,
    "dozens": 12,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1000,
    "several": 3,
    "a few": 2,
    "tens of thousands": 10_000,
    "hundreds of thousands": 100_000,
}

_ONE_TO_NINE = "|".join(_ONES)
_TEENS = "|".join(_TEENS_WORDS)
_UNDER_100 = rf"(?:(?:{'|'.join(_TENS)})(?:[-\s](?:{_ONE_TO_NINE})\b)?|{_TEENS}|{_ONE_TO_NINE})"
_DIGITS = r"[0-9]{1,3}(?:,[0-9]{3}){1,3}|[0-9]{1,7}"
_NUMBER = (
    rf"(?:{_DIGITS}|(?:a|{_ONE_TO_NINE})\s+(?:hundred|thousand)(?:\s+and\s+{_UNDER_100})?|{_UNDER_100}|a\s+dozen|an?)"
)
_QUALIFIERS = {
    "least": r"at\s+least|no\s+(?:fewer|less)\s+than|a\s+minimum\s+of",
    "more": r"more\s+than|over|above|upwards\s+of|in\s+excess\s+of",
    "about": r"around|about|approximately|roughly|some|an\s+estimated|estimated",
    "nearly": r"nearly|almost|close\s+to|just\s+under",
    "upto": r"up\s+to|as\s+many\s+as|at\s+most|no\s+more\s+than",
    "fewer": r"fewer\s+than|less\s+than|under",
    "exact": r"a\s+total\s+of|a\s+further|another|an\s+additional|exactly",
}
_QUANTITY = re.compile(
    rf"""\b(?:(?:{"|".join(f"(?P<{k}>{v})" for k, v in _QUALIFIERS.items())})\s+)?
    (?: between\s+(?P<a>{_NUMBER})\s+and\s+(?P<b>{_NUMBER})
      | (?P<c>{_DIGITS})\s*[-–]\s*(?P<d>{_DIGITS})
      | (?P<e>{_NUMBER})\s+(?:to|or)\s+(?!an?\b)(?P<f>{_NUMBER})
      | (?P<vague>(?:tens|hundreds)\s+of\s+thousands|tens|dozens|scores|hundreds|thousands|several|a\s+few)
      | (?P<n>{_NUMBER})
    )\b""",
    re.X | re.I | re.A,
)
# every word a quantity can begin with (a qualifier's alternatives' first words, the numbers, the vague counts)
_QUANTITY_SCAN = Anchored(
    _QUANTITY,
    {w for v in _QUALIFIERS.values() for w in re.findall(r"(?:^|\|)([a-z]+)", v)}
    | {"between", "a", "an", "tens", "dozens", "scores", "hundreds", "thousands", "several"}
    | {*_ONES, *_TEENS_WORDS, *_TENS},
    digits=True,
)
_NUMBER_RE = re.compile(rf"(?:{_NUMBER})", re.I | re.A)

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?"
)
_MONTH_BEFORE = re.compile(rf"\b{_MONTH}\s+$", re.A)
_MONTH_AFTER = re.compile(rf"\s+(?:of\s+)?{_MONTH}", re.A)
_MONTH_WORD = re.compile(_MONTH, re.A)
_SPACES = re.compile(r"\s*")
_NOT_COUNTED = re.compile(r"[%:/°$£€#]|[.,][0-9]|[-–]?[^\W_]", re.A)
_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)", re.A)
_THINGS = frozenset(
    """strike airstrike air raid bomb rocket missile shell mortar drone grenade mine round shot bullet vehicle
    car truck tank bus boat ship aircraft plane jet helicopter weapon gun rifle building house home village
    town city district province area zone km kilometre kilometer mile metre meter foot feet yard hectare
    acre ton tonne second minute hour day night week month year decade time percent per cent million billion
    dollar euro pound attack explosion blast incident clash operation am pm gmt""".split()  # noqa: SIM905
)
_BREAKS = frozenset(
    """and or but nor that which who whom whose when where while whereas after before since until because if as
    than then so said says say told according including not never no""".split()  # noqa: SIM905
)
_DETERMINERS = re.compile(
    r"(?:the|a|an|his|her|their|its|our|this|that|these|those|him|them|it|us|me|himself|herself|themselves"
    r"|itself|everyone|all)\b",
    re.I | re.A,
)

_TOKEN = re.compile(r"[^\W_][\w'’-]*|\S")
_TRIGGER = re.compile(
    r"""(?:(?P<killed>killed|dead|died|dies|die|deaths|fatalities|slain|perished|martyred
          |lost\s+(?:their|his|her)\s+lives?)
        | (?P<injured>injured|wounded|hurt|injuries)
        | (?P<casualties>casualties))\b""",
    re.X | re.I | re.A,
)
_TRANSITIVE = frozenset({"killed", "wounded", "injured", "hurt"})
_PASSIVE = frozenset({"was", "were", "been", "being", "is", "are", "be"})
_AND_PASSIVE = re.compile(r"\s+(?:were|was)\s+(?:\w+\s+)?(?:killed|wounded|injured|hurt)\b", re.I | re.A)
_JOINT_AFTER = re.compile(r"\s+(?:or|and)\s+(?:were\s+|was\s+)?(?:killed|dead|wounded|injured|hurt)\b", re.I | re.A)
_VERB_BEFORE = re.compile(
    r"""(?P<joint>\b(?:killing|killed|wounding|wounded|injuring|injured)\s+(?:or|and)\s+)?
    \b(?:(?P<killed>killing|killed|kills|kill|slaying|slew|(?:claimed|claiming|took|taking)\s+the\s+lives\s+of)
      | (?P<injured>wounding|wounded|wounds|wound|injuring|injured|injures|injure)
      | (?P<lives>claimed|claiming|cost|costing|took|taking))
    \s+$""",
    re.X | re.I | re.A,
)
_LIST_GAP = re.compile(r"\s+(?P<words>[A-Za-z'-]+(?:\s+[A-Za-z'-]+){0,2})(?:,\s+(?:and\s+)?|\s+and\s+)", re.A)
_PART_OF = re.compile(r"\bof\s+(?:the\s+)?$", re.I | re.A)
_LIVES_AFTER = re.compile(r"\s+(?:innocent\s+|civilian\s+|their\s+|his\s+|her\s+)?li(?:ves|fe)\b", re.I | re.A)
_LIVES = re.compile(r"\blives\b", re.I | re.A)
_TOLL_BEFORE = re.compile(
    r"\b(?:toll|number\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}(?:killed|dead))\b[^.;!?]{0,80}?"
    r"\b(?:to|at|of|reached|hit|passed|exceeded|is|was|now)\s+$",
    re.I | re.A,
)
_OWNERS = frozenset({"the", "our", "their", "its", "his", "her", "your"})  # "the dead", "our wounded": not counted
_PEOPLE = (
    r"(?:people|persons?|civilians?|soldiers?|troops|personnel|fighters|servicemen|service\s+members|members|crew"
    r"|residents|staff|workers|passengers|children|guards|police(?:men)?|officers|militants|Americans|lives)"
)
_NONE_HARMED = re.compile(
    rf"""\b(?:no[-\s]one|nobody|none(?:\s+of(?:\s+[a-z]+){{1,4}}?)?
      | no\s+(?:[\w.'-]+\s+){{0,2}}?{_PEOPLE})\s+
    (?:(?:was|were|has|have|had|been|is|are|got|reportedly|reported|seriously|immediately)\s+){{0,3}}
    (?P<a>killed|died|hurt|injured|wounded|harmed|lost)
    (?:\s+(?:or|and)\s+(?P<b>killed|hurt|injured|wounded|harmed))?\b""",
    re.X | re.I | re.A,
)
_NO_CASUALTIES = re.compile(
    r"""\b(?:no\s+|without\s+(?:causing\s+)?(?:any\s+)?|zero\s+
      | (?:did\s+not|didn't|does\s+not|failed\s+to)\s+(?:cause|result\s+in|lead\s+to|inflict)\s+any\s+)
    (?:reported\s+|civilian\s+|military\s+|human\s+)?
    (?P<a>casualties|deaths|fatalities|injuries|dead|loss\s+of\s+(?:human\s+)?life)
    (?:\s+(?:or|and)\s+(?P<b>deaths|injuries|casualties))?\b""",
    re.X | re.I | re.A,
)
_HARMED_NONE = re.compile(
    r"""\b(?:(?P<a>killed|killing|injured|injuring|wounded|wounding|hurt|hurting|harmed)\s+(?:no[-\s]one|nobody)
      | (?:did\s+not|didn't)\s+(?P<b>kill|injure|wound|hurt|harm)\s+(?:anyone|anybody))\b""",
    re.X | re.I | re.A,
)
_KIND_OF = {
    "killed": ("killed",),
    "killing": ("killed",),
    "kill": ("killed",),
    "died": ("killed",),
    "dead": ("killed",),
    "deaths": ("killed",),
    "fatalities": ("killed",),
    "lost": ("killed",),  # "no lives were lost"
    "harmed": KINDS,
    "harm": KINDS,
    "casualties": KINDS,
}


def _number(words: str) -> int:
    """The value of a number in digits or words ("1,200", "twenty-five", "a dozen", "two hundred")."""
    words = words.lower()
    if words[0].isdigit():
        return int(words.replace(",", ""))
    total = current = 0
    for word in re.split(r"[-\s]+", words):
        if word in ("a", "an"):
            current = 1
        elif word == "dozen":
            current *= 12
        elif word == "hundred":
            current *= 100
        elif word == "thousand":
            total, current = total + current * 1000, 0
        elif word != "and":
            current += _WORD_VALUES[word]
    return total + current


def _bounds(q: re.Match[str]) -> tuple[int, int | None]:
    """The (low, high) a count stands for, after its qualifier."""
    if q["vague"]:
        return _VAGUE[" ".join(q["vague"].lower().split())], None
    if q["n"] is None:
        ends = sorted(_number(x) for x in (q["a"] or q["c"] or q["e"], q["b"] or q["d"] or q["f"]))
        return ends[0], ends[1]
    n = _number(q["n"])
    margin = max(1, (n + 5) // 10)
    if q["least"]:
        return n, None
    if q["more"]:
        return n + 1, None
    if q["about"]:
        return max(0, n - margin), n + margin
    if q["nearly"]:
        return max(0, n - margin), max(0, n - 1)
    if q["upto"]:
        return min(1, n), n
    if q["fewer"]:
        return min(1, max(0, n - 1)), max(0, n - 1)
    return n, n


def _is_count(text: str, q: re.Match[str]) -> bool:
    """Whether a number counts people, judged by its neighbours (not a date, age, unit, model...)."""
    start, end = q.span()
    if start and (text[start - 1] in "-–/.:$£€#" or text[start - 1].isalnum()):
        return False
    if (
        _NOT_COUNTED.match(text, end)
        or _MONTH_AFTER.match(text, end)
        or _MONTH_BEFORE.search(text, max(0, start - 12), start)
    ):
        return False
    if (word := _NEXT_WORD.match(text, end)) and _is_thing(word[1]):
        return False
    qualified = any(q[k] for k in _QUALIFIERS)
    if q["n"] and q["n"].lower() in ("a", "an") and qualified and not q["exact"]:
        return False
    return not (q["n"] and not qualified and re.fullmatch("(?:19|20)[0-9]{2}", q["n"]))


def _is_thing(word: str) -> bool:
    w = word.lower()
    return w in _THINGS or (w.endswith("s") and w[:-1] in _THINGS) or (w.endswith("es") and w[:-2] in _THINGS)


def _after(text: str, q: re.Match[str]) -> tuple[str, int, int] | None:
    """The kind, start and end of a casualty word following the count ``q`` ("62 soldiers were killed")."""
    if _PART_OF.search(text, max(0, q.start() - 12), q.start()):  # not "12" in "one of the 12 soldiers"
        return None
    previous, passive = "", False
    for i, token in enumerate(_TOKEN.finditer(text, q.end())):
        if trigger := _TRIGGER.match(text, token.start()):
            if trigger["casualties"] or previous in _OWNERS or _JOINT_AFTER.match(text, trigger.end()):
                return None
            if trigger.group().lower() in _TRANSITIVE and not passive:  # "three gunmen killed two police officers"
                after = _SPACES.match(text, trigger.end()).end()
                obj = _QUANTITY.match(text, after)
                if _DETERMINERS.match(text, after) or (obj and _is_count(text, obj)):
                    return None
            return ("killed" if trigger["killed"] else "injured"), q.start(), trigger.end()
        word = token.group().lower()
        if word == "and" and _AND_PASSIVE.match(text, token.end()):  # "two crew members ejected and were hurt"
            continue
        if (
            i >= 7
            or not word[0].isalnum()
            or word in _BREAKS
            or _is_thing(word)
            or (_NUMBER_RE.fullmatch(word) and previous != "the")  # but "one of the 12 soldiers was killed"
            or _MONTH_WORD.fullmatch(token.group())
        ):
            return None
        previous, passive = word, passive or word in _PASSIVE
    return None


def _before(text: str, q: re.Match[str]) -> tuple[str, int, int] | None:
    """The kind, start and end of a casualty verb or toll leading up to the count ``q`` ("killing three")."""
    start, end = q.span()
    if verb := _VERB_BEFORE.search(text, max(0, start - 40), start):
        if verb["joint"]:
            return None
        if not verb["lives"]:
            return ("killed" if verb["killed"] else "injured"), verb.start(), end
        if lives := _LIVES_AFTER.match(text, end):
            return "killed", verb.start(), lives.end()
    elif toll := _TOLL_BEFORE.search(text, max(0, start - 120), start):
        return "killed", toll.start(), end
    return None


def _is_noun(word: str) -> bool:
    """Whether a word can name the people counted (not a verb, linking word or casualty word)."""
    w = word.lower()
    return w not in _BREAKS and w not in _PASSIVE and not _TRIGGER.fullmatch(w) and not _is_thing(w)


def _listed(text: str, a: re.Match[str], b: re.Match[str]) -> bool:
    """Whether counts ``a`` and ``b`` are items of one list ("two soldiers and a civilian")."""
    gap = _LIST_GAP.fullmatch(text, a.end(), b.start())
    following = _NEXT_WORD.match(text, b.end())
    return bool(gap and following) and all(_is_noun(w) for w in (*gap["words"].split(), following[1]))


def _figures(text: str, group: list[re.Match[str]]) -> list[Figure]:
    """The figures of listed counts: one total when a verb leads the list or a casualty word ends it,
    else one figure per count that has its own."""
    before, after = _before(text, group[0]), _after(text, group[-1])
    reading = before or after
    if len(group) > 1 and reading and not (before and after):
        kind, start, end = reading
        start, end = min(start, group[0].start()), max(end, group[-1].end())
        bounds = [_bounds(q) for q in group]
        high = None if any(h is None for _, h in bounds) else sum(h or 0 for _, h in bounds)
        return [Figure(kind, sum(low for low, _ in bounds), high, start, end, text[start:end])]
    figures = []
    for q in group:
        if reading := _before(text, q) or _after(text, q):
            kind, start, end = reading
            figures.append(Figure(kind, *_bounds(q), start, end, text[start:end]))
    return figures


def find_figures(text: str, index: Words | None = None) -> list[Figure]:
    """Killed and injured figures in ``text`` (``index``: its words, when the caller has one), in order
    of position."""
    figures: list[Figure] = []
    for m in (*_NONE_HARMED.finditer(text), *_NO_CASUALTIES.finditer(text), *_HARMED_NONE.finditer(text)):
        words = [" ".join(w.lower().split()) for w in (m["a"], m["b"]) if w]
        if words == ["lost"] and not (_LIVES.search(m.group()) or _LIVES_AFTER.match(text, m.end())):
            continue  # "nobody lost hope"
        kinds = {k for w in words for k in _KIND_OF.get("killed" if w.startswith("loss of") else w, ("injured",))}
        figures += [Figure(kind, 0, 0, m.start(), m.end(), m.group()) for kind in sorted(kinds)]
    negated = [(f.start, f.end) for f in figures]
    groups: list[list[re.Match[str]]] = []
    for q in _QUANTITY_SCAN.finditer(index or Words(text)):
        if any(s < q.end() and q.start() < e for s, e in negated) or not _is_count(text, q):
            continue
        if groups and _listed(text, groups[-1][-1], q):
            groups[-1].append(q)
        else:
            groups.append([q])
    for group in groups:
        figures += _figures(text, group)
    return sorted(figures, key=lambda f: (f.start, f.kind))


def combine(figures: Iterable[Figure], kind: str) -> tuple[int, int] | None:
    """The (min, max) over the figures of one kind, an open-ended figure counting as its low;
    None when there is none."""
    ranges = [(f.low, f.low if f.high is None else f.high) for f in figures if f.kind == kind]
    if not ranges:
        return None
    return min(low for low, _ in ranges), max(high for _, high in ranges)
