"""Cross-article consolidation: per-article events become one timeline.

Several articles report the same real-world event (an offer, a rejection);
each report is one per-article `Event`. `timeline()` merges the reports of
one event into a `TimelineEntry` that keeps every source and its evidence,
dated by the most precise date any source gives. Undated entries are placed
at the publication date of their first report and marked so.

Two reports are taken as one event when they have the same type, actor and
target (an unknown target matches any), nothing contradicts (rounds,
amounts, dates) and something confirms: the same figure, the same round,
overlapping dates of similar precision, or the same quoted sentence (copies
of one wire story); see `_compatible`. Meetings and expiries belong to both
sides: their parties match whoever is named first ("KOR meet USA" and "USA
meet KOR" on the same days, or in the same numbered round, are one meeting).
A rejection or acceptance without a figure refers to terms already on the
table: it joins the one entry of its kind that has a figure, and stays apart
when there are several (no guess). A demand or offer without a figure restates
the party's standing one: it joins the entry with a figure that stood at its
date (the latest placed on or before it, else the earliest), so a restatement
is one more source, not one more entry.

Entry ids are derived from content, not from row order: "T" and a hash of the
entry's first report in ingest order (its article, type, parties and the place
of its evidence). Ingesting the same articles again or more articles leaves
the ids of existing entries as they were, so an entry can be cited.

Who is who (each person's side and role) is consolidated in people.py.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from parley.corpus.money import describe_amount
from parley.corpus.parties import resolve_parties
from parley.corpus.threads import assign_threads
from parley.records import Amount, DateSpan, Event, replace
from parley.corpus.store import StoredEvent, Store

# Relative difference under which two stated values are the same figure
# ("about $5 billion" and "$5 billion"; 1.04 trillion and 1.0389 trillion).
SAME_VALUE = 0.03
# Dated reports of one event further apart than this are different events
# (a round in January and a call in May), unless their spans overlap.
DATE_SLACK_DAYS = 3
# Overlapping spans confirm one event only when neither is far vaguer than the
# other: the shorter must cover this share of the longer.
SIMILAR_PRECISION = 0.2
# Reports of these types refer to terms already on the table ("rejected the
# offer"): without an amount they join the one entry of their kind with one.
REFERRING_TYPES = frozenset({"reject", "accept"})
# Types whose amount identifies the terms on the table.
TERMS_TYPES = frozenset({"offer", "demand", "reject", "accept", "agree"})
# Positions a party states again and again: without a figure they restate the standing one.
RESTATED_TYPES = frozenset({"offer", "demand"})
# Events both sides take part in: the order in which the text names them means nothing.
MUTUAL_TYPES = frozenset({"meet", "expire"})
# A meeting's days: a source's span that holds every other source's date, up to this
# long, is the meeting ("Tuesday and Wednesday"; a photo "on Jan. 14" is one day of it).
MEETING_DAYS = 7


@dataclass(frozen=True)
class Source:
    """One report of a timeline entry: the per-article event and its article."""

    event_id: int
    article: str
    published: dt.datetime | None
    source: str | None
    title: str | None
    event: Event
    story: str | None = None  # copies of one wire story share it
    dated_by: str | None = None  # why the article's date is inferred; None when it gives one

    @property
    def published_day(self) -> dt.date | None:
        return self.published.date() if self.published else None


@dataclass(frozen=True)
class TimelineEntry:
    """One real-world event, merged from every article that reports it."""

    id: str
    type: str
    actor: str | None
    target: str | None
    amount: Amount | None
    date: DateSpan | None  # the most precise date a source gives; None when undated
    placed: dt.date | None  # where the entry sits: its date, else first report's publication
    status: str
    statuses: tuple[str, ...]
    people: tuple[str, ...]
    round: int | None
    sources: tuple[Source, ...]
    thread: str | None = None
    date_inferred: str | None = None  # the reason, when the date rests on an inferred article date

    @property
    def dated(self) -> bool:
        return self.date is not None and self.date.resolved

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.article for s in self.sources))

    @property
    def source_count(self) -> int:
        """How many independent reports: the copies of one wire story count once."""
        return len({s.story or s.article for s in self.sources})

    @property
    def copy_count(self) -> int:
        """Articles listed as sources that are wire copies of another source's story."""
        return len(self.articles) - self.source_count

    @property
    def first_reported(self) -> dt.date | None:
        days = [s.published_day for s in self.sources if s.published_day]
        return min(days) if days else None

    @property
    def parties(self) -> frozenset[str]:
        return frozenset(p for p in (self.actor, self.target) if p)

    def summary(self) -> str:
        parts = [self.actor or "?", self.type]
        if self.target:
            parts.append(f"→ {self.target}")
        if self.amount is not None:
            described = describe_amount(self.amount)
            if described:
                parts.append(described)
        if self.round is not None:
            parts.append(f"(round {self.round})")
        return " ".join(parts)

    def as_dict(self) -> dict:
        return {
            "id": self.id, "thread": self.thread, "type": self.type, "actor": self.actor,
            "target": self.target, "people": list(self.people),
            "amount": self.amount.as_dict() if self.amount else None,
            "date": self.date.as_dict() if self.dated and self.date else None,
            "placed": self.placed.isoformat() if self.placed else None,
            "dated": self.dated, "status": self.status, "statuses": list(self.statuses),
            "date_inferred": self.date_inferred,
            "round": self.round, "source_count": self.source_count, "copy_count": self.copy_count,
            "first_reported": self.first_reported.isoformat() if self.first_reported else None,
            "sources": [{"article": s.article, "event_id": s.event_id, "id": s.event.extra.get("id"),
                         "corrected": bool(s.event.extra.get("corrected")), "source": s.source,
                         "published": s.published.isoformat() if s.published else None,
                         "published_inferred": s.dated_by,
                         "status": s.event.status,
                         "evidence": [e.text for e in s.event.evidence]} for s in self.sources],
        }


