"""Triggers: the words that tell an incident happened, checked against the sentence's structure.

``geomap_event_triggers`` finds event words by lemma and part of speech (a ``Matcher``; phrasal verbs
such as "shot down", "blew himself up", "went off", "opened fire" with a ``DependencyMatcher``), joins the
words of one clause into one event, and keeps it only when the clause reads as an incident:

* **Sense.** The word is not used in another sense: its modifiers ("hunger strike", "heart attack",
  "box-office bomb", "shelled out"), what it is with or against ("a battle with cancer"), who does it
  ("police raided homes") and the clause's words (a league, wages, a court, a test, a drill, a delivery)
  say which; the noun "fire" is shooting only as such ("came under fire", "Israeli fire").
* **Armed.** Words that name an attack on their own (air strike, shelling, bombing, firefight) need
  nothing more; generic ones (attack, strike, hit, raid, clash, explosion, fire) need an instrument
  (missiles, shells, jets, drones, a bomb, guns) or an armed actor (troops, militants, a side of the
  conflict) in their clause, or people killed or wounded in their sentence. An aircraft acts only when
  it is a military one ("a small aircraft hit a hillside" is a crash).
* **Happened.** Not planned, threatened, feared or conditional ("would target", "if an attack occurs",
  "planned to attack"), not negated ("did not attack"), not a test or an exercise.

The type is the most specific that the trigger's own modifiers give ("drone strike", "air raid"),
else the trigger's own ("shelling" is artillery, "raid" a raid), else the instruments of its clause,
in the order of :data:`geomap.lexicon.TYPE_ORDER`; chemical weapons anywhere in the clause make it a
chemical attack. Results: ``doc._.frames`` (one :class:`Frame` per event, its ``mention`` filled in by
the next components) and ``doc.spans["events"]``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Span, Token

from geomap import lexicon
from geomap.events.records import EventMention, EventType
from geomap.events.tree import clauses_opened_by, lemma, names_country, nouns, own_clause, sentence_index

SPANS_KEY = "events"
ARGUMENT_DEPS = {"nsubj", "nsubjpass", "dobj", "attr", "dative", "oprd", "agent", "csubj", "csubjpass"}
NOUN_LINKS = {"compound", "amod", "nmod", "poss", "appos", "conj", "npadvmod"}
# "killed in an air strike", "died during the shelling", "hit by a drone": the verb tells of the event
EVENT_PREPOSITIONS = {"in", "during", "by", "with", "amid", "through", "under"}
MODALS = {"would", "could", "might", "will", "shall", "should", "can", "must", "'ll", "wo"}
_HARMFUL = (set(lexicon.HARM_VERBS) | set(lexicon.HARM_WORDS)) - {"injury", "hurt", "wound", "life", "body"}
STRIKES = {"air strike", "missile strike", "artillery", "drone attack", "bombing"}  # weapons fired from afar
# verbs that say how: "bombed" from the air unless a bomb is named, "shelled", "raided", "ambushed"
VERB_TYPES = {"bomb": "air strike", "shell": "artillery", "raid": "raid", "ambush": "armed clash"}
SEQUELS = {"then", "later", "afterwards", "afterward", "subsequently", "next"}
CAMPAIGNS = {"campaign", "operation", "offensive", "war", "mission", "effort", "programme", "program", "exercise"}
ERAS = {"era", "wartime", "siege"}  # "siege-era shelling", "the wartime bombing of Dresden"
# what a weapon is aimed at only on a test range: "struck a designated target zone", "the impact point"
RANGES = {"designate", "designated", "impact", "dummy", "mock"}
# verbs after which an infinitive tells of what happened: "began to shell", "continued to pound"
ASPECTUAL = {"begin", "start", "continue", "resume", "keep", "proceed", "go"}
CIVILIAN = {"passenger", "commercial", "private", "cargo", "airliner", "civilian", "tourist", "small", "light"}
MILITARY = {"military", "war", "force", "air", "combat", "attack", "fighter"}
MINES = {"mine", "landmine", "ied"}  # hit or driven over, they go off
CHEMICAL = {w for w, t in lexicon.INSTRUMENTS.items() if t == "chemical attack"} - {"toxic", "poisonous", "nerve"}


@dataclass
class Frame:
    """An event in the excerpt: its trigger, the head of its clause, its sentence and what is read of it."""

    mention: EventMention
    trigger: Token
    head: Token

    @property
    def sent(self) -> Span:
        return self.trigger.sent


if not Doc.has_extension("frames"):
    Doc.set_extension("frames", default=None)


def clause_head(t: Token) -> Token:
    """The word an event's clause hangs on: a trigger verb itself ("bombed"); the verb a trigger noun is an
    argument of ("an airstrike ... targeted a hall" -> targeted; "killed in a drone attack" -> killed;
    "shells fired by the RSF struck a market" -> struck); else the noun itself ("the toll from the attack
    rose": the rise is the toll's, not the attack's)."""
    if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("acl", "amod"):
        return t
    if t.pos_ in ("VERB", "AUX"):
        t = t.head
    for _ in range(4):
        if t.dep_ not in NOUN_LINKS or t.head == t:
            break
        t = t.head
    if t.dep_ in ARGUMENT_DEPS and t.head.pos_ in ("VERB", "AUX"):
        return t.head
    prep = t.head
    if t.dep_ == "pobj" and prep.lower_ in EVENT_PREPOSITIONS and prep.head.pos_ in ("VERB", "AUX"):
        return prep.head
    return t


def _modifiers(t: Token) -> set[str]:
    """The lemmas that qualify a word: its compounds, adjectives, possessors, particles, and the parts
    of a hyphenated modifier ("box-office")."""
    found = set()
    for c in t.children:
        if c.dep_ in ("compound", "amod", "nmod", "poss", "prt", "npadvmod") or (c.dep_ == "dobj" and c.i < t.i):
            found |= {lemma(w) for w in c.subtree if w.is_alpha}
    return found


def _clause(head: Token, others: set[int] = frozenset()) -> list[Token]:
    """The tokens of a clause, without the clauses it reports or describes ("said ...", "which began ...") and
    without the words of ``others``, the heads of other events told inside it ("after the chlorine attacks")."""
    out = []
    stack = [head]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if (c.dep_ in ("relcl", "ccomp", "parataxis") or c.i in others or own_clause(c)) and c != head:
                continue
            stack.append(c)
    return out


def _military(lemmas: set[str]) -> bool:
    """Whether the aircraft among ``lemmas`` are military: "jets" and "warplanes" are, unless passenger or
    cargo ones; "aircraft", "planes" and "helicopters" when a military word goes with them."""
    if lemmas & CIVILIAN:
        return False
    if "suicide" in lemmas:
        lemmas = lemmas - {"bomber"}  # a suicide bomber is no aircraft
    return bool(lemmas & (lexicon.MILITARY_AIRCRAFT | {"jet"})) or bool(
        lemmas & lexicon.AIRCRAFT and lemmas & (lexicon.ARMED | MILITARY)
    )


def _instrument_type(lemmas: set[str]) -> str | None:
    """The most specific type the weapons among ``lemmas`` give; an aircraft counts only when military."""
    found = {lexicon.INSTRUMENTS[w] for w in lemmas if w in lexicon.INSTRUMENTS and w not in lexicon.AIRCRAFT}
    if _military(lemmas):
        found.add("air strike")
    return next((t for t in lexicon.TYPE_ORDER if t in found), None)


class EventTriggers:
    """Sets ``doc._.frames`` and ``doc.spans["events"]`` (see the module's docstring)."""

    def __init__(self, nlp: Language):
        self.matcher = Matcher(nlp.vocab)
        nouns = sorted(lexicon.EVENT_NOUNS)
        self.matcher.add("NOUN", [[{"LEMMA": {"IN": nouns}, "POS": {"IN": ["NOUN", "PROPN"]}}]])
        self.matcher.add("NOUN", [[{"LOWER": {"IN": [*nouns, *(n + "s" for n in nouns)]}, "POS": "PROPN"}]])
        # words that can only be event nouns, whatever the tagger made of them ("Shelling hit Idlib" as an AUX)
        specific = sorted(n for n, t in lexicon.EVENT_NOUNS.items() if t is not None)
        self.matcher.add("NOUN", [[{"LOWER": {"IN": [*specific, *(n + "s" for n in specific)]}}]])
        self.matcher.add("VERB", [[{"LEMMA": {"IN": sorted(lexicon.EVENT_VERBS)}, "POS": "VERB"}]])
        self.matcher.add("HARM", [[{"LEMMA": {"IN": sorted(lexicon.HARM_TRIGGERS)}, "POS": "VERB"}]])
        self.phrasal = DependencyMatcher(nlp.vocab)
        for (verb, part), _ in lexicon.PHRASAL.items():
            dep = "dobj" if part == "fire" else "prt"
            self.phrasal.add(
                f"{verb}_{part}",
                [
                    [
                        {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": verb, "POS": "VERB"}},
                        {
                            "LEFT_ID": "verb",
                            "REL_OP": ">",
                            "RIGHT_ID": "part",
                            "RIGHT_ATTRS": {"DEP": dep, "LOWER": part},
                        },
                    ]
                ],
            )

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        found: dict[int, tuple[Token, str | None, str]] = {}  # trigger index -> (token, phrasal type, kind)
        for match_id, start, _ in self.matcher(doc):
            found.setdefault(start, (doc[start], None, strings[match_id]))
        for match_id, (verb, _part) in self.phrasal(doc):
            key = strings[match_id]
            phrase = tuple(key.split("_"))
            found[verb] = (doc[verb], lexicon.PHRASAL[phrase] or "open fire", "PHRASAL")
        by_clause: dict[int, list[tuple[Token, str | None, str]]] = {}
        for token, phrasal, kind in sorted(found.values(), key=lambda f: f[0].i):
            by_clause.setdefault(clause_head(token).i, []).append((token, phrasal, kind))
        frames = []
        # heads of clauses that tell an act (not only a harm: "killed after a strike" tells one event)
        acts = {h for h, triggers in by_clause.items() if any(kind != "HARM" for _, _, kind in triggers)}
        # a clause joined to an act's tells the same act: "an attack killed a contractor and wounded four",
        # "Shelling by the RSF hit a market": its words go with the act's
        for head_i in sorted(by_clause, key=lambda i: -len(list(doc[i].ancestors))):  # the deepest first
            if _joined(doc[head_i], acts - {head_i}):
                by_clause[doc[head_i].head.i] += by_clause.pop(head_i)
        for head_i, triggers in by_clause.items():
            frame = self._frame(doc, doc[head_i], triggers, set(by_clause) - {head_i}, acts)
            if frame is not None:
                frames.append(frame)
        frames.sort(key=lambda f: f.trigger.i)
        doc._.frames = frames
        doc.spans[SPANS_KEY] = [Span(doc, f.trigger.i, f.trigger.i + 1, label=f.mention.type.value) for f in frames]
        return doc

    def _frame(
        self, doc: Doc, head: Token, triggers: list[tuple[Token, str | None, str]], others: set[int], acts: set[int]
    ) -> Frame | None:
        clause = _clause(head, others)
        clause_lemmas = {lemma(t) for t in clause}
        sentence_lemmas = {lemma(t) for t in head.sent}
        triggers = [tr for tr in triggers if not _infinitive(tr[0])]
        readings = []
        for token, phrasal, kind in triggers:
            reading = self._type(token, phrasal, kind, head, clause, clause_lemmas, sentence_lemmas)
            if reading is not None:
                event_type, how = reading
                rank = (how != "read", how.startswith("weak"), lexicon.TYPE_ORDER.index(event_type))
                readings.append((rank, token, event_type, how))
        if not readings or not _happened(head, [t for t, _, _ in triggers]) or _over_a_period(head) or _ongoing(head):
            return None
        # the surest, most specific reading; its word is the trigger (a noun names the event better than "hit")
        _, token, event_type, how = min(readings, key=lambda r: (r[0], r[1].pos_ not in ("NOUN", "PROPN"), r[1].i))
        if token.tag_ == "NNS" and _across_years(token.sent):
            return None  # "air strikes carried out between 2015 and 2022": many events over years, none read
        source = doc._.source
        start, end = source.chars(doc[token.i : token.i + 1])
        sent_start, sent_end = source.chars(token.sent)
        mention = EventMention(
            type=EventType(event_type),
            word=lemma(token),
            start=start,
            end=end,
            sentence=sentence_index(doc, token),
            quote=source.article.text[sent_start:sent_end].strip(),
            recalled=_recalled(token, head) or _cause(token) or _before(token, acts),
            cause=_cause(token),
            anaphoric=_anaphoric(token),
            generic=how in ("generic", "weak default"),
            weak=how in ("weak", "weak default"),
            distinct=_another(token, head),
            sequel=_sequel(head),
            words=nouns(token.sent),
        )
        return Frame(mention, token, head)

    def _type(
        self,
        t: Token,
        phrasal: str | None,
        kind: str,
        head: Token,
        clause: list[Token],
        clause_lemmas: set[str],
        sentence_lemmas: set[str],
    ) -> tuple[str, str] | None:
        """The event type a trigger gives in its clause and how it was read ("read" from words, "generic" by
        default, "weak": an event only beside another, "weak default": both), or None when it does not report
        an incident."""
        word = lemma(t)
        modifiers = _modifiers(t)
        qualified = {lemma(t.head)} if t.dep_ in ("amod", "compound") else set()  # "shelled pistachios"
        # "a battle with cancer", "a strike against the employer": what it is with or against
        qualified |= {lemma(o) for p in t.children if p.lower_ in ("with", "against") for o in p.children}
        if (modifiers | qualified) & lexicon.OTHER_SENSES.get(word, set()):
            return None
        owners = {lemma(w) for s in _subjects(head) for w in s.subtree} if t.pos_ == "NOUN" else set()
        if owners & lexicon.OTHER_SENSES.get(word, set()) and not sentence_lemmas & _HARMFUL:
            return None  # "police seized cocaine in a raid on a warehouse": a search, as "a police raid" is
        if any(c.lower_ == "such" for c in t.children):
            return None  # "such attacks are usually the work of ...": attacks in general
        if _campaign(t):
            return None  # "four days of air attacks", "months of shelling": a campaign, not an incident
        aimed_at = _targets(t)
        if aimed_at:  # what was hit says nothing of how: "hit a chemical weapons site", "struck a rocket depot"
            clause_lemmas = {lemma(w) for w in clause if w.i not in aimed_at}
        if t.dep_ == "dobj" and lemma(t.head) in lexicon.DEFENCE_VERBS:
            # "soldiers, with the support of the air force, repelled the attacks": the clause's weapons are
            # those that met the attack; the attack's own are in its phrase
            clause_lemmas = {lemma(w) for w in t.subtree}
        own = _instrument_type(modifiers)
        gas = "gas" in clause_lemmas and bool(clause_lemmas & {"toxic", "poisonous", "poison"} or "gas" in modifiers)
        gas = gas or {"nerve", "agent"} <= clause_lemmas  # "a nerve agent", not "struck a sensitive nerve"
        chemical = "chemical attack" if clause_lemmas & CHEMICAL or gas else None
        harmed = bool(sentence_lemmas & _HARMFUL)
        context = _instrument_type(clause_lemmas)
        armed = bool(context) or bool(clause_lemmas & lexicon.ARMED) or _has_side(clause)
        attacker = _armed_actor(t)  # who acts is armed: not "residents attacked vehicles", "Haley attacked a plan"
        if clause_lemmas & lexicon.NON_ARMED_CONTEXT and not (own or chemical or (context and harmed and armed)):
            return None
        if phrasal == "shootdown" or (word == "down" and t.pos_ == "VERB"):  # "shot down", "downed" what flies
            flying = lexicon.AIRCRAFT | lexicon.MILITARY_AIRCRAFT | {"airliner", "missile", "flight"}
            objects = _objects(t)
            targets = {lemma(w) for o in objects for w in o.subtree}
            pronoun = any(o.pos_ == "PRON" for o in objects)  # "it was shot down with a Buk system"
            if not (targets & flying or (pronoun and sentence_lemmas & (flying | {"aircraft", "buk"}))):
                return None
            return chemical or "shootdown", "read"
        if phrasal == "bombing":  # "went off", "blew himself up": only a bomb or a bomber does
            subject = {lemma(w) for s in _subjects(t) for w in s.subtree}
            if not subject & {"bomb", "bomber", "explosive", "device", "ied", "vest", "car", "truck"}:
                return None
            return chemical or "bombing", "read"
        if phrasal == "open fire":  # only the armed open fire; from an aircraft it is an air strike
            subject = {lemma(w) for s in _subjects(t) for w in _phrase(s, t)}
            if subject & (lexicon.AIRCRAFT | lexicon.MILITARY_AIRCRAFT) and not subject & CIVILIAN:
                return ("drone attack" if subject & {"drone", "uav"} else "air strike"), "read"
            return "armed clash", "read"
        if kind == "HARM":  # "gunmen killed five", "a truck bomb killed 600": an armed or weapon subject
            subjects = {lemma(w) for s in _subjects(t) for w in s.subtree}
            weapon = _instrument_type(subjects) or _instrument_type(_means(t))
            if t.dep_ in ("amod", "acl") or not (subjects & lexicon.ARMED or weapon):
                return None
            if chemical or weapon:
                return chemical or weapon, "read"
            return (context, "read") if context else ("armed clash", "generic")
        if word in lexicon.EVENT_NOUNS and kind == "NOUN":
            if word == "fire" and not (own or _gunfire(t)):
                return None  # a blaze, "fire crews", "the fire was accidental": not shooting
            specific = lexicon.EVENT_NOUNS[word]
            if word == "bombing" and ("aerial" in modifiers | clause_lemmas or _by_state(t)):
                specific = "air strike"  # "the coalition bombing", "Israeli bombing": from the air
            if specific is not None:
                if specific in ("armed clash", "raid") and not (armed or harmed):
                    return None  # "clashes over wages", "raids on offices"
                if specific == "raid" and "air" not in modifiers:
                    own = None if own != "drone attack" else own  # a raid by helicopters is still a raid
                # "one of the most serious clashes in the war": the class the event is put in, not how it was done
                return chemical or own or specific, "generic" if _classed(t) and not own else "read"
            if word in ("explosion", "blast"):
                bomb = clause_lemmas & {"bomb", "bomber", "suicide", "explosive", "ied", "attack", "terrorist"}
                if own or bomb or context == "bombing":  # chemicals alone explode in accidents
                    return chemical or own or "bombing", "read"
                return "bombing", "weak"
            if not (own or context or attacker or harmed):
                # an attack by no one armed, with no weapon and no victims: words, a crime, a fit; "the attack"
                # names one told before, and goes with it; "strikes were reported near Sanaa", beside an attack,
                # may place it (weak: never an incident alone, so a walkout stays none)
                if _anaphoric(t):
                    return "armed clash", "weak default"
                return ("air strike", "weak default") if word == "strike" and t.tag_ == "NNS" else None
            if word == "strike" and not (own or context or attacker or (harmed and _aimed(t))):
                return None  # a strike with no weapon, side, or victims where it was aimed: a walkout
            if chemical or own or context:
                return chemical or own or context, "read"
            return ("air strike" if word == "strike" else "armed clash"), "generic"
        # a verb: its subject or object must be an instrument or an armed side
        if t.pos_ != "VERB" or t.dep_ == "amod":
            return None  # (a state: "bombed-out tenements", "shelled houses")
        if word in lexicon.DEFENCE_VERBS and any(lemma(o) in lexicon.EVENT_NOUNS for o in _objects(t)):
            return None  # "repelled the attacks": the attack is the event, told by its noun
        subjects = [w for s in _subjects(t) for w in _phrase(s, t)]
        objects = [w for o in _objects(t) for w in _phrase(o, t)]
        subject_lemmas = {lemma(w) for w in subjects}
        if {lemma(w) for w in objects} & RANGES and not harmed:
            return None  # "the missile struck a designated target zone": a test
        if subject_lemmas & lexicon.OTHER_SENSES.get(word, set()) and not harmed:
            return None  # "police raided several homes": a search, as "a police raid" is
        if subject_lemmas & lexicon.AIRCRAFT and not (_military(subject_lemmas) or _has_side(subjects)):
            return None  # "a small aircraft hit a hillside"
        # "jets had fired the missiles": those of the event told (missiles, shells, bombs; "fired the gun" is not)
        told = any(_anaphoric(o) for o in _objects(t)) and _instrument_type({lemma(w) for w in objects}) in STRIKES
        if word in ("land", "fall", "launch", "fire", "drop") and not harmed and not own and not _aimed(t) and not told:
            return None  # "a missile landed in the sea", "what type of missile was launched": nothing hit
        if word in ("launch", "fire", "drop") and not _instrument_type({lemma(w) for w in objects}) and not _aimed(t):
            return None  # what is launched, fired or dropped must be a weapon: not "'2 Guns' drops 50%"
        # "fired rockets", not "hit a rocket depot"; but what is hit to go off is the means: "hit a landmine"
        used = {lemma(w) for w in objects if w.i not in aimed_at or lemma(w) in MINES}
        involved = _instrument_type(subject_lemmas | used | ({word} - {"bomb", "shell"}))
        if word in VERB_TYPES:  # "jets bombed a depot", "tanks shelled the town", "commandos raided": the verb says
            involved = involved if involved not in (None, "bombing") else VERB_TYPES[word]
        if involved is None and (
            word in lexicon.WEAK_CUES
            or not ((subject_lemmas & lexicon.ARMED or _has_side(subjects)) and (objects or harmed))
        ):
            return None  # "troops tore down a barricade": a weak verb tells of an attack only with a weapon
        if chemical or involved:
            return chemical or involved, "read"
        if context:
            return context, "read"
        return ("air strike" if word == "strike" else "armed clash"), "generic"  # "U.S. strikes militia sites"


def _subjects(t: Token) -> list[Token]:
    subjects = [c for c in t.children if c.dep_ in ("nsubj", "csubj")]
    if not subjects:
        subjects = [a.children for a in t.children if a.dep_ == "agent"]
        subjects = [w for group in subjects for w in group if w.dep_ == "pobj"]
    if not subjects and t.dep_ in ("acl", "amod") and t.head.pos_ in ("NOUN", "PROPN"):
        subjects = [t.head]  # "shells fired by ..."
    if not subjects and t.dep_ in ("conj", "xcomp", "advcl") and t.head != t:
        subjects = _subjects(t.head)
    return subjects


def _objects(t: Token) -> list[Token]:
    found = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass", "pobj")]
    for prep in (c for c in t.children if c.dep_ in ("prep", "agent")):
        found += [c for c in prep.children if c.dep_ == "pobj" and lemma(prep) in ("on", "at", "against", "into")]
    return found


def _armed_actor(t: Token) -> bool:
    """Whether who acts in an event is armed or a side: the subject or "by" agent of a verb, the modifiers
    or "by" phrase of a noun, or, for a noun that is a verb's object, that verb's subject."""
    actors = list(_subjects(t)) if t.pos_ == "VERB" else []
    actors += [c for c in t.children if c.dep_ in ("compound", "amod", "poss", "nmod") and c.i < t.i]
    actors += [o for c in t.children if c.dep_ in ("agent", "prep") and c.lower_ == "by" for o in c.children]
    if t.pos_ in ("NOUN", "PROPN") and t.dep_ == "dobj":
        actors += _subjects(t.head)
    words = [w for a in actors for w in _phrase(a, t)]
    return bool({lemma(w) for w in words} & lexicon.ARMED) or _has_side(words)


def _by_state(t: Token) -> bool:
    """Whether an event noun is done by a state or a coalition of states: its modifiers or "by" phrase name a
    country ("Israeli bombing", "bombing by Russia") or a coalition."""
    actors = [c for c in t.children if c.dep_ in ("compound", "amod", "poss", "nmod") and c.i < t.i]
    actors += [o for c in t.children if c.dep_ in ("agent", "prep") and c.lower_ == "by" for o in c.children]
    words = [w for a in actors for w in _phrase(a, t)]
    return any(lemma(w) == "coalition" or names_country(w) for w in words)


def _phrase(head: Token, trigger: Token) -> list[Token]:
    """A noun phrase's own words: its head, what qualifies it and whose it is ("aircraft of the coalition"),
    without the clauses and other phrases it governs ("a meteorite [that slammed into a field in the Puno
    region]") nor the event's words."""
    below = {w.i for w in trigger.subtree} if head.i in {a.i for a in trigger.ancestors} else {trigger.i}
    words = [head]
    for c in head.children:
        owner = c.dep_ == "prep" and c.lower_ == "of"
        if (owner or c.dep_ in ("compound", "amod", "poss", "nmod", "nummod", "det", "appos", "conj", "cc")) and (
            c.i not in below
        ):
            words += [w for w in c.subtree if w.i not in below]
    return words


def _targets(t: Token) -> set[int]:
    """The words naming what a verb of attack was aimed at: its object and its "on", "against", "at" phrases
    ("struck a depot", "fired on a convoy"); none for verbs whose object is what is used ("fired rockets")."""
    if t.pos_ != "VERB" or lemma(t) not in lexicon.AIMED_VERBS:
        return set()
    aimed = [c for c in t.children if c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ in lexicon.AIMED_PREPS)]
    return {w.i for c in aimed for w in c.subtree}


def _aimed(t: Token) -> bool:
    """Whether a launch or a landing names what it was aimed at or hit: "at airbases", "on the city", "into Iraq"
    (also when the parser hung it on what was fired: "fires missiles at US forces")."""
    fired = [c for c in t.children if c.dep_ == "dobj"]
    return any(
        c.dep_ == "prep" and c.lower_ in lexicon.AIMED_PREPS | {"toward", "towards"}
        for w in (t, *fired)
        for c in w.children
    )


def _has_side(tokens) -> bool:
    """Whether some of the tokens name a side (a span found by ``geomap_event_sides``) or a people, or a
    country that acts (the head of a phrase or its modifier: "U.S. jets", not "the flooding in Pakistan")."""
    return any(
        t.ent_type_ == "NORP"
        or t._.side is not None
        or (t.ent_type_ == "GPE" and t.dep_ not in ("pobj", "appos", "conj"))
        for t in tokens
    )


def _infinitive(t: Token) -> bool:
    """An event verb in the infinitive tells of what was meant, not done ("the green light to bomb", "an
    attempt to infiltrate"), but after "began", "continued" and the like."""
    return (
        t.tag_ == "VB"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
        and (lemma(t.head) not in ASPECTUAL)
    )


def _happened(head: Token, triggers: list[Token]) -> bool:
    """Not planned, threatened, conditional, negated, a test or a drill. An event named with "the" ("the
    assault on the plant") is taken to have happened, whatever the clause around it says."""
    if any(_anaphoric(t) for t in triggers):
        return True
    for t in (head, *triggers):
        chain = [t, *t.ancestors]
        for a in chain:
            children = list(a.children)
            if any(c.dep_ == "neg" for c in children) and a == head:
                return False
            aux = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
            if aux & MODALS and "have" not in {c.lemma_ for c in children if c.dep_ == "aux"}:
                return False
            if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in children):
                return False
            if a != t and lemma(a) in lexicon.NOT_HAPPENED and a.pos_ == "VERB":
                return False
            if a.dep_ in ("ccomp", "relcl", "advcl") and a != t and a != head:
                break  # beyond the clause that reports the event
    return True


