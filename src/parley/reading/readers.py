"""Stage 1, reading: files and folders in, one `Article` (or `Problem`) per article out.

The input contract is ``docs/INPUTS.md`` (the shared spec is ``../shared/spec/INPUT.md``):

    .txt .md (no extension)     one pasted article           id: the file name
    .html .htm .xhtml           one saved page               id: the file name
    .jsonl .ndjson [.gz]        one JSON object per line     id: `id`, else `url`, else <file>:<line>
    .csv .tsv [.gz]             one row per article          id: `id`, else `url`, else <file>:<line>
    .parquet                    one row per article          id: `id`, else `url`, else <file>:<row>
    .warc [.gz]                 each HTML response           id: the target URI
    .rss .atom .xml [.gz]       each feed entry with content id: the entry id, else its link
    -                           standard input: JSON lines, a page, a feed or text
                                                             id: as its form says; one text
                                                             or page: stdin-<hash of its text>
    http:// https://            fetched (reading/fetch.py): a page, text, feed or JSON lines
                                                             id: the URL (a feed's entries: theirs)

A file is recognised by its content as well as its name: a page saved as .txt is read
as HTML, a WARC or feed under another name as what it is, and a PNG, ZIP or PDF under
an article's name is a one-line Problem saying what it really is.

Bad input never stops a run: an empty, binary, undecodable, oversized, truncated or hostile
file (a gzip bomb, HTML nested thousands of levels deep, a billion-laughs feed), a malformed
line, row or record, or a path that does not exist becomes a `Problem` naming the file (and
line or offset), and reading goes on with the next article. Every reader streams (line by
line, row by row, record by record), so memory stays bounded whatever the file size.

Every article goes through `cleaning.clean`, which fills title, outlet, byline and
publication date from the text where the input did not give them and marks the
body ranges.
"""
from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import os
import re
import stat
import sys
import zlib
from pathlib import Path
from typing import IO, Iterable, Iterator

from parley.reading.cleaning import clean
from parley.reading.fetch import FetchLimits, Fetched, fetch, is_url
from parley.reading.formats import sniff
from parley.reading.formats.feeds import read_feed
from parley.reading.formats.html import page, text_from_html
from parley.reading.formats.jsonl import article_from_record, read_jsonl
from parley.reading.formats.streams import CappedReader, decompressed_cap
from parley.reading.formats.tables import read_csv, read_parquet
from parley.reading.formats.text import decode
from parley.reading.formats.warc import read_warc
from parley.records import Article, Problem

__all__ = ["read_articles", "read_file", "read_stdin", "read_fetched", "article_from_record", "text_from_html", "STDIN",
           "TEXT_SUFFIXES", "HTML_SUFFIXES", "JSONL_SUFFIXES", "WARC_SUFFIXES", "FEED_SUFFIXES",
           "TABLE_SUFFIXES", "PARQUET_SUFFIXES"]

TEXT_SUFFIXES = frozenset((".txt", ".md", ".text", ".markdown", ""))
HTML_SUFFIXES = frozenset((".html", ".htm", ".xhtml"))
JSONL_SUFFIXES = frozenset((".jsonl", ".ndjson"))
WARC_SUFFIXES = frozenset((".warc",))
FEED_SUFFIXES = frozenset((".rss", ".atom", ".xml"))
TABLE_SUFFIXES = frozenset((".csv", ".tsv"))
PARQUET_SUFFIXES = frozenset((".parquet", ".pq"))

_FORM_NAMES = {"text": "a text file", "bare": "a text file", "html": "an HTML page",
               "jsonl": "JSONL", "warc": "a WARC file", "feed": "an RSS/Atom feed",
               "csv": "a CSV table", "tsv": "a TSV table", "parquet": "a Parquet file",
               "unknown": "an article file"}


STDIN = "-"


