"""The excerpt the event pipeline reads: an article's event sentences as a Doc of their own.

Parsing costs more than tagging entities, and most sentences of news tell of no incident; so only the
sentences that :mod:`geomap.events.cues` kept are copied, with the entities the model found, into a
new Doc that the event pipeline tags, parses and reads. ``doc._.source`` ties it to its article: the
article's own tokens, places and dates, and where each excerpt token stands in the article.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from geomap import lexicon
from geomap.events.cues import SPANS_KEY
from geomap.records import Article, Toponym


@dataclass
class Source:
    """The article an excerpt comes from. ``doc`` is the article's parsed chunk starting at character
    ``offset`` of the article; ``tokens[i]`` is the chunk token that excerpt token ``i`` copies;
    ``toponyms`` are all the places the article names (offsets in the article); ``reference`` is the day
    its relative dates count from (its dateline's date, else its publication date)."""

    article: Article
    doc: Doc
    offset: int
    tokens: np.ndarray
    toponyms: list[Toponym]
    reference: date | None = None
    _starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._starts = [t.start for t in self.toponyms]

    def char(self, token: Token) -> int:
        """Where an excerpt token begins in the article."""
        return self.offset + self.doc[int(self.tokens[token.i])].idx

    def chars(self, span: Span) -> tuple[int, int]:
        """Where an excerpt span begins and ends in the article."""
        last = self.doc[int(self.tokens[span.end - 1])]
        return self.char(span[0]), self.offset + last.idx + len(last)

    def toponym(self, token: Token) -> Toponym | None:
        """The place mention an excerpt token is part of."""
        at = self.char(token)
        i = bisect_right(self._starts, at) - 1
        if i >= 0 and self.toponyms[i].start <= at < self.toponyms[i].end:
            return self.toponyms[i]
        return None


if not Doc.has_extension("source"):
    Doc.set_extension("source", default=None)


DATELINE_TOKENS = 12


def _undated(sent: Span) -> Span:
    """A sentence without its dateline ("BEIRUT, April 9 (Wire) - Missiles struck ..." -> "Missiles struck
    ..."): where and when the story was filed is no part of the sentence, and the parser reads it badly."""
    for t in sent[:DATELINE_TOKENS]:
        if t.text in ("-", "–", "—", ":") and t.i > sent.start:
            head = sent.doc[sent.start : t.i]
            words = [w for w in head if w.is_alpha]
            if (
                words
                and words[0].is_upper
                and len(words[0]) > 1
                and all(w.is_title or w.is_upper or w.like_num or w.lower_ in lexicon.MONTH_NUMBERS for w in words)
            ):
                return sent.doc[t.i + 1 : sent.end]
            break
    return sent


def excerpt(
    doc: Doc, vocab: Vocab, article: Article, offset: int, toponyms: list[Toponym], reference: date | None
) -> Doc | None:
    """The event sentences of an article chunk (``doc``, at ``offset``) as a new Doc of the event pipeline's
    ``vocab``, with the model's entities; None when it has none."""
    sentences = [u for s in doc.spans.get(SPANS_KEY, []) if len(u := _undated(s))]
    if not sentences:
        return None
    index = np.concatenate([np.arange(s.start, s.end) for s in sentences])
    words = [doc[int(i)].text for i in index]
    spaces = [bool(doc[int(i)].whitespace_) for i in index]
    starts = np.zeros(len(index), dtype=bool)
    starts[np.cumsum([0, *(len(s) for s in sentences[:-1])])] = True
    new = Doc(vocab, words=words, spaces=spaces, sent_starts=starts.tolist())
    position = {int(i): n for n, i in enumerate(index)}
    ents = []
    for ent in doc.ents:
        first, last = position.get(ent.start), position.get(ent.end - 1)
        if first is not None and last is not None and last - first == len(ent) - 1:
            ents.append(Span(new, first, last + 1, label=ent.label_))
    new.ents = ents
    new._.source = Source(article, doc, offset, index, toponyms, reference)
    return new