def _recalled(t: Token, head: Token) -> bool:
    """Told as earlier than the story: a past perfect outside reported speech, or "previous", "past"."""
    if _modifiers(t) & {"previous", "past", "last", "earlier", "former", "prior"}:
        return True
    if any(lemma(a) in ("recall", "remember", "commemorate") and a.pos_ == "VERB" for a in (head, *head.ancestors)):
        return True  # "the Centre recalls the raid on Nur Shams" (not "the strike marked an escalation")
    if any(c.dep_ in ("mark", "prep") and c.lower_ == "since" for c in head.children) or any(
        a.lower_ == "since" for a in t.ancestors
    ):
        return True  # "ten years since another attack hit ...": the start of a period
    perfect = {c.lower_ for c in head.children if c.dep_ == "aux"} & {"had"}
    reported = any(lemma(a) in lexicon.SPEECH_VERBS for a in head.ancestors)
    return bool(perfect) and not reported


def _campaign(t: Token) -> bool:
    """An event word that names many events over a period: "four days of air attacks", "weeks of shelling",
    "the bombing campaign", "since militias began attacking", "similar attacks"."""
    if t.dep_ in ("compound", "amod", "nmod", "acl") and lemma(t.head) in CAMPAIGNS | ERAS:
        return True  # "the bombing campaign", "the siege-era shelling" (parsed as an era shelling)
    if t.tag_ == "NNS" and _modifiers(t) & {"similar", "such"}:
        return True  # "the Taliban have carried out similar attacks": a kind of event, not this one
    if _modifiers(t) & ERAS or any(lemma(o) in ERAS for p in t.children if p.lower_ == "of" for o in p.children):
        return True  # "siege-era shelling", "a wartime massacre", "the shelling of the 1990s siege": an era's
    if any(c.dep_ == "relcl" and lemma(c) in ("begin", "start", "launch") for c in t.children):
        return True  # "the airstrikes, which began in March 2015"
    if t.dep_ == "xcomp" and lemma(t.head) in ("begin", "start") and any(c.lower_ == "since" for c in t.head.children):
        return True  # "since militias began attacking US forces": the start of a period of attacks
    if t.dep_ == "pobj" and t.head.lower_ == "of":
        period = t.head.head
        return lemma(period) in ("day", "week", "month", "year", "hour", "night", "decade") and period.tag_ == "NNS"
    return False


