"""One event per real-world event per article: merging the mentions of an event.

Two mentions are one event when type, sides, amount, date and round agree; a
mention without an amount (or a meeting without a day or number) joins the one
event it can mean, never one of its own sentence's other events.
"""
from __future__ import annotations

import bisect
import datetime as dt

from parley.records import Amount, DateSpan, Event, Evidence


def amounts_compatible(a: Amount | None, b: Amount | None) -> bool:
    if a is None or b is None:
        return True
    if a.value is not None and b.value is not None:
        if (a.period == "share") != (b.period == "share"):
            return True  # a price a share and the total it comes to: one offer told two ways
        if a.currency == b.currency:
            return abs(a.value - b.value) <= 0.02 * max(abs(a.value), abs(b.value))
        if a.usd and b.usd:
            return abs(a.usd - b.usd) <= 0.05 * max(a.usd, b.usd)
        return False
    pa = a.change.percent if a.change else None
    pb = b.change.percent if b.change else None
    if pa is not None and pb is not None:
        return abs(pa - pb) < 1e-9
    return True


def evidence_overlaps(a: Evidence, b: Evidence) -> bool:
    return a.start < b.end and b.start < a.end


def merge_mentions(events: list[Event], sentence_starts: list[int] | None = None,
                   published: dt.date | None = None) -> list[Event]:
    """One event per real-world event per article: mentions of the same event become one.

    Two mentions merge when type, actor and target agree (a missing target
    agrees with any), amounts and dates are compatible, and meetings have the
    same round. A mention without an amount joins one with an amount only when
    exactly one such event could be meant, and never within one sentence
    (a sentence naming two events means two events).
    """
    out: list[Event] = []
    bare: list[Event] = []
    for e in events:
        if e.amount is None and e.type not in ("meet", "expire", "appoint", "impact", "statement"):
            bare.append(e)
            continue
        if e.type == "meet" and e.round is None and not _resolved(e.date):
            bare.append(e)  # a meeting with no number and no day: joins one anchored meeting at most
            continue
        _merge_into(out, e, lambda m: (m.amount is None) == (e.amount is None))
    starts = sentence_starts or [0]

    def sentences(ev: Event) -> set[int]:
        return {bisect.bisect_right(starts, x.start) for x in ev.evidence}

    for e in bare:
        if e.type == "meet":
            # ...but not to a meeting long past: "the talks entered their fourth week" is not
            # "the last round in November 1986".
            anchored = [m for m in out if m.type == "meet" and (m.round is not None or _resolved(m.date))
                        and _same_event(m, e) and not _long_past(m.date, published)]
            if anchored:
                # "where Biden will talk..." refers to the dated meeting told nearest to it.
                nearest = min(anchored, key=lambda m: min(abs(x.start - y.start) for x in m.evidence
                                                           for y in e.evidence))
                i = out.index(nearest)
                out[i] = _merge(out[i], e)
            else:
                _merge_into(out, e, lambda m: m.type == "meet" and m.round is None and not _resolved(m.date))
            continue
        with_amount = [m for m in out if m.amount is not None and _same_event(m, e)]
        overlapping = [m for m in with_amount if any(evidence_overlaps(x, y) for x in m.evidence for y in e.evidence)]
        if overlapping:
            i = out.index(overlapping[0])  # the same words told twice: one mention
            out[i] = _merge(out[i], e)
            continue
        if len(with_amount) == 1 and not sentences(with_amount[0]) & sentences(e):
            i = out.index(with_amount[0])
            out[i] = _merge(out[i], e)
            continue
        _merge_into(out, e, lambda m: m.amount is None)
    return out


def _merge_into(out: list[Event], e: Event, allowed) -> None:  # type: ignore[no-untyped-def]
    for i, m in enumerate(out):
        if allowed(m) and _same_event(m, e):
            out[i] = _merge(m, e)
            return
    out.append(e)


def _same_event(m: Event, e: Event) -> bool:
    if m.type != e.type or m.article != e.article:
        return False
    symmetric = e.type in ("meet", "expire", "agree")
    same_sides = (m.actor == e.actor and (m.target == e.target or None in (m.target, e.target))) or (
        symmetric and {m.actor, m.target} == {e.actor, e.target})
    if not same_sides or not amounts_compatible(m.amount, e.amount):
        return False
    if m.date and e.date and m.date.resolved and e.date.resolved and not _dates_compatible(m.date, e.date):
        return False
    if e.type in ("impact", "appoint", "expire") and _resolved(m.date) != _resolved(e.date):
        return False  # "warning strikes today" and "the strike of 1984" are two events
    if e.type == "meet" and m.round != e.round and None not in (m.round, e.round):
        return False
    if e.type == "meet" and (m.status == "planned") != (e.status == "planned"):
        return False  # the meeting held and the next one planned
    return m.extra.get("aggregate") == e.extra.get("aggregate")


def _long_past(d: DateSpan | None, published: dt.date | None) -> bool:
    return bool(published and d is not None and d.end is not None and d.end < published - dt.timedelta(days=45))


def _resolved(d: DateSpan | None) -> bool:
    return d is not None and d.resolved


def _dates_compatible(a: DateSpan, b: DateSpan) -> bool:
    """One interval inside the other: "earlier this month" and "Jan. 14" can be one
    meeting; "for months" and "last year" that merely overlap are not."""
    return (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)  # type: ignore[operator]


def _better_amount(a: Amount | None, b: Amount | None) -> Amount | None:
    if a is None:
        return b
    if b is None:
        return a
    if a.value is None and b.value is not None:
        return b
    return a


def _better_date(a: DateSpan | None, b: DateSpan | None) -> DateSpan | None:
    if a is None or not a.resolved:
        return b if b is not None and b.resolved else a or b
    if b is None or not b.resolved:
        return a
    return a if (a.days or 0) <= (b.days or 0) else b


def _merge(a: Event, b: Event) -> Event:
    evidence = list(a.evidence)
    for e in b.evidence:
        if not any(evidence_overlaps(e, x) for x in evidence):
            evidence.append(e)
        else:
            # Keep the longer of two overlapping mentions.
            for i, x in enumerate(evidence):
                if evidence_overlaps(e, x) and (e.end - e.start) > (x.end - x.start):
                    evidence[i] = e
    evidence.sort(key=lambda e: e.start)
    people = list(a.people) + [p for p in b.people if p not in a.people]
    status = a.status if a.status == b.status else ("reported" if "reported" in (a.status, b.status) and "asserted" not in (a.status, b.status) else "asserted")
    return Event(article=a.article, type=a.type, actor=a.actor, target=a.target or b.target,
                 people=tuple(people), amount=_better_amount(a.amount, b.amount),
                 date=_better_date(a.date, b.date), status=status, evidence=tuple(evidence),
                 round=a.round if a.round is not None else b.round, extra=a.extra)
