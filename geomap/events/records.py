"""The small typed records of event reading: what one sentence tells of one event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from gazetteer.model import Entry


class EventType(str, Enum):
    """The kinds of incident the contract knows (``event_type``)."""

    AIR_STRIKE = "air strike"
    MISSILE_STRIKE = "missile strike"
    ARTILLERY = "artillery"
    DRONE_ATTACK = "drone attack"
    SHOOTDOWN = "shootdown"
    BOMBING = "bombing"
    ARMED_CLASH = "armed clash"
    RAID = "raid"
    CHEMICAL_ATTACK = "chemical attack"

    @property
    def family(self) -> str:
        """Reports of one event may call it an air strike or a missile strike: both are strikes."""
        strikes = (EventType.AIR_STRIKE, EventType.MISSILE_STRIKE, EventType.ARTILLERY, EventType.DRONE_ATTACK)
        return "strike" if self in strikes else self.value


class Harm(str, Enum):
    KILLED = "killed"
    INJURED = "injured"


class Count(str, Enum):
    """How a figure counts the people it names, which decides how figures of one event combine."""

    COUNT = "count"  # "killing 82 people"
    TOTAL = "total"  # "16 people were killed in all", "the death toll rose to 100"
    PART = "part"  # "27 of the dead were policemen", "including 11 Marines"
    ADDED = "added"  # "60 Afghans were also killed"
    EARLIER = "earlier"  # "officials earlier reported 50 dead"
    ONE = "one"  # a named victim: "General X was killed"
    NONE = "none"  # "no one was hurt", "there were no casualties"


@dataclass(frozen=True, slots=True)
class Figure:
    """A number of people killed or injured; ``vague`` for "dozens", "scores"; offsets in the article."""

    harm: Harm
    value: int
    count: Count
    start: int
    end: int
    text: str
    vague: bool = False
    rising: bool = False  # read from a toll that rises ("rose to 100"): the latest figure wins
    side: str | None = None  # the side of a clash the people counted fought on (:data:`lexicon.COMBATANTS`)


@dataclass(frozen=True, slots=True)
class When:
    """A date read from the text: the day it stands for (a week, month or year: its first day)."""

    date: date
    precision: str  # day, week, month or year
    start: int
    end: int
    text: str
    explicit: bool = False  # the text names the day in the calendar ("July 3"), not a weekday or "overnight"
    relative: bool = False  # counted from the day of writing ("this evening", "last night"): a day either way


@dataclass(frozen=True, slots=True)
class Side:
    """Who acted or was hit: the words of the text and, when known, the side they name."""

    text: str
    side: str | None = None


DERIVED = "derived: "  # the source of a point told by distance from a gazetteer entry ("40 km northwest of Kidal")


def derived(entry: Entry) -> bool:
    """Whether an entry is a point the text tells by distance from a gazetteer entry."""
    return entry.source.startswith(DERIVED)


@dataclass(frozen=True, slots=True)
class Where:
    """Where an event happened: a gazetteer entry (possibly a point derived from one, as "43 km northeast of X")
    and how precisely it places the event (the contract's ``geo_precision``)."""

    entry: Entry
    geo_precision: int
    score: float
    start: int
    end: int
    specificity: float  # lower is more specific: a facility, a town, a district, a province, a country


@dataclass(slots=True)
class EventMention:
    """One event as one clause of an article tells it. Offsets are the article's characters; ``sentence`` is
    the index of the sentence among those the event pipeline read."""

    type: EventType
    word: str  # the trigger's lemma: "the attack" goes on with the event an attack was told of
    start: int
    end: int
    sentence: int
    quote: str
    actor: Side | None = None
    target: Side | None = None
    when: When | None = None
    where: Where | None = None
    figures: list[Figure] = field(default_factory=list)
    recalled: bool = False  # told as earlier than the story ("had struck", "in the past", "in response to")
    cause: bool = False  # told as what the story answered ("in response to an attack on ..."): likely nearby
    anaphoric: bool = False  # "the attack", "the strike": names an event told before
    generic: bool = False  # the type is a default ("an attack" by gunmen: a clash), not read from a word
    weak: bool = False  # tells of an event only beside another ("an explosion"): never an incident alone
    distinct: bool = False  # "another attack": joins an event only when it says the same place and day
    sequel: bool = False  # "jets then struck": came after the event told before it, in the same account
    words: frozenset[str] = frozenset()  # the nouns of its sentence, to tell which event later sentences go on with


@dataclass(frozen=True, slots=True)
class LooseFigure:
    """A figure of a sentence that tells no event: it belongs to the event told before it, unless its sentence
    dates it otherwise (``dated``: a date hangs on it; ``when``: that date, when it names a day)."""

    sentence: int
    figure: Figure
    dated: bool = False
    when: When | None = None
    words: frozenset[str] = frozenset()  # the nouns of its sentence