def _over_a_period(head: Token) -> bool:
    """A clause told over a period rather than on a day: "recent days have seen dozens killed in areas that
    have been targeted", "over the past week": many events, none of which is read. (A period that qualifies
    a noun, "one of the deadliest attacks in recent years", does not count.)"""
    above = {head.i, *(a.i for a in head.ancestors), *(c.i for c in head.conjuncts)}  # "have killed ... and
    # kidnapped many more in recent years"
    for w in head.sent:
        if lemma(w) not in ("day", "week", "month", "year") or w.tag_ != "NNS":
            continue
        if any(c.lower_ in ("recent", "past", "last", "coming") for c in w.children):
            governor = w.head.head if w.head.pos_ == "ADP" else w.head
            if governor.pos_ in ("VERB", "AUX") and governor.i in above:
                return True
    return False


def _across_years(sent: Span) -> bool:
    """Whether a sentence spans years: "between 2015 and 2022", "from 2014 to 2016"."""
    for prep in sent:
        if prep.lower_ not in ("between", "from") or prep.dep_ != "prep":
            continue
        for year in prep.children:
            if year.dep_ == "pobj" and year.shape_ == "dddd":
                ends = [c for c in year.children if c.dep_ == "conj"] + [
                    o for p in (*year.children, *prep.head.children) if p.lower_ == "to" for o in p.children
                ]
                if any(e.shape_ == "dddd" for e in ends):
                    return True
    return False


