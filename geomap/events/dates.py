"""Dates: the day each event happened, read from the date expression attached to it.

Date expressions are the model's DATE and TIME entities, and weekday and month words it missed (a
``Matcher``). Each is resolved by :func:`resolve` against the article's reference day (its dateline's
date, else its publication date). ``geomap_event_dates`` gives each event the expression of its own
sentence that its clause holds, nearest to the trigger in the parse, and never one that dates
something else: what a speaker said when ("the Pentagon said Thursday"), a toll's update ("rose to 100 on
Tuesday"), a period ("since April 2023", "in recent days"), a document or deadline ("a Thursday press
release", "the August 31 deadline"), or another event ("in response to the Jan. 3 strike").

:func:`resolve` reads: explicit days ("December 28, 2019", "26 September 2018", "Jan. 7", "2019-12-28"),
weekdays with their modifiers ("late on Saturday", "Saturday night", "last Monday") as the latest such
day on or before the reference day, "today", "yesterday", "last night", "overnight" (the day before),
"this week", "last week", "the weekend", "N days/weeks/months/years ago", months ("in April", "last March",
"September 2022") and years ("in 2013"). A day without a year takes the latest year that puts it no
later than the day after the reference day.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from geomap import lexicon
from geomap.events.records import When
from geomap.events.tree import distance, lemma, reach
from geomap.events.triggers import Frame

SPANS_KEY = "dates"
# words of a day counted from the day of writing, which a quote or a late report may shift by one
RELATIVE_WORDS = frozenset({"today", "tonight", "yesterday", "overnight", "this", "night", "ago"})
# a date expression governed by these dates a statement, a toll, a period or a document, not the event
_SPEECH_OR_TOLL = lexicon.SPEECH_VERBS | lexicon.RISING | {"put", "give", "publish", "hold", "mark"}
_PERIOD_PREPOSITIONS = frozenset({"since", "until", "till", "through", "throughout", "for", "by", "over", "within"})
_SPANS = lexicon.words("day week month year hour night decade century weekend morning evening afternoon")
_OTHER_NOUNS = lexicon.words(
    "release statement deadline fast holiday election meeting conference report briefing interview anniversary "
    "speech talks summit"
)
_NOT_A_DAY = frozenset({"recent", "past", "next", "coming", "every", "each", "old", "long", "later", "following"})
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TODAY = ("today", "tonight", "this morning", "this afternoon", "this evening", "earlier today")
_UNITS = {"day": "day", "week": "week", "month": "month", "year": "year"}

Reading = tuple[date, str]


def resolve(words: list[str], reference: date | None) -> Reading | None:
    """The (day, precision) a date expression's words stand for, counted from ``reference``; None when
    they name no day, week, month or year in the past (a duration, a period, a time of day)."""
    low = [w.lower().rstrip(".,") for w in words]
    if not low or set(low) & _NOT_A_DAY:
        return None
    try:
        return _calendar(words, low, reference) or (_relative(low, reference) if reference else None)
    except ValueError:  # no such day ("February 30")
        return None


def _calendar(words: list[str], low: list[str], reference: date | None) -> Reading | None:
    """Days, months and years named in the calendar: "2019-12-28", "December 28, 2019", "Jan. 7", "April"."""
    for w in low:
        if m := _ISO.match(w):
            return date(int(m[1]), int(m[2]), int(m[3])), "day"
    # a month is a capitalised month name ("may", "march" in lower case are verbs)
    months = [
        n for w, word in zip(low, words, strict=True) if (n := lexicon.MONTH_NUMBERS.get(w)) and word[:1].isupper()
    ]
    years = [int(w) for w in low if _YEAR.match(w)]
    days = [int(m[1]) for w in low if (m := _ORDINAL.match(w)) and 1 <= int(m[1]) <= 31]
    if months and days:
        if years:
            return date(years[0], months[0], days[0]), "day"
        if reference is None:
            return None
        found = _latest(months[0], days[0], reference + timedelta(days=1))
        return (found, "day") if found else None
    if months:
        if years:
            return date(years[0], months[0], 1), "month"
        if reference is None:
            return None
        year = reference.year if months[0] <= reference.month else reference.year - 1
        if "last" in low and months[0] >= reference.month:
            year = reference.year - 1
        return date(year, months[0], 1), "month"
    if years and len(low) <= 3:
        return date(years[0], 1, 1), "year"
    return None


def _relative(low: list[str], reference: date) -> Reading | None:
    """Days counted from the reference day: weekdays, "today", "overnight", "two days ago", "last week"."""
    weekday = next((lexicon.WEEKDAYS.index(w) for w in low if w in lexicon.WEEKDAYS), None)
    if weekday is not None:
        back = (reference.weekday() - weekday) % 7
        return reference - timedelta(days=back or (7 if "last" in low else 0)), "day"
    text = " ".join(low)
    if "weekend" in low:
        return reference - timedelta(days=(reference.weekday() - 5) % 7 or 7), "day"
    if text.startswith(_TODAY):
        return reference, "day"
    if "yesterday" in low or text in ("last night", "overnight") or text.endswith("overnight"):
        return reference - timedelta(days=1), "day"
    if low[-1] == "ago" and len(low) >= 3 and (unit := _UNITS.get(low[-2].rstrip("s"))):
        n = 1 if low[-3] in ("a", "an") else _count(low[-3])
        return None if n is None else _back(reference, n, unit)
    last, unit = low[0] == "last", _UNITS.get(low[-1])
    if unit and unit != "day" and (last or low[-2:-1] == ["this"]) and len(low) <= 3:
        return _back(reference, int(last), unit)
    return None


def later(words: list[str], before: When) -> Reading | None:
    """A date counted from the one told before it: "a year later", "two days later", "the next day"; at the
    coarser of the two precisions ("a year later" after "April 2017" is April 2018)."""
    low = [w.lower() for w in words]
    if low[-1] == "later" and len(low) >= 3:
        n, unit = (1 if low[-3] in ("a", "an") else _count(low[-3])), _UNITS.get(low[-2].rstrip("s"))
    elif len(low) >= 2 and low[-2] in ("next", "following"):
        n, unit = 1, _UNITS.get(low[-1])
    else:
        return None
    if n is None or unit is None:
        return None
    day, _ = _back(before.date, -n, unit) if unit != "day" else (before.date + timedelta(days=n), "day")
    order = ("day", "week", "month", "year")
    precision = max(unit if unit != "year" else "month", before.precision, key=order.index)
    return (day if unit != "year" else date(before.date.year + n, before.date.month, 1)), precision


def _back(reference: date, n: int, unit: str) -> Reading:
    """The start of the day, week (Monday), month or year ``n`` of them before the reference day's."""
    if unit == "day":
        return reference - timedelta(days=n), "day"
    if unit == "week":
        return reference - timedelta(days=reference.weekday() + 7 * n), "week"
    if unit == "month":
        year, month = divmod(reference.year * 12 + reference.month - 1 - n, 12)
        return date(year, month + 1, 1), "month"
    return date(reference.year - n, 1, 1), "year"


