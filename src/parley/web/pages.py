"""What the pages of `parley serve` show, as plain data: no HTTP here.

The timeline, threads, positions and discrepancies are computed from the whole
store (corpus/), which takes seconds on a large one; `Views` holds them for one
state of the store, and `ViewCache` recomputes only when the store changed (an
ingest, a correction: its `fingerprint` moved). Filtering a thread's timeline,
an article's highlighted text and an event's history are cheap functions of a
`Views`.
"""
from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable

from parley.corpus.corrections import Correction
from parley.corpus.discrepancies import Discrepancies, find_discrepancies
from parley.corpus.positions import GapPoint, Position, positions, standing_gap
from parley.corpus.store import Store, StoredEvent
from parley.corpus.threads import Thread, threads
from parley.corpus.timeline import TimelineEntry, timeline
from parley.errors import StoreError
from parley.output.report import Quote, chart_json, quotes
from parley.records import Article, EVENT_TYPES, STATUSES


def fingerprint(store: Store) -> tuple[Any, ...]:
    """Changes whenever what the pages show may change: an article stored or replaced (a new
    rowid), a run started or finished, a correction made."""
    row = store.db.execute(
        "SELECT (SELECT max(rowid) FROM articles), (SELECT count(*) FROM articles),"
        " (SELECT max(id) FROM runs), (SELECT finished FROM runs ORDER BY id DESC LIMIT 1)").fetchone()
    corrections = store.db.execute("SELECT max(id) FROM corrections").fetchone()[0]
    return (*tuple(row), corrections)


@dataclass
class Views:
    """Everything computed from one state of the store."""

    events: list[StoredEvent]  # rejected ones too
    entries: list[TimelineEntry]
    threads: list[Thread]
    parties: dict[str, str]
    by_key: dict[str, StoredEvent] = field(default_factory=dict)
    by_article: dict[str, list[StoredEvent]] = field(default_factory=dict)
    entry_of: dict[str, TimelineEntry] = field(default_factory=dict)
    corrected_entries: set[str] = field(default_factory=set)  # entries with a corrected report
    # (independent reports, wire copies) per entry: each counts thousands of sources on a large store
    source_counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    thread_entries: dict[str, list[TimelineEntry]] = field(default_factory=dict)
    corrections: dict[str, list[Correction]] = field(default_factory=dict)
    party_corrections: list[Correction] = field(default_factory=list)
    _positions: dict[str, tuple[list[Position], list[GapPoint], str]] = field(default_factory=dict)
    _discrepancies: Discrepancies | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def build(cls, store: Store) -> Views:
        events = store.events(rejected=True)
        shown = [e for e in events if not e.event.extra.get("rejected")]
        entries = timeline(shown)
        views = cls(events=events, entries=entries, threads=threads(entries), parties=store.parties())
        for item in events:
            views.by_article.setdefault(item.article, []).append(item)
            if item.copy_of is None:
                views.by_key[item.key] = item
        for entry in entries:
            views.thread_entries.setdefault(entry.thread or "unattributed", []).append(entry)
            views.source_counts[entry.id] = (entry.source_count, entry.copy_count)
            for source in entry.sources:
                views.entry_of.setdefault(source.event.extra.get("id", ""), entry)
                if source.event.extra.get("corrected"):
                    views.corrected_entries.add(entry.id)
        for c in store.corrections():
            if c.event:
                views.corrections.setdefault(c.event, []).append(c)
            else:
                views.party_corrections.append(c)
        return views

    def thread(self, tid: str) -> Thread:
        for t in self.threads:
            if t.id == tid:
                return t
        raise StoreError(f"no thread {tid!r}; the threads are listed on the first page")

    def positions(self, tid: str) -> tuple[list[Position], list[GapPoint], str]:
        """The thread's positions in order over time, the gap, and the chart (safe JSON)."""
        with self._lock:
            if tid not in self._positions:
                # In the thread's own order over time (an undated change follows its base).
                rows = positions(self.thread_entries.get(tid, []))
                gap = standing_gap(rows)
                self._positions[tid] = (rows, gap, chart_json(rows, gap, self.parties))
            return self._positions[tid]

    def discrepancies(self, store: Store) -> Discrepancies:
        with self._lock:
            if self._discrepancies is None:
                self._discrepancies = find_discrepancies(store, self.entries)
            return self._discrepancies