def _joined(t: Token, acts: set[int]) -> bool:
    """A clause with no subject of its own conjoined to, or hanging on, the clause of an act: the same act
    ("struck ... and killed", "launched missiles at bases, striking an air base"). A clause told as before or
    after it ("after shelling the town") is another."""
    if t.dep_ not in ("conj", "advcl", "xcomp") or t.head.i not in acts:
        return False
    return not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in t.children)


def _ongoing(head: Token) -> bool:
    """ "Russian jets have been bombing rebel-held villages": an activity going on for a while, no incident."""
    return head.tag_ == "VBG" and any(c.dep_ == "aux" and c.lower_ == "been" for c in head.children)


def _before(t: Token, acts: set[int]) -> bool:
    """An event told as what came before another act: "jets hit depots after the chlorine attacks", "the
    strikes followed an attack"."""
    if t.dep_ == "dobj" and lemma(t.head) == "follow":
        return t.head.i in acts
    if t.pos_ == "VERB" and t.dep_ == "advcl" and t in clauses_opened_by(t.head, ("after",)):
        return t.head.i in acts  # "the raid came a week after militants attacked a base"
    return t.dep_ == "pobj" and t.head.lower_ in ("after", "following") and t.head.head.i in acts


def _cause(t: Token) -> bool:
    """An event told as the cause of another: "in response to an attack", "in retaliation for the strike"."""
    for a in t.ancestors:
        if lemma(a) in ("response", "retaliation", "revenge", "reprisal", "reaction"):
            return True
        if a.pos_ == "VERB":
            return False
    return False


