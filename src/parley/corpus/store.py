"""Storage: the corpus kept between runs in one SQLite file, no server.

The schema is documented in ``docs/STORE.md``; `MIGRATIONS` brings any older
store up to date (``PRAGMA user_version`` counts the migrations applied).

Every article is written in its own transaction together with its events,
evidence, people and figures, in WAL mode: a run killed half-way leaves a
store that opens, holds only whole articles, and that the next `ingest`
completes. An article is identified by its id; its content hash decides
whether it must be extracted again, so re-ingesting the same articles
changes nothing.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator

from parley.analysis.amounts import find_amounts
from parley.analysis.gazetteer import state_name
from parley.corpus.corrections import Correction, apply_corrections, keyed, to_json
from parley.errors import StoreError, UsageError
from parley.records import Amount, Article, Change, DateSpan, Event, Evidence
from parley.results import ArticleResult

DEFAULT_DB = "parley.db"

# Each entry is one migration; never edit one that has shipped, append a new one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE articles (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL,
        extractor TEXT,
        title TEXT, source TEXT, author TEXT,
        published TEXT, published_day TEXT,
        url TEXT, language TEXT, path TEXT, line INTEGER,
        body TEXT NOT NULL DEFAULT '[]',
        metadata TEXT NOT NULL DEFAULT '{}',
        text TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_hash ON articles(content_hash);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        type TEXT NOT NULL, actor TEXT, target TEXT, status TEXT NOT NULL,
        amount_value REAL, amount_currency TEXT, amount_period TEXT, amount_usd REAL,
        date_start TEXT, date_end TEXT, date_text TEXT, round INTEGER,
        amount TEXT,
        record TEXT NOT NULL,
        UNIQUE (article_id, seq)
    );
    CREATE INDEX events_parties ON events(type, actor, target);
    CREATE TABLE evidence (
        id INTEGER PRIMARY KEY,
        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        article_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        text TEXT NOT NULL, start INTEGER, "end" INTEGER
    );
    CREATE INDEX evidence_event ON evidence(event_id);
    CREATE TABLE parties (code TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL);
    CREATE TABLE people (name TEXT PRIMARY KEY, role TEXT, party TEXT);
    CREATE TABLE event_people (
        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        person TEXT NOT NULL,
        PRIMARY KEY (event_id, person)
    );
    CREATE INDEX event_people_person ON event_people(person);
    CREATE TABLE figures (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        event_id INTEGER REFERENCES events(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        value REAL, currency TEXT, period TEXT, text TEXT, start INTEGER, "end" INTEGER,
        equivalent_value REAL, equivalent_currency TEXT, equivalent_text TEXT,
        implied_rate REAL
    );
    CREATE INDEX figures_value ON figures(currency, value);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT,
        extractor TEXT, added INTEGER DEFAULT 0, updated INTEGER DEFAULT 0,
        unchanged INTEGER DEFAULT 0, skipped INTEGER DEFAULT 0
    );
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='rowid');
    CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
    END;
    CREATE VIRTUAL TABLE evidence_fts USING fts5(text, content='evidence', content_rowid='id');
    CREATE TRIGGER evidence_fts_ai AFTER INSERT ON evidence BEGIN
        INSERT INTO evidence_fts(rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER evidence_fts_ad AFTER DELETE ON evidence BEGIN
        INSERT INTO evidence_fts(evidence_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    """,
    # 2: wire copies. A copy keeps its own row (outlet, date, text) and no events of
    # its own: it is one more source of its story's events.
    """
    ALTER TABLE articles ADD COLUMN copy_of TEXT;
    CREATE INDEX articles_copy_of ON articles(copy_of);
    """,
    # 3: dates inferred from the other articles (corpus/dating.py) for articles that give
    # none. `published` stays as read (NULL), so the content hash still decides re-extraction.
    """
    ALTER TABLE articles ADD COLUMN inferred_published TEXT;
    ALTER TABLE articles ADD COLUMN inferred_earliest TEXT;
    ALTER TABLE articles ADD COLUMN inferred_latest TEXT;
    ALTER TABLE articles ADD COLUMN inferred_reason TEXT;
    """,
    # 4: corrections (corpus/corrections.py). Tied to an article's text and an evidence span,
    # not to events' row ids, and without a foreign key: they outlive re-extraction.
    """
    CREATE TABLE corrections (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        event_key TEXT,
        article_id TEXT,
        span_start INTEGER, span_end INTEGER, quote TEXT,
        event_type TEXT,
        changes TEXT NOT NULL DEFAULT '{}',
        previous TEXT NOT NULL DEFAULT '{}',
        made_at TEXT NOT NULL,
        note TEXT
    );
    CREATE INDEX corrections_event ON corrections(event_key);
    CREATE INDEX corrections_article ON corrections(article_id);
    """,
    # 5: search finds "rejecting" where the text says "rejected": both full-text indexes
    # rebuilt with the porter stemmer. And pages fetched by URL keep their retrieval time.
    """
    DROP TRIGGER articles_fts_ai;
    DROP TRIGGER articles_fts_ad;
    DROP TABLE articles_fts;
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='rowid', tokenize='porter unicode61');
    CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
    END;
    INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
    DROP TRIGGER evidence_fts_ai;
    DROP TRIGGER evidence_fts_ad;
    DROP TABLE evidence_fts;
    CREATE VIRTUAL TABLE evidence_fts USING fts5(
        text, content='evidence', content_rowid='id', tokenize='porter unicode61');
    CREATE TRIGGER evidence_fts_ai AFTER INSERT ON evidence BEGIN
        INSERT INTO evidence_fts(rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER evidence_fts_ad AFTER DELETE ON evidence BEGIN
        INSERT INTO evidence_fts(evidence_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    INSERT INTO evidence_fts(evidence_fts) VALUES ('rebuild');
    ALTER TABLE articles ADD COLUMN retrieved_at TEXT;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class StoredEvent:
    """An event as kept in the store: the per-article record with its context."""

    id: int
    event: Event
    published: dt.datetime | None
    source: str | None
    title: str | None
    copy_of: str | None = None  # the article this one is a wire copy of
    dated_by: str | None = None  # why `published` is inferred; None when the article gives it
    key: str = ""  # the stable id (corrections.event_key): the same after re-extraction

    @property
    def article(self) -> str:
        return self.event.article

    @property
    def story(self) -> str:
        """The story this report belongs to: copies of one wire story are one story."""
        return self.copy_of or self.event.article

    @property
    def published_day(self) -> dt.date | None:
        return self.published.date() if self.published else None


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "article" or "evidence"
    article: str
    title: str | None
    published: dt.datetime | None
    snippet: str  # the matching words between HIGHLIGHT marks
    event_id: int | None = None
    rank: float = 0.0  # FTS5's bm25: lower is a better match

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "article": self.article, "title": self.title,
                "published": self.published.isoformat() if self.published else None,
                "snippet": self.snippet, "event_id": self.event_id, "rank": round(self.rank, 4)}


HIGHLIGHT = ("«", "»")  # around the matching words of a SearchHit's snippet


def fts_query(text: str) -> str:
    """Any user text as an FTS5 query that means "all these words": each word quoted, so
    that "ver.di", "U.S.-Korea" or a stray quote are words to find, never syntax."""
    words = text.split()
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


@dataclass(frozen=True)
class IngestSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # unreadable inputs
    copies: int = 0  # of the stored articles, wire copies of a story already stored
    extracted: tuple[str, ...] = ()  # ids of the articles added or updated with their events (copies not)

    @property
    def stored(self) -> int:
        return self.added + self.updated


@dataclass(frozen=True)
class PersonRecord:
    name: str
    role: str | None
    party: str | None
    events: int


def content_hash(article: Article) -> str:
    """What decides that an article is unchanged: its text and given metadata."""
    payload = json.dumps([article.text, article.title, article.source, article.author,
                          article.published.isoformat() if article.published else None,
                          article.url], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def amount_to_json(amount: Amount | None) -> str | None:
    """The whole Amount tree (equivalents of bases included), unlike as_dict."""
    if amount is None:
        return None
    return json.dumps(dataclasses.asdict(amount), default=_jsonable, ensure_ascii=False)


def amount_from_dict(d: dict[str, Any] | None) -> Amount | None:
    if not d:
        return None
    change = d.get("change")
    day = d.get("usd_rate_date")
    return Amount(
        value=d.get("value"), currency=d.get("currency"), period=d.get("period"),
        change=Change(percent=change.get("percent"), factor=change.get("factor"),
                      base=amount_from_dict(change.get("base"))) if change else None,
        usd=d.get("usd"), usd_rate_date=dt.date.fromisoformat(day[:10]) if day else None,
        text=d.get("text") or "", start=d.get("start", -1), end=d.get("end", -1),
        approximate=bool(d.get("approximate")),
        equivalent=amount_from_dict(d.get("equivalent")), implied_rate=d.get("implied_rate"),
        previous=amount_from_dict(d.get("previous")))


def _figures(amount: Amount | None, role: str = "amount") -> Iterator[tuple[str, Amount]]:
    """Every money figure inside an amount: itself, its base, its previous value."""
    if amount is None:
        return
    if amount.value is not None and amount.currency:
        yield role, amount
    if amount.change is not None and amount.change.base is not None:
        yield from _figures(amount.change.base, "base")
    if amount.previous is not None:
        yield from _figures(amount.previous, "previous")


class Store:
    """A parley corpus in one SQLite file. Use as a context manager or call close()."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, create: bool = True):
        self.path = Path(path)
        if not create and str(path) != ":memory:" and not self.path.exists():
            raise StoreError(f"no store at {self.path}: run `parley ingest PATH...` first "
                             "(or choose one with --db)")
        if not create and str(path) != ":memory:" and not os.access(self.path.resolve().parent, os.W_OK):
            self._open_read_only()
            return
        try:
            self.db = sqlite3.connect(str(path), isolation_level=None, timeout=30)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a usable parley store ({exc}); "
                             "choose another file with --db") from exc

    def _open_read_only(self) -> None:
        """A store in a folder we cannot write (a shared, read-only copy): the read commands
        open it without the WAL index files SQLite would otherwise create beside it."""
        wal = self.path.with_name(self.path.name + "-wal")
        # immutable: nothing can change it under us (we cannot write the folder, so no WAL
        # of ours); a WAL left by a killed ingest holds data only a writable open can read.
        mode = "mode=ro" if wal.exists() and wal.stat().st_size else "immutable=1"
        try:
            self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?{mode}", uri=True,
                                      isolation_level=None, timeout=30)
            self.db.row_factory = sqlite3.Row
            current = self.version
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} cannot be read from this read-only folder ({exc}); "
                             "copy it somewhere writable or run `parley ingest` on it first") from exc
        if current != SCHEMA_VERSION:
            self.db.close()
            raise StoreError(f"{self.path} has schema {current}, this parley reads {SCHEMA_VERSION}; "
                             "its folder is read-only, so it cannot be brought up to date here")

    # -- life cycle -------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @property
    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        current = self.version
        if current > SCHEMA_VERSION:
            raise StoreError(f"{self.path} was written by a newer parley (schema {current}, "
                             f"this one knows {SCHEMA_VERSION}); upgrade parley")
        for number in range(current, SCHEMA_VERSION):
            # Each migration in its own write transaction that bumps user_version. The
            # version is read again once the write lock is held: another ingest starting
            # on the same new store may have applied this migration while we waited.
            self.db.execute("BEGIN IMMEDIATE")
            try:
                if self.version <= number:
                    for statement in _statements(MIGRATIONS[number]):
                        self.db.execute(statement)
                    self.db.execute(f"PRAGMA user_version = {number + 1}")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def integrity_ok(self) -> bool:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # -- writing ----------------------------------------------------------
    def stored_hash(self, article_id: str) -> tuple[str, str | None] | None:
        row = self.db.execute("SELECT content_hash, extractor FROM articles WHERE id = ?",
                              (article_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def needs_extraction(self, article: Article, extractor: str | None = None) -> bool:
        stored = self.stored_hash(article.id)
        if stored is None:
            return True
        digest, by = stored
        return digest != content_hash(article) or (extractor is not None and by != extractor)

    def add(self, result: ArticleResult, extractor: str | None = None, copy_of: str | None = None) -> str:
        """Store one article and its events in one transaction: 'added', 'updated' or 'unchanged'.
        A wire copy (`copy_of` its story's first article) is stored without events of its own."""
        article = result.article
        digest = content_hash(article)
        stored = self.stored_hash(article.id)
        if stored is not None and stored[0] == digest and (extractor is None or stored[1] == extractor):
            return "unchanged"
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                # Read again under the write lock: another ingest on this store may have
                # stored the article since (cron runs overlapping on the same inputs).
                stored = self.stored_hash(article.id)
                if stored is not None and stored[0] == digest and (extractor is None or stored[1] == extractor):
                    self.db.execute("COMMIT")
                    return "unchanged"
                if stored is not None:
                    self.db.execute("DELETE FROM articles WHERE id = ?", (article.id,))
                self._insert(article, digest, extractor, () if copy_of else result.events, copy_of)
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"could not store article {article.id}: {exc}") from exc
        return "updated" if stored is not None else "added"

    def _insert(self, article: Article, digest: str, extractor: str | None,
                events: Iterable[Event], copy_of: str | None = None) -> None:
        db = self.db
        db.execute(
            "INSERT INTO articles (id, content_hash, extractor, title, source, author, published,"
            " published_day, url, language, path, line, body, metadata, text, ingested_at, copy_of,"
            " retrieved_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (article.id, digest, extractor, article.title, article.source, article.author,
             article.published.isoformat() if article.published else None,
             article.published_day.isoformat() if article.published_day else None,
             article.url, article.language, article.path, article.line,
             json.dumps([list(r) for r in article.body]),
             json.dumps(article.metadata, default=str, ensure_ascii=False), article.text,
             _now(), copy_of, article.metadata.get("retrieved")))
        self._insert_events(article, events)
        self._insert_mentions(article)

    def _insert_events(self, article: Article, events: Iterable[Event]) -> None:
        db = self.db
        for seq, event in enumerate(events):
            amount = event.amount
            date = event.date
            cur = db.execute(
                "INSERT INTO events (article_id, seq, type, actor, target, status, amount_value,"
                " amount_currency, amount_period, amount_usd, date_start, date_end, date_text,"
                " round, amount, record) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (article.id, seq, event.type, event.actor, event.target, event.status,
                 amount.value if amount else None, amount.currency if amount else None,
                 amount.period if amount else None, amount.usd if amount else None,
                 date.start.isoformat() if date and date.start else None,
                 date.end.isoformat() if date and date.end else None,
                 date.text if date else None, event.round, amount_to_json(amount),
                 json.dumps(event.as_dict(), default=_jsonable, ensure_ascii=False)))
            event_id = cur.lastrowid
            db.executemany(
                'INSERT INTO evidence (event_id, article_id, seq, text, start, "end") VALUES (?,?,?,?,?,?)',
                [(event_id, article.id, i, e.text, e.start, e.end) for i, e in enumerate(event.evidence)])
            for person in dict.fromkeys(event.people):
                db.execute("INSERT OR IGNORE INTO people (name) VALUES (?)", (person,))
                db.execute("INSERT OR IGNORE INTO event_people (event_id, person) VALUES (?,?)",
                           (event_id, person))
            for role, figure in _figures(amount):
                eq = figure.equivalent
                db.execute(
                    'INSERT INTO figures (article_id, event_id, role, value, currency, period, text,'
                    ' start, "end", equivalent_value, equivalent_currency, equivalent_text,'
                    ' implied_rate) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
                    (article.id, event_id, role, figure.value, figure.currency, figure.period,
                     figure.text, figure.start, figure.end, eq.value if eq else None,
                     eq.currency if eq else None, eq.text if eq else None, figure.implied_rate))
            for code in (event.actor, event.target):
                if code:
                    db.execute("INSERT OR IGNORE INTO parties (code, name, kind) VALUES (?,?,?)",
                               (code, party_name(code), "state" if _is_state(code) else "organisation"))

    def _insert_mentions(self, article: Article, day: dt.date | None = None) -> None:
        """Every money figure in the body, event or not: discrepancies compare them all."""
        text = article.body_text()
        rows = []
        for amount in find_amounts(text, day or article.published_day):
            for role, figure in _figures(amount, "mention"):
                eq = figure.equivalent
                rows.append((article.id, role if role != "amount" else "mention", figure.value,
                             figure.currency, figure.period, figure.text, figure.start, figure.end,
                             eq.value if eq else None, eq.currency if eq else None,
                             eq.text if eq else None, figure.implied_rate))
        self.db.executemany(
            'INSERT INTO figures (article_id, role, value, currency, period, text, start, "end",'
            ' equivalent_value, equivalent_currency, equivalent_text, implied_rate)'
            ' VALUES (?,?,?,?,?,?,?,?,?,?,?,?)', rows)

    def undated_articles(self) -> list[tuple[str, dict[str, Any], str | None, str | None]]:
        """The stories that give no publication date: (id, metadata, the date inferred so far
        and why)."""
        return [(r["id"], json.loads(r["metadata"]), r["inferred_published"], r["inferred_reason"])
                for r in self.db.execute(
            "SELECT id, metadata, inferred_published, inferred_reason FROM articles"
            " WHERE published IS NULL AND copy_of IS NULL ORDER BY rowid")]

    def set_inferred_date(self, result: ArticleResult, day: dt.date | None,
                          window: tuple[dt.date, dt.date] | None = None, reason: str | None = None) -> None:
        """Keep the date inferred for an undated article (None: no longer inferred) with the
        events extracted against it, in one transaction. The article row, its text and its
        content hash stay as read; its rowid too, so its place in ingest order is kept."""
        article = result.article
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                self.db.execute("DELETE FROM events WHERE article_id = ?", (article.id,))
                self.db.execute("DELETE FROM figures WHERE article_id = ?", (article.id,))
                self.db.execute(
                    "UPDATE articles SET inferred_published = ?, inferred_earliest = ?,"
                    " inferred_latest = ?, inferred_reason = ? WHERE id = ?",
                    (day.isoformat() if day else None, window[0].isoformat() if window else None,
                     window[1].isoformat() if window else None, reason, article.id))
                self._insert_events(article, result.events)
                self._insert_mentions(article, day)
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"could not store the inferred date of {article.id}: {exc}") from exc

    # -- reading ----------------------------------------------------------
    def article_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def event_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM events").fetchone()[0])

    def article(self, article_id: str) -> Article:
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise StoreError(f"no article {article_id!r} in {self.path}")
        return _article(row)

    def articles(self) -> Iterator[Article]:
        for row in self.db.execute("SELECT * FROM articles ORDER BY rowid"):
            yield _article(row)

    def events(self, corrected: bool = True, rejected: bool = False) -> list[StoredEvent]:
        """Every per-article event, in ingest order, with the evidence it was stored with.

        With `corrected` (the default) the corrections are applied (corpus/corrections.py):
        edited values, merged parties, added events after their article's; rejected
        events are left out unless `rejected`. Each carries its stable id (`key`)."""
        evidence: dict[int, list[Evidence]] = {}
        for row in self.db.execute('SELECT event_id, text, start, "end" FROM evidence ORDER BY event_id, seq'):
            evidence.setdefault(row[0], []).append(Evidence(row[1], row[2], row[3]))
        copies: dict[str, list[sqlite3.Row]] = {}
        for row in self.db.execute("SELECT id, copy_of, coalesce(published, inferred_published) AS published,"
                                   " inferred_reason, source, title FROM articles"
                                   " WHERE copy_of IS NOT NULL ORDER BY rowid"):
            copies.setdefault(row["copy_of"], []).append(row)
        rows = self.db.execute(
            "SELECT e.id, e.article_id, e.record, e.amount, coalesce(a.published, a.inferred_published)"
            " AS published, a.inferred_reason AS dated_by, a.source, a.title FROM events e"
            " JOIN articles a ON a.id = e.article_id ORDER BY a.rowid, e.seq")
        by_article: dict[str, list[tuple[int, Event]]] = {}
        context: dict[str, tuple[dt.datetime | None, str | None, str | None]] = {}
        for row in rows:
            record = json.loads(row["record"])
            event = Event.from_dict(record)
            full_amount = amount_from_dict(json.loads(row["amount"])) if row["amount"] else None
            date = event.date
            if date is None and record.get("date_text"):
                date = DateSpan(None, None, record["date_text"])
            event = dataclasses.replace(event, amount=full_amount or event.amount, date=date,
                                        evidence=tuple(evidence.get(row["id"], event.evidence)))
            by_article.setdefault(row["article_id"], []).append((row["id"], event))
            context[row["article_id"]] = (_datetime(row["published"]), row["source"], row["title"],
                                          row["dated_by"])
        corrections = self.corrections() if corrected else []
        parties = [c for c in corrections if c.kind in ("merge", "unmerge")]
        of_article: dict[str, list[Correction]] = {}
        for c in corrections:
            if c.article:
                of_article.setdefault(c.article, []).append(c)
        added = {c.article for c in corrections if c.kind == "add" and c.article}
        for article_id in added - set(by_article):
            row = self.db.execute("SELECT coalesce(published, inferred_published) AS published,"
                                  " inferred_reason, source, title FROM articles WHERE id = ?",
                                  (article_id,)).fetchone()
            if row is not None:
                by_article[article_id] = []
                context[article_id] = (_datetime(row["published"]), row["source"], row["title"],
                                       row["inferred_reason"])
        out = []
        for article_id, items in by_article.items():
            ids = {id(event): row_id for row_id, event in items}
            pairs = keyed(event for _, event in items)
            if corrected:
                mine = of_article.get(article_id, []) + parties
                results = apply_corrections(pairs, mine, self._anchored) if mine else \
                    [(key, dataclasses.replace(event, extra={**event.extra, "id": key, "corrected": False}), None)
                     for key, event in pairs]
            else:
                results = [(key, event, None) for key, event in pairs]
            originals = {key: ids[id(event)] for key, event in pairs}
            published, source, title, dated_by = context[article_id]
            for key, event, added_by in results:
                if event.extra.get("rejected") and not rejected:
                    continue
                # An added event has no events row: it goes by its correction's id, negated.
                row_id = originals.get(key, -(added_by or 0))
                out.append(StoredEvent(id=row_id, event=event, published=published, source=source,
                                       title=title, key=key, dated_by=dated_by))
                for copy in copies.get(article_id, ()):
                    # Each copy of the story reports the same events, under its own outlet and date.
                    out.append(StoredEvent(id=row_id, event=dataclasses.replace(event, article=copy["id"]),
                                           published=_datetime(copy["published"]), source=copy["source"],
                                           title=copy["title"], copy_of=article_id, key=key,
                                           dated_by=copy["inferred_reason"]))
        return out

    def _anchored(self, article: str, start: int, end: int, quote: str) -> bool:
        """An added event stands while its span still holds its quote in the article's text."""
        row = self.db.execute("SELECT substr(text, ?, ?) FROM articles WHERE id = ?",
                              (start + 1, end - start, article)).fetchone()
        return row is not None and row[0] == quote

    # -- corrections --------------------------------------------------------
    def corrections(self) -> list[Correction]:
        """Every correction, oldest first (corpus/corrections.py)."""
        return [Correction(id=r["id"], kind=r["kind"], event=r["event_key"], article=r["article_id"],
                           start=r["span_start"], end=r["span_end"], quote=r["quote"],
                           original_type=r["event_type"], changes=json.loads(r["changes"]),
                           previous=json.loads(r["previous"]), made=r["made_at"], note=r["note"])
                for r in self.db.execute("SELECT * FROM corrections ORDER BY id")]

    def record_correction(self, kind: str, key: str, event: Event, changes: dict[str, Any],
                          previous: dict[str, Any], note: str | None = None) -> Correction:
        """Append one correction of one event, tied to its article and first evidence span."""
        first = event.evidence[0] if event.evidence else None
        return self._record(kind, key, event.article, first, event.type, changes, previous, note)

    def record_party_correction(self, kind: str, changes: dict[str, Any], note: str | None = None) -> Correction:
        return self._record(kind, None, None, None, None, changes, {}, note)

    def _record(self, kind: str, key: str | None, article: str | None, first: Evidence | None,
                event_type: str | None, changes: dict[str, Any], previous: dict[str, Any],
                note: str | None) -> Correction:
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                cur = self.db.execute(
                    "INSERT INTO corrections (kind, event_key, article_id, span_start, span_end, quote,"
                    " event_type, changes, previous, made_at, note) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (kind, key, article, first.start if first else None, first.end if first else None,
                     first.text if first else None, event_type, to_json(changes), to_json(previous),
                     _now(), note))
                for name in ("actor", "target", "into"):
                    code = changes.get(name)
                    if isinstance(code, str) and code:
                        self.db.execute("INSERT OR IGNORE INTO parties (code, name, kind) VALUES (?,?,?)",
                                        (code, party_name(code), "state" if _is_state(code) else "organisation"))
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"could not record the correction in {self.path}: {exc}") from exc
        row_id = int(cur.lastrowid or 0)
        return next(c for c in self.corrections() if c.id == row_id)

    def article_events(self, article_id: str) -> list[Event]:
        """The events stored for one article, in order (a wire copy has none of its own)."""
        return [Event.from_dict(json.loads(row[0])) for row in self.db.execute(
            "SELECT record FROM events WHERE article_id = ? ORDER BY seq", (article_id,))]

    def people(self) -> list[PersonRecord]:
        rows = self.db.execute(
            "SELECT p.name, p.role, p.party, count(ep.event_id) FROM people p"
            " LEFT JOIN event_people ep ON ep.person = p.name GROUP BY p.name ORDER BY p.name")
        return [PersonRecord(r[0], r[1], r[2], r[3]) for r in rows]

    def parties(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.db.execute("SELECT code, name FROM parties")}

    def figure_rows(self) -> list[sqlite3.Row]:
        return list(self.db.execute(
            "SELECT f.*, a.published_day, a.source FROM figures f JOIN articles a ON a.id = f.article_id"
            " ORDER BY a.rowid, f.id"))

    def search(self, query: str, limit: int = 20, advanced: bool = False) -> list[SearchHit]:
        """Articles, then evidence sentences, matching every word of `query`, each kind best
        first (bm25), the matching words marked with HIGHLIGHT. Words are stemmed ("rejecting" finds
        "rejected"). `advanced` takes FTS5 syntax as it is: "a phrase", OR, NOT, prefix*.

        One evidence sentence stored for several events (or by several extractions of the
        same article) is one hit."""
        match = query if advanced else fts_query(query)
        if not match:
            return []
        opening, closing = HIGHLIGHT
        try:
            hits = [SearchHit("article", r["id"], r["title"], _datetime(r["published"]), r["snip"],
                              rank=r["rank"])
                    for r in self.db.execute(
                        "SELECT a.id, a.title, a.published, articles_fts.rank AS rank,"
                        " snippet(articles_fts, 1, ?, ?, '…', 16) AS snip"
                        " FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
                        " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
                        (opening, closing, match, limit))]
            seen: set[tuple[str, str]] = set()
            evidence = []
            # More rows than `limit` are read: the duplicates dropped below must not cut the list short.
            for r in self.db.execute(
                    "SELECT ev.article_id, ev.event_id, a.title, a.published, evidence_fts.rank AS rank,"
                    " snippet(evidence_fts, 0, ?, ?, '…', 24) AS snip"
                    " FROM evidence_fts JOIN evidence ev ON ev.id = evidence_fts.rowid"
                    " JOIN articles a ON a.id = ev.article_id"
                    " WHERE evidence_fts MATCH ? ORDER BY rank, ev.event_id LIMIT ?",
                    (opening, closing, match, limit * 4)):
                key = (r["article_id"], r["snip"])
                if key in seen or len(evidence) >= limit:
                    continue
                seen.add(key)
                evidence.append(SearchHit("evidence", r["article_id"], r["title"], _datetime(r["published"]),
                                          r["snip"], r["event_id"], rank=r["rank"]))
        except sqlite3.OperationalError as exc:
            hint = "check the FTS5 syntax, or leave --advanced out" if advanced else "try other words"
            raise StoreError(f"cannot search for {query!r}: {exc}; {hint}") from exc
        # bm25 scores of the two indexes are not on one scale: each kind is ranked on its own.
        return hits + evidence

    def matching(self, query: str) -> tuple[set[int], set[str]]:
        """Every match of a full-text query, without snippets or limit: (the event ids whose
        evidence matches, the ids of the articles whose title or text matches)."""
        try:
            events = {r[0] for r in self.db.execute(
                "SELECT ev.event_id FROM evidence_fts JOIN evidence ev ON ev.id = evidence_fts.rowid"
                " WHERE evidence_fts MATCH ?", (query,))}
            articles = {r[0] for r in self.db.execute(
                "SELECT a.id FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
                " WHERE articles_fts MATCH ?", (query,))}
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot search for {query!r}: {exc}; put phrases in double quotes") from exc
        return events, articles

    # -- runs ---------------------------------------------------------------
    def start_run(self, extractor: str | None) -> int:
        cur = self.db.execute("INSERT INTO runs (started, extractor) VALUES (?, ?)",
                              (_now(), extractor))
        return int(cur.lastrowid or 0)

    def finish_run(self, run: int, summary: IngestSummary) -> None:
        self.db.execute("UPDATE runs SET finished=?, added=?, updated=?, unchanged=?, skipped=?"
                        " WHERE id=?", (_now(), summary.added, summary.updated, summary.unchanged,
                                        summary.skipped, run))

    def set_person(self, name: str, role: str | None, party: str | None) -> None:
        self.db.execute("UPDATE people SET role = coalesce(?, role), party = coalesce(?, party)"
                        " WHERE name = ?", (role, party, name))


