"""From one article's event mentions to its incidents.

Mentions of one event are joined: of one family (a generic "attack" joins any), with dates within a day
or one undated, and places within :data:`NEAR_KM` of each other, one inside the other's province or
country, or one unplaced. "The attack", "the strike" with nothing of their own join the event told
before. Figures of sentences that tell no event belong to the event before them (or, for the lines
before the first event, to the first), unless their sentence dates something else. "The attack" placed
only in another country than the event told before ("officials said the attack took place in Syria") is
that event, its place disputed.

An incident takes the most specific place of its mentions, the date of its first dated mention (with
none: the reference day, at week precision), the most specific type of its mentions, and its figures
combined by :func:`toll`. An event more than :data:`RECALLED_DAYS` before the reference day, or told as
earlier with no date, is ``historical``. Incidents with no place, or placed only by a country and not
dated to the day, are left out: a map cannot show them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from gazetteer.store import great_circle_km
from geomap.events.records import Count, EventMention, EventType, Figure, Harm, LooseFigure, Side, When, Where, derived
from geomap.records import Article, Incident

RECALLED_DAYS = 7
NEAR_KM = 50.0
NEAR_SENTENCES = 3  # a place named this many sentences from an event's may place it


@dataclass
class _Group:
    mentions: list[EventMention] = field(default_factory=list)
    historical: bool = False
    figures: list[Figure] = field(default_factory=list)
    claimed: Side | None = None  # who claimed responsibility for it

    @property
    def lead(self) -> EventMention:
        return self.mentions[0]

    @property
    def lead_recalled(self) -> bool:
        """Whether the mention that started the group was told as earlier (anaphors may join it later)."""
        return self.first.recalled

    first: EventMention = field(init=False)

    def __post_init__(self) -> None:
        self.first = self.mentions[0]

    @property
    def where(self) -> Where | None:
        placed = [m.where for m in self.mentions if m.where is not None]
        return min(placed, key=_surest) if placed else None

    @property
    def when(self) -> When | None:
        """The surest date of its mentions: a calendar day, a day, then the first."""
        dated = [m.when for m in self.mentions if m.when is not None]
        return min(dated, key=lambda w: (not w.explicit, w.precision != "day"), default=None)

    @property
    def type(self) -> EventType:
        """The type of its first mention read from words, else of one that is weak (an explosion), else the
        first default."""
        ranked = sorted(self.mentions, key=lambda m: (m.generic, m.weak))  # read, then weak, then defaults
        return ranked[0].type


def _surest(w: Where) -> tuple:
    """The most specific place first; among equals, a point the text locates by distance ("40 km northwest of
    Kidal") before a place it is only near, then the best name match."""
    return w.specificity, w.geo_precision, not derived(w.entry), -w.score


def _last_day(day: date, precision: str) -> date:
    if precision == "year":
        return date(day.year, 12, 31)
    if precision == "month":
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return following - timedelta(days=1)
    if precision == "week":
        return day + timedelta(days=6)
    return day


def _old(when: When | None, reference: date | None) -> bool:
    """Dated more than :data:`RECALLED_DAYS` before the reference day."""
    if when is None or reference is None:
        return False
    return (reference - _last_day(when.date, when.precision)).days > RECALLED_DAYS


def same_time(a, b, slack: int = 0) -> bool:
    """Whether two dates read (When) can name the same day, give or take ``slack`` days. One article that
    tells of Friday's shelling and Saturday's tells of two events."""
    a0, a1 = a.date, _last_day(a.date, a.precision)
    b0, b1 = b.date, _last_day(b.date, b.precision)
    return a0 - timedelta(days=slack) <= b1 and b0 - timedelta(days=slack) <= a1


def same_place(a: Where, b: Where) -> bool:
    """Close (twice as far for a point told by its distance from a place, which a report may also name:
    "50 km north of Baghdad" and "north of Baghdad"), or one inside the other's province or country."""
    ea, eb = a.entry, b.entry
    told = derived(ea) or derived(eb)
    if great_circle_km(ea.lat, ea.lon, eb.lat, eb.lon) <= NEAR_KM * (2 if told else 1):
        return True
    if ea.country is None or ea.country != eb.country:
        return False
    for outer, inner in ((ea, eb), (eb, ea)):
        if outer.feature_code.startswith("PCL") or (outer.feature_code == "RGN" and outer.admin1 is None):
            return True
        if outer.feature_code == "ADM1" and outer.admin1 is not None and outer.admin1 == inner.admin1:
            return True
    return False


def _affinity(m: EventMention, group: _Group, story: When | None) -> int | None:
    """How surely a mention tells of the same event as a group: None when it cannot (another family, another
    day, another place), else the number of things it shares with it (day, place, type). Fighting joins any
    family: gunmen open fire around a bombing, troops return fire before a shelling. Either side that says no
    day is taken to be of the story's day (``story``), so that "last week's strike" joins no undated event
    of this week's story. A place need only match one of the group's (an attack on two bases), and a country
    matches only when the group names nothing more precise."""
    families = {x.type.family for x in group.mentions if not x.generic} - {EventType.ARMED_CLASH.value}
    named = m.anaphoric and m.when is None  # "the raid", "the bombing": the event told before, by another word
    if not (m.generic or named) and families and m.type.family not in families | {EventType.ARMED_CLASH.value}:
        return None
    when = group.when
    places = [x.where for x in group.mentions if x.where is not None]
    # "another attack" is the same only when it says so (same place, same day), and "jets then struck" told after
    # an event is another, unless in its sentence ("a bomb first hit the vehicle, then gunmen opened fire")
    phase = m.sequel and any(x.sentence == m.sentence for x in group.mentions)
    if m.distinct and not phase and (m.when is None or when is None or m.where is None or not places):
        return None
    a, b = m.when or story, when or story
    if a is not None and b is not None and not same_time(a, b, int(a.relative or b.relative)):
        return None
    # a sea or a world region lies in no country and may hold any place ("a ship hit in the Red Sea", "70 nautical
    # miles northwest of Hodeidah"); "the blast, which hit their vehicle near the Tigris" is the blast told before
    places = [p for p in places if not _open(p)]
    if m.where is not None and places and not _open(m.where) and not (named and m.where.specificity > 2):
        precise = [p for p in places if p.specificity < 3] or places
        if not any(same_place(m.where, p) for p in precise):
            return None
    score = int(m.when is not None and when is not None) + int(m.where is not None and bool(places))
    return score + int(not m.generic and m.type.family in families)


def _open(w: Where) -> bool:
    """A broad place of no country: a sea, a world region."""
    return w.specificity > 2 and w.entry.country is None


def _rank(m: EventMention) -> int:
    """2: says where (more precisely than a country) and when; 1: where; 0: when; -1: neither."""
    where = m.where is not None and m.where.specificity < 3
    if m.when is not None:
        return 2 if where else 0
    return 1 if where else -1


def _story_day(mentions: list[EventMention], reference: date | None) -> When | None:
    """The day of the article's story: of its mentions dated to a day and not told as earlier, the first not
    older than :data:`RECALLED_DAYS` (else the first); with none, the week before the reference day."""
    dated = [m.when for m in mentions if m.when is not None and m.when.precision == "day" and not m.recalled]
    if dated:
        return next((w for w in dated if not _old(w, reference)), dated[0])
    return When(reference - timedelta(days=6), "week", 0, 0, "") if reference else None


def group_mentions(mentions: list[EventMention], reference: date | None) -> list[_Group]:
    """Mentions joined into events (see the module's docstring). Mentions that say most make the events
    first (where and when, where, when); the others join the event they share most with, the nearest told
    before them on a tie.

    The article's story is the event of its first mention that is not told as earlier (the headline's or
    the lead's); other events are recalled when told as earlier, dated before the story's, or dated more
    than :data:`RECALLED_DAYS` before the reference day."""
    groups: list[_Group] = []
    story_day = _story_day(mentions, reference)
    for rank in (2, 1, 0, -1):
        for m in mentions:
            if _rank(m) != rank:
                continue
            options = [(a, g) for g in groups if (a := _affinity(m, g, story_day)) is not None]
            named = []
            if m.anaphoric and m.when is None:  # "the attack", "the Erbil attack": an attack told before
                told = [g for g in groups if any(x.word == m.word and x.start < m.start for x in g.mentions)]
                # (told as earlier, "the Centre recalls the raid on Nur Shams", it is not the story's raid)
                named = [(a, g) for a, g in options if g in told and (g.lead_recalled or not m.recalled)]
                if not named and not m.figures and m.where is not None and m.where.specificity >= 3:
                    # "said the attack had taken place in Syria": the event told before, where it is disputed
                    before = [g for g in groups if g.lead.start < m.start and g.lead_recalled == m.recalled]
                    named = [(0, max(before, key=lambda g: g.lead.start))] if before and m.generic else []
            # what is told as earlier joins only what is told as earlier, and the rest only the rest
            options = named or [(a, g) for a, g in options if g.lead_recalled == m.recalled]
            if not options:
                groups.append(_Group([m]))
                continue
            best = max(a for a, _ in options)
            near = [g for a, g in options if a == best]
            before = [g for g in near if g.lead.start < m.start]
            (before[-1] if before else near[0]).mentions.append(m)
    for g in groups:
        g.mentions.sort(key=lambda x: x.start)
    groups.sort(key=lambda g: g.lead.start)
    told = [g for g in groups if not g.first.recalled]
    story = next((g for g in told if not _old(g.when, reference)), told[0] if told else None)
    day = story.when if story is not None else None
    for g in groups:
        when = g.when
        g.historical = (
            g.first.recalled  # told as earlier, or as the cause of the story: "in response to an attack"
            or _old(when, reference)
            or (
                g is not story
                and when is not None
                and day is not None
                and _last_day(when.date, when.precision) < day.date
            )
        )
    return groups


def toll(figures: list[Figure], harm: Harm) -> tuple[int, int] | None:
    """The (low, high) figures of one harm of one event.

    Statements of none yield to counts; vague counts ("dozens") to precise ones; parts ("27 of the dead")
    to whole counts; earlier figures to later ones; a single named victim to other counts; counts below a total
    ("16 in all") to the total. Additions ("60 Afghans were also killed") add to the rest, and so do the
    counts of the two sides of a clash ("killed 11 militants" ... "two soldiers were killed": 13). A toll that
    rises gives its latest (highest) figure; other figures that differ give their range."""
    mine = [f for f in figures if f.harm == harm]
    if not mine:
        return None
    counted = [f for f in mine if f.count != Count.NONE]
    if not counted:
        return 0, 0
    parts = {f.value for f in counted if f.count == Count.PART}
    if parts and any(f.value > max(parts) for f in counted if f.count != Count.PART):
        # "at least 10 women and children were killed" ... "around 30, including 10 women and children"
        counted = [f for f in counted if f.value not in parts or f.count not in (Count.COUNT, Count.PART)]
    if any(not f.vague for f in counted):
        counted = [f for f in counted if not f.vague]  # "dozens" yields even to an earlier count ("about 25")
    for weaker in (Count.PART, Count.EARLIER, Count.ONE):
        if any(f.count not in (weaker, Count.ADDED) for f in counted):  # "a commander and two other people"
            counted = [f for f in counted if f.count != weaker]
    added = [f for f in counted if f.count == Count.ADDED]
    main = [f for f in counted if f.count != Count.ADDED] or added[:1]
    added = [f for f in added if f not in main]
    totals = [f.value for f in main if f.count == Count.TOTAL]
    if totals:
        main = [f for f in main if f.count == Count.TOTAL or f.value >= max(totals)]
    extra = sum(f.value for f in added)
    sides = {f.side for f in main}
    parts = [[f for f in main if f.side == s] for s in sides] if None not in sides and len(sides) > 1 else [main]
    low = high = extra
    for part in parts:
        values = [f.value for f in part]
        low += max(values) if any(f.rising for f in part) else min(values)
        high += max(values)
    return low, high


def refine(where: Where | None, places: list[tuple[int, Where]], sentences: set[int]) -> Where | None:
    """An event placed only by a country or a province takes the place the article names most often inside
    it (near it: ``geo_precision`` 2), as reports name the town of an event in one sentence and its country
    in another; an event placed nowhere takes the article's most named place (3 for a province). On a tie,
    the place named nearest to the event's ``sentences`` (at most :data:`NEAR_SENTENCES` away), then the
    more specific."""
    if where is not None and where.specificity < 2:
        return where
    if where is None:
        inside = [(s, p) for s, p in places if p.specificity < 3]  # an event placed nowhere: the article's place
    else:
        e = where.entry
        inside = [
            (s, p)
            for s, p in places
            if p.specificity < min(where.specificity, 2.5)
            and p.entry.country == e.country
            and (e.feature_code != "ADM1" or p.entry.admin1 == e.admin1)
        ]
    inside = [(s, p) for s, p in inside if min(abs(s - n) for n in sentences) <= NEAR_SENTENCES]
    if not inside:
        return where
    counts = Counter(p.entry.id for _, p in inside)
    _, best = max(
        inside, key=lambda sp: (counts[sp[1].entry.id], -min(abs(sp[0] - n) for n in sentences), -sp[1].specificity)
    )
    return replace(best, geo_precision=2 if best.specificity < 2 else 3)


def incidents(
    article: Article,
    mentions: list[EventMention],
    loose: list[LooseFigure],
    reference: date | None,
    places: list[tuple[int, Where]] = (),
    claims: list[tuple[int | None, Side]] = (),
) -> list[Incident]:
    """The incidents of one article. ``loose``: the figures of sentences that tell no event; ``places``: the
    article's place mentions that may say where something happened; ``claims``: who claimed responsibility, and
    for which event word (None: the story's)."""
    mentions = sorted(mentions, key=lambda m: m.start)
    for n in range(1, len(mentions)):  # "U.S. jets then struck ...", told after a recalled attack, is recalled too
        m = mentions[n]
        if m.sequel and m.when is None and mentions[n - 1].recalled:
            mentions[n] = replace(m, recalled=True)
    groups = group_mentions(mentions, reference)
    if not groups:
        return []
    for loose_figure in loose:
        group = _owner(loose_figure, groups)
        when = group.when or (When(reference, "week", 0, 0, "") if reference else None)
        if loose_figure.dated and (loose_figure.when is None or when is None or not same_time(loose_figure.when, when)):
            continue  # "five soldiers have been killed in recent days": another event's toll
        group.figures.append(loose_figure.figure)
    for at, side in claims:
        claimed = next((g for g in groups if any(m.start == at for m in g.mentions)), None) if at is not None else None
        claimed = claimed or next((g for g in groups if not g.historical), None)
        if claimed is not None and claimed.claimed is None:
            claimed.claimed = side
    owner: dict[int, set[int]] = {}
    for n, g in enumerate(groups):
        if g.first.cause:
            continue  # a retaliation hits where the attack it answers came from: its place may place the story
        for m in g.mentions:
            owner.setdefault(m.sentence, set()).add(n)
    out, told = [], []
    for n, g in enumerate(groups):
        # a sentence that tells only of another event does not place this one
        mine = [(s, p) for s, p in places if owner.get(s, {n}) & {n}]
        incident = _incident(article, g, reference, mine)
        if incident is not None:
            out.append(incident)
            told.append(g.first.recalled)
    # an article that tells of events only as earlier ones (an anniversary, a trial, a memorial) reports none (a
    # late report of its own story, "the toll of the July 3 bombing rose to 324", is no recall)
    return [] if all(told) else out


def _owner(loose: LooseFigure, groups: list[_Group]) -> _Group:
    """The event a figure of a sentence without one belongs to: of the events told before it, the one whose
    sentences share most nouns with its sentence (the nearest on a tie), as a sentence goes on with the story
    it shares words with ("about 20 students were killed" after a recalled attack on students); before the
    first event, the first."""
    before = [g for g in groups if any(m.sentence < loose.sentence for m in g.mentions)]
    if not before:
        return groups[0]

    def closeness(g: _Group) -> tuple[int, int]:
        shared = len(loose.words & frozenset().union(*(m.words for m in g.mentions)))
        return shared, max(m.sentence for m in g.mentions if m.sentence < loose.sentence)

    return max(before, key=closeness)


def _side(told, claimed: Side | None) -> Side | None:
    """Who acted, of those an event's mentions name: the first whose side is known ("the coalition" after "the
    US-led coalition"), else who claimed the event, else the first named."""
    named = [s for s in told if s is not None]
    return next((s for s in named if s.side is not None), claimed or (named[0] if named else None))


def _incident(article: Article, g: _Group, reference: date | None, places: list[tuple[int, Where]]) -> Incident | None:
    if all(m.weak for m in g.mentions):
        return None
    sentences = {m.sentence for m in g.mentions}
    where = refine(g.where, places, sentences) if g.where is not None or not g.historical else None
    when = g.when
    if where is None or (g.historical and when is None):
        return None  # nowhere to show it, or an earlier event of unknown day ("a base that had launched an attack")
    e = where.entry
    if e.feature_code.startswith("PCL") and (when is None or when.precision != "day"):
        return None
    figures = [f for m in g.mentions for f in m.figures] + g.figures
    killed, injured = toll(figures, Harm.KILLED), toll(figures, Harm.INJURED)
    lead = g.lead
    actor = _side((m.actor for m in g.mentions), g.claimed)
    target = next((m.target for m in g.mentions if m.target is not None), None)
    day, precision = (when.date, when.precision) if when else (reference, "week" if reference else None)
    historical = g.historical
    return Incident(
        id="",
        date=day,
        date_precision=precision,
        event_type=g.type.value,
        actor=actor.text if actor else None,
        target=target.text if target else None,
        actor_side=actor.side if actor else None,
        target_side=target.side if target else None,
        location=e.name,
        lat=e.lat,
        lon=e.lon,
        country=e.country,
        admin1=e.admin1_name,
        geonameid=e.geonameid,
        geo_precision=where.geo_precision,
        killed_min=killed[0] if killed else None,
        killed_max=killed[1] if killed else None,
        injured_min=injured[0] if injured else None,
        injured_max=injured[1] if injured else None,
        quote=lead.quote,
        historical=historical,
        articles=[article.id],
        titles=[article.title],
        urls=[article.url],
        published=[article.published.isoformat() if article.published else None],
        score=where.score,
        date_explicit=bool(when and when.explicit),
    )