def _another(t: Token, head: Token) -> bool:
    """ "another attack", "repelled another attempt", "jets then struck": an event other than one told before."""
    words = [t, *(c for c in head.children if c.dep_ in ("dobj", "nsubj", "nsubjpass"))]
    return any(c.dep_ == "det" and c.lower_ == "another" for w in words for c in w.children) or _sequel(head)


def _sequel(head: Token) -> bool:
    """ "jets then struck", "later hit": told as what came next."""
    return any(c.dep_ == "advmod" and c.lower_ in SEQUELS for c in head.children)


def _means(t: Token) -> set[str]:
    """The words of what acted in a "when" or "as" clause of a harm verb or its conjuncts: "nine people were
    killed and 32 wounded when a car bomb ripped through a market" (a clause with an event verb of its own,
    "when jets bombed a village", tells the event itself); and a mine run over or hit there ("when their
    vehicle ran over an improvised explosive device")."""
    clauses = [c for v in (t, *t.conjuncts) for c in clauses_opened_by(v, ("when", "as"))]
    clauses = [c for c in clauses if lemma(c) not in lexicon.EVENT_VERBS]
    means = {lemma(w) for c in clauses for s in _subjects(c) for w in s.subtree}
    hit = {lemma(w) for c in clauses for o in _objects(c) + _run_over(c) for w in o.subtree}
    return means | (hit if hit & MINES | {"explosive", "bomb"} else set())


