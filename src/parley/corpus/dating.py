"""Dates of undated articles, inferred from the dated articles in the store.

An article that gives no publication date (no header date, no dated dateline)
can still be placed when it reports an event a dated article also reports:

    the same numbered round of the same parties          (strongest)
    a meeting of the same parties, with the negotiators the undated article
    names and at the place it names, in the dated article's text
    the same figure put by the same party to the same side (weakest)

The dated article dates the event (D). The undated article's own words for
that event ("Tuesday and Wednesday", "last month") then say when it was
written: the days P, from D's first day to `MAX_LAG_DAYS` after, for which
those words read against P fall on D. Every anchor of the strongest kind
must agree (the windows are intersected); anchors that disagree leave the
article undated. The window is narrowed further by:

    a figure the article gives in two currencies ("1.04 trillion won ($896
    million)"): only days whose ECB reference rate is within rounding of the
    rate the two figures imply (the tolerance of discrepancies.py)
    a dateline's day and month without a year ("WASHINGTON, Jan 14 -")

and the article is dated only when what is left is at most `MAX_WINDOW_DAYS`
long: never guessed. Its relative dates are read against one day of the
window: the last one within a week of D's first day, because news names the
weekdays of the past week, and a report on an event goes on to what followed
it ("Tuesday and Wednesday" for the talks, "Thursday" for the day after).

The date is marked as inferred with its reason (`InferredDate.reason`), kept
in the store (articles.inferred_*) and shown by the timeline and the exports.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable

from parley.analysis.dates import find_dates
from parley.analysis.exchange import reference_rate
from parley.corpus.discrepancies import RATE_SPREAD, rounding_error
from parley.corpus.money import format_money
from parley.corpus.store import Store, StoredEvent
from parley.corpus.timeline import amounts_match, TERMS_TYPES, MUTUAL_TYPES
from parley.records import Article, DateSpan, Event, replace
from parley.results import ArticleResult

# How long after an event starts a report of it is looked for.
MAX_LAG_DAYS = 31
# The widest window of publication days an inferred date may stand for.
MAX_WINDOW_DAYS = 7
# News names the weekdays of the past week.
WEEK_DAYS = 7
# Anchors by strength: only the strongest kind present is used.
ROUND, MEETING, FIGURE = 0, 1, 2
# An anchoring event must be dated at least this precisely (a day, a meeting's days).
ANCHOR_DAYS = 7

# "in Washington", "at Geneva", "in Washington, D.C.": the place a meeting was held.
_PLACE = re.compile(r"\b(?:in|at)\s+(?P<place>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2})")
_NOT_PLACES = frozenset({"January", "February", "March", "April", "May", "June", "July", "August",
                         "September", "October", "November", "December", "Monday", "Tuesday",
                         "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "The", "A", "An"})


@dataclass(frozen=True)
class InferredDate:
    """The date given to an undated article: the day its relative dates are read against,
    the window of days it can have been written on, and why."""

    article: str
    day: dt.date
    earliest: dt.date
    latest: dt.date
    reason: str


@dataclass(frozen=True)
class _Anchor:
    strength: int
    report: StoredEvent  # in the undated article
    dated: StoredEvent  # the same event in a dated article
    why: str


def infer_dates(store: Store) -> list[InferredDate]:
    """A date for each undated article that reports an event a dated article reports."""
    undated = store.undated_articles()
    if not undated:
        return []
    events = store.events()
    wanted = {article for article, _, _, _ in undated}
    reports: dict[str, list[StoredEvent]] = defaultdict(list)
    anchors_by_kind: dict[tuple[str, frozenset[str]], list[StoredEvent]] = defaultdict(list)
    for item in events:
        if item.article in wanted and item.copy_of is None:
            reports[item.article].append(item)
        elif _anchoring(item):
            anchors_by_kind[_kind(item)].append(item)
    texts = _Texts(store)
    rates = _implied_rates(store, wanted)
    out = []
    for article, metadata, _, _ in undated:
        anchors = [a for report in reports.get(article, ())
                   for dated in anchors_by_kind.get(_kind(report), ())
                   if (a := _same_event(report, dated, texts)) is not None]
        inferred = _infer(article, anchors, rates.get(article, ()), metadata.get("dateline_day"))
        if inferred is not None:
            out.append(inferred)
    return out


def date_undated(store: Store, extract: Callable[[Iterable[Article]], Iterable[ArticleResult]]) -> int:
    """Infer the dates of the store's undated articles and extract again those whose inferred
    date changed, so that their relative dates are read against it. Returns how many changed.
    Ingesting the same articles again finds the same dates and extracts nothing."""
    inferred = {i.article: i for i in infer_dates(store)}
    changed: dict[str, InferredDate | None] = {}
    for article, _, day, reason in store.undated_articles():
        new = inferred.get(article)
        if (new.day.isoformat() if new else None, new.reason if new else None) != (day, reason):
            changed[article] = new
    if not changed:
        return 0
    articles = []
    for article_id, new in changed.items():
        article = store.article(article_id)
        articles.append(replace(article, published=dt.datetime.combine(new.day, dt.time())) if new else article)
    for result in extract(articles):
        new = changed[result.article.id]
        if result.problem is not None:
            continue  # kept as it was; the next ingest tries again
        store.set_inferred_date(result, new.day if new else None,
                                (new.earliest, new.latest) if new else None, new.reason if new else None)
    return len(changed)


def _anchoring(item: StoredEvent) -> bool:
    date = item.event.date
    return (item.published is not None and item.dated_by is None and date is not None
            and date.resolved and (date.days or 0) <= ANCHOR_DAYS)


def _kind(item: StoredEvent) -> tuple[str, frozenset[str]]:
    event = item.event
    return event.type, frozenset(p for p in (event.actor, event.target) if p)


def _same_event(report: StoredEvent, dated: StoredEvent, texts: _Texts) -> _Anchor | None:
    """Whether two reports (same type, same parties) tell one event, and why."""
    a, b = report.event, dated.event
    if len(_kind(report)[1]) < 2:
        return None  # one party alone does not identify an event
    if a.type not in MUTUAL_TYPES and (a.actor, a.target) != (b.actor, b.target):
        return None
    parties = " and ".join(sorted(_kind(report)[1]))
    if a.round is not None and b.round is not None:
        if a.round != b.round:
            return None
        return _Anchor(ROUND, report, dated, f"round {a.round} of {parties}")
    if a.type == "meet" and a.people:
        place = _place(a)
        text = texts.of(b.article)
        if all(p in text for p in a.people) and (place is None or place in text):
            who = " and ".join(a.people)
            return _Anchor(MEETING, report, dated,
                           f"the meeting of {parties} with {who}" + (f" in {place}" if place else ""))
    if a.type in TERMS_TYPES and a.amount is not None and a.amount.is_money and amounts_match(a.amount, b.amount):
        return _Anchor(FIGURE, report, dated,
                       f"the {a.type} of {format_money(a.amount.value, a.amount.currency)} by {a.actor}")
    return None


def _place(event: Event) -> str | None:
    """The first place the report names for the meeting ("in Washington"), or None."""
    for evidence in event.evidence:
        for m in _PLACE.finditer(evidence.text):
            word = m.group("place").split()[0].rstrip(",.")
            if word not in _NOT_PLACES:
                return word
    return None


def _infer(article: str, anchors: list[_Anchor], rates: Iterable[_TwoCurrencies],
           dateline_day: str | None) -> InferredDate | None:
    if not anchors:
        return None
    strongest = min(a.strength for a in anchors)
    used = [a for a in anchors if a.strength == strongest]
    window: set[dt.date] | None = None
    for anchor in used:
        days = _publication_days(anchor)
        window = days if window is None else window & days
    if not window:
        return None  # the anchors disagree, or the article's words do not fit them
    first = used[0].dated.event.date.start  # type: ignore[union-attr]
    notes = []
    for pair in rates:
        # A sum in two currencies was converted at the rate of its day: only the days whose
        # ECB rate it fits remain (a pair that fits no day of the window is an old figure).
        fitting = {day for day in window if _rate_fits(pair, day)}
        if fitting:
            window = fitting
            notes.append(f"its {pair.describe()} fits the ECB reference rate of {_span(window)}")
    if dateline_day:
        month, day = int(dateline_day[2:4]), int(dateline_day[5:7])
        matching = {d for d in window if (d.month, d.day) == (month, day)}
        if matching:
            window = matching
            notes.append(f"its dateline's day ({dateline_day}) is in the window")
    if max(window) - min(window) >= dt.timedelta(days=MAX_WINDOW_DAYS):
        return None
    within_week = [d for d in window if d < first + dt.timedelta(days=WEEK_DAYS)]
    day = max(within_week or window)
    anchor = used[0]
    sources = sorted({a.dated.article for a in used})
    reason = (f"inferred: it reports {anchor.why}, which {', '.join(sources)} "
              f"{'dates' if len(sources) == 1 else 'date'} {_span_of(anchor.dated.event.date)}; "
              f"its words for it ({_words(anchor.report)}) fit publication on {_span(window)}"
              + "".join(f"; {n}" for n in notes) + f"; read as of {day.isoformat()}")
    return InferredDate(article, day, min(window), max(window), reason)


def _publication_days(anchor: _Anchor) -> set[dt.date]:
    """The days the undated article can have been written on, given the anchor's date: those
    for which its own date words for the event, read as of that day, fall on the event. Each
    expression that can fall on the event narrows the days ("Tuesday" and "Tuesday and
    Wednesday" together); one that never does is about something else."""
    event_date = anchor.dated.event.date
    assert event_date is not None and event_date.start is not None and event_date.end is not None
    candidates = [event_date.start + dt.timedelta(days=n) for n in range(MAX_LAG_DAYS + 1)]
    fits: dict[tuple[int, int], set[dt.date]] = defaultdict(set)
    for n, evidence in enumerate(anchor.report.event.evidence):
        for day in candidates:
            for span in find_dates(evidence.text, day):
                fits[(n, span.char_start)]  # an expression, whether or not it fits this day
                if _overlaps(span, event_date):
                    fits[(n, span.char_start)].add(day)
    window = set(candidates)  # no date words: only "not before the event"
    for days in fits.values():
        if days:
            window &= days
    return window


def _overlaps(span: DateSpan, other: DateSpan) -> bool:
    return (span.resolved and span.start <= other.end and other.start <= span.end  # type: ignore[operator]
            and (span.days or 0) <= MAX_LAG_DAYS)


def _rate_fits(pair: _TwoCurrencies, day: dt.date) -> bool:
    """Whether the ECB reference rate of `day` is within rounding of the pair's implied rate."""
    rate, used = reference_rate(pair.equivalent_currency, pair.currency, day)
    if rate is None or used is None or abs((used - day).days) > 4:
        return False  # no rate near that day (outside the ECB history) is no fit
    return abs(pair.implied / rate - 1) <= pair.tolerance


def _words(report: StoredEvent) -> str:
    """The undated article's date words for the event ("Tuesday"), or what stands for them."""
    words = [span.text for e in report.event.evidence for span in find_dates(e.text)]
    return ", ".join(f"\u201c{w}\u201d" for w in dict.fromkeys(words)) or "no date words"


def _span(days: set[dt.date]) -> str:
    lo, hi = min(days), max(days)
    return lo.isoformat() if lo == hi else f"{lo.isoformat()}..{hi.isoformat()}"


def _span_of(date: DateSpan | None) -> str:
    if date is None or date.start is None or date.end is None:
        return "?"
    return _span({date.start, date.end})


@dataclass(frozen=True)
class _TwoCurrencies:
    """One sum the article gives in two currencies: "1.04 trillion won ($896 million)"."""

    value: float
    currency: str
    equivalent_value: float
    equivalent_currency: str
    text: str

    @property
    def implied(self) -> float:
        return self.value / self.equivalent_value

    @property
    def tolerance(self) -> float:
        return rounding_error(self.value) + rounding_error(self.equivalent_value) + RATE_SPREAD

    def describe(self) -> str:
        return (f"{format_money(self.value, self.currency)} = "
                f"{format_money(self.equivalent_value, self.equivalent_currency)} "
                f"({self.implied:,.1f} {self.currency} per {self.equivalent_currency})")


def _implied_rates(store: Store, articles: set[str]) -> dict[str, list[_TwoCurrencies]]:
    """For each undated article, the sums it gives in two currencies, once each."""
    out: dict[str, dict[tuple, _TwoCurrencies]] = defaultdict(dict)
    for row in store.figure_rows():
        if (row["article_id"] in articles and row["equivalent_value"] and row["value"]
                and row["currency"] and row["equivalent_currency"]
                and row["currency"] != row["equivalent_currency"]):
            pair = _TwoCurrencies(row["value"], row["currency"], row["equivalent_value"],
                                  row["equivalent_currency"], row["text"] or "")
            out[row["article_id"]][(pair.value, pair.currency, pair.equivalent_value)] = pair
    return {article: list(pairs.values()) for article, pairs in out.items()}


class _Texts:
    """Article bodies, read from the store once each when a meeting is compared."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.cache: dict[str, str] = {}

    def of(self, article: str) -> str:
        if article not in self.cache:
            self.cache[article] = self.store.article(article).body_text()
        return self.cache[article]
