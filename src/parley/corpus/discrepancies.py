"""Discrepancies: one quantity reported differently across sources.

Figures. Sources often give money in two currencies ("1.04 trillion won
($850 million)"); each such pair implies an exchange rate. Pairs with the
same native value and currency form a group; a figure in the second
currency alone ("agreed to pay $870 million") joins the group when it is in
the same negotiation thread and within `LINK_TOLERANCE` of the median of the
group's stated equivalents. For every report the implied rate is compared
with the ECB reference rate on the article's publication day.

When is a difference explained by the exchange rate? When the implied rate
is within `tolerance` of the reference rate, where tolerance is what the
rounding of the two stated figures allows (half a unit in the last stated
digit of each: "$850 million" is 845-855, 0.6%) plus `RATE_SPREAD` (0.5%)
for the spread between the ECB fixing and the market rates newsrooms use.
An undated report is compared with every day of its thread's period and
said to be consistent with the rate of the days that fit, if any.

Claims. A timeline entry that one source states and another denies (or
that is only known as reported and denied) is a conflicting claim: a raised
bid one outlet reports and the bidder denies. Which reports deny is read in
claims.py (the extractor's `denied` status, or a denial around the claim).
"""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from statistics import median
from typing import Iterable

from parley.analysis.exchange import reference_rate
from parley.corpus.claims import denying_articles
from parley.corpus.money import format_money
from parley.corpus.store import Store
from parley.corpus.timeline import TimelineEntry
from parley.records import replace

RATE_SPREAD = 0.005
LINK_TOLERANCE = 0.05

EXPLAINED = "explained"
NOT_EXPLAINED = "not explained"
UNDATED_CONSISTENT = "undated, consistent"
UNDATED_INCONSISTENT = "undated, not consistent"
UNKNOWN = "no reference rate"


@dataclass(frozen=True)
class FigureReport:
    """One source's statement of the quantity, with the rate it implies."""

    article: str
    published: dt.date | None
    source: str | None
    text: str
    start: int
    end: int
    stated_value: float
    stated_currency: str
    native_value: float
    native_currency: str
    native_stated: bool  # False when only the equivalent was stated and linked by value
    implied_rate: float  # units of native per unit of stated
    reference_rate: float | None
    rate_date: dt.date | None
    deviation: float | None  # implied / reference - 1
    tolerance: float
    verdict: str
    consistent_days: tuple[dt.date, dt.date] | None = None
    thread: str | None = None
    copies: int = 1  # sources giving this same figure on the same day in the same words

    def explanation(self) -> str:
        said = format_money(self.stated_value, self.stated_currency)
        rate = f"{self.implied_rate:,.2f} {self.native_currency}/{self.stated_currency}"
        if self.verdict in (EXPLAINED, NOT_EXPLAINED) and self.reference_rate:
            ref = f"{self.reference_rate:,.2f} on {self.rate_date}"
            how = "within" if self.verdict == EXPLAINED else "outside"
            return (f"{said} implies {rate}; reference {ref} ({self.deviation:+.2%}, {how} "
                    f"±{self.tolerance:.2%}): {self.verdict} by the exchange rate")
        if self.verdict == UNDATED_CONSISTENT and self.consistent_days:
            first, last = self.consistent_days
            return (f"{said} implies {rate}; the article is undated, but the reference rate "
                    f"matched within ±{self.tolerance:.2%} on days between {first} and {last}")
        if self.verdict == UNDATED_INCONSISTENT:
            return (f"{said} implies {rate}; the article is undated and no reference rate in "
                    f"the thread's period is within ±{self.tolerance:.2%}: not explained")
        return f"{said} implies {rate}; no reference rate to compare with"

    def as_dict(self) -> dict:
        return {"article": self.article, "published": _iso(self.published), "source": self.source,
                "text": self.text, "start": self.start, "end": self.end,
                "stated_value": self.stated_value, "stated_currency": self.stated_currency,
                "native_value": self.native_value, "native_currency": self.native_currency,
                "native_stated": self.native_stated, "implied_rate": self.implied_rate,
                "reference_rate": self.reference_rate, "rate_date": _iso(self.rate_date),
                "deviation": self.deviation, "tolerance": self.tolerance, "verdict": self.verdict,
                "consistent_days": [_iso(d) for d in self.consistent_days] if self.consistent_days else None,
                "thread": self.thread, "copies": self.copies, "explanation": self.explanation()}