def _run_over(t: Token) -> list[Token]:
    """What a verb went over or onto: "ran over a mine", "drove onto a landmine"."""
    return [o for p in t.children if p.lower_ in ("over", "onto") for o in p.children if o.dep_ == "pobj"]


def _gunfire(t: Token) -> bool:
    """ "fire" as shooting: "came under fire", "an exchange of fire", "returned fire", "killed by Israeli fire",
    "friendly fire"."""
    shooters = [c for c in t.children if c.dep_ in ("amod", "compound", "poss", "nmod")]
    # a people or a side shoots ("Israeli fire", "Houthi fire"); a place names a blaze ("the Grenfell fire")
    if any(
        (c.ent_type_ == "NORP" and c.pos_ == "ADJ") or c._.side or lemma(c) in lexicon.ARMED | {"friendly", "enemy"}
        for c in shooters
    ):
        return True
    if t.dep_ == "pobj":
        return t.head.lower_ == "under" or (t.head.lower_ == "of" and lemma(t.head.head) == "exchange")
    return t.dep_ == "dobj" and lemma(t.head) in ("return", "exchange", "trade", "draw", "open")


def _classed(t: Token) -> bool:
    """ "one of the most serious clashes between ...": an event noun naming the class an event is put in."""
    return t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lower_ == "one"


def _anaphoric(t: Token) -> bool:
    """A definite event noun ("the attack", "the strike") names an event told before."""
    if t.pos_ not in ("NOUN", "PROPN"):
        return False
    return any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "its") for c in t.children)


@Language.factory("geomap_event_triggers")
def make_event_triggers(nlp: Language, name: str) -> EventTriggers:
    return EventTriggers(nlp)