def read_articles(paths: Iterable[str | Path], *, max_bytes: int = 20_000_000,
                  stdin: IO[bytes] | None = None) -> Iterator[Article | Problem]:
    """Every article in `paths` (files and folders, folders read recursively in sorted order,
    "-" for `stdin` (default: standard input), `http(s)://` URLs fetched), cleaned; every input
    that cannot be read becomes a Problem and reading goes on.

    `max_bytes` caps one article: a file, a JSONL/CSV line, a Parquet row, a WARC record, a feed
    file, or the decompressed content of a .gz text. A larger one is skipped with a Problem
    (never truncated: half an article read as a whole one would mislead).
    """
    seen: set[str] = set()
    ids: set[str] = set()
    for given in paths:
        if given == STDIN:
            yield from read_stdin(stdin if stdin is not None else sys.stdin.buffer, max_bytes=max_bytes)
            continue
        if is_url(given):
            fetched = fetch(str(given), FetchLimits(max_bytes=max_bytes))
            yield from [fetched] if isinstance(fetched, Problem) else read_fetched(fetched, max_bytes=max_bytes)
            continue
        path = Path(given)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists() or path.is_symlink()
        except OSError as exc:
            yield Problem(str(path), f"cannot read: {exc.strerror or exc}")
            continue
        if not exists:
            yield Problem(str(path), "no such file or folder")
            continue
        walk_problems: list[Problem] = []
        files = _files_in(path, walk_problems) if is_dir else [(path, True)]
        yield from walk_problems
        if is_dir and not files and not walk_problems:
            yield Problem(str(path), "folder holds no files", fatal=False)
        for file, explicit in files:
            key = _identity(file)
            if key in seen:
                continue  # the same file named twice (a folder and a file in it)
            seen.add(key)
            for item in read_file(file, max_bytes=max_bytes, explicit=explicit):
                # Only one-article files take their id from the file name; two such files with
                # the same name in different folders would collide.
                if isinstance(item, Article) and item.line is None and item.id == file.name:
                    if item.id in ids:
                        yield Problem(str(file), f"another file is also named {item.id!r}: both articles "
                                                 "have that id here (`parley ingest` stores this one, if it "
                                                 f"differs, as {file.parent.name or '.'}/{item.id})", fatal=False)
                    ids.add(item.id)
                yield item


def _identity(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return str(path.absolute())


def _files_in(folder: Path, problems: list[Problem]) -> list[tuple[Path, bool]]:
    found: list[Path] = []

    def unreadable(exc: OSError) -> None:
        problems.append(Problem(str(exc.filename or folder), f"cannot read folder: {exc.strerror or exc}"))

    # os.walk does not follow symlinked folders, so a link loop cannot trap the walk.
    for root, dirs, names in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root, n) for n in names if not n.startswith("."))
    return [(f, False) for f in sorted(found, key=lambda p: p.relative_to(folder).parts)]


def _kind_of(path: Path) -> tuple[str, bool]:
    """('text' | 'bare' | 'html' | 'jsonl' | 'warc' | 'feed' | 'csv' | 'tsv' | 'parquet' | 'unknown',
    compressed) from the file name."""
    suffixes = [s.lower() for s in path.suffixes]
    compressed = bool(suffixes) and suffixes[-1] == ".gz"
    name = path.name[:-3] if compressed else path.name
    suffix = Path(name).suffix.lower() if "." in name.lstrip(".") else ""
    for kind, known in (("jsonl", JSONL_SUFFIXES), ("html", HTML_SUFFIXES), ("warc", WARC_SUFFIXES),
                        ("feed", FEED_SUFFIXES), ("parquet", PARQUET_SUFFIXES)):
        if suffix in known:
            return kind, compressed
    if suffix in TABLE_SUFFIXES:
        return suffix[1:], compressed
    if suffix == "":
        return "bare", compressed  # a pasted article, unless its content says otherwise
    if suffix in TEXT_SUFFIXES:
        return "text", compressed
    return "unknown", compressed


def _settle(named: str, seen: str | None) -> str | Problem:
    """The form to read: the name's, unless the content plainly says another (or nothing fits)."""
    if seen in ("warc", "parquet"):
        return seen  # their magic bytes are unambiguous
    if named == "warc":
        return seen if seen in ("html", "feed", "jsonl") else Problem("", "not a WARC file: it does not begin "
                                                                          "with a WARC/1.x header")
    if named == "parquet":
        return seen if seen in ("html", "feed", "jsonl") else Problem("", "not a Parquet file: no PAR1 header")
    if named == "html":
        return "feed" if seen == "feed" else named
    if named == "feed":
        return seen if seen in ("html", "jsonl") else named
    if named in ("jsonl", "csv", "tsv"):
        return seen if seen in ("html", "feed", "jsonl") else named
    if seen in ("html", "feed"):
        return seen
    if named in ("bare", "unknown"):
        return "jsonl" if seen == "jsonl" else "text"
    return named


