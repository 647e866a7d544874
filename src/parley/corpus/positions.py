"""Positions and the gap: the terms each side put forward over time.

For every thread and party: its offers and demands, the agreed baselines
they build on, rejected terms marked, each normalised to one currency and
period (US dollars a year by default) with the native figure alongside;
reported-only figures are marked. The standing position of a side is its
latest offer or demand; the gap is the distance between the two standing
positions after each change.

Order over time (`Position.placed_by` says which applied):
- "date": the entry's own date ("on March 4", "last year", "in 2019");
- "initially": a figure the text calls the first ("initially demanded",
  "at first offered") goes to the start of the talks: the thread's first
  dated meeting, offer or demand;
- "change": an undated figure stated as a change from an earlier one
  ("lowered its demand from X to Y") goes just after X, unless its own
  first report is later;
- "first report": otherwise, the publication of its first report, a
  fallback the views mark.

Units. Yearly, monthly, weekly and daily sums are put on one yearly (or
`period`) scale; a per-share price, a one-off sum and a figure whose period
nobody states each keep a unit of their own ("USD/share", "USD/once",
"USD/unstated") and are never compared with another unit. A missing period
is assumed from the thread only for a figure of the same order as the
figures that state it (within `ASSUME_WITHIN` times): a $600-a-week benefit
in a story does not make a $1.6 trillion bill a weekly sum.

Rows come in thread order (the thread's first date, then its id) and date
order within a thread.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from statistics import median
from typing import Iterable

from parley.corpus.claims import denying_articles
from parley.corpus.timeline import TimelineEntry, amounts_match
from parley.analysis.exchange import ecb_currencies, reference_rate, to_usd
from parley.corpus.money import describe_change, native_value
from parley.errors import UsageError
from parley.records import Amount, replace

PER_YEAR = {"year": 1.0, "month": 12.0, "week": 52.0, "day": 365.0}
UNIT_PERIODS = ("once", "share")
UNSTATED = "unstated"
POSITION_TYPES = {"offer": "offer", "demand": "demand", "agree": "agreed"}
# A period is assumed for a figure only within this factor of the figures that state it.
ASSUME_WITHIN = 10.0
# "initially demanded", "at first offered", "its opening bid": the first position of the talks.
INITIALLY = re.compile(r"\b(initially|originally|at first|at the outset|opening (?:offer|bid|demand)s?|"
                       r"first (?:offered|demanded|asked|sought|proposed))\b", re.I)
# What dates the start of the talks: the talks themselves and the deadline they run to.
TALKS_TYPES = frozenset({"meet", "offer", "demand", "expire"})


@dataclass(frozen=True)
class Position:
    """One term a party put forward (or agreed to), normalised."""

    thread: str | None
    party: str
    kind: str  # offer | demand | agreed | baseline
    entry: str  # the timeline entry id it comes from
    placed: dt.date | None
    dated: bool  # False when placed by publication or by the figure it changes
    value: float  # native
    currency: str
    period: str | None
    normalised: float | None  # in `unit`
    unit: str  # e.g. "USD/year"
    rate_date: dt.date | None
    period_assumed: bool
    status: str
    reported_only: bool
    rejected: bool
    rejected_by: str | None
    change: str | None
    sources: int
    evidence: str | None
    placed_by: str = "date"  # date | initially | change | first report
    denied_in: tuple[str, ...] = ()  # articles that report the figure denied

    @property
    def heading(self) -> str:
        """The unit in words: "USD a year", "USD a share", "USD once", "USD, period not stated"."""
        currency, _, period = self.unit.partition("/")
        if period == UNSTATED:
            return f"{currency}, period not stated"
        return f"{currency} once" if period == "once" else f"{currency} a {period}"

    def as_dict(self) -> dict:
        return {"thread": self.thread, "party": self.party, "kind": self.kind, "entry": self.entry,
                "placed": self.placed.isoformat() if self.placed else None, "dated": self.dated,
                "value": self.value, "currency": self.currency, "period": self.period,
                "normalised": self.normalised, "unit": self.unit,
                "rate_date": self.rate_date.isoformat() if self.rate_date else None,
                "period_assumed": self.period_assumed, "status": self.status,
                "reported_only": self.reported_only, "rejected": self.rejected,
                "rejected_by": self.rejected_by, "change": self.change, "sources": self.sources,
                "evidence": self.evidence, "placed_by": self.placed_by,
                "denied_in": list(self.denied_in)}


@dataclass(frozen=True)
class GapPoint:
    """The two standing positions after a change, and the distance between them."""

    thread: str | None
    placed: dt.date | None
    higher: str
    higher_value: float
    lower: str
    lower_value: float
    gap: float
    unit: str
    after: str  # the position entry that moved

    def as_dict(self) -> dict:
        return {"thread": self.thread, "placed": self.placed.isoformat() if self.placed else None,
                "higher": self.higher, "higher_value": self.higher_value, "lower": self.lower,
                "lower_value": self.lower_value, "gap": self.gap, "unit": self.unit,
                "after": self.after}


def normalise(value: float, currency: str, period: str | None, day: dt.date | None,
              to_currency: str = "USD", to_period: str = "year",
              fallback_period: str | None = None) -> tuple[float | None, dt.date | None, bool]:
    """(value in to_currency per to_period, the rate's date, period assumed?)."""
    assumed = False
    if period not in PER_YEAR:
        if fallback_period in PER_YEAR and period is None:
            period, assumed = fallback_period, True
        else:
            return None, None, False
    usd, rate_day = to_usd(value, currency, day)
    if usd is None:
        return None, None, assumed
    if to_currency != "USD":
        rate, rate_day = reference_rate("USD", to_currency, day)
        if rate is None:
            return None, None, assumed
        usd *= rate
    per_year = usd * PER_YEAR[period]  # type: ignore[index]
    return per_year / PER_YEAR.get(to_period, 1.0), rate_day, assumed


def convert(value: float, currency: str, day: dt.date | None,
            to_currency: str = "USD") -> tuple[float | None, dt.date | None]:
    """`value` in `to_currency` at the reference rate of `day` (no change of period)."""
    usd, rate_day = to_usd(value, currency, day)
    if usd is None or to_currency == "USD":
        return usd, rate_day
    rate, rate_day = reference_rate("USD", to_currency, day)
    return (usd * rate, rate_day) if rate is not None else (None, None)


# -- positions -------------------------------------------------------------

def check_currency(currency: str) -> str:
    """The ISO code in capitals, or a UsageError naming the currencies that can be used."""
    code = currency.strip().upper()
    if code not in ecb_currencies():
        raise UsageError(f"unknown currency {currency!r}: use the ISO 4217 code of a currency the "
                         f"ECB reference rates cover, such as USD, EUR, GBP, JPY or KRW")
    return code


def positions(entries: Iterable[TimelineEntry], currency: str = "USD",
              period: str = "year") -> list[Position]:
    """Every party's terms in every thread: threads in order of their first date, then by date."""
    currency = check_currency(currency)
    if period not in PER_YEAR:
        raise UsageError(f"unknown period {period!r}: use one of {', '.join(PER_YEAR)}")
    entries = list(entries)
    unit = f"{currency}/{period}"
    by_thread: dict[str | None, list[TimelineEntry]] = {}
    for entry in entries:
        by_thread.setdefault(entry.thread, []).append(entry)
    out: list[Position] = []
    per_thread = [_thread_positions(thread, members, currency, period, unit)
                  for thread, members in by_thread.items()]
    per_thread.sort(key=lambda rows: (min((r.placed for r in rows if r.placed), default=dt.date.max),
                                      rows[0].thread or "" if rows else ""))
    for rows in per_thread:
        out.extend(rows)
    return out


def _stated_periods(members: list[TimelineEntry]) -> dict[str, list[float]]:
    """Per period stated in the thread: the dollar values of the figures that state it."""
    found: dict[str, list[float]] = {}
    for entry in members:
        amount = entry.amount
        if amount is None or amount.period not in PER_YEAR:
            continue
        usd = _usd(amount, entry)
        if usd:
            found.setdefault(amount.period, []).append(usd)  # type: ignore[arg-type]
    return found


def _usd(amount: Amount, entry: TimelineEntry) -> float | None:
    value = native_value(amount)
    money_currency = amount.currency or (amount.change.base.currency
                                         if amount.change and amount.change.base else None)
    if value is None or not money_currency:
        return None
    usd, _day = to_usd(value, money_currency, entry.placed)
    return abs(usd) if usd else None


def _fallback_period(amount: Amount, entry: TimelineEntry, stated: dict[str, list[float]]) -> str | None:
    """The period most of the thread's figures state, if this figure is of their order."""
    if amount.period is not None or not stated:
        return None
    usd = _usd(amount, entry)
    if not usd:
        return None
    fitting = {p: values for p, values in stated.items()
               if 1 / ASSUME_WITHIN <= usd / median(values) <= ASSUME_WITHIN}
    if not fitting:
        return None
    return min(fitting, key=lambda p: (-len(fitting[p]), p))


def _talks_start(members: list[TimelineEntry]) -> dt.date | None:
    """The earliest day the thread's talks are known to run: a dated meeting, offer or
    demand, or the deadline they run to (talks under way before an agreement expires)."""
    days = [e.date.start for e in members if e.dated and e.type in TALKS_TYPES and e.date and e.date.start]
    return min(days) if days else None


def _thread_positions(thread: str | None, members: list[TimelineEntry], currency: str,
                      period: str, unit: str) -> list[Position]:
    stated = _stated_periods(members)
    start = _talks_start(members)
    rejections = [e for e in members if e.type == "reject"]
    rows: list[Position] = []
    for entry in members:
        kind = POSITION_TYPES.get(entry.type)
        if kind is None or entry.amount is None or entry.actor is None:
            continue
        amount = entry.amount
        value = native_value(amount)
        money_currency = amount.currency or (amount.change.base.currency
                                             if amount.change and amount.change.base else None)
        if value is None or not money_currency:
            continue
        evidence = next((ev.text for s in entry.sources for ev in s.event.evidence), None)
        placed, placed_by = entry.placed, "date" if entry.dated else "first report"
        if not entry.dated and start is not None and kind != "agreed" and any(
                INITIALLY.search(ev.text) for s in entry.sources for ev in s.event.evidence):
            placed, placed_by = start, "initially"
        day = entry.date.start if entry.dated and entry.date else placed
        fallback = _fallback_period(amount, entry, stated)
        row_unit, row_period = unit, amount.period or fallback
        if amount.period in UNIT_PERIODS or row_period is None:
            # A per-share price, a one-off sum, a figure of no stated period: no yearly rate,
            # same currency, a unit of its own.
            normalised, rate_day = convert(value, money_currency, day, currency)
            assumed, row_unit = False, f"{currency}/{amount.period or UNSTATED}"
        else:
            normalised, rate_day, assumed = normalise(value, money_currency, amount.period, day,
                                                      currency, period, fallback)
        rejected_by = next((r.id for r in rejections if r.actor != entry.actor
                            and (r.target in (None, entry.actor))
                            and amounts_match(r.amount, amount)), None)
        denied = denying_articles(entry)
        common = dict(thread=thread, party=entry.actor, entry=entry.id, unit=row_unit,
                      status=entry.status, sources=entry.source_count, evidence=evidence)
        base = amount.change.base if amount.change else None
        if kind != "agreed" and base is not None and base.value is not None and base.currency:
            if row_unit == unit:
                b_norm, b_day, b_assumed = normalise(base.value, base.currency, amount.period, day,
                                                     currency, period, fallback)
            else:
                (b_norm, b_day), b_assumed = convert(base.value, base.currency, day, currency), False
            rows.append(Position(kind="baseline", placed=placed, dated=False, value=base.value,
                                 currency=base.currency, period=amount.period, normalised=b_norm,
                                 rate_date=b_day, period_assumed=b_assumed, reported_only=False,
                                 rejected=False, rejected_by=None, change=None,
                                 placed_by=placed_by, **common))
        rows.append(Position(kind=kind, placed=placed, dated=entry.dated, value=value,
                             currency=money_currency, period=amount.period, normalised=normalised,
                             rate_date=rate_day, period_assumed=assumed,
                             reported_only=entry.status in ("reported", "denied") or bool(denied),
                             rejected=rejected_by is not None, rejected_by=rejected_by,
                             change=describe_change(amount), placed_by=placed_by, denied_in=denied,
                             **common))
    return _in_order(_dedupe_baselines(rows), members)


def _dedupe_baselines(rows: list[Position]) -> list[Position]:
    seen: set[tuple[str, float, str]] = set()
    out = []
    for row in rows:
        if row.kind == "baseline":
            key = (row.party, round(row.value, -3), row.currency)
            if key in seen:
                continue
            seen.add(key)
        out.append(row)
    return out


def _in_order(rows: list[Position], members: list[TimelineEntry]) -> list[Position]:
    """Date order; an undated change from an earlier figure goes right after that figure."""

    by_entry = {e.id: e for e in members}
    kind_rank = {"baseline": 0, "agreed": 1, "demand": 2, "offer": 2}
    placed: dict[int, tuple] = {}
    for i, row in enumerate(rows):
        # What was there "initially" comes before anything else placed on that day.
        first = 0 if row.placed_by == "initially" else 1
        placed[i] = (row.placed or dt.date.max, first, kind_rank[row.kind], i)
    # Undated figures that change an earlier one of the same party follow it.
    for i, row in enumerate(rows):
        entry = by_entry.get(row.entry)
        if entry is None or entry.dated or row.kind == "baseline" or entry.amount is None \
                or row.placed_by == "initially":
            continue
        previous = entry.amount.previous
        if previous is None or previous.value is None:
            continue
        for j, other in enumerate(rows):
            if j != i and other.party == row.party and other.kind == row.kind \
                    and other.currency == previous.currency \
                    and abs(other.value - previous.value) <= 0.03 * abs(previous.value):
                day, first, rank, order = placed[j]
                if row.placed is not None and day != dt.date.max and row.placed > day:
                    break  # reported after the figure it changes: its own report places it
                placed[i] = (day, first, rank, order + 0.5)
                rows[i] = replace(row, placed=day if day != dt.date.max else row.placed,
                                  placed_by="change")
                break
    order = sorted(range(len(rows)), key=lambda i: placed[i])
    return [rows[i] for i in order]


def _comparable(a: Position, b: Position) -> bool:
    """Two figures of no stated (or an assumed) period are compared only when of one order:
    "3 euros" an hour and a "1,000 euros" one-off are not two ends of one gap."""
    if not (a.period_assumed or b.period_assumed or a.unit.endswith(UNSTATED)):
        return True
    low, high = sorted((abs(a.normalised or 0.0), abs(b.normalised or 0.0)))
    return low > 0 and high / low <= ASSUME_WITHIN


def standing_gap(rows: Iterable[Position]) -> list[GapPoint]:
    """After each offer or demand, each side's latest figure and the gap between two sides."""
    points: list[GapPoint] = []
    by_thread: dict[str | None, list[Position]] = {}
    for row in rows:
        by_thread.setdefault(row.thread, []).append(row)
    for thread, members in by_thread.items():
        # Per party and unit: a one-off sum does not replace a price per share.
        standing: dict[tuple[str, str], Position] = {}
        for row in members:
            if row.kind not in ("offer", "demand") or row.normalised is None or row.denied_in:
                continue  # a figure some source denies is not a standing position
            standing.pop((row.party, row.unit), None)
            standing[(row.party, row.unit)] = row
            # The two sides: the party that moved and the other side most recently heard
            # from in the same unit (a per-share bid is not compared with a yearly sum).
            other = next((p for p in reversed(list(standing.values()))
                          if p.party != row.party and p.unit == row.unit), None)
            if other is None or not _comparable(row, other):
                continue
            hi, lo = sorted((row, other), key=lambda p: p.normalised or 0.0, reverse=True)
            points.append(GapPoint(thread=thread, placed=row.placed, higher=hi.party,
                                   higher_value=hi.normalised or 0.0, lower=lo.party,
                                   lower_value=lo.normalised or 0.0,
                                   gap=(hi.normalised or 0.0) - (lo.normalised or 0.0),
                                   unit=row.unit, after=row.entry))
    return points
