"""Claims and denials: which reports of a timeline entry deny it.

A source denies an entry when the extractor marked its event `denied`, or
when the sentence it was read from wraps the claim in a denial: "X denied
that it had raised its offer to ...", "denied raising the bid", "dismissed
reports that ...", "rejected claims that ...". Rejecting an offer is not
denying it: "rejected" counts only before reports, claims or suggestions.
"""
from __future__ import annotations

import re
from functools import lru_cache

DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying)\s+(?:that\b|\w+ing\b|(?:(?:a|an|the|any|media|press|news|"
    r"newspaper|earlier)\s+)*(?:reports?|claims?|suggestions?|speculation|rumou?rs?)\b)"
    r"|\b(?:dismissed|dismisses|dismissing|refuted|refutes|rejected|rejects|rejecting|rebuffed)\s+"
    r"(?:(?:a|an|the|any|media|press|news|newspaper|earlier)\s+)*"
    r"(?:reports?|claims?|suggestions?|speculation|rumou?rs?)\b", re.I)


@lru_cache(maxsize=1 << 16)  # every wire copy and every read of the store asks of the same sentences
def denies(status: str, evidence: tuple[str, ...]) -> bool:
    """Whether a report with this status and these evidence sentences denies its claim."""
    return status == "denied" or any(DENIAL.search(text) for text in evidence)


def denying_articles(entry) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """The articles among the entry's sources that report it denied, in source order."""
    return tuple(dict.fromkeys(
        s.article for s in entry.sources
        if denies(s.event.status, tuple(e.text for e in s.event.evidence))))
