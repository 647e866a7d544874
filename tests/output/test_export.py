"""Export: events, timeline and positions as JSON lines, CSV and Parquet."""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

from parley.errors import ConfigurationError
from parley.output.export import TABLES, export, records
from parley.corpus.store import Store
from test_store import STORY, article, result


@pytest.fixture()
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Store(tmp_path / "e.db") as s:
        for r in STORY:
            s.add(result(article(r["id"], r["text"], r["published"], r["title"])))
        yield s


def test_jsonl_keeps_the_events_contract_and_adds_the_timeline_link(store: Store) -> None:
    out = io.StringIO()
    count = export(store, "events", "jsonl", out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == len(rows) == store.event_count()
    for row in rows:
        # EVENTS.md fields stay, with the entry and thread each event belongs to.
        assert {"article", "type", "actor", "target", "amount", "date", "status", "evidence"} <= set(row)
        assert row["entry"].startswith("T") and row["thread"]


def test_csv_rows_are_flat(store: Store) -> None:
    out = io.StringIO()
    export(store, "timeline", "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    offer = next(r for r in rows if r["type"] == "offer")
    assert offer["source_count"] == "2" and offer["articles"] == "a1 | a2"
    assert offer["amount_change_percent"] == "10.0"


def test_parquet_reads_back_with_pandas(store: Store, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    for table in TABLES:
        path = tmp_path / f"{table}.parquet"
        count = export(store, table, "parquet", path)
        frame = pd.read_parquet(path)
        assert len(frame) == count == len(records(store, table, flat=True))
    positions = pd.read_parquet(tmp_path / "positions.parquet")
    assert {"party", "kind", "value", "currency", "normalised", "unit"} <= set(positions.columns)


def test_parquet_without_pyarrow_says_what_to_install(store: Store, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ConfigurationError, match="pip install"):
        export(store, "events", "parquet", tmp_path / "x.parquet")


def test_unknown_table_or_format(store: Store) -> None:
    with pytest.raises(ConfigurationError):
        export(store, "rumours", "jsonl", io.StringIO())
    with pytest.raises(ConfigurationError):
        export(store, "events", "xlsx", io.StringIO())


def test_thread_filter(store: Store) -> None:
    rows = records(store, "events", thread="gen-syl")
    assert rows and {r["thread"] for r in rows} == {"gen-syl"}