class _Cluster:
    """Reports of one event so far, with their merged facts kept up to date as reports join.

    Keeping them incrementally matters: an event copied by a thousand articles
    is compared with every new report.
    """

    def __init__(self, first: StoredEvent):
        self.events: list[StoredEvent] = []
        self.articles: set[str] = set()
        self._amount: Amount | None = None
        self._date: DateSpan | None = None
        self._target: str | None = None
        self._round: int | None = None
        self.parties: set[str] = set()
        self.quotes: set[str] = set()
        self.add(first)

    def add(self, item: StoredEvent) -> None:
        event = item.event
        self.events.append(item)
        self.articles.add(item.article)
        self.quotes.update(_quote_key(e.text) for e in event.evidence)
        # A wire copy carries its story's very amount and date: nothing to compare (the first of
        # equals is kept either way).
        if event.amount is not None and event.amount is not self._amount:
            self._amount = best_amount([self._amount, event.amount])
        if event.date is not None and event.date.resolved and event.date is not self._date:
            self._date = most_precise([self._date, event.date])
        self._target = self._target or event.target
        self._round = self._round if self._round is not None else event.round
        self.parties.update(p for p in (event.actor, event.target) if p)

    @property
    def first(self) -> Event:
        return self.events[0].event

    def amount(self) -> Amount | None:
        return self._amount

    def date(self) -> DateSpan | None:
        return self._date

    def target(self) -> str | None:
        return self._target

    def round(self) -> int | None:
        return self._round


@lru_cache(maxsize=1 << 16)  # the same sentences come back with every wire copy and every read
def _quote_key(text: str) -> str:
    return " ".join(text.lower().split())


def best_amount(amounts: Iterable[Amount | None]) -> Amount | None:
    """The most complete of several reports of one amount: money over a bare percent."""
    def score(a: Amount) -> tuple[int, int, int, int]:
        return (int(a.value is not None and a.currency is not None), int(a.period is not None),
                int(a.change is not None and a.change.base is not None), int(a.usd is not None))
    present = [a for a in amounts if a is not None]
    return max(present, key=score) if present else None


def most_precise(dates: Iterable[DateSpan | None]) -> DateSpan | None:
    resolved = [d for d in dates if d is not None and d.resolved]
    if not resolved:
        return None
    return min(resolved, key=lambda d: (d.days or 10**6, d.start))


def _close(a: float, b: float, tolerance: float = SAME_VALUE) -> bool:
    return abs(a - b) <= tolerance * max(abs(a), abs(b), 1e-9)


def amounts_match(a: Amount | None, b: Amount | None) -> bool | None:
    """True or False when the two amounts can be compared, None when they cannot."""
    if a is None or b is None:
        return None
    if a.is_money and b.is_money:
        if a.currency == b.currency:
            return _close(a.value, b.value)  # type: ignore[arg-type]
        if a.usd and b.usd:
            return _close(a.usd, b.usd, 0.08)
        return None
    ca, cb = a.change, b.change
    if ca is not None and cb is not None:
        if ca.percent is not None and cb.percent is not None:
            return _close(ca.percent, cb.percent, 0.001)
        if ca.factor is not None and cb.factor is not None:
            return _close(ca.factor, cb.factor, 0.001)
    return None


