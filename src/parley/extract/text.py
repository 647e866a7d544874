"""Text preparation every backend may share: what the parser (or a model) reads.

`parse_text` keeps the article's offsets (evidence spans point into the
article's text) while blanking clutter, joining hard-wrapped lines and
hiding a wire dateline; `for_parser` hides "bn"/"m" scale suffixes that
mislead spaCy's tagger, again without moving any offset.
"""
from __future__ import annotations

import re

from parley.reading.cleaning import dateline_length
from parley.records import Article, Evidence


def for_parser(text: str) -> str:
    """"a £40m bid": the tokenizer splits "40m" into a number and a verb-like "m" and the
    parser then reads "bid" as a verb; "£400" parses as the money it is. Same length, same
    offsets; amounts and dates are still read from the text itself."""
    return _SCALE_SUFFIX.sub(lambda m: "0" * len(m.group(0)), text)


_SCALE_SUFFIX = re.compile(r"(?<=[$£€¥]\d)(?:bn|mn|m|tn|b)\b|(?<=[$£€¥]\d\d)(?:bn|mn|m|tn|b)\b"
                           r"|(?<=[$£€¥]\d\d\d)(?:bn|mn|m|tn|b)\b|(?<=[$£€¥]\d\.\d)(?:bn|mn|m|tn|b)\b"
                           r"|(?<=\d\.\d)(?:bn|mn|tn)\b|(?<=\d\.\d\d)(?:bn|mn|tn)\b")
_WRAPPED_LINE = re.compile(r"(?<=[^\s.!?:\"”’)\]])[ \t]*\n[ \t]*(?=[^\s])")


def parse_text(article: Article) -> str:
    """The body as the parser should read it: same length and offsets as the text,
    clutter blanked, and hard-wrapped lines (wire copy breaks lines mid-sentence)
    joined with spaces, so that a line break does not end a sentence."""
    text = article.body_text()
    text = _WRAPPED_LINE.sub(lambda m: " " * len(m.group(0)), text)
    # "DAYTON, Ohio, March 20 - An investment group said...": the dateline is not part
    # of the sentence's subject (the home country is read from it separately), and its
    # day is the paper's, not an event's. The cleaning stage knows every form of it.
    lead = len(text) - len(text.lstrip())
    length = dateline_length(text[lead:])
    return text[:lead] + " " * length + text[lead + length:]


def quote(article: Article, start: int, end: int, visible: str | None = None) -> Evidence:
    """The evidence for the span start:end of the article: the part of it that is body.

    A parser's sentence can begin in the blanked header (outlet, headline, byline,
    "Link copied") or dateline, which the text still holds: the quote is the longest
    stretch of the span with no clutter in it, without the blanks and stray marks
    ("![]() |") at its edges. `visible` is `parse_text(article)` (or the parser's text,
    which has the same blanks) when the caller has it. A span that is all clutter is
    kept as it was rather than lost."""
    text = article.text
    shown = parse_text(article) if visible is None else visible
    best = (start, start)
    piece_start = start
    for i in range(start, end + 1):
        if i == end or (shown[i].isspace() and not text[i].isspace()):
            a, b = _trimmed(text, piece_start, i)
            if b - a > best[1] - best[0]:
                best = (a, b)
            piece_start = i + 1
    if best[1] <= best[0]:
        return Evidence(text[start:end], start, end)
    return Evidence(text[best[0]:best[1]], *best)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    lead = _QUOTE_LEAD.match(piece).end()  # type: ignore[union-attr]
    trail = _QUOTE_TRAIL.search(piece)
    return start + lead, start + max(lead, trail.start() if trail else len(piece))


# What may not begin or end a quote: blanks, list marks, image remnants, separators.
_QUOTE_LEAD = re.compile(r"[^\w\"“‘'$£€¥]*")
_QUOTE_TRAIL = re.compile(r"[\s,;:|–—-]+$")