class ViewCache:
    """One `Views` per state of the store; a request on an unchanged store reuses it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[Any, ...] | None = None
        self._views: Views | None = None

    def fresh(self, store: Store) -> bool:
        """Whether the views held are those of the store as it is now: the next page will not wait."""
        key = fingerprint(store)
        with self._lock:
            return self._views is not None and key == self._key

    def get(self, store: Store) -> Views:
        key = fingerprint(store)
        with self._lock:
            if self._views is None or key != self._key:
                self._views = Views.build(store)
                self._key = key
            return self._views


# -- the timeline of one thread, filtered ---------------------------------------

@dataclass(frozen=True)
class TimelineFilter:
    party: str = ""
    type: str = ""
    status: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    query: str = ""

    @classmethod
    def from_params(cls, params: Any) -> TimelineFilter:
        def day(name: str) -> dt.date | None:
            try:
                return dt.date.fromisoformat(params.get(name, "")) if params.get(name) else None
            except ValueError:
                return None
        kind = params.get("type", "")
        status = params.get("status", "")
        return cls(party=params.get("party", "").strip(), type=kind if kind in EVENT_TYPES else "",
                   status=status if status in STATUSES else "", start=day("from"), end=day("to"),
                   query=params.get("q", "").strip())

    def as_params(self) -> dict[str, str]:
        return {"party": self.party, "type": self.type, "status": self.status,
                "from": self.start.isoformat() if self.start else "",
                "to": self.end.isoformat() if self.end else "", "q": self.query}


def filter_entries(entries: list[TimelineEntry], wanted: TimelineFilter,
                   search: Callable[[str], tuple[set[int], set[str]]] | None = None) -> list[TimelineEntry]:
    """The entries that pass every filter; `search(query)` gives the (event ids, article ids)
    the full-text index finds."""
    hits: tuple[set[int], set[str]] | None = None
    if wanted.query and search is not None:
        hits = search(wanted.query)
    out = []
    for entry in entries:
        if wanted.party and wanted.party not in entry.parties:
            continue
        if wanted.type and entry.type != wanted.type:
            continue
        if wanted.status and wanted.status not in entry.statuses:
            continue
        if (wanted.start or wanted.end) and entry.placed is None:
            continue
        if wanted.start and entry.placed and entry.placed < wanted.start:
            continue
        if wanted.end and entry.placed and entry.placed > wanted.end:
            continue
        if hits is not None and not any(s.event_id in hits[0] or s.article in hits[1] for s in entry.sources):
            continue
        out.append(entry)
    return out


def full_text(store: Store, query: str) -> tuple[set[int], set[str]]:
    """(event ids whose evidence matches, article ids whose title or text matches)."""
    return store.matching(query)


def entry_quotes(entry: TimelineEntry) -> list[tuple[Quote, str, str]]:
    """Each distinct quote of the entry with the article and event id to open it at."""
    first: dict[str, tuple[str, str]] = {}
    for source in entry.sources:
        for evidence in source.event.evidence:
            first.setdefault(evidence.text, (source.article, source.event.extra.get("id", "")))
    return [(q, *first[q.text]) for q in quotes(entry)]


def first_source(entry: TimelineEntry) -> tuple[str, str]:
    """(article, event id) of the entry's first report: where its sentence is."""
    source = entry.sources[0]
    return source.article, source.event.extra.get("id", "")


# -- an article with its evidence marked ----------------------------------------

@dataclass(frozen=True)
class Segment:
    text: str
    events: tuple[str, ...] = ()  # the events whose evidence covers it
    anchors: tuple[str, ...] = ()  # "ev-KEY" of the events whose first evidence starts here
    focus: bool = False


@dataclass(frozen=True)
class Mark:
    key: str
    start: int
    end: int


def evidence_marks(article: Article, events: list[StoredEvent]) -> tuple[list[Mark], list[str]]:
    """Where each event's evidence is in this article's text, and the events not found there.

    The stored offsets are used when the text there is the quote; else (a wire copy whose
    text differs a little from its story's) the quote is looked for; else it is unplaced."""
    marks: list[Mark] = []
    missing: list[str] = []
    for item in events:
        key = item.key
        placed = False
        for evidence in item.event.evidence:
            start = evidence.start
            if not (0 <= start and article.text[start:evidence.end] == evidence.text):
                start = article.text.find(evidence.text) if evidence.text else -1
            if start >= 0:
                marks.append(Mark(key, start, start + len(evidence.text)))
                placed = True
        if not placed:
            missing.append(key)
    return marks, missing


def segments(text: str, marks: list[Mark], focus: str | None = None) -> list[Segment]:
    """The text cut at every mark boundary; each piece knows the events covering it."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    first_start: dict[str, int] = {}
    for m in marks:
        first_start[m.key] = min(first_start.get(m.key, m.start), m.start)
    starts: dict[int, list[str]] = defaultdict(list)
    for key, start in first_start.items():
        starts[start].append(key)
    out = []
    for lo, hi in zip(cuts, cuts[1:]):
        covering = tuple(dict.fromkeys(m.key for m in marks if m.start <= lo and hi <= m.end))
        anchors = [k for k in starts.get(lo, ()) if k in covering]
        out.append(Segment(text[lo:hi], covering, tuple(f"ev-{k}" for k in anchors),
                           focus is not None and focus in covering))
    return out


def event_fields(item: StoredEvent) -> dict[str, Any]:
    """The editable values of an event as the form shows them."""
    event = item.event
    amount = event.amount
    amount_text = ""
    if amount is not None and amount.value is not None and amount.currency:
        amount_text = f"{amount.value:,.0f} {amount.currency}".replace(",", "") + \
            (f" {amount.period}" if amount.period else "")
    date = event.date
    date_text = ""
    if date is not None and date.start is not None:
        date_text = date.start.isoformat() + (f"..{date.end.isoformat()}" if date.end and date.end != date.start else "")
    return {"type": event.type, "actor": event.actor or "", "target": event.target or "",
            "amount": amount_text, "date": date_text, "status": event.status}

