"""Long articles, analysed in pieces the language model accepts.

spaCy's parser needs memory and time that grow faster than the text (and
refuses texts over `nlp.max_length`), so an article longer than
`PIECE_CHARS` characters is cut into pieces of at most that many characters,
at a paragraph break where there is one, else a line break, a sentence end or
a space. Each piece is analysed as an article of its own and its events are
shifted back to the article's offsets, so evidence stays an exact substring of
the article's text. Memory per article is then bounded by the piece size, not
the article size; what is lost is only what crosses a cut (a pronoun whose
referent is in the previous piece, a dateline read for the later pieces).

Articles over the reader's cap (`ExtractOptions.max_article_bytes`, 20 MB)
are skipped with one line before they get here (docs/INPUTS.md).
"""
from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Iterable, Iterator

from parley.extract.text import for_parser, parse_text
from parley.records import Amount, Article, Change, DateSpan, Event, Evidence

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

PIECE_CHARS = 50_000
"""Longest text handed to the language model at once (about five long news articles)."""

# Where to cut, best first: the last paragraph break, line break, sentence end or space
# in the second half of the window.
_CUTS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?][\"'”’)\]]*\s+"),
         re.compile(r"\s+"))


def pieces(text: str, limit: int = PIECE_CHARS) -> Iterator[tuple[int, int]]:
    """(start, end) ranges that cover `text` in order, each at most `limit` characters."""
    if limit < 2:
        raise ValueError("a piece must hold at least two characters")
    start = 0
    while len(text) - start > limit:
        end = start + limit
        low = start + limit // 2
        cut = end
        for pattern in _CUTS:
            last = None
            for last in pattern.finditer(text, low, end):
                pass
            if last is not None and last.end() > low:
                cut = last.end()
                break
        yield start, cut
        start = cut
    if start < len(text) or not text:
        yield start, len(text)


def parsed(nlp: Language, articles: Iterable[Article],
           batch_size: int = 16) -> Iterator[tuple[Article, str, Doc | None]]:
    """Each article with the text the parser reads (parse_text) and its parse, in order:
    short texts through nlp.pipe in batches; None for a text longer than PIECE_CHARS,
    which the backend parses piece by piece."""
    items = [(a, parse_text(a)) for a in articles]
    docs = iter(nlp.pipe((for_parser(text) for _, text in items if len(text) <= PIECE_CHARS),
                         batch_size=batch_size))
    for article, text in items:
        yield article, text, (next(docs) if len(text) <= PIECE_CHARS else None)


def piece_of(article: Article, start: int, end: int) -> Article:
    """The article's text from `start` to `end` as an article of its own (same id and metadata),
    its body ranges cut to the piece and counted from its start."""
    body = tuple((max(s, start) - start, min(e, end) - start)
                 for s, e in article.body if s < end and e > start)
    if article.body and not body:
        body = ((0, 0),)  # all clutter: nothing of this piece is the article proper
    return dataclasses.replace(article, text=article.text[start:end], body=body)


def shifted(event: Event, offset: int) -> Event:
    """The event with every character offset moved by `offset` (a piece's start in its article)."""
    if offset == 0:
        return event
    return dataclasses.replace(
        event,
        evidence=tuple(Evidence(e.text, _move(e.start, offset), _move(e.end, offset)) for e in event.evidence),
        amount=_amount(event.amount, offset),
        date=_date(event.date, offset))


def _move(position: int, offset: int) -> int:
    return position + offset if position >= 0 else position  # -1: no position


def _amount(amount: Amount | None, offset: int) -> Amount | None:
    if amount is None:
        return None
    change = amount.change
    if change is not None and change.base is not None:
        change = Change(change.percent, change.factor, _amount(change.base, offset))
    return dataclasses.replace(amount, start=_move(amount.start, offset), end=_move(amount.end, offset),
                               equivalent=_amount(amount.equivalent, offset),
                               previous=_amount(amount.previous, offset), change=change)


def _date(date: DateSpan | None, offset: int) -> DateSpan | None:
    if date is None:
        return None
    return dataclasses.replace(date, char_start=_move(date.char_start, offset),
                               char_end=_move(date.char_end, offset))
