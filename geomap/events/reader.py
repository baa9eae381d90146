"""The event reader: articles in, incidents out, through two spaCy pipelines.

1. The geoparser's pipeline (:mod:`geomap.places`) runs on every article: entities, sentences, place
   mentions resolved with the gazetteer, and ``geomap_event_sentences`` (the cheap look for event words).
2. The event pipeline runs on the excerpt of each article that has event sentences
   (:mod:`geomap.events.excerpt`): the model's tagger, parser and lemmatizer, then geomap's components
   ``geomap_side_names`` (a ``span_ruler``), ``geomap_event_triggers``, ``geomap_event_sides``,
   ``geomap_event_dates``, ``geomap_event_figures`` and ``geomap_event_places``.

The mentions each excerpt yields become the article's incidents (:mod:`geomap.events.incidents`);
:func:`geomap.events.merge.merge` joins reports of one event across articles.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from spacy.language import Language
from spacy.tokens import Doc

from geomap import lexicon
from geomap import places as geoparsing
from geomap.events import cues, dates, figures, places, sides, tags, triggers  # noqa: F401  (registers the factories)
from geomap.events.excerpt import excerpt
from geomap.events.incidents import incidents
from geomap.places import PARSE_PIPES, Geoparser
from geomap.records import Article, Incident, Toponym

SEGMENT_PIPES = ("sentencizer", "geomap_paragraphs")  # the geoparser's sentences, before its model
_NOT_LINE_BREAK = re.compile(r"[^\n]")
DATELINE_CHARS = 400
DATELINE_DAYS = 7


def load_event_pipeline(source: Language, gazetteer_path: str = "") -> Language:
    """The model's tagger, parser and lemmatizer, taken from ``source`` (a loaded pipeline of the model that
    holds them, as the geoparser's made with ``sentences=True`` does, disabled), with its vocabulary and
    tokenizer (excerpts reuse the words the article's parse already made), followed by geomap's event
    components. Not the model's entity recognizer: the excerpt carries the entities found on the whole article."""
    missing = [p for p in PARSE_PIPES if p not in source.component_names]
    if missing:
        name = f"{source.meta.get('lang', '')}_{source.meta.get('name', '')}"
        raise ValueError(f"spaCy model {name!r} has no {', '.join(missing)}: event reading needs a parser")
    nlp = type(source)(vocab=source.vocab, meta=source.meta, create_tokenizer=lambda _: source.tokenizer)
    for name in PARSE_PIPES:
        nlp.add_pipe(name, source=source)
    _index_as_sets(nlp.get_pipe("lemmatizer"))
    tags.split_tag_map(nlp)
    config = {"gazetteer_path": gazetteer_path}
    sides.add_side_ruler(nlp)
    nlp.add_pipe("geomap_event_triggers")
    nlp.add_pipe("geomap_event_sides", config=config)
    nlp.add_pipe("geomap_event_dates")
    nlp.add_pipe("geomap_event_figures")
    nlp.add_pipe("geomap_event_places", config=config)
    return nlp


def _index_as_sets(lemmatizer) -> None:
    """The rule lemmatizer's lemma index as sets: spaCy loads each part of speech's known lemmas as a list
    and tests every candidate lemma against it, which made lemmatizing cost more than parsing."""
    table = lemmatizer.lookups.get_table("lemma_index", None)
    for pos in list(table or ()):
        table[pos] = frozenset(table[pos])


class EventReader:
    """Reads incidents from articles, parsing them with a :class:`~geomap.places.Geoparser`."""

    def __init__(self, geoparser: Geoparser | None = None, *, batch_size: int = 32):
        self.geoparser = geoparser or Geoparser(sentences=True)
        nlp = self.geoparser.nlp
        if not nlp.has_pipe("sentencizer"):
            raise ValueError("EventReader needs a Geoparser made with sentences=True")
        if not nlp.has_pipe("geomap_event_sentences"):
            nlp.add_pipe("geomap_event_sentences")
        self.nlp = load_event_pipeline(nlp, self.geoparser.path)
        self.cues = cues.EventCues(nlp.vocab)
        self.batch_size = batch_size

    def read(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Incident]]]:
        """For each article, in order, the incidents it reports (joined within the article)."""
        for article, _chunks, found in self.results(articles):
            yield article, found

    def may_report(self, text: str) -> bool:
        """Whether a text holds a word without which no incident is read (:func:`cues.trigger_lemmas`), looked
        up on the tokenizer's tokens of the chunks the model would read: a text without one yields none."""
        return any(self.cues.may_tell(doc) for _, doc in self._tokenized(text))

    def _tokenized(self, text: str) -> Iterator[tuple[str, Doc]]:
        """The chunks the model would read, each with its tokens (no model run)."""
        tokenizer = self.geoparser.nlp.tokenizer
        for _, piece in geoparsing.text_chunks(text or ""):
            yield piece, tokenizer(piece)

    def reading(self, text: str) -> str | None:
        """What of a text the model needs to read its incidents: None when it holds no trigger word (see
        :meth:`may_report`); else the text with every sentence that holds no cue and lies neither in its lead
        nor near a trigger word (:meth:`cues.EventCues.window`) blanked out, line breaks kept so that offsets
        hold. The event pipeline reads no other sentence (:meth:`cues.EventCues.sentences`)."""
        nlp = self.geoparser.nlp
        segment = [nlp.get_pipe(name) for name in SEGMENT_PIPES]
        told, out = False, []
        for piece, doc in self._tokenized(text):
            if not self.cues.may_tell(doc):
                out.append(piece)
                continue
            told = True
            for pipe in segment:
                doc = pipe(doc)
            sents, _, near = self.cues.window(doc)
            at = 0
            for sent, keep in zip(sents, near, strict=True):
                if not keep:
                    out.append(piece[at : sent.start_char])
                    out.append(_blank(sent.text))
                    at = sent.end_char
            out.append(piece[at:])
        return "".join(out) if told else None

    def results(
        self, articles: Iterable[Article], read_all: bool = False
    ) -> Iterator[tuple[Article, list[tuple[int, Doc]] | None, list[Incident]]]:
        """For each article, in order: the article, its parsed chunks (offset, Doc) and its incidents. Unless
        ``read_all``, an article that :meth:`may_report` nothing is passed over before the model (its chunks
        are None), and the model reads only the sentences of the others that the event reading needs
        (:meth:`reading`)."""
        waiting: deque[tuple[Article, bool]] = deque()

        def chosen() -> Iterator[tuple[str, Article]]:
            for article in articles:
                text = article.text if read_all else self.reading(article.text)
                waiting.append((article, text is not None))
                if text is not None:
                    yield text, article

        for item in self._read(chosen()):
            while not waiting[0][1]:
                yield waiting.popleft()[0], None, []
            waiting.popleft()
            yield item
        while waiting:
            yield waiting.popleft()[0], None, []

    def _read(
        self, items: Iterable[tuple[str, Article]]
    ) -> Iterator[tuple[Article, list[tuple[int, Doc]], list[Incident]]]:
        parsed = self.geoparser.docs(items)
        vocab = self.nlp.vocab

        def excerpts():
            for article, chunks in parsed:
                toponyms = [_shifted(t, offset) for offset, doc in chunks for t in doc._.toponyms]
                reference = reference_day(chunks[0][1], article.published) if chunks else article.published
                # an article without a trigger word tells no incident: its sentences need no parse
                tells = any(self.cues.may_tell(doc) for _, doc in chunks)
                parts = [excerpt(doc, vocab, article, offset, toponyms, reference) for offset, doc in chunks if tells]
                yield (article, chunks, reference), [p for p in parts if p is not None]

        for (article, chunks, reference), docs in _piped(self.nlp, excerpts(), self.batch_size):
            mentions = [f.mention for d in docs for f in d._.frames or []]
            loose = [f for d in docs for f in d._.loose_figures or []]
            named = [p for d in docs for p in d._.places or []]
            claims = [c for d in docs for c in d._.claims or []]
            found = incidents(article, mentions, loose, reference, named, claims)
            if found and len(set().union(*(self.cues.sports_words(d) for _, d in chunks))) >= lexicon.SPORTS_ARTICLE:
                found = [i for i in found if i.killed_max or i.injured_max]  # a game's "attack" hurts no one
            yield article, chunks, found


