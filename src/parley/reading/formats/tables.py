"""CSV / TSV exports and Parquet files: one article per row, the columns named as INPUT.md's
JSONL fields (id, text, html, title, published, source, url, author, language); other columns
are kept as metadata. Both are streamed: CSV row by row, Parquet batch by batch within a row
group, so memory is bounded by one row (CSV) or one row group (Parquet), never the file.

    id   the `id` column, else `url`, else <file>:<line> (CSV: the line the row starts on;
         Parquet: the row number, from 1)
"""
from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
from pathlib import Path
from typing import IO, Any, Iterator

from parley.reading.formats.jsonl import article_from_record
from parley.reading.formats.streams import OverCap, Truncated
from parley.records import Article, Problem

__all__ = ["read_csv", "read_parquet", "PARQUET_EXTRA"]

PARQUET_EXTRA = "pip install 'parley[parquet]' (or: pip install pyarrow)"
# A row group is the least pyarrow reads at once; past this it is skipped, not loaded.
PARQUET_MAX_ROW_GROUP_BYTES = 512_000_000
_BATCH_ROWS = 256
_MAX_ROW_ERRORS = 100  # past this many malformed rows the file is not a table of articles


def read_csv(where: str, name: str, stream: IO[bytes], *, delimiter: str | None,
             max_bytes: int, cap: int | None = None) -> Iterator[Article | Problem]:
    """Rows of a CSV (or TSV when `delimiter` is a tab; sniffed from the header when None)."""
    # A raw stream would be read a byte at a time by readline.
    binary = io.BufferedReader(stream, 1 << 16) if isinstance(stream, io.RawIOBase) else stream
    flagged: dict[int, str] = {}  # line number -> why a row on it cannot be read
    lines = _decoded_lines(binary, max_bytes, flagged)
    start = 1
    try:
        header_line = next(lines, "")
        if 1 in flagged:
            yield Problem(where, f"the header line {flagged[1]}: not a table")
            return
        delimiter = delimiter or _delimiter(header_line)
        header = next(csv.reader([header_line], delimiter=delimiter), [])
        columns = [c.strip().lower() for c in header]
        if "text" not in columns and "html" not in columns:
            shown = ", ".join(c for c in header[:8] if c) or "none"
            yield Problem(where, f"no `text` or `html` column in the header (columns: {shown[:160]})")
            return
        if csv.field_size_limit() < max_bytes:
            csv.field_size_limit(max_bytes)  # the default (128 KiB) is shorter than a long article
        rows = csv.reader(lines, delimiter=delimiter)
        errors = yielded = 0
        while True:
            start = rows.line_num + 2  # +1 for the header line, +1 for the next line
            try:
                row = next(rows)
            except StopIteration:
                break
            except csv.Error as exc:
                errors += 1
                yield Problem(where, f"malformed row: {exc}", start)
                if errors >= _MAX_ROW_ERRORS:
                    yield Problem(where, f"{errors} malformed rows: stopped reading")
                    return
                continue
            end = rows.line_num + 1
            bad = next((flagged[n] for n in range(start, end + 1) if n in flagged), None)
            if bad:
                yield Problem(where, f"{bad}; row skipped", start)
                continue
            if not any(cell.strip() for cell in row):
                continue
            if sum(len(cell) for cell in row) > max_bytes:
                yield Problem(where, f"row is over the limit of {max_bytes:,} bytes; skipped", start)
                continue
            record = {column: cell for column, cell in zip(columns, row, strict=False) if column and cell != ""}
            if len(row) > len(columns):
                record["extra_cells"] = row[len(columns):]
            yielded += 1
            yield article_from_record(record, path=where, line=start, file_name=name)
    except OverCap:
        yield Problem(where, f"decompressed size passed {cap:,} bytes: a gzip bomb? stopped reading", start)
        return
    except Truncated as exc:
        yield Problem(where, f"corrupt gzip data: {exc}; stopped reading", start)
        return
    if not yielded:
        yield Problem(where, "no rows under the header")


def _decoded_lines(binary: IO[bytes], max_bytes: int, flagged: dict[int, str]) -> Iterator[str]:
    """Lines as text, decoded one by one so one bad byte costs one row, not the file; a line
    over `max_bytes` is cut there (and flagged) so memory stays bounded."""
    number = 0
    while True:
        raw = binary.readline(max_bytes + 1)
        if not raw:
            return
        number += 1
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            flagged[number] = f"line is over the limit of {max_bytes:,} bytes"
            while True:  # pass over the rest of the line in bounded chunks
                rest = binary.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            raw = raw[:max_bytes] + b"\n"
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            flagged[number] = (f"not UTF-8: undecodable byte 0x{raw[exc.start]:02x} on line {number} "
                               "(save the file as UTF-8)")
            yield raw.decode("utf-8", "replace")


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_parquet(where: str, name: str, path: Path, *, max_bytes: int) -> Iterator[Article | Problem]:
    """Rows of a Parquet file, batch by batch (pyarrow is an optional extra)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        yield Problem(where, f"reading Parquet needs pyarrow: {PARQUET_EXTRA}")
        return
    try:
        table = pq.ParquetFile(path)
        columns = [c.lower() for c in table.schema_arrow.names]
    except (pa.ArrowException, OSError, ValueError) as exc:
        yield Problem(where, f"not a readable Parquet file: {str(exc).splitlines()[0][:160]}")
        return
    if "text" not in columns and "html" not in columns:
        yield Problem(where, f"no `text` or `html` column (columns: {', '.join(columns[:8])[:160]})")
        return
    row = 0
    yielded = 0
    try:
        for group in range(table.num_row_groups):
            info = table.metadata.row_group(group)
            if info.total_byte_size > max(PARQUET_MAX_ROW_GROUP_BYTES, 8 * max_bytes):
                yield Problem(where, f"row group {group} ({info.num_rows:,} rows) is "
                                     f"{info.total_byte_size:,} bytes uncompressed: too big to read; skipped",
                              row + 1)
                row += info.num_rows
                continue
            for batch in table.iter_batches(batch_size=_BATCH_ROWS, row_groups=[group]):
                for values in batch.to_pylist():
                    row += 1
                    record = {str(k).lower(): _plain(v) for k, v in values.items() if v is not None}
                    size = sum(len(v) for v in record.values() if isinstance(v, str))
                    if size > max_bytes:
                        yield Problem(where, f"row is over the limit of {max_bytes:,} bytes; skipped", row)
                        continue
                    yielded += 1
                    yield article_from_record(record, path=where, line=row, file_name=name)
    except (pa.ArrowException, OSError, ValueError) as exc:
        yield Problem(where, f"corrupt Parquet data after row {row}: {str(exc).splitlines()[0][:160]}; "
                             "stopped reading")
        return
    if not yielded and row == 0:
        yield Problem(where, "no rows in the Parquet file")


def _plain(value: Any) -> Any:
    """A JSON-shaped value: metadata is stored and exported as JSON."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value  # `published` takes these; other date columns become ISO text below
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, dict):
        return {str(k): _iso_if_date(_plain(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso_if_date(_plain(v)) for v in value]
    return value


def _iso_if_date(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (dt.datetime, dt.date)) else value