def _latest(month: int, day: int, limit: date) -> date | None:
    """The latest date of this month and day not after ``limit``."""
    for year in range(limit.year, limit.year - 3, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= limit:
            return candidate
    return None


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else lexicon.NUMBER_WORDS.get(word)


if not Doc.has_extension("whens"):
    Doc.set_extension("whens", default=None)


class EventDates:
    """Sets ``doc.spans["dates"]`` (the resolved expressions, their readings in ``doc._.whens``) and each
    event's ``when``."""

    def __init__(self, nlp: Language):
        self.matcher = Matcher(nlp.vocab)
        weekdays = [w.capitalize() for w in lexicon.WEEKDAYS]
        months = [m.capitalize() for m in lexicon.MONTHS]
        self.matcher.add(
            "DATE",
            [
                [{"LOWER": {"IN": ["late", "early", "last"]}, "OP": "?"}, {"ORTH": {"IN": weekdays}}],
                [{"ORTH": {"IN": months}}, {"LIKE_NUM": True}, {"ORTH": ",", "OP": "?"}, {"SHAPE": "dddd", "OP": "?"}],
                [{"LIKE_NUM": True}, {"ORTH": {"IN": months}}, {"SHAPE": "dddd", "OP": "?"}],
                [{"LOWER": {"IN": ["overnight", "yesterday", "today", "tonight"]}}],
                [{"LOWER": "last"}, {"LOWER": {"IN": ["night", "week", "month", "year", "weekend"]}}],
                [{"LOWER": {"IN": ["the", "this"]}, "OP": "?"}, {"LOWER": "weekend"}],
                [
                    {"LIKE_NUM": True},
                    {"LOWER": {"IN": ["day", "days", "week", "weeks", "month", "months", "year", "years"]}},
                    {"LOWER": "later"},
                ],
                [
                    {"LOWER": {"IN": ["a", "an"]}},
                    {"LOWER": {"IN": ["day", "week", "month", "year"]}},
                    {"LOWER": "later"},
                ],
                [
                    {"LOWER": "the"},
                    {"LOWER": {"IN": ["next", "following"]}},
                    {"LOWER": {"IN": ["day", "week", "month", "year"]}},
                ],
            ],
            greedy="LONGEST",
        )

    def __call__(self, doc: Doc) -> Doc:
        source = doc._.source
        spans = [e for e in doc.ents if e.label_ in ("DATE", "TIME")]
        taken = {t.i for e in doc.ents for t in e}  # "the Sunday Times" is a newspaper, not a day
        for _, start, end in self.matcher(doc):
            if not any(i in taken for i in range(start, end)):
                spans.append(Span(doc, start, end, label="DATE"))
                taken.update(range(start, end))
        found = []
        for span in sorted(spans, key=lambda s: s.start):
            if _in_dateline(span):
                continue
            words = [t.text for t in span]
            reading = resolve(words, source.reference) or (later(words, found[-1][1]) if found else None)
            if reading is not None:
                start, end = source.chars(span)
                words = {t.lower_.rstrip(".") for t in span}
                explicit = reading[1] == "day" and bool(words & set(lexicon.MONTH_NUMBERS))
                relative = bool(words & RELATIVE_WORDS)
                found.append((span, When(reading[0], reading[1], start, end, span.text, explicit, relative)))
        doc.spans[SPANS_KEY] = [span for span, _ in found]
        doc._.whens = [when for _, when in found]
        frames = doc._.frames or []
        for frame in frames:
            frame.mention.when = self.attached(frame, found)
        for frame in frames:
            if frame.mention.when is None:
                frame.mention.when = self.loose(frame, found, frames)
        return doc

    @staticmethod
    def attached(frame: Frame, found: list[tuple[Span, When]]) -> When | None:
        """The date expression of the event's sentence that dates the event itself: a calendar day first, then the
        nearest in the parse."""
        sent = frame.sent
        best = None
        for span, when in found:
            if not (sent.start <= span.start < sent.end) or not _dates_event(span, frame):
                continue
            edges = (not when.explicit, distance(span.root, frame.trigger))  # a calendar day before "overnight"
            if best is None or edges < best[0]:
                best = (edges, when)
        return best[1] if best else None

    @staticmethod
    def loose(frame: Frame, found: list[tuple[Span, When]], frames: list[Frame]) -> When | None:
        """For an event no date hangs on: its sentence's only date, when it is a day on a verb of harm that
        dates no other event of the sentence ("Five policemen were killed and 18 others injured on Monday when
        a bomber rammed the gate", parsed with the day on "injured")."""
        sent = frame.sent
        mine = [(span, when) for span, when in found if sent.start <= span.start < sent.end]
        if len(mine) != 1 or mine[0][1].precision != "day" or not _loose_day(mine[0][0]):
            return None
        if any(f.mention.when is mine[0][1] for f in frames if f.sent.start == sent.start):
            return None
        return mine[0][1]


def _dates_event(span: Span, frame: Frame) -> bool:
    """Whether a date expression of the event's sentence can date the event: it hangs on the event (its
    trigger, its clause, or a clause that holds it), not on what dates something else (a saying, a toll's
    update, a period, a document, another event)."""
    root = span.root
    if frame.head.dep_ == "relcl" and frame.head.head.i in {t.i for t in span}:
        return True  # "on January 9, when warships shot down a salvo": the clause the date tells of
    saying = root.head.head if root.head.pos_ == "ADP" else root.head
    if lemma(saying) in lexicon.SPEECH_VERBS and saying.i > frame.head.i:
        speaker = next((c for c in saying.children if c.dep_ == "nsubj"), None)
        if speaker is not None and frame.head.i < root.i < speaker.i < saying.i:
            return True  # "a strike killed 12 people overnight, medics said", "... on Sunday night, authorities
            # informed", parsed with the date on the saying that follows
    chain = list(root.ancestors)
    if frame.head in chain and any(_describes(t, frame) for t in chain[: chain.index(frame.head)]):
        return False  # "threatens a truce brokered in Geneva on September 9": the truce's date
    governor = root.head if root.head != root else root
    if governor.dep_ == "prep" or governor.pos_ == "ADP":
        if governor.lower_ in _PERIOD_PREPOSITIONS:
            # "since March, when Russian missiles struck Yavoriv": the start of a period, unless the event is
            # the one the date's own clause tells
            return frame.head.i in {t.i for t in root.subtree}
        governor = governor.head
    if root.dep_ == "poss" or governor.i == frame.trigger.i:
        return True  # "Sunday's dawn raid", "the weekend airstrike"
    if lemma(governor) in lexicon.EVENT_NOUNS and governor.i != frame.trigger.i and governor.pos_ == "NOUN":
        return _is_same_event(governor, frame)
    if lemma(governor) in _OTHER_NOUNS:
        return False
    below = root
    for a in (governor, *governor.ancestors):
        if a.i == frame.head.i != frame.trigger.i and lemma(a) in lexicon.SPEECH_VERBS:
            return False  # "IS claimed the attack on Tuesday", "the attack was reported on Tuesday": the saying's
        if a.i in (frame.head.i, frame.trigger.i):
            return True
        if any(_period(c) for c in a.children):
            return False  # "since US-led forces toppled Saddam Hussein 13 years ago"
        if a.pos_ in ("VERB", "AUX"):
            if lemma(a) in _SPEECH_OR_TOLL and below.dep_ not in ("ccomp", "xcomp", "parataxis", "advcl", "conj"):
                return False  # "said on Tuesday", "rose to 100 on Tuesday": the saying's or the toll's date
            # the clause the date hangs on must hold the event ("21 were killed on Wednesday when shells hit") or
            # hang on it ("the attack ... took place on Saturday"), not be a clause of its own ("Eid, which
            # begins on Wednesday"); an event told in a relative clause is dated by its own words ("hit a base
            # that had launched an attack")
            if a.i in reach(frame.head):
                return True
            between = [frame.head, *frame.head.ancestors]
            between = between[: next((n for n, t in enumerate(between) if t.i == a.i), len(between))]
            dated = {t.i for t in span}  # "in October 2017, when a truck bomb killed 600": the clause of the date
            return len(between) < len([frame.head, *frame.head.ancestors]) and not any(
                t.dep_ == "relcl" and t.head.i not in dated for t in between
            )
        below = a
    return False


def _loose_day(span: Span) -> bool:
    """A day on a verb of harm: "18 others injured on Monday" dates the harm its sentence tells of."""
    governor = span.root.head
    if governor.pos_ == "ADP":
        if governor.lower_ in _PERIOD_PREPOSITIONS:
            return False
        governor = governor.head
    word = lemma(governor)  # ("claimed the attack on Tuesday" is a claim's day, not harm's)
    return word in lexicon.HARM_VERBS and word != "claim" and governor.pos_ in ("VERB", "ADJ")


def _period(c: Token) -> bool:
    """A word that makes its clause tell of a period: "since ...", "until ...", "for three years", "through the
    night" (but not "ripped through a market", "killed by gunmen")."""
    if c.lower_ not in _PERIOD_PREPOSITIONS or c.dep_ not in ("mark", "prep"):
        return False
    if c.dep_ == "mark":
        return True
    return any(o.dep_ == "pobj" and (o.ent_type_ in ("DATE", "TIME") or lemma(o) in _SPANS) for o in c.children)


def _describes(t: Token, frame: Frame) -> bool:
    """A clause that tells what happened to a noun other than the event's ("a truce brokered in Geneva", "a
    deal that was signed in May"); a state ("bases hosting US troops") has no date of its own."""
    told = t.dep_ == "relcl" or (t.dep_ == "acl" and t.tag_ == "VBN")
    return told and t.head.pos_ in ("NOUN", "PROPN") and t.head.i != frame.trigger.i


def _in_dateline(span: Span) -> bool:
    """A date in a dateline ("WARSAW, Nov 16 (Wire) -"): when the story was filed, not when it happened."""
    sent = span.sent
    if span.start - sent.start > 6:
        return False
    before = span.doc[sent.start : span.start]
    after = [t.text for t in span.doc[span.end : min(sent.end, span.end + 5)]]
    opens = all(t.is_punct or t.is_space or t.text[:1].isupper() for t in before) and len(before) > 0
    return opens and any(t in ("-", "–", "—", ":") for t in after)


def _is_same_event(noun: Token, frame: Frame) -> bool:
    return noun.i in reach(frame.head) and not any(
        a.lower_ in ("after", "since", "following", "before", "response", "retaliation") for a in noun.ancestors
    )


@Language.factory("geomap_event_dates")
def make_event_dates(nlp: Language, name: str) -> EventDates:
    return EventDates(nlp)
