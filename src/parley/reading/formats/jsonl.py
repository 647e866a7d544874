"""JSONL: one JSON object per line, read line by line so memory stays flat whatever the file
size; and the record -> Article mapping (INPUT.md's fields) that CSV and Parquet share."""
from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
import re
import sys
import zlib
from pathlib import Path
from typing import IO, Any, Iterator

from parley.reading.formats.html import page
from parley.reading.formats.streams import GZIP_MAX_RATIO
from parley.reading.formats.text import iso_datetime
from parley.records import Article, Problem

__all__ = ["read_jsonl", "article_from_record", "KNOWN_FIELDS"]

KNOWN_FIELDS = ("id", "text", "html", "title", "published", "source", "url", "author", "language")
_CHUNK = 1 << 20


class _Hostile(Exception):
    """A decompressed stream passed its cap."""


def read_jsonl(where: str, name: str, stream: IO[bytes], max_bytes: int,
                cap: int | None) -> Iterator[Article | Problem]:
    """One article per line, read line by line so memory stays flat whatever the file size."""
    total = 0
    lineno = 0
    yielded = 0
    try:
        while True:
            raw = stream.readline(max_bytes + 1)
            if not raw:
                break
            lineno += 1
            total += len(raw)
            if len(raw) > max_bytes and not raw.endswith(b"\n"):
                total += _skip_rest_of_line(stream, cap, total)
                yielded += 1
                yield Problem(where, f"line is over the limit of {max_bytes:,} bytes; skipped", lineno)
                continue
            if cap is not None and total > cap:
                raise _Hostile
            if not raw.strip():
                # A run of blank lines (a gzip of gigabytes of newlines) is passed over a buffer
                # at a time, not a line at a time: it must not hold up the rest of the run.
                blank_lines, blank_bytes = _skip_blank_lines(stream)
                lineno += blank_lines
                total += blank_bytes
                if cap is not None and total > cap:
                    raise _Hostile
                continue
            try:
                items = list(_line_article(where, name, raw, lineno))
            except Exception as exc:  # a bug or an unforeseen shape costs this line, not the file
                items = [Problem(where, f"record not read: {type(exc).__name__}: {str(exc)[:160]}", lineno)]
            yielded += len(items)
            yield from items
    except _Hostile:
        yield Problem(where, f"decompressed size passed {cap:,} bytes ({GZIP_MAX_RATIO}x the file): "
                             "a gzip bomb? stopped reading", lineno)
        return
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        yield Problem(where, f"corrupt gzip data: {exc}; stopped reading", lineno + 1)
        return
    if not yielded:
        yield Problem(where, "empty file (no JSON lines)")


def _skip_blank_lines(stream: IO[bytes]) -> tuple[int, int]:
    """Consume the blank lines that come next (and the indentation of the line after them):
    (lines, bytes) passed over."""
    peek = getattr(stream, "peek", None)
    lines = passed = 0
    while peek is not None:
        buffered = peek(_CHUNK)[:_CHUNK]
        blank = len(buffered) - len(buffered.lstrip(b" \t\r\n"))
        if blank == 0:
            break
        stream.read(blank)
        lines += buffered.count(b"\n", 0, blank)
        passed += blank
        if blank < len(buffered):
            break
    return lines, passed


def _skip_rest_of_line(stream: IO[bytes], cap: int | None, total: int) -> int:
    skipped = 0
    while True:
        chunk = stream.readline(_CHUNK)
        skipped += len(chunk)
        if cap is not None and total + skipped > cap:
            raise _Hostile
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def _line_article(where: str, name: str, raw: bytes, lineno: int) -> Iterator[Article | Problem]:
    try:
        line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        yield Problem(where, f"not UTF-8: undecodable byte 0x{raw[exc.start]:02x} at column {exc.start + 1}",
                      lineno)
        return
    if not line.strip():
        return
    huge: list[str] = []
    try:
        record = json.loads(line, parse_int=functools.partial(_integer, huge=huge))
    except json.JSONDecodeError as exc:
        yield Problem(where, f"not valid JSON: {exc.msg} at column {exc.colno}", lineno)
        return
    except RecursionError:
        yield Problem(where, "not valid JSON: nested too deeply", lineno)
        return
    if not isinstance(record, dict):
        yield Problem(where, f"a JSON object was expected, not {type(record).__name__}", lineno)
        return
    if huge:
        yield Problem(where, f"an integer of {len(huge[0]):,} digits (Python reads at most "
                             f"{_MAX_DIGITS:,}) kept as its digits", lineno, fatal=False)
    record, replaced = _without_lone_surrogates(record)
    if replaced:
        yield Problem(where, "text held lone UTF-16 surrogates (\\ud800-\\udfff escapes that encode no "
                             "character); each replaced by U+FFFD", lineno, fatal=False)
    yield article_from_record(record, path=where, line=lineno, file_name=name)