def _blank(text: str) -> str:
    """A sentence's text as spaces, its line breaks kept and two more first: a paragraph break that makes
    the blank a sentence of its own (no other sentence takes it in)."""
    blank = _NOT_LINE_BREAK.sub(" ", text)
    return "\n\n" + blank[2:] if len(blank) >= 2 else blank


def _piped(nlp: Language, items: Iterator, batch_size: int) -> Iterator:
    """Run ``nlp`` over the excerpt docs of each item, in batches, keeping each item's docs together."""
    pending: list = []
    for item in items:
        pending.append(item)
        if sum(len(docs) for _, docs in pending) >= batch_size:
            yield from _flush(nlp, pending)
            pending = []
    yield from _flush(nlp, pending)


def _flush(nlp: Language, pending: list) -> Iterator:
    flat = [d for _, docs in pending for d in docs]
    done = iter(list(nlp.pipe(flat)) if flat else [])
    for key, docs in pending:
        yield key, [next(done) for _ in docs]


def reference_day(doc: Doc, published: date | None) -> date | None:
    """The day an article's relative dates count from: the date of its dateline ("Jabaliya, July 30:", a line
    that holds a date alone) when it lies in the week before publication, else the publication date."""
    if published is None:
        return None
    text = doc.text
    for ent in doc.ents:
        if ent.start_char > DATELINE_CHARS:
            break
        if ent.label_ != "DATE":
            continue
        after = text[ent.end_char : ent.end_char + 3].lstrip(" ,")
        line_start = text.rfind("\n", 0, ent.start_char) + 1
        line_end = text.find("\n", ent.end_char)
        line = text[line_start : line_end if line_end >= 0 else len(text)].strip()
        if not (after[:1] in (":", "-", "–", "—", "(", "\n", "") or len(line) <= len(ent.text) + 12):
            continue
        reading = dates.resolve([t.text for t in ent], published)
        if reading and reading[1] == "day" and any(t.like_num for t in ent):
            day = reading[0]
            if published - timedelta(days=DATELINE_DAYS) <= day <= published:
                return day
    return published


def _shifted(t: Toponym, offset: int) -> Toponym:
    if not offset:
        return t
    return Toponym(t.start + offset, t.end + offset, t.text, t.name, t.kind, t.entry, t.score, t.candidates)