def read_file(path: str | Path, *, max_bytes: int = 20_000_000,
              explicit: bool = True) -> Iterator[Article | Problem]:
    """The articles of one file. `explicit` files of an unknown type are read by content;
    in a folder they are skipped with a warning."""
    where = str(path)
    try:
        yield from _read_file(Path(path), where, max_bytes, explicit)
    except Exception as exc:  # a reader or library bug must not end the run or lose what was read
        yield Problem(where, f"stopped reading: {type(exc).__name__}: {str(exc)[:160]}")


def _read_file(path: Path, where: str, max_bytes: int, explicit: bool) -> Iterator[Article | Problem]:
    try:
        info = path.stat()
    except OSError as exc:
        yield Problem(where, f"cannot read: {exc.strerror or exc}")
        return
    if not stat.S_ISREG(info.st_mode):
        yield Problem(where, "not a regular file")
        return
    if info.st_size == 0:
        yield Problem(where, "empty file")
        return
    named, compressed = _kind_of(path)
    try:
        with path.open("rb") as raw:
            head = raw.read(512)
            raw.seek(0)
            if head.startswith(sniff.GZIP_MAGIC):
                compressed = True
            elif compressed:
                yield Problem(where, "named .gz but not gzip-compressed")
                return
            if named == "unknown" and not explicit:
                yield Problem(where, f"not an article file (unknown type {path.suffix!r}); skipped",
                              fatal=False)
                return
            cap = decompressed_cap(info.st_size, max_bytes) if compressed else None
            stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw  # type: ignore[assignment]
            content_head = stream.peek(512)[:512] if compressed else head  # type: ignore[attr-defined]
            alien = sniff.foreign(content_head)
            if alien:
                yield Problem(where, f"binary file: {alien}, not {_FORM_NAMES[named]}")
                return
            kind = _settle(named, sniff.form(content_head))
            if isinstance(kind, Problem):
                yield Problem(where, kind.reason)
                return
            if kind == "parquet":
                if compressed:
                    yield Problem(where, "a gzip-compressed Parquet file: decompress it first")
                    return
                yield from _cleaned_all(read_parquet(where, path.name, path, max_bytes=max_bytes), where)
                return
            if kind == "warc":
                yield from _cleaned_all(read_warc(where, stream, max_bytes=max_bytes, cap=cap,
                                                  compressed=compressed), where)
                return
            if kind == "jsonl":
                yield from _cleaned_all(read_jsonl(where, path.name, stream, max_bytes, cap), where)
                return
            if kind in ("csv", "tsv"):
                yield from _cleaned_all(read_csv(where, path.name, CappedReader(stream, cap),  # type: ignore[arg-type]
                                                 delimiter="\t" if kind == "tsv" else None,
                                                 max_bytes=max_bytes, cap=cap), where)
                return
            if not compressed and info.st_size > max_bytes:
                yield Problem(where, f"file is {info.st_size:,} bytes, over the limit of {max_bytes:,}")
                return
            data = _read_up_to(stream, max_bytes + 1)
            if len(data) > max_bytes:
                yield Problem(where, f"decompressed size is over the limit of {max_bytes:,} bytes")
                return
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        yield Problem(where, f"corrupt gzip file: {exc}")
        return
    except OSError as exc:
        yield Problem(where, f"cannot read: {exc.strerror or exc}")
        return
    if kind == "feed":
        yield from _cleaned_all(read_feed(where, path.name, data), where)
        return
    yield from _read_document(where, path.name, data, kind)


def read_stdin(stream: IO[bytes], *, max_bytes: int = 20_000_000) -> Iterator[Article | Problem]:
    """Standard input: JSON lines are read line by line (any number of articles); a page, a
    feed or a text is read whole, up to `max_bytes`. One text or page is named by its content
    (stdin-<hash>), so piping the same article twice stores it once."""
    where = "<stdin>"
    try:
        buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
        head = buffered.peek(512)[:512]  # type: ignore[attr-defined]
        if sniff.form(head) == "jsonl":
            yield from _cleaned_all(read_jsonl(where, "stdin", buffered, max_bytes, None), where)
            return
        data = _read_up_to(buffered, max_bytes + 1)
    except OSError as exc:
        yield Problem(where, f"cannot read: {exc.strerror or exc}")
        return
    if len(data) > max_bytes:
        yield Problem(where, f"standard input is over the limit of {max_bytes:,} bytes")
        return
    if not data:
        yield Problem(where, "nothing on standard input")
        return
    name = "stdin-" + hashlib.sha256(data).hexdigest()[:12]
    yield from _read_data(where, name, data, "bare", max_bytes)


