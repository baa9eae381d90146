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
"this week", "last week", "the weekend", "N days/weeks ago", months ("in April", "last March",
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
from geomap.events.triggers import Frame, lemma

SPANS_KEY = "dates"
# days counted from the day of writing, which a quote or a late report may shift by one
RELATIVE_WORDS = {"today", "tonight", "yesterday", "overnight", "this", "last", "night"} - {"last"} | {"ago"}
# a date expression governed by these dates a statement, a toll, a period or a document, not the event
_SPEECH_OR_TOLL = lexicon.SPEECH_VERBS | lexicon.RISING | {"put", "give", "update", "publish", "hold", "mark"}
_PERIOD_PREPOSITIONS = {"since", "until", "till", "through", "throughout", "for", "by", "over", "within"}
_OTHER_NOUNS = {
    "release",
    "statement",
    "deadline",
    "fast",
    "holiday",
    "election",
    "meeting",
    "conference",
    "report",
    "briefing",
    "interview",
    "anniversary",
    "ceremony",
    "speech",
    "funeral",
    "visit",
    "talks",
    "summit",
}
_NOT_A_DAY = {"recent", "past", "next", "coming", "every", "each", "old", "long", "later", "ago"} - {"ago"}
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _month(word: str) -> int | None:
    return lexicon.MONTH_NUMBERS.get(word.rstrip(".").lower())


def _latest(month: int, day: int, limit: date) -> date | None:
    for year in range(limit.year, limit.year - 3, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= limit:
            return candidate
    return None


def _count(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return lexicon.NUMBER_WORDS.get(word)


def resolve(words: list[str], reference: date | None) -> tuple[date, str] | None:
    """The (day, precision) a date expression's words stand for, counted from ``reference``; None when
    they name no day, week, month or year in the past (a duration, a period, a time of day)."""
    low = [w.lower().rstrip(".,") for w in words]
    if not low or set(low) & _NOT_A_DAY:
        return None
    for w in low:
        if m := _ISO.match(w):
            try:
                return date(int(m[1]), int(m[2]), int(m[3])), "day"
            except ValueError:
                return None
    months = [(i, m) for i, w in enumerate(low) if (m := _month(w)) and (w in lexicon.MONTHS or len(words[i]) <= 5)]
    months = [(i, m) for i, m in months if words[i][:1].isupper()]  # "may", "march" are verbs in lower case
    years = [int(w) for w in low if _YEAR.match(w)]
    days = [int(m[1]) for w in low if (m := _ORDINAL.match(w)) and 1 <= int(m[1]) <= 31 and not _YEAR.match(w)]
    if months and days:
        month = months[0][1]
        if years:
            try:
                return date(years[0], month, days[0]), "day"
            except ValueError:
                return None
        if reference is None:
            return None
        found = _latest(month, days[0], reference + timedelta(days=1))
        return (found, "day") if found else None
    if months:
        month = months[0][1]
        if years:
            return date(years[0], month, 1), "month"
        if reference is None:
            return None
        year = reference.year if month <= reference.month else reference.year - 1
        if "last" in low and month >= reference.month:
            year = reference.year - 1
        return date(year, month, 1), "month"
    if years and not days:
        return (date(years[0], 1, 1), "year") if len(low) <= 3 else None
    if reference is None:
        return None
    weekday = next((lexicon.WEEKDAYS.index(w) for w in low if w in lexicon.WEEKDAYS), None)
    if weekday is not None:
        back = (reference.weekday() - weekday) % 7
        if back == 0 and "last" in low:
            back = 7
        return reference - timedelta(days=back), "day"
    text = " ".join(low)
    if "weekend" in low:
        return reference - timedelta(days=(reference.weekday() - 5) % 7 or 7), "day"
    if text in ("today", "tonight") or text.startswith(("this morning", "this afternoon", "this evening", "earlier today")):
        return reference, "day"
    if "yesterday" in low or text in ("last night", "overnight") or text.endswith("overnight"):
        return reference - timedelta(days=1), "day"
    if "ago" in low and len(low) >= 3:
        n = _count(low[-3]) if low[-3] not in ("a", "an") else 1
        unit = low[-2].rstrip("s")
        if n is None:
            return None
        if unit == "day":
            return reference - timedelta(days=n), "day"
        if unit == "week":
            return reference - timedelta(weeks=n), "week"
        if unit == "month":
            return _months_back(reference, n), "month"
        if unit == "year":
            return date(reference.year - n, 1, 1), "year"
        return None
    if text.endswith("this week"):
        return reference - timedelta(days=reference.weekday()), "week"
    if text == "last week":
        return reference - timedelta(days=reference.weekday() + 7), "week"
    if text.endswith("this month"):
        return reference.replace(day=1), "month"
    if text == "last month":
        return _months_back(reference, 1), "month"
    if text.endswith("this year"):
        return date(reference.year, 1, 1), "year"
    if text == "last year":
        return date(reference.year - 1, 1, 1), "year"
    return None


def _months_back(day: date, n: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - n, 12)
    return date(year, month + 1, 1)


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
            reading = resolve([t.text for t in span], source.reference)
            if reading is not None:
                start, end = source.chars(span)
                words = {t.lower_.rstrip(".") for t in span}
                explicit = reading[1] == "day" and bool(words & set(lexicon.MONTH_NUMBERS))
                relative = bool(words & RELATIVE_WORDS)
                found.append((span, When(reading[0], reading[1], start, end, span.text, explicit, relative)))
        doc.spans[SPANS_KEY] = [span for span, _ in found]
        doc._.whens = [when for _, when in found]
        for frame in doc._.frames or []:
            frame.mention.when = self.attached(frame, found)
        return doc

    @staticmethod
    def attached(frame: Frame, found: list[tuple[Span, When]]) -> When | None:
        """The date expression of the event's sentence that dates the event itself, nearest in the parse."""
        sent = frame.sent
        best = None
        for span, when in found:
            if not (sent.start <= span.start < sent.end) or not _dates_event(span, frame):
                continue
            distance = _distance(span.root, frame.trigger)
            if best is None or distance < best[0]:
                best = (distance, when)
        return best[1] if best else None


def _dates_event(span: Span, frame: Frame) -> bool:
    """Whether a date expression of the event's sentence can date the event: it hangs on the event (its
    trigger, its clause, or a clause that holds it), not on what dates something else (a saying, a toll's
    update, a period, a document, another event)."""
    root = span.root
    governor = root.head if root.head != root else root
    if governor.dep_ == "prep" or governor.pos_ == "ADP":
        if governor.lower_ in _PERIOD_PREPOSITIONS:
            return False
        governor = governor.head
    if root.dep_ == "poss" or governor.i == frame.trigger.i:
        return True  # "Sunday's dawn raid", "the weekend airstrike"
    if lemma(governor) in lexicon.EVENT_NOUNS and governor.i != frame.trigger.i and governor.pos_ == "NOUN":
        return _is_same_event(governor, frame)
    if lemma(governor) in _OTHER_NOUNS:
        return False
    below = root
    for a in (governor, *governor.ancestors):
        if a.i in (frame.head.i, frame.trigger.i):
            return True
        if any(c.dep_ in ("mark", "prep") and c.lower_ in _PERIOD_PREPOSITIONS for c in a.children):
            return False  # "since US-led forces toppled Saddam Hussein 13 years ago"
        if a.pos_ in ("VERB", "AUX"):
            if lemma(a) in _SPEECH_OR_TOLL and below.dep_ not in ("ccomp", "xcomp", "parataxis", "advcl", "conj"):
                return False  # "said on Tuesday", "rose to 100 on Tuesday": the saying's or the toll's date
            # the clause the date hangs on must hold the event ("21 were killed on Wednesday when shells hit") or
            # hang on it ("the attack ... took place on Saturday"), not be a clause of its own ("Eid, which
            # begins on Wednesday")
            return frame.head.i in {t.i for t in a.subtree} or a.i in {t.i for t in frame.head.subtree}
        below = a
    return False


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
    return noun.i in {t.i for t in frame.head.subtree} and not any(
        a.lower_ in ("after", "since", "following", "before", "response", "retaliation") for a in noun.ancestors
    )


def _distance(a: Token, b: Token) -> int:
    """Edges between two tokens of one parse tree."""
    up_a = [a, *a.ancestors]
    index = {t.i: n for n, t in enumerate(up_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in index:
            return n + index[t.i]
    return 99


@Language.factory("geomap_event_dates")
def make_event_dates(nlp: Language, name: str) -> EventDates:
    return EventDates(nlp)
