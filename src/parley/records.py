"""Typed records: the only things that cross a stage boundary.

Every stage takes and returns these frozen dataclasses. Each has `as_dict()`
giving the JSON shape of ``../shared/spec/EVENTS.md`` (or a plain dict for
records the spec does not name) and `from_dict()` that reads it back.

    Article     one article as read: exact text, metadata, body spans
    Evidence    an exact substring of Article.text with its offsets
    Change      a relative statement: a percent or factor, and its base
    Amount      money (or a bare percent/factor) found in text
    DateSpan    a closed interval of days with the expression it came from
    Party       a state (ISO alpha-3) or an organisation (slug)
    Person      a named person with the role and party the text gives
    Event       one negotiation event in one article
    Problem     an input that could not be read: file, line, reason
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

EVENT_TYPES = ("offer", "demand", "reject", "accept", "agree", "meet",
               "statement", "appoint", "expire", "impact")
CORE_TYPES = frozenset({"offer", "demand", "reject", "accept", "agree", "meet"})
STATUSES = ("asserted", "reported", "denied", "planned")
PERIODS = ("year", "month", "week", "day", "once", "share")

EventType = Literal["offer", "demand", "reject", "accept", "agree", "meet",
                    "statement", "appoint", "expire", "impact"]
Status = Literal["asserted", "reported", "denied", "planned"]


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _day(s: Any) -> dt.date | None:
    if s in (None, ""):
        return None
    if isinstance(s, dt.datetime):
        return s.date()
    if isinstance(s, dt.date):
        return s
    return dt.date.fromisoformat(str(s)[:10])


@dataclass(frozen=True)
class Article:
    """One article as read.

    `text` is the text as read (for HTML: after markup is stripped); every
    offset in every other record refers to it. `body` lists the (start, end)
    character ranges that are the article proper, without site clutter
    (navigation, captions repeated, feedback widgets); analysis reads only
    those ranges, so evidence stays an exact substring of `text`.
    """

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    author: str | None = None
    published: dt.datetime | None = None
    url: str | None = None
    language: str | None = None
    body: tuple[tuple[int, int], ...] = ()
    path: str | None = None
    line: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def published_day(self) -> dt.date | None:
        return self.published.date() if self.published else None

    def body_ranges(self) -> tuple[tuple[int, int], ...]:
        return self.body or ((0, len(self.text)),)

    def body_text(self) -> str:
        """The text with clutter blanked out: same length, same offsets."""
        ranges = self.body_ranges()
        if ranges == ((0, len(self.text)),):
            return self.text
        out, pos = [], 0
        for start, end in ranges:
            out.append(_blank(self.text[pos:start]))
            out.append(self.text[start:end])
            pos = end
        out.append(_blank(self.text[pos:]))
        return "".join(out)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "source": self.source,
                "author": self.author,
                "published": self.published.isoformat() if self.published else None,
                "url": self.url, "language": self.language, "path": self.path,
                "line": self.line, "body": [list(r) for r in self.body],
                "metadata": dict(self.metadata), "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        pub = d.get("published")
        return cls(id=d["id"], text=d["text"], title=d.get("title"), source=d.get("source"),
                   author=d.get("author"),
                   published=dt.datetime.fromisoformat(pub) if pub else None,
                   url=d.get("url"), language=d.get("language"),
                   body=tuple(tuple(r) for r in d.get("body") or ()),  # type: ignore[misc]
                   path=d.get("path"), line=d.get("line"), metadata=dict(d.get("metadata") or {}))


def _blank(s: str) -> str:
    # Keep newlines so sentence splitting still sees paragraph breaks.
    return "".join(c if c == "\n" else " " for c in s)


@dataclass(frozen=True)
class Evidence:
    text: str
    start: int
    end: int

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | str) -> Evidence:
        if isinstance(d, str):
            return cls(d, -1, -1)
        return cls(d["text"], int(d.get("start", -1)), int(d.get("end", -1)))


@dataclass(frozen=True)
class Change:
    """A relative statement: "a 13 percent increase over X", "fivefold"."""

    percent: float | None = None
    factor: float | None = None
    base: Amount | None = None

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {}
        if self.percent is not None:
            d["percent"] = self.percent
        if self.factor is not None:
            d["factor"] = self.factor
        if self.base is not None:
            d["base"] = {"value": self.base.value, "currency": self.base.currency}
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Change | None:
        if not d:
            return None
        base = d.get("base")
        return cls(percent=d.get("percent"), factor=d.get("factor"),
                   base=Amount(value=base.get("value"), currency=base.get("currency")) if base else None)


@dataclass(frozen=True)
class Amount:
    """Money, or a bare percent or factor, as found in text.

    `value` is in units (1.04 trillion won -> 1.04e12) or None for a bare
    relative figure ("a 13 percent rise" with no base). `equivalent` is the
    same money in a second currency given in parentheses; `implied_rate` is
    then units of this currency per unit of the equivalent's. `previous` is
    the old value of "from X to Y". `usd` is the value at the ECB reference
    rate of `usd_rate_date`.
    """

    value: float | None
    currency: str | None
    period: str | None = None
    change: Change | None = None
    usd: float | None = None
    usd_rate_date: dt.date | None = None
    text: str = ""
    start: int = -1
    end: int = -1
    approximate: bool = False
    equivalent: Amount | None = None
    implied_rate: float | None = None
    previous: Amount | None = None

    @property
    def is_money(self) -> bool:
        return self.value is not None and self.currency is not None

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "value": self.value, "currency": self.currency, "period": self.period,
            "change": self.change.as_dict() if self.change else None,
            "usd": self.usd, "usd_rate_date": _iso(self.usd_rate_date),
        }
        if self.text:
            d["text"] = self.text
        if self.approximate:
            d["approximate"] = True
        if self.equivalent is not None:
            d["equivalent"] = {"value": self.equivalent.value, "currency": self.equivalent.currency,
                               "text": self.equivalent.text}
            d["implied_rate"] = self.implied_rate
        if self.previous is not None:
            d["previous"] = {"value": self.previous.value, "currency": self.previous.currency}
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Amount | None:
        if not d:
            return None
        eq, prev = d.get("equivalent"), d.get("previous")
        return cls(value=d.get("value"), currency=d.get("currency"), period=d.get("period"),
                   change=Change.from_dict(d.get("change")), usd=d.get("usd"),
                   usd_rate_date=_day(d.get("usd_rate_date")), text=d.get("text", ""),
                   approximate=bool(d.get("approximate")),
                   equivalent=Amount(eq.get("value"), eq.get("currency"), text=eq.get("text", "")) if eq else None,
                   implied_rate=d.get("implied_rate"),
                   previous=Amount(prev.get("value"), prev.get("currency")) if prev else None)


@dataclass(frozen=True)
class DateSpan:
    """A closed interval of days; `text` is the expression it came from.

    `start`/`end` are None when the expression could not be resolved (an
    undated article, an unknown year): unresolved, never guessed.
    """

    start: dt.date | None
    end: dt.date | None
    text: str = ""
    char_start: int = -1
    char_end: int = -1

    @property
    def resolved(self) -> bool:
        return self.start is not None

    @property
    def days(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).days + 1

    def as_dict(self) -> dict[str, Any]:
        return {"start": _iso(self.start), "end": _iso(self.end), "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> DateSpan | None:
        if not d:
            return None
        return cls(_day(d.get("start")), _day(d.get("end") or d.get("start")), d.get("text", ""))


@dataclass(frozen=True)
class Party:
    """A side: a state by ISO 3166-1 alpha-3 code, else an organisation slug."""

    code: str
    name: str
    kind: Literal["state", "organisation", "person"] = "state"


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None = None
    party: str | None = None


@dataclass(frozen=True)
class Event:
    """One negotiation event in one article (EVENTS.md)."""

    article: str
    type: str
    actor: str | None
    target: str | None = None
    people: tuple[str, ...] = ()
    amount: Amount | None = None
    date: DateSpan | None = None
    status: str = "asserted"
    evidence: tuple[Evidence, ...] = ()
    round: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "article": self.article, "type": self.type, "actor": self.actor,
            "target": self.target, "people": list(self.people),
            "amount": self.amount.as_dict() if self.amount else None,
            "date": self.date.as_dict() if self.date and self.date.resolved else None,
            "status": self.status,
            "evidence": [e.as_dict() for e in self.evidence],
        }
        if self.round is not None:
            d["round"] = self.round
        if self.date is not None and not self.date.resolved and self.date.text:
            d["date_text"] = self.date.text
        d.update(self.extra)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        known = {"article", "type", "actor", "target", "people", "amount", "date", "status",
                 "evidence", "round", "date_text"}
        return cls(article=str(d["article"]), type=d["type"], actor=d.get("actor"),
                   target=d.get("target"), people=tuple(d.get("people") or ()),
                   amount=Amount.from_dict(d.get("amount")),
                   date=DateSpan.from_dict(d.get("date")) or (
                       DateSpan(None, None, d["date_text"]) if d.get("date_text") else None),
                   status=d.get("status") or "asserted",
                   evidence=tuple(Evidence.from_dict(e) for e in d.get("evidence") or ()),
                   round=d.get("round"), extra={k: v for k, v in d.items() if k not in known})


@dataclass(frozen=True)
class Problem:
    """An input that could not be read; the run goes on without it."""

    path: str
    reason: str
    line: int | None = None
    fatal: bool = True  # False for warnings (a truncated article that was still read)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


def replace(record: Any, **changes: Any) -> Any:
    """dataclasses.replace, re-exported so stages need not import dataclasses."""
    return dataclasses.replace(record, **changes)
