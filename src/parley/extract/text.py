"""Text preparation every backend may share: what the parser (or a model) reads.

`parse_text` keeps the article's offsets (evidence spans point into the
article's text) while blanking clutter, joining hard-wrapped lines and
hiding a wire dateline; `for_parser` hides "bn"/"m" scale suffixes that
mislead spaCy's tagger, again without moving any offset.
"""
from __future__ import annotations

import re

from parley.records import Article


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
    # of the sentence's subject (the home country is read from it separately).
    return _DATELINE.sub(lambda m: " " * len(m.group(0)), text, count=1)


_DATELINE = re.compile(
    r"^(?P<lead>\s*)[A-Z][A-Z.'’ -]{2,}(?:,\s*[A-Z][\w.' -]+){0,2}?"
    r"(?:,\s*[A-Z][a-z]{2,}\.?\s+\d{1,2})?(?:\s*\([^)]{1,40}\))?\s*(?:--|-|—|–)\s")