_MAX_DIGITS = sys.get_int_max_str_digits() or 4300
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _integer(digits: str, huge: list[str]) -> int | str:
    # Python refuses to convert longer integers (CVE-2020-10735); one such number in a
    # record's metadata must not cost the record, let alone the rest of the file.
    if len(digits.lstrip("-")) > _MAX_DIGITS:
        huge.append(digits)
        return digits
    return int(digits)


def _without_lone_surrogates(value: Any) -> tuple[Any, bool]:
    """`value` with every lone surrogate (valid JSON, "\\ud800", but no character: it cannot be
    written as UTF-8) replaced by U+FFFD, which keeps lengths and offsets."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return value, False
        except UnicodeEncodeError:
            return _LONE_SURROGATE.sub("\ufffd", value), True
    if isinstance(value, dict):
        pairs = [(_without_lone_surrogates(k), _without_lone_surrogates(v)) for k, v in value.items()]
        return {k: v for (k, _), (v, _) in pairs}, any(a or b for (_, a), (_, b) in pairs)
    if isinstance(value, list):
        items = [_without_lone_surrogates(v) for v in value]
        return [v for v, _ in items], any(r for _, r in items)
    return value, False


def article_from_record(record: dict[str, Any], *, path: str = "<record>", line: int | None = None,
                        file_name: str | None = None) -> Article | Problem:
    """An (uncleaned) Article from one JSONL object, or the Problem with it (INPUT.md fields)."""
    text, html = record.get("text"), record.get("html")
    has_text = isinstance(text, str) and text.strip() != ""
    has_html = isinstance(html, str) and html.strip() != ""
    if not has_text and not has_html:
        given = text if text is not None else html
        if given is None:
            what = "missing"
        elif isinstance(given, str):
            what = "empty"
        else:
            what = f"not text but {_json_kind(given)}"
        return Problem(path, f"no article: the `text` (or `html`) field is {what}", line)
    published = record.get("published")
    when: dt.datetime | None = None
    if isinstance(published, dt.datetime):
        when = published
    elif isinstance(published, dt.date):
        when = dt.datetime.combine(published, dt.time())
    elif published not in (None, ""):
        when = iso_datetime(published)
        if when is None:
            return Problem(path, f"bad `published` {str(published)[:40]!r}: expected an ISO 8601 date "
                                 "or datetime like 2020-05-06 or 2020-05-06T15:40:00+09:00", line)
    metadata = {k: v.isoformat() if isinstance(v, dt.date) else v
                for k, v in record.items() if k not in KNOWN_FIELDS}
    fields: dict[str, str | None] = {}
    for key in ("id", "title", "source", "url", "author", "language"):
        value = _as_text(record.get(key), joiner=" and " if key == "author" else None)
        if value is None and record.get(key) not in (None, ""):
            metadata[key] = record[key]  # a shape we cannot use; keep it rather than lose it
        fields[key] = value
    found = page(html) if not has_text else None
    if found is not None and not found.text.strip():
        return Problem(path, "no article text found in the `html` field", line)
    ident = fields["id"] or fields["url"] or f"{file_name or Path(path).name}:{line}"
    return Article(
        id=ident,
        text=text if has_text else found.text,  # type: ignore[union-attr]
        title=fields["title"] or (found.title if found else None),
        source=fields["source"] or (found.source if found else None),
        author=fields["author"] or (found.author if found else None),
        published=when or (found.published if found else None),
        url=fields["url"] or (found.url if found else None),
        language=fields["language"] or (found.language if found else None),
        path=path, line=line, metadata=metadata)


def _json_kind(value: Any) -> str:
    kinds = ((bool, "true/false"), (int, "a number"), (float, "a number"), (list, "a list"), (dict, "an object"))
    return next((name for kind, name in kinds if isinstance(value, kind)), type(value).__name__)


def _as_text(value: Any, joiner: str | None = None) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    if joiner and isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return joiner.join(v.strip() for v in value if v.strip()) or None
    return None
