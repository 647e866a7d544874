"""Watching sources: poll feeds and pages, ingest what is new, tell each new move as it appears.

    with Store("talks.db") as store:
        watcher = Watcher(store, ["https://example.org/feed.rss", "https://example.org/talks.html"])
        for alert in watcher.poll():      # once; `parley watch` calls it every --every
            print(alert.line())

A poll reads every source (a URL is fetched, a file or folder read), ingests the
articles through `ingest.ingest` (so unchanged articles are skipped by their content
hash and wire copies are stored as sources of their story, never extracted or told
again) and returns an `Alert` for each offer, demand, rejection, acceptance or deal
the store did not hold before the poll. A source that is down is a Problem for that
poll only: the next poll tries it again. With `follow_links`, a feed entry not
stored yet is read from the page it links to (the entry's own text when that page
cannot be fetched).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import httpx

from parley.corpus.ingest import ingest
from parley.corpus.money import describe_amount
from parley.corpus.store import Store
from parley.reading.fetch import FetchLimits, fetch, is_url, new_client
from parley.reading.readers import read_articles, read_fetched
from parley.records import Article, Event, Problem
from parley.results import ExtractOptions

ALERT_TYPES = ("offer", "demand", "reject", "accept", "agree")

ProblemHandler = Callable[[Problem], None]


@dataclass(frozen=True)
class Alert:
    """A move the store did not hold before this poll, with where it was read."""

    event: Event
    title: str | None
    source: str | None
    url: str | None
    published: dt.datetime | None
    seen: dt.datetime  # when this poll found it (UTC)

    def line(self) -> str:
        """One line for a terminal or a log: who did what, how much, and the sentence."""
        e = self.event
        what = " ".join(x for x in (e.actor or "?", e.type, f"→ {e.target}" if e.target else "",
                                    describe_amount(e.amount) if e.amount else "") if x)
        when = self.published.date().isoformat() if self.published else "undated"
        quote = " ".join(e.evidence[0].text.split()) if e.evidence else ""
        where = ", ".join(x for x in (self.source, self.url or e.article) if x)
        return f"{when} {what}: \"{quote}\" ({where})"

    def as_dict(self) -> dict[str, Any]:
        return {**self.event.as_dict(), "title": self.title, "source": self.source, "url": self.url,
                "published": self.published.isoformat() if self.published else None,
                "seen": self.seen.isoformat()}


@dataclass(frozen=True)
class PollResult:
    alerts: tuple[Alert, ...]
    added: int
    updated: int
    copies: int
    problems: int


class Watcher:
    """Polls `sources` into `store`; one httpx client for all polls (connections kept)."""

    def __init__(self, store: Store, sources: Iterable[str | Path], options: ExtractOptions = ExtractOptions(),
                 *, follow_links: bool = False, limits: FetchLimits = FetchLimits(),
                 client: httpx.Client | None = None, on_problem: ProblemHandler | None = None,
                 detect_copies: bool = True) -> None:
        self.store, self.sources, self.options = store, list(sources), options
        self.follow_links, self.limits, self.detect_copies = follow_links, limits, detect_copies
        self.client = client or new_client(limits)
        self.on_problem = on_problem
        self.polls = 0

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def poll(self) -> PollResult:
        """Read every source once, ingest what is new, return the new moves."""
        self.polls += 1
        problems = 0

        def problem(found: Problem) -> None:
            nonlocal problems
            problems += found.fatal
            if self.on_problem is not None:
                self.on_problem(found)

        articles = list(self._read(problem))
        before = {a.id: set(map(_move, self.store.article_events(a.id))) for a in articles}
        summary = ingest(self.store, [], self.options, on_problem=problem, articles=articles,
                         detect_copies=self.detect_copies)
        seen = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        by_id = {a.id: a for a in articles}
        alerts = []
        for article_id in summary.extracted:
            known = before.get(article_id, set())
            stored = self.store.article(article_id)
            read = by_id.get(article_id, stored)
            for event in self.store.article_events(article_id):
                if event.type in ALERT_TYPES and _move(event) not in known:
                    alerts.append(Alert(event, stored.title, stored.source, read.url or stored.url,
                                        stored.published, seen))
        return PollResult(tuple(alerts), summary.added, summary.updated, summary.copies, problems)

    def _read(self, problem: ProblemHandler) -> Iterator[Article]:
        for source in self.sources:
            if is_url(source):
                fetched = fetch(str(source), self.limits, self.client)
                items: Iterable[Article | Problem] = [fetched] if isinstance(fetched, Problem) else \
                    read_fetched(fetched, max_bytes=self.options.max_article_bytes)
            else:
                items = read_articles([source], max_bytes=self.options.max_article_bytes)
            for item in items:
                if isinstance(item, Problem):
                    problem(item)
                elif self.follow_links and _is_feed_entry(item) and self.store.stored_hash(item.id) is None:
                    yield self._linked_page(item)
                else:
                    yield item

    def _linked_page(self, entry: Article) -> Article:
        """The page a new feed entry links to, under the entry's id; the entry itself when the
        page cannot be fetched or read (a summary is better than nothing)."""
        fetched = fetch(entry.url or "", self.limits, self.client)
        if isinstance(fetched, Problem):
            return entry
        pages = [a for a in read_fetched(fetched, max_bytes=self.options.max_article_bytes) if isinstance(a, Article)]
        if len(pages) != 1:
            return entry
        page = pages[0]
        return dataclasses.replace(page, id=entry.id, title=page.title or entry.title,
                                   published=page.published or entry.published,
                                   source=entry.source or page.source,
                                   metadata={**page.metadata, "feed_entry": entry.metadata.get("entry")})


def _is_feed_entry(article: Article) -> bool:
    return "entry" in article.metadata and is_url(article.url or "")


def _move(event: Event) -> tuple[Any, ...]:
    """What makes a move the same move when a changed page is extracted again."""
    amount = event.amount
    return (event.type, event.actor, event.target, amount.value if amount else None,
            amount.currency if amount else None)


def watch(watcher: Watcher, every: float, on_poll: Callable[[PollResult], None],
          stop: threading.Event | None = None, polls: int | None = None) -> int:
    """Poll now and then every `every` seconds until `stop` is set or `polls` polls are done;
    returns the number of polls. Ctrl-C (KeyboardInterrupt) ends the wait at once; the
    store holds whole articles only whenever it comes (each is one transaction)."""
    stop = stop or threading.Event()
    done = 0
    while not stop.is_set():
        on_poll(watcher.poll())
        done += 1
        if polls is not None and done >= polls:
            break
        stop.wait(every)
    return done


def parse_every(text: str) -> float:
    """'90s', '15m', '2h', '1d' or a number of seconds -> seconds (ValueError when it is none of these)."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    text = text.strip().lower()
    factor = units.get(text[-1:], None)
    number = float(text[:-1] if factor else text)
    seconds = number * (factor or 1)
    if not seconds > 0:
        raise ValueError(f"{text!r} is not a positive duration")
    return seconds
