"""Figures: how many people an event killed and injured, read through the parse.

A figure is a number (the model's CARDINAL entities, numbers it missed, and counts in words: "dozens",
"scores", "a dozen") joined in the parse to a word of harm:

* the verb that harmed the people counted: "killing at least 82 people", "82 people were killed",
  "19 people died", "left 534 people wounded", "claimed the lives of 20 civilians";
* a word of harm the number counts: "44 dead bodies", "534 wounded", "more than 1,000 deaths";
* a toll: "the death toll rose to 100", "put the toll at 292", "a toll of 82";
* a single person named as killed ("General X was killed", "one soldier died").

Statements of none ("no casualties", "no one was hurt", "there were no victims") read as zero of both.
A number counts things rather than people when the noun it counts is a thing ("15 missiles", "9 trucks",
"43 km"); dates, times, money, percentages and ordinals are not read.

Each figure says how it counts (:class:`~geomap.events.records.Count`): a part of the dead ("27 of the
dead", "among the victims", "including 11 Marines"), a total ("in all", "the death toll"), an addition
("60 Afghans were also killed"), or an earlier figure ("officials earlier reported 50 dead"). A toll over
a war or a period ("since the war began", "the insurgency has left 27,000 dead", "so far this year") is
no event's and is not read. ``geomap_event_figures`` gives each event the figures of its sentence
nearest to it in the parse; figures of sentences without an event are kept in ``doc._.loose_figures``
for the event they follow (:mod:`geomap.events.incidents`).
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
from spacy.attrs import DEP, HEAD, LOWER
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from geomap import lexicon
from geomap.events.records import Count, Figure, Harm, LooseFigure, When
from geomap.events.tree import clause_verb, distance, lemma, nouns, sentence_index

NOT_COUNTED_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"}
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
_ALSO = {"also", "too"}
_NOUNS = ("NOUN", "PROPN")
_MORE = {"additional", "further", "another", "other"}
# words around a count that say how sure it is ("at least", "more than", "up to"): a count is read as its number
_QUALIFIERS = lexicon.words(
    "at least more than over about around nearly almost some up to as many high close approximately roughly "
    "estimated an the of and just under fewer less no well all total"
)

if not Doc.has_extension("loose_figures"):
    Doc.set_extension("loose_figures", default=None)


def number(words: list[str]) -> tuple[int, bool] | None:
    """The value of a count's words and whether it is vague: "at least 82" (82), "Twenty-seven",
    "two-hundred", "1,280", "a dozen", "dozens" (12, vague), "tens of thousands" (10,000, vague)."""
    tokens = [p for w in words for p in w.lower().split("-") if p and p not in _QUALIFIERS]
    if not tokens:
        return None
    if tokens[0] in lexicon.VAGUE_COUNTS:
        value = lexicon.VAGUE_COUNTS[tokens[0]]
        if len(tokens) > 1 and tokens[-1] in ("thousands", "hundreds") and tokens[-1] != tokens[0]:
            value *= lexicon.VAGUE_COUNTS[tokens[-1]]
        return value, True
    total = current = 0
    for t in tokens:
        if _DIGITS.match(t):
            current += int(t.replace(",", ""))
        elif t in lexicon.MULTIPLIERS:
            current = max(current, 1) * lexicon.MULTIPLIERS[t]
            if t != "hundred":
                total, current = total + current, 0
        elif t in lexicon.NUMBER_WORDS:
            current = current * 12 if t == "dozen" and current else current + lexicon.NUMBER_WORDS[t]
        else:
            return None
    return total + current, False


class EventFigures:
    """Sets ``doc.spans["figures"]``, each event's ``figures`` and ``doc._.loose_figures``."""

    def __init__(self, nlp: Language):
        self.matcher = Matcher(nlp.vocab)
        vague = sorted(lexicon.VAGUE_COUNTS)
        self.matcher.add(
            "COUNT",
            [
                [{"LOWER": {"IN": ["a", "one"]}, "OP": "?"}, {"LOWER": "dozen"}],
                [{"LOWER": {"IN": vague}}, {"LOWER": "of", "OP": "?"}, {"LOWER": {"IN": ["thousands"]}, "OP": "?"}],
                [{"LIKE_NUM": True, "POS": {"IN": ["NUM", "NOUN", "PRON", "DET", "PROPN", "ADJ"]}}],
            ],
            greedy="LONGEST",
        )

    def __call__(self, doc: Doc) -> Doc:
        source = doc._.source
        frames = doc._.frames or []
        figures: list[tuple[Token, Figure]] = []
        for span in self.counts(doc):
            figure = self.read(span)
            if figure is not None:
                figures.append((span.root, figure))
        figures += [(t, f) for t, f in self.statements_of_none(doc)]
        figures += [(t, f) for t, f in self.single_victims(doc, {t.i for t, _ in figures})]
        figures = self.sums(doc, figures)
        loose = []
        chars = source.chars
        dates = {span.start: when for span, when in zip(doc.spans.get("dates", []), doc._.whens or [], strict=False)}
        for token, figure in figures:
            start, end = chars(doc[figure.start : figure.end])
            placed = replace(figure, start=start, end=end, text=source.article.text[start:end])
            mine = [f for f in frames if f.sent.start == token.sent.start]
            if mine:
                nearest = min(mine, key=lambda f: (distance(token, f.trigger), abs(token.i - f.trigger.i)))
                nearest.mention.figures.append(placed)
            else:
                dated, when = _dated(token, dates)
                loose.append(LooseFigure(sentence_index(doc, token), placed, dated, when, nouns(token.sent)))
        doc._.loose_figures = loose
        doc.spans["figures"] = [doc[f.start : f.end] for _, f in figures]
        return doc

    def counts(self, doc: Doc) -> list[Span]:
        """The number expressions of ``doc`` that may count people: CARDINAL entities and the counts the
        model did not tag, without dates, times, money, percentages, quantities and ordinals."""
        dates = {(s.start, s.end) for s in doc.spans.get("dates", [])}
        numeric = [e for e in doc.ents if e.label_ in ("DATE", "TIME") and (e.start, e.end) not in dates and _bare(e)]
        spans = [e for e in doc.ents if e.label_ == "CARDINAL"] + numeric  # "at around 30", tagged a date
        taken = {t.i for e in doc.ents for t in e}
        for _, start, end in self.matcher(doc):
            if not any(i in taken for i in range(start, end)):
                spans.append(doc[start:end])
                taken.update(range(start, end))
        # "no one was killed" is a statement of none, not a count of one
        spans = [s for s in spans if not (s.text.lower() == "one" and s.start and doc[s.start - 1].lower_ == "no")]
        return sorted(spans, key=lambda s: s.start)

    def read(self, span: Span) -> Figure | None:
        """A figure for a number expression, when it counts people killed or injured by an event."""
        parsed = number([t.text for t in span])
        if parsed is None:
            return None
        value, vague = parsed
        q = _number_root(span)
        counted = q.head if q.dep_ in ("nummod", "quantmod", "amod", "compound", "nmod", "det") else q
        while counted != q and counted.dep_ in ("poss", "compound") and counted.head.pos_ in ("NOUN", "PROPN"):
            counted = counted.head  # "60 Assad regime's soldiers", parsed with 60 counting the regime
        if counted != q and lemma(counted) in lexicon.THINGS:
            return None
        if counted == q and q.i + 1 < len(q.doc) and lemma(q.doc[q.i + 1]) in lexicon.THINGS:
            return None
        harm, rising = _harm(counted)
        if harm is None:
            return None
        if _over_a_period(counted):
            return None
        count = _how_counted(q, counted)
        if lemma(counted) in ("body", "corpse") and count == Count.COUNT:
            count = Count.PART  # bodies a hospital received or rescuers carried: a tally, not the toll
        if value == 1 and count == Count.COUNT:
            count = Count.ONE  # "one US commando died": one of those hurt, unless no other count is given
        side = lexicon.COMBATANTS.get(lemma(counted))
        return Figure(Harm(harm), value, count, span.start, span.end, span.text, vague, rising, side)

    def statements_of_none(self, doc: Doc) -> list[tuple[Token, Figure]]:
        """ "no casualties", "no one was killed", "nobody was hurt", "there were no victims"."""
        found = []
        for t in _negated(doc):
            word = lemma(t)
            no = any(c.dep_ == "det" and c.lower_ == "no" for c in t.children)
            harmed = _harm_of_verb(t.head) or lemma(t.head) == "harm"
            if t.lower_ in ("nobody", "none") or (no and t.dep_ in ("nsubj", "nsubjpass") and harmed):
                # "nobody was hurt", "no one was killed", "no soldiers were killed", "no Americans were harmed"
                subject = t.dep_ in ("nsubj", "nsubjpass")
                both = lemma(t.head) == "harm" and subject
                # the verbs joined to it share the subject: "no one was killed or injured"
                verbs = [t.head, *(c for c in t.head.children if c.dep_ == "conj")] if subject else []
                kinds = list(dict.fromkeys(h for v in verbs if (h := _harm_of_verb(v))))
                kinds = kinds or ([lexicon.KILLED, lexicon.INJURED] if both else [])
            elif no and t.pos_ == "NOUN":
                if word in lexicon.CASUALTY_WORDS:
                    kinds = [lexicon.KILLED, lexicon.INJURED]
                elif word in lexicon.HARM_WORDS:
                    kinds = [lexicon.HARM_WORDS[word]]
                else:
                    continue
            else:
                continue
            for kind in kinds:
                found.append((t, Figure(Harm(kind), 0, Count.NONE, t.i, t.i + 1, t.text)))
        return found

    def single_victims(self, doc: Doc, taken: set[int]) -> list[tuple[Token, Figure]]:
        """A person named as killed or wounded: "General X was killed", "the chief died"."""
        found = []
        for t in doc:
            harm = _harm_of_verb(t)
            if harm is None or t.pos_ != "VERB":
                continue
            subject = next((c for c in t.children if c.dep_ in ("nsubjpass", "nsubj")), None)
            if subject is None and t.dep_ == "acl" and t.head.pos_ in ("NOUN", "PROPN"):
                subject = t.head  # "Afghan Taliban chief Mullah Mansoor killed in a drone strike"
            passive = subject is not None and (subject.dep_ == "nsubjpass" or t.tag_ == "VBN" or lemma(t) == "die")
            if not passive:  # "killing a Kata'ib Hezbollah commander": the one killed is the object
                subject = next((c for c in t.children if c.dep_ == "dobj"), None)
            if subject is None or subject.i in taken or any(c.dep_ == "nummod" for c in subject.children):
                continue
            if subject.tag_ in ("NNS", "NNPS") or subject.pos_ == "PRON":
                continue
            person = subject.ent_type_ == "PERSON" or lemma(subject) in lexicon.PERSONS
            if person:
                found.append((subject, Figure(Harm(harm), 1, Count.ONE, subject.i, subject.i + 1, subject.text)))
        return found

    @staticmethod
    def sums(doc: Doc, figures: list[tuple[Token, Figure]]) -> list[tuple[Token, Figure]]:
        """People counted together make one count: "two soldiers and nine civilians were killed" (11), "seven
        residents and a nurse" (8); not the two sides of a clash, which :func:`incidents.toll` sums by side."""
        out = list(figures)
        heads = {q.head.i: n for n, (q, f) in enumerate(out) if q.dep_ == "nummod"}
        if not heads:
            return out
        conj = doc.vocab.strings.add("conj")
        for i in np.flatnonzero(doc.to_array(DEP) == conj):  # the conjuncts, found on the token arrays
            t = doc[int(i)]
            if t.head.i not in heads or t.head.i == t.i:
                continue
            own = heads.get(t.i)
            if own is None and not (
                t.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in t.children) and _harm(t)[0]
            ):
                continue
            n = heads[t.head.i]
            q, f = out[n]
            side = lexicon.COMBATANTS.get(lemma(t))
            added = out[own][1] if own is not None else replace(f, value=1, count=Count.ADDED, side=side)
            if f.side and added.side and f.side != added.side:
                if own is None:  # "five gunmen and a soldier": one more, of the other side
                    out.append((t, replace(added, start=t.i, end=t.i + 1, text=t.text)))
                continue
            if added.harm != f.harm or f.count == Count.PART:
                continue  # (a part, "including 11 Marines and one medic", stays in its parts)
            side = f.side if f.side == added.side else None
            out[n] = (q, replace(f, value=f.value + added.value, end=max(f.end, t.i + 1), side=side))
            if own is not None:
                out[own] = (out[own][0], None)
        return [(q, f) for q, f in out if f is not None]


