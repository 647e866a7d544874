"""The store: schema, idempotent ingest, crash safety, full-text search.

The helpers at the top (a fake extractor over sentences written for these
tests, a corpus writer) are shared by the other corpus test files.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parley.errors import StoreError
from parley.extract.registry import ExtractorBase, register
from parley.records import Amount, Article, Change, DateSpan, Event, Evidence
from parley.results import ArticleResult, ExtractOptions
from parley.corpus.ingest import ingest
from parley.corpus.store import MIGRATIONS, SCHEMA_VERSION, Store, amount_from_dict, amount_to_json

SRC = Path(__file__).resolve().parents[2] / "src"
PARTIES = {"Freedonia": "FRE", "Sylvania": "SYL", "Genovia": "GEN"}
VERBS = {"offered": "offer", "demanded": "demand", "rejected": "reject", "agreed": "agree",
         "met": "meet", "accepted": "accept"}
SENTENCE = re.compile(r"[^.]+(?:\.\d[^.]*)*\.")
FAKE = "test.fake"


class FakeExtractor(ExtractorBase):
    """Reads the tests' own sentences: "Freedonia offered Sylvania $5 million a year on 2020-03-02."

    Fast and deterministic, so store tests need no language model.
    """

    name = FAKE

    def __init__(self, delay: float = 0.0):
        self.delay = delay

    def extract(self, article: Article) -> list[Event]:
        from parley.analysis.amounts import find_amounts

        if self.delay:
            time.sleep(self.delay)
        events = []
        for match in SENTENCE.finditer(article.text):
            sentence = match.group(0)
            words = re.findall(r"[A-Za-z]+", sentence)
            parties = [PARTIES[w] for w in words if w in PARTIES]
            verb = next((VERBS[w] for w in words if w in VERBS), None)
            if verb is None or not parties:
                continue
            amounts = [a for a in find_amounts(sentence, article.published_day) if a.is_money or a.change]
            amount = amounts[0] if amounts else None
            if amount is not None:
                amount = _shift(amount, match.start())
            day = re.search(r"\d{4}-\d{2}-\d{2}", sentence)
            date = DateSpan(dt.date.fromisoformat(day.group(0)), dt.date.fromisoformat(day.group(0)),
                            day.group(0)) if day else None
            status = ("denied" if "denied" in words else "reported" if "reportedly" in words
                      else "asserted")
            rnd = re.search(r"round (\d+)", sentence)
            events.append(Event(article=article.id, type=verb, actor=parties[0],
                                target=parties[1] if len(parties) > 1 else None,
                                amount=amount, date=date, status=status,
                                evidence=(Evidence(sentence.strip(), match.start() + len(sentence) - len(sentence.lstrip()),
                                                   match.end()),),
                                round=int(rnd.group(1)) if rnd else None))
        return events


def _shift(amount: Amount, offset: int) -> Amount:
    from parley.records import replace
    return replace(amount, start=amount.start + offset, end=amount.end + offset)


_delay = 0.0


def slow_fake() -> FakeExtractor:
    return FakeExtractor(_delay)


def register_fake(delay: float = 0.0) -> None:
    """Register the fake by name, as a plugin would (`test_store` is importable: tests/ is on the path)."""
    global _delay
    _delay = delay
    register(FAKE, f"{__name__}:slow_fake")


def article(id: str, text: str, published: str | None = "2020-03-10", title: str | None = None) -> Article:
    return Article(id=id, text=text, title=title or f"Talks {id}",
                   published=dt.datetime.fromisoformat(published) if published else None)


def result(a: Article) -> ArticleResult:
    return ArticleResult(a, tuple(FakeExtractor().extract(a)))


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


STORY = [
    {"id": "a1", "published": "2020-03-10", "title": "Freedonia makes an offer",
     "text": "Freedonia offered Sylvania a 10 percent increase over 2 billion yen ($18 million). "
             "Sylvania demanded $5 billion a year."},
    {"id": "a2", "published": "2020-03-12", "title": "Sylvania turns down the offer",
     "text": "Sylvania rejected the 10 percent increase offered by Freedonia. "
             "Freedonia reportedly offered Sylvania a 10 percent increase."},
    {"id": "a3", "published": "2020-03-15", "title": "Genovia and Sylvania meet",
     "text": "Genovia met Sylvania on 2020-03-14 about fishing quotas."},
]


def dump(db: Path) -> list:
    """Everything a store holds except run bookkeeping and times."""
    con = sqlite3.connect(db)
    out = []
    for table in ("articles", "events", "evidence", "people", "event_people", "figures", "parties"):
        cursor = con.execute(f"SELECT * FROM {table} ORDER BY 1, 2")
        names = [d[0] for d in cursor.description]
        rows = [tuple(v for n, v in zip(names, r) if n != "ingested_at") for r in cursor.fetchall()]
        out.append((table, rows))
    con.close()
    return out


# -- tests -------------------------------------------------------------------

def test_new_store_has_the_documented_schema(tmp_path: Path) -> None:
    with Store(tmp_path / "p.db") as store:
        assert store.version == SCHEMA_VERSION == len(MIGRATIONS)
        tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"articles", "events", "evidence", "people", "parties", "figures", "articles_fts",
                "evidence_fts"} <= tables
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    doc = (SRC.parent / "docs" / "STORE.md").read_text(encoding="utf-8")
    for table in ("articles", "events", "evidence", "people", "parties", "figures", "runs"):
        assert f"`{table}`" in doc


def test_add_is_idempotent_and_replaces_changed_articles(tmp_path: Path) -> None:
    a = article("x1", "Freedonia offered Sylvania $5 million a year.")
    with Store(tmp_path / "p.db") as store:
        assert store.add(result(a)) == "added"
        assert store.add(result(a)) == "unchanged"
        assert store.event_count() == 1
        changed = article("x1", "Freedonia offered Sylvania $6 million a year. Sylvania rejected it.")
        assert store.add(result(changed)) == "updated"
        assert store.article_count() == 1
        values = [s.event.amount.value for s in store.events() if s.event.amount]
        assert values == [6e6]


def test_events_come_back_with_evidence_and_the_whole_amount(tmp_path: Path) -> None:
    a = article("x2", "Freedonia offered Sylvania a 13 percent increase over 1.04 trillion won ($850 million).")
    with Store(tmp_path / "p.db") as store:
        store.add(result(a))
        (stored,) = store.events()
    amount = stored.event.amount
    assert amount is not None and amount.change is not None and amount.change.base is not None
    base = amount.change.base
    assert base.value == pytest.approx(1.04e12)
    assert base.equivalent is not None and base.equivalent.value == pytest.approx(850e6)
    assert base.implied_rate == pytest.approx(1.04e12 / 850e6)
    assert stored.event.evidence[0].text == a.text[stored.event.evidence[0].start:stored.event.evidence[0].end]


def test_amount_json_round_trip() -> None:
    amount = Amount(1.0, "USD", "year", change=Change(percent=5.0, base=Amount(2.0, "EUR",
                    equivalent=Amount(3.0, "USD"), implied_rate=0.66)), usd=1.0,
                    usd_rate_date=dt.date(2020, 1, 2), previous=Amount(0.5, "USD"))
    assert amount_from_dict(json.loads(amount_to_json(amount) or "{}")) == amount


def test_search_finds_articles_and_evidence(tmp_path: Path) -> None:
    with Store(tmp_path / "p.db") as store:
        for record in STORY:
            store.add(result(article(record["id"], record["text"], record["published"], record["title"])))
        hits = store.search('"fishing quotas"')
        assert [(h.kind, h.article) for h in hits] == [("article", "a3"), ("evidence", "a3")]
        assert store.search("nothingmatcheshere") == []
        assert store.search('"unbalanced') == []  # any text is a query: quotes are searched for
        with pytest.raises(StoreError):
            store.search('"unbalanced', advanced=True)


def test_a_file_that_is_not_a_store_is_a_store_error(tmp_path: Path) -> None:
    bogus = tmp_path / "not.db"
    bogus.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError):
        Store(bogus)
    with pytest.raises(StoreError):
        Store(tmp_path / "missing.db", create=False)


def test_a_store_from_a_newer_parley_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    Store(path).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_ingest_twice_gives_the_same_store(tmp_path: Path) -> None:
    register_fake()
    corpus = write_jsonl(tmp_path / "c.jsonl", STORY)
    options = ExtractOptions(extractor=FAKE)
    with Store(tmp_path / "p.db") as store:
        first = ingest(store, [corpus], options)
    before = dump(tmp_path / "p.db")
    with Store(tmp_path / "p.db") as store:
        second = ingest(store, [corpus], options)
    assert (first.added, first.unchanged) == (3, 0)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 3)
    assert dump(tmp_path / "p.db") == before
    # A new article is added, the rest stay.
    write_jsonl(corpus, STORY + [{"id": "a4", "published": "2020-04-01",
                                  "text": "Sylvania accepted the offer of Freedonia."}])
    with Store(tmp_path / "p.db") as store:
        third = ingest(store, [corpus], options)
        assert (third.added, third.unchanged) == (1, 3)
        assert store.article_count() == 4


def test_people_get_a_party_and_a_role(tmp_path: Path) -> None:
    a = article("p1", "Foreign Minister Ana Ruiz said Freedonia offered Sylvania $5 million.")
    event = Event("p1", "offer", "FRE", "SYL", people=("Ana Ruiz",),
                  evidence=(Evidence("Foreign Minister Ana Ruiz said Freedonia offered", 0, 49),))
    from parley.corpus.people import assign_people
    with Store(tmp_path / "p.db") as store:
        store.add(ArticleResult(a, (event,)))
        assign_people(store)
        (person,) = store.people()
    assert (person.name, person.role, person.party) == ("Ana Ruiz", "Foreign Minister", "FRE")


KILL_SCRIPT = """
import sys
sys.path.insert(0, {tests!r})
from test_store import register_fake
register_fake(delay=0.004)
from parley.cli import main
main()
"""


def test_a_killed_ingest_leaves_a_store_the_next_ingest_completes(tmp_path: Path) -> None:
    total = 600
    records = [{"id": f"k{i:04d}", "published": "2020-03-10",
                "text": f"Freedonia offered Sylvania ${i + 1} million a year. Sylvania rejected it."}
               for i in range(total)]
    corpus = write_jsonl(tmp_path / "big.jsonl", records)
    db = tmp_path / "k.db"
    script = tmp_path / "run.py"
    script.write_text(KILL_SCRIPT.format(tests=str(Path(__file__).parent)), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, str(script), "ingest", "--jobs", "1", "--db", str(db), "--extractor", FAKE, str(corpus)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stored = 0
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if db.exists():
                try:
                    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
                    stored = con.execute("SELECT count(*) FROM articles").fetchone()[0]
                    con.close()
                except sqlite3.OperationalError:
                    stored = 0  # schema not created yet
                if stored >= 20:
                    break
            time.sleep(0.02)
        assert process.poll() is None, "ingest finished before it could be killed: " + \
            process.stderr.read().decode()[-500:]  # type: ignore[union-attr]
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    with Store(db) as store:
        assert store.integrity_ok()
        partial = store.article_count()
        assert 20 <= partial < total
        # Whole articles only: every stored article has both of its events.
        assert store.event_count() == 2 * partial
    done = subprocess.run(command, env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-500:]
    with Store(db) as store:
        assert store.integrity_ok()
        assert store.article_count() == total
        assert store.event_count() == 2 * total
        last = store.db.execute("SELECT added, unchanged FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        assert (last[0], last[1]) == (total - partial, partial)


# -- the seed corpus through the real pipeline (fixtures seed_db and gold_db: tests/conftest.py) --


@pytest.mark.slow
def test_seed_ingest_is_idempotent_with_the_real_pipeline(shared: Path, seed_db: Path) -> None:
    path = seed_db
    before = dump(path)
    with Store(path) as store:
        again = ingest(store, [shared / "corpus" / "sma-2020"])
        assert store.article_count() == 5 and store.event_count() > 0
    assert (again.added, again.updated, again.unchanged) == (0, 0, 5)
    assert dump(path) == before
