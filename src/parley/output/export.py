"""Export: events, timeline and positions as JSON lines, CSV or Parquet.

So that pandas, DuckDB or a spreadsheet can take over. JSON lines keep the
nested records (evidence lists, amounts); CSV and Parquet get flat rows, one
column per field, lists joined with " | ".
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, TextIO

from parley.corpus.timeline import TimelineEntry, timeline
from parley.errors import ConfigurationError, OutputError, UsageError
from parley.corpus.positions import positions
from parley.output.safe_output import for_csv_cell
from parley.corpus.store import Store
from parley.corpus.threads import select

TABLES = ("events", "timeline", "positions")
FORMATS = ("jsonl", "csv", "parquet")


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
            flat: bool = False) -> list[dict[str, Any]]:
    """The rows of one table ("events", "timeline" or "positions") as dicts."""
    if table not in TABLES:
        raise UsageError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
    entries = select(timeline(store), thread)
    if table == "positions":
        return [p.as_dict() for p in positions(entries)]
    if table == "timeline":
        return [_flat_entry(e) if flat else e.as_dict() for e in entries]
    rows = []
    for entry in entries:
        for source in entry.sources:
            rows.append(_flat_event(entry, source) if flat else
                        {**source.event.as_dict(), "event_id": source.event_id,
                         "entry": entry.id, "thread": entry.thread, "source": source.source,
                         "published": source.published.isoformat() if source.published else None,
                         "published_inferred": source.dated_by})
    rows.sort(key=lambda r: r["event_id"])
    return rows


def _flat_entry(entry: TimelineEntry) -> dict[str, Any]:
    return {"id": entry.id, "thread": entry.thread,
            "placed": entry.placed.isoformat() if entry.placed else None, "dated": entry.dated,
            "date_start": entry.date.start.isoformat() if entry.dated and entry.date and entry.date.start else None,
            "date_end": entry.date.end.isoformat() if entry.dated and entry.date and entry.date.end else None,
            "date_inferred": entry.date_inferred,
            "type": entry.type, "actor": entry.actor, "target": entry.target,
            "status": entry.status, "statuses": " | ".join(entry.statuses),
            **_amount_columns("amount_", entry.amount), "round": entry.round,
            "source_count": entry.source_count, "articles": " | ".join(entry.articles),
            "first_reported": entry.first_reported.isoformat() if entry.first_reported else None,
            "people": " | ".join(entry.people),
            "evidence": " | ".join(dict.fromkeys(ev.text for s in entry.sources for ev in s.event.evidence))}


def _flat_event(entry: TimelineEntry, source: Any) -> dict[str, Any]:
    event = source.event
    date = event.date if event.date and event.date.resolved else None
    return {"event_id": source.event_id, "id": event.extra.get("id"),
            "corrected": bool(event.extra.get("corrected")), "article": event.article, "entry": entry.id,
            "thread": entry.thread, "source": source.source,
            "published": source.published.isoformat() if source.published else None,
            "published_inferred": source.dated_by,
            "type": event.type, "actor": event.actor, "target": event.target,
            "status": event.status, "people": " | ".join(event.people),
            **_amount_columns("amount_", event.amount),
            "date_start": date.start.isoformat() if date and date.start else None,
            "date_end": date.end.isoformat() if date and date.end else None,
            "date_text": event.date.text if event.date else None, "round": event.round,
            "evidence": " | ".join(e.text for e in event.evidence)}


def export(store: Store, table: str, fmt: str, out: Path | TextIO,
           thread: str | None = None) -> int:
    """Write one table to `out` (a path, or a text stream for jsonl/csv); returns the row count."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    rows = records(store, table, thread, flat=fmt != "jsonl")
    if fmt == "parquet":
        if not isinstance(out, Path):
            raise UsageError("parquet is binary: give a file with -o")
        _write_parquet(rows, out)
        return len(rows)
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


def _write_parquet(rows: list[dict[str, Any]], path: Path) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ConfigurationError("parquet needs pyarrow: pip install 'parley[parquet]' "
                                 "(or pip install pyarrow), or use --format csv") from exc
    try:
        pq.write_table(pa.Table.from_pylist(rows), path)
    except OSError as exc:
        raise OutputError.writing(path, exc) from exc