def dates_match(a: DateSpan | None, b: DateSpan | None) -> bool | None:
    """True when two dates point at the same days, False when they cannot, None when unknown.

    A wide span ("since September") overlapping a precise day does not
    confirm anything: it is None, not True. Within a month ("in April",
    "April 1") overlap is enough.
    """
    if a is None or b is None or not a.resolved or not b.resolved:
        return None
    slack = dt.timedelta(days=DATE_SLACK_DAYS)
    if not (a.start - slack <= b.end and b.start - slack <= a.end):  # type: ignore[operator]
        return False
    short, long = sorted((a.days or 1, b.days or 1))
    if long <= 31 or short / long >= SIMILAR_PRECISION:
        return True
    return None


def _compatible(cluster: _Cluster, item: StoredEvent) -> str:
    """'no' when something contradicts, 'yes' when an amount, round or date confirms, else 'maybe'."""
    event = item.event
    rnd = cluster.round()
    same_round = rnd is not None and rnd == event.round
    if event.type in MUTUAL_TYPES:
        parties = {p for p in (event.actor, event.target) if p}
        if not (parties <= cluster.parties or cluster.parties <= parties):
            return "no"
    else:
        target = cluster.target()
        if target and event.target and target != event.target:
            return "no"
    if item.article in cluster.articles and not (event.type in MUTUAL_TYPES and same_round):
        # The extractor already gave one event per real-world event per article (a round
        # it reports once from each side is still one round).
        return "no"
    if rnd is not None and event.round is not None and rnd != event.round:
        return "no"
    amount = cluster.amount()
    amounts = amounts_match(amount, event.amount)
    if amounts is False:
        return "no"
    if amounts and event.type in TERMS_TYPES:
        # The same party putting the same figure to the same side is one position,
        # whatever dates the reports attach to it (often the date of a restatement).
        return "yes"
    if same_round:
        return "yes"  # a numbered round is one event however its reports date it
    dates = dates_match(cluster.date(), event.date)
    if dates is False:
        return "no"
    if any(_quote_key(e.text) in cluster.quotes for e in event.evidence):
        # The same sentence (a wire story's copies, a quoted statement) reports one event.
        return "yes"
    if amounts:
        return "yes"
    if dates and (amount is None) == (event.amount is None):
        return "yes"
    return "maybe"


def timeline(store_or_events: Store | Iterable[StoredEvent]) -> list[TimelineEntry]:
    """Every real-world event once, with all its sources, in date order (threads assigned)."""
    events = store_or_events.events() if isinstance(store_or_events, Store) else list(store_or_events)
    # One side under one code across articles, before reports of one event are matched.
    entries = merge(resolve_parties(events))
    return assign_threads(entries)


def merge(events: Iterable[StoredEvent]) -> list[TimelineEntry]:
    """Per-article events into entries (no threads yet), in timeline order."""
    events = list(events)
    ingested = {id(item): n for n, item in enumerate(events)}  # the store gives ingest order
    blocks: dict[tuple[str, str | None], list[_Cluster]] = defaultdict(list)
    deferred: list[StoredEvent] = []
    for item in sorted(events, key=_report_order):
        clusters = blocks[_block(item.event)]
        confirmed = next((c for c in clusters if _compatible(c, item) == "yes"), None)
        if confirmed is not None:
            confirmed.add(item)
        elif item.event.amount is None and item.event.type in REFERRING_TYPES | RESTATED_TYPES:
            # Decide once every report with an amount has found its entry.
            deferred.append(item)
        else:
            clusters.append(_Cluster(item))
    for item in deferred:
        clusters = blocks[_block(item.event)]
        confirmed = next((c for c in clusters if _compatible(c, item) == "yes"), None)
        possible = [c for c in clusters if c.amount() is not None and _compatible(c, item) == "maybe"]
        standing = [c for c in clusters if c.amount() is not None and _same_sides(c, item)]
        if confirmed is not None:
            confirmed.add(item)
        elif item.event.type in RESTATED_TYPES and standing:
            # Even from an article already among its sources: a position restated twice.
            _standing(standing, item).add(item)
        elif len(possible) == 1:
            possible[0].add(item)
        else:
            clusters.append(_Cluster(item))
    entries = [_entry(c) for clusters in blocks.values() for c in clusters]
    entries.sort(key=_entry_order)
    return _with_ids(entries, ingested, events)


def _block(event: Event) -> tuple[str, str | None]:
    # Mutual events are compared whoever is named first (_compatible checks the parties).
    return (event.type, None if event.type in MUTUAL_TYPES else event.actor)


def _same_sides(cluster: _Cluster, item: StoredEvent) -> bool:
    target = cluster.target()
    return not (target and item.event.target and target != item.event.target)


