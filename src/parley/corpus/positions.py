"""Positions and the gap: the terms each side put forward over time.

For every thread and party: its offers and demands, the agreed baselines
they build on, rejected terms marked, each normalised to one currency and
period (US dollars a year by default) with the native figure alongside;
reported-only figures are marked. The standing position of a side is its
latest offer or demand; the gap is the distance between the two standing
positions after each change.

Order over time: an entry's date, else the publication of its first report.
An undated figure stated as a change from an earlier one ("lowered its
demand from X to Y") is placed just after X.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from parley.corpus.timeline import TimelineEntry, amounts_match
from parley.analysis.exchange import reference_rate, to_usd
from parley.corpus.money import describe_change, native_value
from parley.records import Amount, replace

PER_YEAR = {"year": 1.0, "month": 12.0, "week": 52.0, "day": 365.0}
UNIT_PERIODS = ("once", "share")
POSITION_TYPES = {"offer": "offer", "demand": "demand", "agree": "agreed"}


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

    def as_dict(self) -> dict:
        return {"thread": self.thread, "party": self.party, "kind": self.kind, "entry": self.entry,
                "placed": self.placed.isoformat() if self.placed else None, "dated": self.dated,
                "value": self.value, "currency": self.currency, "period": self.period,
                "normalised": self.normalised, "unit": self.unit,
                "rate_date": self.rate_date.isoformat() if self.rate_date else None,
                "period_assumed": self.period_assumed, "status": self.status,
                "reported_only": self.reported_only, "rejected": self.rejected,
                "rejected_by": self.rejected_by, "change": self.change, "sources": self.sources,
                "evidence": self.evidence}


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

def positions(entries: Iterable[TimelineEntry], currency: str = "USD",
              period: str = "year") -> list[Position]:
    """Every party's terms in every thread, in order over time."""
    entries = list(entries)
    unit = f"{currency}/{period}"
    by_thread: dict[str | None, list[TimelineEntry]] = {}
    for entry in entries:
        by_thread.setdefault(entry.thread, []).append(entry)
    out: list[Position] = []
    for thread, members in by_thread.items():
        out.extend(_thread_positions(thread, members, currency, period, unit))
    return out


def _dominant_period(members: list[TimelineEntry]) -> str | None:
    periods = [e.amount.period for e in members if e.amount and e.amount.period in PER_YEAR]
    return max(set(periods), key=periods.count) if periods else None


def _thread_positions(thread: str | None, members: list[TimelineEntry], currency: str,
                      period: str, unit: str) -> list[Position]:
    fallback = _dominant_period(members)
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
        day = entry.date.start if entry.dated and entry.date else entry.placed
        row_unit = unit
        if amount.period in UNIT_PERIODS:
            # A price per share or a one-off sum has no yearly rate: same currency, its own unit.
            normalised, rate_day = convert(value, money_currency, day, currency)
            assumed, row_unit = False, f"{currency}/{amount.period}"
        else:
            normalised, rate_day, assumed = normalise(value, money_currency, amount.period, day,
                                                      currency, period, fallback)
        rejected_by = next((r.id for r in rejections if r.actor != entry.actor
                            and (r.target in (None, entry.actor))
                            and amounts_match(r.amount, amount)), None)
        evidence = next((ev.text for s in entry.sources for ev in s.event.evidence), None)
        common = dict(thread=thread, party=entry.actor, entry=entry.id, unit=row_unit,
                      status=entry.status, sources=entry.source_count, evidence=evidence)
        base = amount.change.base if amount.change else None
        if kind != "agreed" and base is not None and base.value is not None and base.currency:
            b_norm, b_day, b_assumed = normalise(base.value, base.currency, amount.period, day,
                                                 currency, period, fallback)
            if amount.period in UNIT_PERIODS:
                (b_norm, b_day), b_assumed = convert(base.value, base.currency, day, currency), False
            rows.append(Position(kind="baseline", placed=entry.placed, dated=False, value=base.value,
                                 currency=base.currency, period=amount.period, normalised=b_norm,
                                 rate_date=b_day, period_assumed=b_assumed, reported_only=False,
                                 rejected=False, rejected_by=None, change=None, **common))
        rows.append(Position(kind=kind, placed=entry.placed, dated=entry.dated, value=value,
                             currency=money_currency, period=amount.period, normalised=normalised,
                             rate_date=rate_day, period_assumed=assumed,
                             reported_only=entry.status in ("reported", "denied"),
                             rejected=rejected_by is not None, rejected_by=rejected_by,
                             change=describe_change(amount), **common))
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
        placed[i] = (row.placed or dt.date.max, kind_rank[row.kind], i)
    # Undated figures that change an earlier one of the same party follow it.
    for i, row in enumerate(rows):
        entry = by_entry.get(row.entry)
        if entry is None or entry.dated or row.kind == "baseline" or entry.amount is None:
            continue
        previous = entry.amount.previous
        if previous is None or previous.value is None:
            continue
        for j, other in enumerate(rows):
            if j != i and other.party == row.party and other.kind == row.kind \
                    and other.currency == previous.currency \
                    and abs(other.value - previous.value) <= 0.03 * abs(previous.value):
                day, rank, order = placed[j]
                placed[i] = (day, rank, order + 0.5)
                if day != dt.date.max:
                    rows[i] = replace(row, placed=day)
                break
    order = sorted(range(len(rows)), key=lambda i: placed[i])
    return [rows[i] for i in order]


def standing_gap(rows: Iterable[Position]) -> list[GapPoint]:
    """After each offer or demand, each side's latest figure and the gap between two sides."""
    points: list[GapPoint] = []
    by_thread: dict[str | None, list[Position]] = {}
    for row in rows:
        by_thread.setdefault(row.thread, []).append(row)
    for thread, members in by_thread.items():
        standing: dict[str, Position] = {}
        for row in members:
            if row.kind not in ("offer", "demand") or row.normalised is None:
                continue
            standing.pop(row.party, None)
            standing[row.party] = row
            # The two sides: the party that moved and the other side most recently heard
            # from in the same unit (a per-share bid is not compared with a yearly sum).
            other = next((p for p in reversed(list(standing.values()))
                          if p.party != row.party and p.unit == row.unit), None)
            if other is None:
                continue
            hi, lo = sorted((row, other), key=lambda p: p.normalised or 0.0, reverse=True)
            points.append(GapPoint(thread=thread, placed=row.placed, higher=hi.party,
                                   higher_value=hi.normalised or 0.0, lower=lo.party,
                                   lower_value=lo.normalised or 0.0,
                                   gap=(hi.normalised or 0.0) - (lo.normalised or 0.0),
                                   unit=row.unit, after=row.entry))
    return points
