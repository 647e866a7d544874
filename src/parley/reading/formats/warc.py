"""WARC and WARC.gz: each HTML response one article, read record by record (warcio).

    id          the target URI (the WARC-Record-ID when the same URI was captured twice)
    url         the target URI
    published   the page's own date (meta tags, JSON-LD, htmldate), else the crawl date
                (WARC-Date); `metadata["published_from"]` says which: "page" or "crawl"
    metadata    warc_record_id, crawl_date, warc_offset (in the uncompressed stream)

Only `response` (and `resource`) records of HTML (text/html, application/xhtml+xml) with a
2xx status are articles; requests, metadata, images and redirects are passed over.
A record over `max_bytes` is skipped with a Problem without being read into memory.
A WARC cut off in the middle gives every article before the cut, then one Problem with the
offset of the record that is incomplete.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import IO, Iterator

from parley.reading.formats.html import page
from parley.reading.formats.streams import CappedReader, OverCap, Truncated
from parley.reading.formats.text import decode, iso_datetime
from parley.records import Article, Problem

__all__ = ["read_warc", "HTML_TYPES"]

HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 1 << 16


def read_warc(where: str, stream: IO[bytes], *, max_bytes: int, cap: int | None,
              compressed: bool) -> Iterator[Article | Problem]:
    """The HTML responses of one WARC as uncleaned Articles, and a Problem for each that cannot
    be read. `stream` is the uncompressed WARC; `cap` bounds what may be read from it."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        yield Problem(where, "reading WARC files needs warcio: pip install warcio")
        return
    capped = CappedReader(stream, cap)
    records = ArchiveIterator(capped, check_digests=False)
    uncompressed = " (uncompressed)" if compressed else ""
    offset = 0
    found = 0
    seen_ids: set[str] = set()
    inside = False  # in a record (else between records, reading the next header)
    try:
        for record in records:
            offset, inside = records.offset, True  # get_record_offset() would read to the record's end
            for item in _record_items(where, record, offset, max_bytes, seen_ids):
                found += isinstance(item, Article)
                yield item
            inside = False
        if capped.count > records.offset and not capped.read(1):
            # warcio ends quietly when the file stops inside the next record's header.
            raise _CutOff
    except _CutOff:
        yield _truncated(where, records.offset if not inside else offset, uncompressed)
        return
    except OverCap:
        yield Problem(where, f"decompressed size passed {cap:,} bytes: a gzip bomb? stopped reading "
                             f"at the record at offset {offset:,}{uncompressed}")
        return
    except Truncated as exc:
        place = "in" if inside else "after"
        yield Problem(where, f"truncated WARC.gz: the compressed data ends {place} the record at offset "
                             f"{offset:,}{uncompressed} ({exc}); every record before it was read")
        return
    except (ArchiveLoadFailed, ValueError, TypeError, IndexError, AttributeError) as exc:
        # A header cut off by the end of the file: warcio raises whatever its parser hit first.
        if not inside and (found or records.offset) and not capped.read(1):
            yield _truncated(where, records.offset, uncompressed)
            return
        if not isinstance(exc, ArchiveLoadFailed):  # warcio on malformed headers
            yield Problem(where, f"corrupt WARC record at offset {records.offset:,}{uncompressed}: {exc}")
            return
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable record"
        what = "not a WARC file" if offset == 0 and not found else "corrupt WARC record"
        yield Problem(where, f"{what} at offset {offset:,}{uncompressed}: {first_line[:120]}")
        return
    if not found:
        yield Problem(where, "no HTML responses in the WARC", fatal=False)


def _truncated(where: str, offset: int, uncompressed: str) -> Problem:
    return Problem(where, f"truncated WARC: the record at offset {offset:,}{uncompressed} is cut off; "
                          "every record before it was read")


class _CutOff(Exception):
    """The record ended before its Content-Length said."""


def _check_whole(record: object) -> None:
    """Read what is left of the record (bounded by the stream's cap); raise _CutOff if the file
    ended before the record's Content-Length was reached. warcio itself says nothing then."""
    raw = getattr(record, "raw_stream", None)
    if raw is None or not hasattr(raw, "limit"):
        return
    while raw.read(_CHUNK):
        pass
    if raw.limit > 0:
        raise _CutOff


def _record_items(where: str, record: object, offset: int, max_bytes: int,
                  seen_ids: set[str]) -> Iterator[Article | Problem]:
    rec_type = record.rec_type  # type: ignore[attr-defined]
    if rec_type not in ("response", "resource"):
        _check_whole(record)
        return
    headers = record.rec_headers  # type: ignore[attr-defined]
    http = record.http_headers  # type: ignore[attr-defined]
    uri = (headers.get_header("WARC-Target-URI") or "").strip("<> ")
    if http is not None:
        status = (http.get_statuscode() or "") if rec_type == "response" else "200"
        content_type = http.get_header("Content-Type") or ""
    else:
        status, content_type = "200", headers.get_header("Content-Type") or ""
    if not status.startswith("2") or content_type.split(";")[0].strip().lower() not in HTML_TYPES:
        _check_whole(record)
        return
    label = f"the record at offset {offset:,} ({uri or 'no URI'})"
    length = record.length or 0  # type: ignore[attr-defined]
    if length > max_bytes:
        _check_whole(record)  # skipped without holding it: read past it in chunks
        yield Problem(where, f"{label} is {length:,} bytes, over the limit of {max_bytes:,}; skipped")
        return
    body = record.content_stream().read(max_bytes + 1)  # type: ignore[attr-defined]
    _check_whole(record)
    if len(body) > max_bytes:  # a Content-Encoding that inflates past the limit
        yield Problem(where, f"{label} decodes to over {max_bytes:,} bytes; skipped")
        return
    charset = None
    m = re.search(r"charset\s*=\s*[\"']?([\w\-]+)", content_type, re.IGNORECASE)
    if m:
        charset = m.group(1).lower()
    decoded = decode(body, html=True, charset=charset)
    if isinstance(decoded, Problem):
        yield Problem(where, f"{label}: {decoded.reason}")
        return
    html, _ = decoded
    found = page(html)
    if not found.text.strip():
        yield Problem(where, f"{label}: no article text found in the page", fatal=False)
        return
    record_id = (headers.get_header("WARC-Record-ID") or "").strip("<> ")
    crawl_text = headers.get_header("WARC-Date") or ""
    crawled = _crawl_date(crawl_text)
    ident = uri or record_id or f"{where}@{offset}"
    if ident in seen_ids and record_id:
        ident = record_id  # the same page captured twice: both kept, told apart
    seen_ids.add(ident)
    metadata: dict[str, object] = {"warc_record_id": record_id or None, "warc_offset": offset,
                                   "crawl_date": crawled.isoformat() if crawled else crawl_text or None,
                                   "published_from": "page" if found.published else
                                   ("crawl" if crawled else None)}
    if found.warning:
        yield Problem(where, f"{label}: {found.warning}", fatal=False)
    yield Article(id=ident, text=found.text, title=found.title, source=found.source,
                   author=found.author, published=found.published or crawled,
                   url=uri or found.url, language=found.language, path=where,
                   metadata={k: v for k, v in metadata.items() if v is not None})


def _crawl_date(value: str) -> dt.datetime | None:
    """A WARC-Date (ISO 8601 with Z) as an aware datetime."""
    return iso_datetime(value.replace("Z", "+00:00")) if value else None