def _bare(span: Span) -> bool:
    """A number with its qualifiers only ("around 30"), which the model may tag as a date or a time."""
    words = [t for t in span if not t.is_punct]
    return (
        any(t.like_num for t in words)
        and all(t.like_num or (t.pos_ in ("ADP", "ADV", "ADJ") and not t.is_title) for t in words)
        and not any(t.shape_ == "dddd" for t in words)
    )


def _number_root(span: Span) -> Token:
    """The token that stands for a count in the parse: its number, or the preposition the parser made of
    its qualifier ("around 30" parsed as a phrase "around" + 30)."""
    nums = [t for t in span if t.like_num or t.lower_ in lexicon.VAGUE_COUNTS or t.lower_ == "dozen"]
    q = nums[-1] if nums else span.root
    while q.dep_ == "pobj" and q.head.i in range(span.start, span.end) and q.head != q:
        q = q.head
    return q


def _negated(doc: Doc) -> list[Token]:
    """The words a statement of none can rest on, found on the token arrays: "nobody", "none", and the
    heads of a determiner "no" ("no one", "no casualties")."""
    lower, dep, head = doc.to_array([LOWER, DEP, HEAD]).T
    strings = doc.vocab.strings
    at = np.isin(lower, [strings.add("nobody"), strings.add("none")])
    no = np.flatnonzero((lower == strings.add("no")) & (dep == strings.add("det")))
    at[no + head[no].astype(np.int64)] = True
    return [doc[int(i)] for i in np.flatnonzero(at)]