def _standing(clusters: list[_Cluster], item: StoredEvent) -> _Cluster:
    """The position with a figure that stood when `item` restated it: the latest placed on
    or before the restatement, else the earliest (a figure first reported later). Placed by
    the reports that state the figure: restatements joined before do not move it."""
    day = _report_day(item)

    def placed(cluster: _Cluster) -> dt.date:
        date = cluster.date()
        if date is not None and date.start is not None:
            return date.start
        return min((s.published_day for s in cluster.events if s.published_day and s.event.amount),
                   default=dt.date.max)

    before = [c for c in clusters if day is not None and placed(c) <= day]
    if before:
        return max(before, key=placed)
    return min(clusters, key=placed)


def _report_day(item: StoredEvent) -> dt.date | None:
    date = item.event.date
    if date is not None and date.end is not None:
        return date.end
    return item.published_day


def _report_order(item: StoredEvent) -> tuple:
    # Dated, amount-bearing reports first so they anchor the clusters others join.
    day = item.published_day or dt.date.max
    return (item.event.amount is None, day, item.id)


def _entry(cluster: _Cluster) -> TimelineEntry:
    items = sorted(cluster.events, key=lambda s: (s.published_day or dt.date.max, s.id))
    date = _meeting_days(cluster) if cluster.first.type == "meet" else None
    date = date or cluster.date()
    first = min((s.published_day for s in items if s.published_day), default=None)
    statuses = tuple(dict.fromkeys(s.event.status for s in items))
    people = tuple(dict.fromkeys(p for s in items for p in s.event.people))
    sources = tuple(Source(s.id, s.article, s.published, s.source, s.title, s.event, s.story,
                           s.dated_by) for s in items)
    return TimelineEntry(id="", type=cluster.first.type, actor=cluster.first.actor,
                         target=cluster.target(), amount=cluster.amount(), date=date,
                         placed=date.start if date else first, status=_status(statuses),
                         statuses=statuses, people=people, round=cluster.round(), sources=sources,
                         date_inferred=_inferred(items, date))


def _meeting_days(cluster: _Cluster) -> DateSpan | None:
    """The span of a meeting that every source's date falls in, when a source states it."""
    dates = [s.event.date for s in cluster.events if s.event.date is not None and s.event.date.resolved]
    if not dates or any(d.end is None for d in dates):
        spans = [d for d in dates if (d.days or 0) <= MEETING_DAYS
                 and all(d.start <= o.start and o.end <= d.end for o in dates)]  # type: ignore[operator]
    else:
        # Holding every date is holding the earliest start and the latest end: one pass, not one
        # per date (a meeting a thousand wire copies report has a thousand dates).
        earliest = min(d.start for d in dates)  # type: ignore[type-var]
        latest = max(d.end for d in dates)  # type: ignore[type-var]
        spans = [d for d in dates if (d.days or 0) <= MEETING_DAYS
                 and d.start <= earliest and latest <= d.end]  # type: ignore[operator]
    return max(spans, key=lambda d: d.days or 0) if spans else None


def _inferred(items: list[StoredEvent], date: DateSpan | None) -> str | None:
    """Why the entry's date is inferred: its date (or its placement) comes from articles
    whose own date was inferred from the others, and from no article that states one."""
    if date is not None:
        giving = [s for s in items if s.event.date is not None
                  and (s.event.date.start, s.event.date.end) == (date.start, date.end)]
    else:
        giving = [s for s in items if s.published_day is not None][:1]
    reasons = [s.dated_by for s in giving]
    if giving and all(reasons):
        return reasons[0]
    return None


def _status(statuses: tuple[str, ...]) -> str:
    """One status for the entry: a fact any source states outranks reports of it."""
    for status in ("asserted", "planned", "reported", "denied"):
        if status in statuses:
            return status
    return statuses[0] if statuses else "asserted"


def _entry_order(entry: TimelineEntry) -> tuple:
    return (entry.placed or dt.date.max, not entry.dated, entry.type, entry.actor or "",
            min(s.event_id for s in entry.sources))


def _with_ids(entries: list[TimelineEntry], ingested: dict[int, int],
              events: list[StoredEvent]) -> list[TimelineEntry]:
    """Each entry's id from its first report in ingest order, which later ingests never
    change: more articles come after it, and the same articles again are unchanged."""
    by_event = {(s.id, s.article): n for n, s in ((ingested[id(e)], e) for e in events)}
    out, taken = [], set()
    for entry in entries:
        first = min(entry.sources, key=lambda s: by_event.get((s.event_id, s.article), 0))
        ident = entry_id(first)
        n = 2
        while ident in taken:  # two first reports with one hash: vanishingly rare, still unique
            ident, n = f"{entry_id(first)}-{n}", n + 1
        taken.add(ident)
        out.append(replace(entry, id=ident))
    return out


def entry_id(source: Source) -> str:
    """A timeline entry's id from the report it was first built from."""
    event = source.event
    where = event.evidence[0].start if event.evidence else -1
    key = "|".join(str(p) for p in (source.article, event.type, event.actor, event.target, where))
    return "T" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
