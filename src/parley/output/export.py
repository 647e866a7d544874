"""Export: events, timeline and positions as JSON lines, CSV or Parquet.

So that pandas, DuckDB or a spreadsheet can take over. JSON lines keep the
nested records (evidence lists, amounts); CSV and Parquet get flat rows, one
column per field. Parquet columns are typed (`COLUMNS`, docs/EXPORTS.md): days
are dates, publication times UTC timestamps, amounts floats, counts integers,
and lists (people, evidence, articles) lists of strings; CSV joins lists with
" | " and keeps each cell on one line.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any, Callable, TextIO

from parley.corpus.timeline import TimelineEntry, timeline
from parley.errors import ConfigurationError, OutputError, UsageError
from parley.corpus.positions import positions
from parley.output.safe_output import for_csv_cell
from parley.corpus.store import Store
from parley.corpus.threads import select

TABLES = ("events", "timeline", "positions")
FORMATS = ("jsonl", "csv", "parquet")

_AMOUNT_COLUMNS = [("amount_value", "float"), ("amount_currency", "string"), ("amount_period", "string"),
                   ("amount_usd", "float"), ("amount_change_percent", "float"),
                   ("amount_change_factor", "float"), ("amount_base_value", "float"),
                   ("amount_base_currency", "string")]
# The flat columns of each table and their types in Parquet (docs/EXPORTS.md lists them):
# string, float (float64), int (int64), bool, date (date32), timestamp (UTC, microseconds),
# strings (a list of strings).
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "events": [("event_id", "int"), ("id", "string"), ("corrected", "bool"), ("article", "string"),
               ("entry", "string"), ("thread", "string"), ("source", "string"), ("published", "timestamp"),
               ("published_inferred", "string"), ("type", "string"), ("actor", "string"),
               ("target", "string"), ("status", "string"), ("people", "strings"), *_AMOUNT_COLUMNS,
               ("date_start", "date"), ("date_end", "date"), ("date_text", "string"), ("round", "int"),
               ("evidence", "strings")],
    "timeline": [("id", "string"), ("thread", "string"), ("placed", "date"), ("dated", "bool"),
                 ("date_start", "date"), ("date_end", "date"), ("date_inferred", "string"), ("type", "string"),
                 ("actor", "string"), ("target", "string"), ("status", "string"), ("statuses", "strings"), *_AMOUNT_COLUMNS,
                 ("round", "int"), ("source_count", "int"), ("articles", "strings"),
                 ("first_reported", "date"), ("people", "strings"), ("evidence", "strings")],
    "positions": [("thread", "string"), ("party", "string"), ("kind", "string"), ("entry", "string"),
                  ("placed", "date"), ("dated", "bool"), ("value", "float"), ("currency", "string"),
                  ("period", "string"), ("normalised", "float"), ("unit", "string"), ("rate_date", "date"),
                  ("period_assumed", "bool"), ("status", "string"), ("reported_only", "bool"),
                  ("rejected", "bool"), ("rejected_by", "string"), ("change", "string"), ("sources", "int"),
                  ("evidence", "string"), ("placed_by", "string"), ("denied_in", "strings")],
}


class _Cells:
    """How a flat row writes days, times and lists: as text for CSV, as themselves for Parquet."""

    def __init__(self, typed: bool) -> None:
        self.typed = typed

    def day(self, value: dt.date | None) -> Any:
        if value is None:
            return None
        return value if self.typed else value.isoformat()

    def time(self, value: dt.datetime | None) -> Any:
        if value is None:
            return None
        if not self.typed:
            return value.isoformat()
        # A time without a zone is taken as UTC (docs/EXPORTS.md): Parquet has one zone per column.
        return value.astimezone(dt.timezone.utc) if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)

    def strings(self, values: Any) -> Any:
        values = list(values)
        return values if self.typed else " | ".join(values)


def _amount_columns(prefix: str, amount: Any) -> dict[str, Any]:
    change = amount.change if amount else None
    base = change.base if change else None
    return {f"{prefix}value": amount.value if amount else None,
            f"{prefix}currency": amount.currency if amount else None,
            f"{prefix}period": amount.period if amount else None,
            f"{prefix}usd": amount.usd if amount else None,
            f"{prefix}change_percent": change.percent if change else None,
            f"{prefix}change_factor": change.factor if change else None,
            f"{prefix}base_value": base.value if base else None,
            f"{prefix}base_currency": base.currency if base else None}


def records(store: Store, table: str, thread: str | None = None,
            flat: bool = False, typed: bool = False) -> list[dict[str, Any]]:
    """The rows of one table ("events", "timeline" or "positions") as dicts: nested (JSON
    lines), `flat` with text cells (CSV), or `flat` and `typed` (dates, times and lists as
    Python values, the columns of `COLUMNS`: Parquet)."""
    if table not in TABLES:
        raise UsageError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
    entries = select(timeline(store), thread)
    cells = _Cells(typed)
    if table == "positions":
        found = positions(entries)
        if flat and typed:
            return [{**p.as_dict(), "placed": p.placed, "rate_date": p.rate_date} for p in found]
        return [p.as_dict() for p in found]
    if table == "timeline":
        return [_flat_entry(e, cells) if flat else e.as_dict() for e in entries]
    rows = []
    for entry in entries:
        for source in entry.sources:
            rows.append(_flat_event(entry, source, cells) if flat else
                        {**source.event.as_dict(), "event_id": source.event_id,
                         "entry": entry.id, "thread": entry.thread, "source": source.source,
                         "published": source.published.isoformat() if source.published else None,
                         "published_inferred": source.dated_by})
    rows.sort(key=lambda r: r["event_id"])
    return rows


def _flat_entry(entry: TimelineEntry, cells: _Cells) -> dict[str, Any]:
    date = entry.date if entry.dated else None
    return {"id": entry.id, "thread": entry.thread,
            "placed": cells.day(entry.placed), "dated": entry.dated,
            "date_start": cells.day(date.start if date else None),
            "date_end": cells.day(date.end if date else None),
            "date_inferred": entry.date_inferred,
            "type": entry.type, "actor": entry.actor, "target": entry.target,
            "status": entry.status, "statuses": cells.strings(entry.statuses),
            **_amount_columns("amount_", entry.amount), "round": entry.round,
            "source_count": entry.source_count, "articles": cells.strings(entry.articles),
            "first_reported": cells.day(entry.first_reported),
            "people": cells.strings(entry.people),
            "evidence": cells.strings(dict.fromkeys(ev.text for s in entry.sources for ev in s.event.evidence))}


def _flat_event(entry: TimelineEntry, source: Any, cells: _Cells) -> dict[str, Any]:
    event = source.event
    date = event.date if event.date and event.date.resolved else None
    return {"event_id": source.event_id, "id": event.extra.get("id"),
            "corrected": bool(event.extra.get("corrected")), "article": event.article, "entry": entry.id,
            "thread": entry.thread, "source": source.source,
            "published": cells.time(source.published),
            "published_inferred": source.dated_by,
            "type": event.type, "actor": event.actor, "target": event.target,
            "status": event.status, "people": cells.strings(event.people),
            **_amount_columns("amount_", event.amount),
            "date_start": cells.day(date.start if date else None),
            "date_end": cells.day(date.end if date else None),
            "date_text": event.date.text if event.date else None, "round": event.round,
            "evidence": cells.strings(e.text for e in event.evidence)}


def export(store: Store, table: str, fmt: str, out: Path | TextIO,
           thread: str | None = None) -> int:
    """Write one table to `out` (a path, or a text stream for jsonl/csv); returns the row count."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if not isinstance(out, Path):
            raise UsageError("parquet is binary: give a file with -o")
        rows = records(store, table, thread, flat=True, typed=True)
        _write_parquet(rows, COLUMNS[table], out)
        return len(rows)
    rows = records(store, table, thread, flat=fmt != "jsonl")
    if isinstance(out, Path):
        try:
            with out.open("w", encoding="utf-8", newline="") as stream:
                _write_text(rows, fmt, stream)
        except OSError as exc:
            raise OutputError.writing(out, exc) from exc
    else:
        _write_text(rows, fmt, out)
    return len(rows)