def read_fetched(fetched: Fetched, *, max_bytes: int = 20_000_000) -> Iterator[Article | Problem]:
    """A fetched page (or feed, text, JSON lines) read as the same file saved would be; each
    article keeps the URL it came from and when it was retrieved (`metadata["retrieved"]`)."""
    retrieved = fetched.retrieved.isoformat()
    for item in _read_data(fetched.url, fetched.url, fetched.data, fetched.form, max_bytes):
        if isinstance(item, Article):
            metadata = {**item.metadata, "retrieved": retrieved}
            if fetched.final_url != fetched.url:
                metadata["fetched_from"] = fetched.final_url
            item = dataclasses.replace(item, url=item.url or fetched.final_url, metadata=metadata)
        yield item


def _read_data(where: str, name: str, data: bytes, named: str, max_bytes: int) -> Iterator[Article | Problem]:
    """Bytes already in memory (standard input, a fetched page), read by what they are."""
    try:
        if data.startswith(sniff.GZIP_MAGIC):
            yield Problem(where, "gzip-compressed data: decompress it first (zcat FILE | parley ...)")
            return
        alien = sniff.foreign(data[:512])
        if alien:
            yield Problem(where, f"binary data: {alien}, not an article")
            return
        kind = _settle(named, sniff.form(data[:512]))
        if isinstance(kind, Problem):
            yield Problem(where, kind.reason)
        elif kind == "jsonl":
            yield from _cleaned_all(read_jsonl(where, name, io.BytesIO(data), max_bytes, None), where)
        elif kind == "feed":
            yield from _cleaned_all(read_feed(where, name, data), where)
        elif kind in ("html", "text", "bare"):
            yield from _read_document(where, name, data, kind)
        else:
            yield Problem(where, f"{_FORM_NAMES.get(kind, kind)} is read from a file only: save it first")
    except Exception as exc:  # a reader or library bug must not end the run
        yield Problem(where, f"stopped reading: {type(exc).__name__}: {str(exc)[:160]}")


def _read_up_to(stream: IO[bytes], limit: int) -> bytes:
    # read(limit) would allocate `limit` bytes up front for every small file.
    parts: list[bytes] = []
    size = 0
    while size < limit:
        chunk = stream.read(min(1 << 20, limit - size))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)


def _read_document(where: str, name: str, data: bytes, kind: str) -> Iterator[Article | Problem]:
    decoded = decode(data, html=kind == "html")
    if isinstance(decoded, Problem):
        yield Problem(where, decoded.reason)
        return
    text, warning = decoded
    if warning:
        yield Problem(where, warning, fatal=False)
    if not text.strip(" \t\n\r\f\v\ufeff\u200b\xa0"):
        yield Problem(where, "empty file (only whitespace)")
        return
    if kind != "html" and re.match(r"\ufeff?\s*(?:<!doctype\s+html|<html[\s>])", text[:1000], re.IGNORECASE):
        kind = "html"  # a saved page with a .txt name (sniffing missed it behind a long comment)
    if kind == "html":
        found = page(text)
        if found.warning:
            yield Problem(where, found.warning, fatal=False)
        if not found.text.strip():
            yield Problem(where, "no article text found in the page")
            return
        article = Article(id=name, text=found.text, title=found.title, source=found.source,
                          author=found.author, published=found.published, url=found.url,
                          language=found.language, path=where)
    else:
        article = Article(id=name, text=text, path=where)
    yield from _cleaned(article, where)


def _cleaned_all(items: Iterable[Article | Problem], where: str) -> Iterator[Article | Problem]:
    for item in items:
        if isinstance(item, Article):
            yield from _cleaned(item, where, item.line)
        else:
            yield item


def _cleaned(article: Article, where: str, line: int | None = None) -> Iterator[Article | Problem]:
    try:
        yield clean(article)
    except Exception as exc:  # a cleaning bug must not lose the article; say so and go on
        yield Problem(where, f"read, but title/date/clutter not found ({type(exc).__name__}: {exc})",
                      line=line, fatal=False)
        yield article
