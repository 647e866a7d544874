"""Parquet exports are typed (dates, UTC times, float amounts, lists), as docs/EXPORTS.md says;
pandas reads them and DuckDB queries them, and the store beside them."""
from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest

from parley.corpus.store import Store
from parley.output.export import COLUMNS, TABLES, export
from test_store import STORY, article, result

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
duckdb = pytest.importorskip("duckdb")

DOCS = Path(__file__).resolve().parents[2] / "docs" / "EXPORTS.md"


@pytest.fixture()
def exported(tmp_path: Path) -> Path:
    with Store(tmp_path / "e.db") as store:
        for r in STORY:
            store.add(result(article(r["id"], r["text"], r["published"], r["title"])))
        for table in TABLES:
            export(store, table, "parquet", tmp_path / f"{table}.parquet")
    return tmp_path


def test_columns_have_their_types_even_when_empty(exported: Path) -> None:
    events = pq.read_schema(exported / "events.parquet")
    assert events.field("published").type == pa.timestamp("us", tz="UTC")
    assert events.field("date_start").type == pa.date32()
    assert events.field("people").type == pa.list_(pa.string())
    assert events.field("evidence").type == pa.list_(pa.string())
    # No event of the tests' corpus has a round or people: the columns are typed all the same.
    assert events.field("round").type == pa.int64()
    assert events.field("amount_base_value").type == pa.float64()
    timeline = pq.read_schema(exported / "timeline.parquet")
    assert timeline.field("placed").type == pa.date32() and timeline.field("articles").type == pa.list_(pa.string())
    positions = pq.read_schema(exported / "positions.parquet")
    assert positions.field("normalised").type == pa.float64() and positions.field("rate_date").type == pa.date32()
    for table in TABLES:
        assert pq.read_schema(exported / f"{table}.parquet").names == [name for name, _ in COLUMNS[table]]


def test_pandas_reads_dates_times_and_lists(exported: Path) -> None:
    events = pd.read_parquet(exported / "events.parquet")
    assert str(events["published"].dtype).startswith("datetime64") and str(events["published"].dt.tz) == "UTC"
    assert events["published"].min() == pd.Timestamp("2020-03-10", tz="UTC")
    met = events[events["type"] == "meet"].iloc[0]
    assert met["date_start"] == dt.date(2020, 3, 14)
    assert list(met["evidence"]) == ["Genovia met Sylvania on 2020-03-14 about fishing quotas."]
    timeline = pd.read_parquet(exported / "timeline.parquet")
    offer = timeline[timeline["type"] == "offer"].iloc[0]
    assert list(offer["articles"]) == ["a1", "a2"] and offer["amount_change_percent"] == 10.0


def test_duckdb_queries_the_exports_and_the_store(exported: Path) -> None:
    events = str(exported / "events.parquet")
    con = duckdb.connect()

    def query(sql: str) -> list[tuple]:
        return con.execute(sql).fetchall()  # every row fetched: the connection is free for the next
    by_type = dict(query(f"SELECT type, count(*) FROM '{events}' GROUP BY type"))
    assert by_type["offer"] == 2 and by_type["reject"] == 1
    # Lists are lists to DuckDB too, and days are DATEs.
    [(sentences,)] = query(f"SELECT sum(len(evidence)) FROM '{events}'")
    assert sentences == len(query(f"SELECT * FROM '{events}'"))
    [(day,)] = query(f"SELECT min(date_start) FROM '{events}' WHERE type = 'meet'")
    assert day == dt.date(2020, 3, 14)
    # The store: DuckDB's sqlite extension would be downloaded, so here DuckDB reads it through
    # pandas (docs/EXPORTS.md shows both ways).
    store = sqlite3.connect(exported / "e.db")
    store_events = pd.read_sql("SELECT e.type, a.published_day FROM events e JOIN articles a ON a.id = e.article_id",
                               store)
    store.close()
    con.register("store_events", store_events)
    [(joined,)] = query(f"SELECT count(*) FROM store_events s JOIN '{events}' p ON p.type = s.type")
    assert joined > 0
    assert dict(query("SELECT type, count(*) FROM store_events GROUP BY type")) == by_type


def test_the_schema_is_written_down(exported: Path) -> None:
    doc = DOCS.read_text(encoding="utf-8")
    for table, columns in COLUMNS.items():
        section = doc.split(f"### `{table}`", 1)[1].split("###", 1)[0]
        for name, kind in columns:
            assert re.search(rf"^\| `{name}` \| {kind} \|", section, re.MULTILINE), (table, name)