def _write_text(rows: list[dict[str, Any]], fmt: str, stream: TextIO) -> None:
    if fmt == "jsonl":
        for row in rows:
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    if not rows:
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    # Cells that a spreadsheet would run as formulas (=HYPERLINK(...) in a title) are neutralised.
    writer.writerows({key: for_csv_cell(value) for key, value in row.items()} for row in rows)
    stream.write(buffer.getvalue())


def parquet_schema(columns: list[tuple[str, str]]) -> Any:
    """The pyarrow schema of a table's COLUMNS (typed even when a column holds no value)."""
    pa = _pyarrow()
    kinds: dict[str, Callable[[], Any]] = {
        "string": pa.string, "float": pa.float64, "int": pa.int64, "bool": pa.bool_, "date": pa.date32,
        "timestamp": lambda: pa.timestamp("us", tz="UTC"), "strings": lambda: pa.list_(pa.string())}
    return pa.schema([(name, kinds[kind]()) for name, kind in columns])


def _pyarrow() -> Any:
    try:
        # Imported when a Parquet file is written: pyarrow is an optional extra, and heavy.
        import pyarrow
    except ImportError as exc:
        raise ConfigurationError("parquet needs pyarrow: pip install 'parley[parquet]' "
                                 "(or pip install pyarrow), or use --format csv") from exc
    return pyarrow


def _write_parquet(rows: list[dict[str, Any]], columns: list[tuple[str, str]], path: Path) -> None:
    pa = _pyarrow()
    import pyarrow.parquet as pq  # with pyarrow, just imported above

    try:
        pq.write_table(pa.Table.from_pylist(rows, schema=parquet_schema(columns)), path)
    except OSError as exc:
        raise OutputError.writing(path, exc) from exc