def _harm_of_verb(t: Token) -> str | None:
    word = lemma(t)
    if t.pos_ in ("VERB", "ADJ") and word in lexicon.HARM_VERBS and word not in ("claim", "massacre", "execute"):
        return lexicon.HARM_VERBS[word]
    return None


def _harm(counted: Token) -> tuple[str | None, bool]:
    """The harm the people a number counts suffered, and whether it was read from a rising toll."""
    word = lemma(counted)
    if word in lexicon.HARM_WORDS and word not in ("toll", "life", "body", "killed") and counted.pos_ != "VERB":
        return lexicon.HARM_WORDS[word], False  # "534 wounded", "44 dead bodies", "1,000 deaths"
    if word == "body":
        return lexicon.KILLED, False
    for c in counted.children:  # "82 people killed", "civilians wounded"
        harm = _harm_of_verb(c) or lexicon.HARM_WORDS.get(lemma(c))
        if c.dep_ in ("acl", "amod", "relcl") and harm and lemma(c) not in ("toll", "life", "body"):
            return harm, False
    head, dep = counted.head, counted.dep_
    if dep == "conj" and counted.pos_ in _NOUNS and head.pos_ in _NOUNS and (_more(counted) or _counted(head)):
        return _harm(head)  # "a commander and two other people", "five soldiers and three civilians" were killed
    if dep in ("nsubjpass",) and (harm := _harm_of_verb(head)):
        return harm, False
    if dep in ("nsubj", "nsubjpass"):  # "79 people were confirmed dead", "three are feared dead"
        for c in head.children:
            harm = lexicon.HARM_WORDS.get(lemma(c))
            if c.dep_ in ("acomp", "oprd", "xcomp", "attr") and harm and lemma(c) not in ("toll", "life", "body"):
                return harm, False
    if dep == "nsubj" and (harm := _harm_of_verb(head)):
        if lemma(head) in ("die", "perish") or head.tag_ == "VBN":
            return harm, False
        return None, False  # "three gunmen killed two police officers": the killers
    if dep in ("advmod", "npadvmod") and head.tag_ == "VBN" and (harm := _harm_of_verb(head)):
        return harm, False  # "... killed and over 200 injured", parsed with "over 200" as an adverb
    if (
        dep == "nsubj"
        and lemma(head) in ("sustain", "suffer", "receive")
        and any(lemma(c) in ("injury", "wound") for c in head.children if c.dep_ == "dobj")
    ):
        return lexicon.INJURED, False  # "four others sustained injuries"
    if dep == "dobj" and (harm := _harm_of_verb(head) or ("killed" if lemma(head) == "martyr" else None)):
        return harm, False
    if dep == "dobj" and lemma(head) in ("leave", "leaving"):
        # "left 12 soldiers and 20 militants dead": the state told after the last of them is of all
        after = [c for n in counted.conjuncts for c in n.children if c.dep_ == "amod" and c.i > n.i]
        for c in [*head.children, *after]:
            if c.dep_ in ("oprd", "ccomp", "xcomp", "acomp", "advcl", "amod") and (
                harm := lexicon.HARM_WORDS.get(lemma(c)) or _harm_of_verb(c)
            ):
                return harm, False
    if dep == "pobj" and head.lower_ == "of" and lemma(head.head) in ("life", "toll"):
        return lexicon.KILLED, False  # "the lives of 20 civilians", "a toll of 82"
    if dep == "pobj" and head.lower_ in ("to", "at", "from", "between"):
        verb = head.head
        if verb.pos_ == "NUM" and verb.dep_ == "pobj":  # "varied from about 60 to more than 80"
            verb = verb.head.head
        if _toll_verb(verb):
            return lexicon.KILLED, lemma(verb) in lexicon.RISING
    if dep in ("attr", "dobj") and _toll_verb(head):
        return lexicon.KILLED, lemma(head) in lexicon.RISING
    if dep == "nummod" and lemma(head) == "life":
        return lexicon.KILLED, False
    if dep == "pobj" and head.lower_ in ("including", "among") and head.head != head:
        # "put the toll at around 30, including 10 women and children": a part of that toll
        owner = head.head
        harm = _harm_of_verb(owner) or (lexicon.KILLED if _toll_verb(owner) else None)
        return (harm or _harm(owner)[0]), False
    return None, False


