"""What a date expression leans on beyond its own words, for `dates.py`.

    clause_tense(text, pos)     "future" when the clause before `pos` looks ahead
                                ("will meet on April 7", "is due in June"), else None
    REFERENCES                  "now", "currently", "recently", "in the past": times
                                that refer to the present, the past or the future
                                without naming a period (TimeML's PRESENT_REF,
                                PAST_REF, FUTURE_REF)
    is_reference(span)          whether a found span is one of those

A clause's tense decides which occurrence of "April 7" or "the third quarter"
is meant when the caller does not say; with no cue the nearest occurrence to
the publication day is taken (`dates.py`), which is how news reads: a March
story's "April 7" is next month, a November story's "Sept. 30" is last one.
"""
from __future__ import annotations

import re

from parley.records import DateSpan

# Words that put a clause in the future. "would" is the future of a reported
# past ("said it would meet on Nov. 17"): still after the paper, as news uses it.
_FUTURE_CUES = re.compile(
    r"\b(?:will|won['’]t|wo\s+n['’]t|shall|['’]ll|would|is\s+to|are\s+to|was\s+to|were\s+to"
    r"|scheduled|slated|expected\s+to|expects?\s+to|plans?\s+to|planned|planning|intends?\s+to"
    r"|due|set\s+to|going\s+to|upcoming|to\s+be\s+held|to\s+resume|to\s+meet|to\s+vote"
    r"|deadline|next)\b", re.I)
# Where a clause starts: the end of the previous sentence or clause.
_CLAUSE_START = re.compile(r"[.!?;:\"“”]\s|\n\s*\n|\b(?:but|and|while|after|before|when)\s", re.I)
_CLAUSE_REACH = 120  # characters back from the expression that can hold its verb


def clause_tense(text: str, pos: int) -> str | None:
    """"future" when the clause that ends at `pos` looks ahead; None when it gives no cue."""
    lo = max(0, pos - _CLAUSE_REACH)
    starts = [m.end() for m in _CLAUSE_START.finditer(text, lo, pos)]
    clause = text[starts[-1] if starts else lo:pos]
    return "future" if _FUTURE_CUES.search(clause) else None


# Present, past and future references, longest first.
REFERENCES = {
    "present": ("right now", "just now", "for now", "at present", "at the moment", "these days",
                "nowadays", "presently", "currently", "current", "now"),
    "past": ("in the past", "the past", "recently", "recent", "lately", "previously", "formerly",
             "in recent times"),
    "future": ("in the future", "the future", "in the near future", "the near future",
               "in the long term", "soon"),
}
REFERENCE_PATTERN = "|".join(
    re.escape(w).replace(r"\ ", r"\s+")
    for w in sorted((w for ws in REFERENCES.values() for w in ws), key=len, reverse=True))
_KIND = {w: kind for kind, ws in REFERENCES.items() for w in ws}
_IS_REFERENCE = re.compile(rf"(?i:{REFERENCE_PATTERN})")


def reference_kind(words: str) -> str:
    """"present", "past" or "future" for a reference's words ("Currently" -> "present")."""
    return _KIND[" ".join(words.lower().split())]


def is_reference(span: DateSpan) -> bool:
    """Whether `span` is a present, past or future reference rather than a named period."""
    return _IS_REFERENCE.fullmatch(span.text.strip()) is not None