@dataclass(frozen=True)
class FigureDiscrepancy:
    """A native amount stated with different equivalents across sources."""

    native_value: float
    native_currency: str
    stated_currency: str
    reports: tuple[FigureReport, ...]
    thread: str | None

    @property
    def stated_values(self) -> tuple[float, ...]:
        return tuple(sorted({r.stated_value for r in self.reports}))

    @property
    def spread(self) -> float:
        values = self.stated_values
        return (values[-1] - values[0]) / values[0] if values and values[0] else 0.0

    @property
    def explained(self) -> tuple[FigureReport, ...]:
        return tuple(r for r in self.reports if r.verdict in (EXPLAINED, UNDATED_CONSISTENT))

    @property
    def unexplained(self) -> tuple[FigureReport, ...]:
        return tuple(r for r in self.reports if r.verdict in (NOT_EXPLAINED, UNDATED_INCONSISTENT))

    def summary(self) -> str:
        values = ", ".join(format_money(v, self.stated_currency) for v in self.stated_values)
        return (f"{format_money(self.native_value, self.native_currency)} reported as {values} "
                f"({len(self.explained)} explained by the exchange rate, "
                f"{len(self.unexplained)} not)")

    def as_dict(self) -> dict:
        return {"native_value": self.native_value, "native_currency": self.native_currency,
                "stated_currency": self.stated_currency, "thread": self.thread,
                "stated_values": list(self.stated_values), "spread": self.spread,
                "summary": self.summary(), "reports": [r.as_dict() for r in self.reports]}


@dataclass(frozen=True)
class ConflictingClaim:
    entry: TimelineEntry
    stating: tuple[str, ...]  # articles that state or report it
    denying: tuple[str, ...]  # articles that report it denied

    def summary(self) -> str:
        if self.stating:
            return (f"{self.entry.summary()}: stated by {len(self.stating)} source(s), "
                    f"denied in {len(self.denying)}")
        return f"{self.entry.summary()}: reported and denied"

    def as_dict(self) -> dict:
        return {"entry": self.entry.id, "thread": self.entry.thread, "summary": self.summary(),
                "stating": list(self.stating), "denying": list(self.denying)}


@dataclass(frozen=True)
class Discrepancies:
    figures: tuple[FigureDiscrepancy, ...]
    claims: tuple[ConflictingClaim, ...]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def rounding_error(value: float) -> float:
    """Relative half-unit of the last stated digit: 850e6 is 845e6-855e6, so 5e6 / 850e6."""
    value = abs(value)
    if value == 0 or not math.isfinite(value):
        return 0.0
    mantissa, exponent = f"{value:.6e}".split("e")
    significant = max(len(mantissa.replace(".", "").rstrip("0")), 1)
    return 0.5 * 10.0 ** (int(exponent) - (significant - 1)) / value


@dataclass(frozen=True)
class _Figure:
    article: str
    published: dt.date | None
    source: str | None
    value: float
    currency: str
    text: str
    start: int
    end: int
    equivalent_value: float | None
    equivalent_currency: str | None
    parties: frozenset[str]
    thread: str | None


def _load_figures(store: Store, entries: Iterable[TimelineEntry]) -> list[_Figure]:
    """Stored figures, each with the thread of its event (or of most of its article's entries)."""
    thread_of: dict[int, tuple[str | None, frozenset[str]]] = {}
    article_threads: dict[str, Counter[str]] = defaultdict(Counter)
    thread_parties: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in entries:
        for source in entry.sources:
            thread_of[source.event_id] = (entry.thread, entry.parties)
            if entry.thread:
                article_threads[source.article][entry.thread] += 1
        if entry.thread:
            thread_parties[entry.thread].update(entry.parties)
    out: list[_Figure] = []
    seen: set[tuple[str, int, int, float]] = set()
    for row in store.figure_rows():
        if row["value"] is None or not row["currency"]:
            continue
        start = row["start"] if row["start"] is not None else -1
        key = (row["article_id"], start, row["end"] if row["end"] is not None else -1, row["value"])
        if key in seen and start >= 0:
            continue
        seen.add(key)
        if row["event_id"] in thread_of:
            thread, parties = thread_of[row["event_id"]]
        else:
            votes = article_threads.get(row["article_id"])
            thread = votes.most_common(1)[0][0] if votes else None
            parties = frozenset(p for p, _ in thread_parties[thread].most_common(2)) if thread else frozenset()
        day = row["published_day"]
        out.append(_Figure(article=row["article_id"],
                           published=dt.date.fromisoformat(day) if day else None,
                           source=row["source"], value=row["value"], currency=row["currency"],
                           text=row["text"] or "", start=start,
                           end=row["end"] if row["end"] is not None else -1,
                           equivalent_value=row["equivalent_value"],
                           equivalent_currency=row["equivalent_currency"], parties=parties,
                           thread=thread))
    return out


def _same_value_key(value: float) -> float:
    # Three significant digits: "1.04 trillion" and "1.040 trillion" are one figure.
    return float(f"{value:.3g}")


