"""The small typed records passed between the stages: articles -> places -> incidents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from gazetteer.model import Entry


@dataclass(frozen=True, slots=True)
class Article:
    """One article: its id (file name relative to the input), text and metadata.

    ``date_source`` says where ``published`` came from: ``manifest``, ``metadata`` (front
    matter or a record's field), ``dateline`` (found in the text) or None (unknown).
    """

    id: str
    text: str
    published: date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    date_source: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleError:
    """An input that could not be read as an article, and why (reported, never fatal)."""

    id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Toponym:
    """A place mention in a text, resolved (``entry`` set) or not (``entry`` None).

    ``start``/``end`` are character offsets into the text; ``kind`` is ``place``,
    ``region`` (a province or governorate), ``facility`` (airport, air base) or
    ``demonym`` (a country named by its adjective, which carries no incident location).
    """

    start: int
    end: int
    text: str
    name: str
    kind: str = "place"
    entry: Entry | None = None
    score: float = 0.0
    candidates: tuple = field(default=(), repr=False, compare=False)

    @property
    def lat(self) -> float | None:
        return self.entry.lat if self.entry else None

    @property
    def lon(self) -> float | None:
        return self.entry.lon if self.entry else None

    @property
    def resolved(self) -> bool:
        return self.entry is not None


@dataclass(slots=True)
class Incident:
    """One incident, as read from one or more articles (the contract's fields, plus article details)."""

    id: str
    date: date | None
    date_precision: str | None
    event_type: str
    actor: str | None
    target: str | None
    location: str | None
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    geonameid: int | None
    geo_precision: int
    killed_min: int | None
    killed_max: int | None
    injured_min: int | None
    injured_max: int | None
    quote: str
    historical: bool
    articles: list[str] = field(default_factory=list)
    titles: list[str | None] = field(default_factory=list)
    urls: list[str | None] = field(default_factory=list)
    published: list[str | None] = field(default_factory=list)
    score: float = 0.0
    actor_side: str | None = None  # the side as geomap names it ("US-led coalition" for "coalition jets")
    date_explicit: bool = False  # the date was read from a calendar day ("July 3"), surer than a weekday
    target_side: str | None = None

    @property
    def source_count(self) -> int:
        return len(self.articles)


@dataclass(slots=True)
class ArticleResult:
    """What one article gave: its incidents (joined within the article), how many place mentions
    were found and the names that stayed unresolved. The unit the engines return and the cache keeps."""

    id: str
    incidents: list[Incident]
    places: int = 0
    unresolved: list[str] = field(default_factory=list)
    passed_over: str | None = None  # why the article was not read closely (no word an incident is told with)