def _statements(script: str) -> Iterator[str]:
    """The SQL statements of a migration one by one (executescript would commit the
    transaction they must run in); a trigger's body is kept whole."""
    statement = ""
    for part in script.split(";"):
        statement += part + ";"
        if sqlite3.complete_statement(statement):
            if statement.strip(" \n;"):
                yield statement.strip()
            statement = ""
    if statement.strip(" \n;"):
        raise StoreError(f"incomplete SQL in a migration: {statement.strip()[:80]}")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _datetime(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _article(row: sqlite3.Row) -> Article:
    return Article(id=row["id"], text=row["text"], title=row["title"], source=row["source"],
                   author=row["author"], published=_datetime(row["published"]), url=row["url"],
                   language=row["language"],
                   body=tuple(tuple(r) for r in json.loads(row["body"])),  # type: ignore[misc]
                   path=row["path"], line=row["line"], metadata=json.loads(row["metadata"]))


def _is_state(code: str) -> bool:
    return len(code) == 3 and code.isalpha() and code.isupper()


_COUNTRY_NAMES: dict[str, str] | None = None


def party_name(code: str) -> str:
    """A readable name for a party code: the country's name for a state, else the slug spelled out."""
    global _COUNTRY_NAMES
    if _is_state(code):
        try:
            name = state_name(code)
            if name:
                return name
        except LookupError:
            pass
        if _COUNTRY_NAMES is None:
            _COUNTRY_NAMES = _load_country_names()
        return _COUNTRY_NAMES.get(code, code)
    return code.replace("-", " ").title()


def _load_country_names() -> dict[str, str]:
    # The actor stage ships the country table; read it if it is there, else codes stand.
    names: dict[str, str] = {}
    try:
        folder = resources.files("parley") / "resources"
        for entry in folder.iterdir():
            if entry.name.startswith("countr") and entry.name.endswith(".tsv"):
                for line in entry.read_text(encoding="utf-8").splitlines():
                    cells = line.split("\t")
                    if len(cells) >= 2 and _is_state(cells[0]) and cells[0] not in names:
                        names[cells[0]] = cells[1]
    except (OSError, ValueError):
        pass
    return names


def open_store(path: str | Path = DEFAULT_DB, *, create: bool = False) -> Store:
    """Open an existing store (the read commands) or create one (ingest)."""
    if str(path) == "":
        raise UsageError("--db needs a file name")
    return Store(path, create=create)