def find_discrepancies(store: Store, entries: list[TimelineEntry],
                       rate_spread: float = RATE_SPREAD) -> Discrepancies:
    """Figure groups with their exchange-rate explanation, and conflicting claims."""
    figures = _load_figures(store, entries)
    spans = _thread_spans(entries)
    groups: dict[tuple[str, float, str], list[_Figure]] = defaultdict(list)
    for figure in figures:
        if figure.equivalent_value and figure.equivalent_currency \
                and figure.equivalent_currency != figure.currency:
            groups[(figure.currency, _same_value_key(figure.value), figure.equivalent_currency)].append(figure)
    out: list[FigureDiscrepancy] = []
    for (native_currency, _key, quote), members in groups.items():
        native_value = median(f.value for f in members)
        stated = [f.equivalent_value for f in members if f.equivalent_value]
        threads = Counter(f.thread for f in members if f.thread)
        thread = min(threads, key=lambda t: (-threads[t], t)) if threads else None
        centre = median(stated)  # once: a story's thousand copies are each compared with it
        linked = [f for f in figures if f.currency == quote and not f.equivalent_value
                  and f.thread is not None and f.thread == thread
                  and abs(f.value - centre) <= LINK_TOLERANCE * centre]
        reports = [replace(_report(f.article, f.published, f.source, f.text, f.start, f.end,
                                   f.equivalent_value or 0.0, quote, f.value, native_currency, True,
                                   spans.get(thread), thread, rate_spread), copies=n)
                   for f, n in _copies(members)]
        reports += [replace(_report(f.article, f.published, f.source, f.text, f.start, f.end, f.value,
                                    quote, native_value, native_currency, False, spans.get(thread),
                                    thread, rate_spread), copies=n)
                    for f, n in _copies(_one_per_article(linked))]
        distinct = {round(r.stated_value, 6) for r in reports}
        if len(distinct) < 2:
            continue  # every source agrees: no discrepancy
        reports.sort(key=lambda r: (r.published or dt.date.max, r.article, r.start))
        out.append(FigureDiscrepancy(native_value=native_value, native_currency=native_currency,
                                     stated_currency=quote, reports=tuple(reports), thread=thread))
    out.sort(key=lambda d: (d.thread or "", -len(d.reports)))
    return Discrepancies(figures=tuple(out), claims=tuple(conflicting_claims(entries)))


def _copies(figures: list[_Figure]) -> list[tuple[_Figure, int]]:
    """Identical statements (same words, figures and day) once, with how many sources give them."""
    counts: dict[tuple, list] = {}
    for figure in figures:
        key = (figure.value, figure.currency, figure.equivalent_value, figure.published, figure.text)
        if key in counts:
            counts[key][1] += 1
        else:
            counts[key] = [figure, 1]
    return [(figure, n) for figure, n in counts.values()]


def _one_per_article(figures: list[_Figure]) -> list[_Figure]:
    firsts: dict[tuple[str, float], _Figure] = {}
    for figure in figures:
        firsts.setdefault((figure.article, figure.value), figure)
    return list(firsts.values())


def _thread_spans(entries: list[TimelineEntry]) -> dict[str | None, tuple[dt.date, dt.date]]:
    days: dict[str | None, list[dt.date]] = defaultdict(list)
    for entry in entries:
        for source in entry.sources:
            if source.published_day:
                days[entry.thread].append(source.published_day)
        if entry.dated and entry.date and entry.date.start:
            days[entry.thread].append(entry.date.start)
    return {t: (min(d), max(d)) for t, d in days.items() if d}


def _report(article: str, published: dt.date | None, source: str | None, text: str, start: int,
            end: int, stated_value: float, stated_currency: str, native_value: float,
            native_currency: str, native_stated: bool, span: tuple[dt.date, dt.date] | None,
            thread: str | None, rate_spread: float) -> FigureReport:
    implied = native_value / stated_value
    tolerance = rounding_error(native_value) + rounding_error(stated_value) + rate_spread
    common = dict(article=article, published=published, source=source, text=text, start=start,
                  end=end, stated_value=stated_value, stated_currency=stated_currency,
                  native_value=native_value, native_currency=native_currency,
                  native_stated=native_stated, implied_rate=implied, tolerance=tolerance,
                  thread=thread)
    if published is not None:
        reference, rate_day = reference_rate(stated_currency, native_currency, published)
        if reference is None:
            return FigureReport(reference_rate=None, rate_date=None, deviation=None,
                                verdict=UNKNOWN, **common)
        deviation = implied / reference - 1
        verdict = EXPLAINED if abs(deviation) <= tolerance else NOT_EXPLAINED
        return FigureReport(reference_rate=reference, rate_date=rate_day, deviation=deviation,
                            verdict=verdict, **common)
    if span is None:
        return FigureReport(reference_rate=None, rate_date=None, deviation=None, verdict=UNKNOWN,
                            **common)
    matching: list[dt.date] = []
    day = span[0]
    while day <= span[1]:
        reference, _used = reference_rate(stated_currency, native_currency, day)
        if reference and abs(implied / reference - 1) <= tolerance:
            matching.append(day)
        day += dt.timedelta(days=1)
    if matching:
        return FigureReport(reference_rate=None, rate_date=None, deviation=None,
                            verdict=UNDATED_CONSISTENT, consistent_days=(matching[0], matching[-1]),
                            **common)
    return FigureReport(reference_rate=None, rate_date=None, deviation=None,
                        verdict=UNDATED_INCONSISTENT, **common)


def conflicting_claims(entries: Iterable[TimelineEntry]) -> list[ConflictingClaim]:
    """Entries some source denies (claims.py): with the sources that state them, if any."""
    out = []
    for entry in entries:
        denying = denying_articles(entry)
        if not denying:
            continue
        stating = tuple(dict.fromkeys(s.article for s in entry.sources if s.article not in denying))
        out.append(ConflictingClaim(entry=entry, stating=stating, denying=denying))
    return out