def _more(counted: Token) -> bool:
    """ "another 20 people", "two other people": more than those counted before."""
    return any(c.lower_ in _MORE for c in counted.children if c.dep_ in ("amod", "det"))


def _counted(noun: Token) -> bool:
    """Whether a noun's people are counted by a number of their own ("five soldiers")."""
    return any(c.dep_ == "nummod" for c in noun.children)


def _toll_verb(verb: Token) -> bool:
    """A verb whose subject or object is a toll: "the toll rose to 100", "put the toll at 292", "the number of
    militiamen killed rose to 22"."""
    for c in verb.children:
        if c.dep_ not in ("nsubj", "nsubjpass", "dobj"):
            continue
        if lemma(c) == "toll":
            return True
        if lemma(c) in ("number", "count", "tally", "figure") and any(_harm_of_verb(w) for w in c.subtree):
            return True
    return False


def _qualified(since: Token) -> Token:
    """The word a "since" phrase or clause qualifies: "killed since March" -> killed, "killed since the war
    began" -> killed."""
    return since.head.head if since.dep_ == "mark" and since.head.head != since.head else since.head


def _over_a_period(counted: Token) -> bool:
    """A count over a war or a period: "since the war began", "the insurgency has left 27,000 dead"."""
    clause = counted
    while clause.head != clause and clause.pos_ not in ("VERB", "AUX"):
        clause = clause.head
    words = {lemma(w) for w in clause.subtree} | {lemma(w) for w in counted.subtree}
    own = {clause.i, counted.i} | {c.i for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")}
    if any(w.lower_ == "since" and _qualified(w).i in own for w in clause.subtree):
        return True  # "killed since the war began", "the toll since January" (not "the first casualties since")
    if {"so", "far", "this", "year"} <= words:
        return True
    # "raised the toll since 2023 to 3,050, with 13,600 wounded": the toll the "with" phrase goes with
    up = list(counted.ancestors)[:3]
    joined = [a for a in up if a.lower_ == "with"] + [c for a in up for c in a.children if c.lower_ == "with"]
    if any(w.lower_ == "since" for j in joined for w in j.head.head.subtree):
        return True
    if any(
        c.dep_ == "relcl" and lemma(c) in ("begin", "start", "launch") and any(d.ent_type_ == "DATE" for d in c.subtree)
        for w in clause.subtree
        for c in w.children
    ):
        return True  # "killed by the airstrikes, which began in March 2015" (not "the attack, which began with a bomb")
    if any(
        lemma(w) in ("day", "week", "month", "year")
        and w.tag_ == "NNS"
        and any(c.like_num or c.lower_ in ("recent", "past", "several", "few") for c in w.children)
        for w in clause.subtree
    ):
        return True  # "following four days of air attacks", "in recent days"
    verbs = [clause]
    while verbs[-1].dep_ == "conj" and verbs[-1].head != verbs[-1]:
        verbs.append(verbs[-1].head)  # "the insurgency is in its ninth year and has left 27,000 dead"
    subjects = [c for v in verbs for c in v.children if c.dep_ in ("nsubj", "agent")]
    period = lexicon.PERIOD_WORDS - {"since", "far", "year", "month"}
    if any(lemma(s) in period for s in subjects):
        return True
    # "the death toll in Israel's 23-day operation stands at 1,280"
    tolls = [s for s in subjects if lemma(s) == "toll"]
    return any(lemma(w) in period for t in tolls for w in t.subtree)


def _how_counted(q: Token, counted: Token) -> Count:
    """Whether a figure is a part of the people hurt, a total, an addition or an earlier figure."""
    words = {lemma(w) for w in counted.subtree} | {lemma(q)}
    of = [o for c in q.children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children if o.dep_ == "pobj"]
    vague = q.lower_ in lexicon.VAGUE_COUNTS  # "dozens of Assad's soldiers" counts them, not a part of them
    if (not vague and any(_definite(o) for o in of)) or (
        counted.dep_ == "pobj" and counted.head.lower_ in ("including", "among")
    ):
        return Count.PART  # "27 of the dead", "two of his brothers", "including 11 Marines" (not "dozens of people")
    before = [t.lower_ for t in q.doc[max(q.sent.start, q.i - 4) : q.i]]
    if "including" in before or ("among" in before and {"them", "whom"} & set(before)) or "whom" in before:
        return Count.PART  # "killing at least 50 people, among them five children", however it was parsed
    verb = clause_verb(counted)
    if (
        verb is not None
        and lemma(verb) == "be"
        and any(c.dep_ == "prep" and c.lower_ == "among" for c in verb.children)
    ):
        return Count.PART  # "police were among the victims"
    above = [verb, *verb.ancestors] if verb is not None else []
    qualifiers = {c.lower_ for a in above for c in a.children if c.dep_ in ("advmod", "npadvmod", "amod", "advcl")}
    qualifiers |= {c.lower_ for c in counted.children if c.dep_ == "amod"}
    if qualifiers & lexicon.EARLIER and not qualifiers & {"now", "latest"}:
        return Count.EARLIER
    if qualifiers & {"currently", "still"}:
        return Count.PART  # "53 injured are still being treated": those left of the wounded
    clause_words = {w.lower_ for w in verb.subtree} if verb is not None else words
    if {"in", "all"} <= clause_words or "total" in words or "all" in words or "altogether" in clause_words:
        return Count.TOTAL
    if any(c.dep_ == "advmod" and c.lower_ in _ALSO for a in _within_clause(verb) for c in a.children):
        return Count.ADDED  # "60 Afghans were also killed", "explosions also believed to have killed 60"
    if _more(counted) or (counted.dep_ == "conj" and counted.pos_ == "NOUN" and _counted(counted.head)):
        return Count.ADDED  # "another 20 people", "killing five soldiers and three civilians"
    return Count.COUNT


def _dated(token: Token, dates: dict[int, When]) -> tuple[bool, When | None]:
    """Whether a date of its sentence hangs on a figure's clause (not on a speaker's or a toll's update), and
    which day it names: "five soldiers have been killed in recent days"."""
    verb = clause_verb(token)
    if verb is None or lemma(verb) in lexicon.RISING | lexicon.SPEECH_VERBS:
        return False, None  # "the toll rose to 79 on Tuesday": the day of the update
    for ent in token.sent.ents:
        if ent.label_ not in ("DATE", "TIME") or ent.start <= token.i < ent.end:
            continue  # not the count itself, tagged a date ("at around 30")
        for a in ent.root.ancestors:
            if a.i == verb.i:
                return True, dates.get(ent.start)
            if a.pos_ == "VERB" and (lemma(a) in lexicon.SPEECH_VERBS or lemma(a) in lexicon.RISING):
                break
    return False, None


def _definite(t: Token) -> bool:
    """A known group: "the dead", "them", "his brothers", "those killed"."""
    if t.lower_ in ("them", "those", "us", "whom", "which", "these"):
        return True
    return any(c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an", "no", "some", "any") for c in t.children)


def _within_clause(verb: Token | None) -> list[Token]:
    """A verb and the verbs above it up to the head of its clause ("believed" for "believed to have killed")."""
    found = []
    while verb is not None:
        found.append(verb)
        if verb.dep_ not in ("xcomp", "conj", "aux", "auxpass") or verb.head == verb:
            break
        verb = verb.head
    return found


@Language.factory("geomap_event_figures")
def make_event_figures(nlp: Language, name: str) -> EventFigures:
    return EventFigures(nlp)
