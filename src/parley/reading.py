"""Stage 1, reading: files and folders in, one `Article` (or `Problem`) per article out.

The input contract is ``../shared/spec/INPUT.md``:

    .txt .md (no extension)   one pasted article          id: the file name
    .html .htm                one saved page              id: the file name
    .jsonl .ndjson [.gz]      one JSON object per line    id: `id`, else `url`, else <file>:<line>

Bad input never stops a run: an empty, binary, undecodable or oversized file, a
malformed JSONL line or a path that does not exist becomes a `Problem` naming the
file (and line), and reading goes on with the next input.

Offsets are sacred: for a plain-text file `text` is exactly what
``Path.read_text(encoding="utf-8")`` gives (universal newlines, a BOM kept as
U+FEFF), so evidence found by substring search lands where the offsets say.
Text that is not UTF-8 but reads cleanly as Windows-1252 (a mostly-ASCII English
article saved on Windows) is read as such with a warning; anything else
undecodable is a Problem.

Every article goes through `cleaning.clean`, which fills title, outlet, byline and
publication date from the text where the input did not give them and marks the
body ranges.
"""
from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import stat
import zlib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from parley.cleaning import clean
from parley.records import Article, Problem

__all__ = ["read_articles", "read_file", "article_from_record", "text_from_html",
           "TEXT_SUFFIXES", "HTML_SUFFIXES", "JSONL_SUFFIXES"]

TEXT_SUFFIXES = frozenset((".txt", ".md", ".text", ".markdown", ""))
HTML_SUFFIXES = frozenset((".html", ".htm", ".xhtml"))
JSONL_SUFFIXES = frozenset((".jsonl", ".ndjson"))
# Real text compresses 3-10 fold; a gzip bomb ~1000 fold. Past this ratio (and past
# max_bytes) a .gz is treated as hostile rather than decompressed to the end.
GZIP_MAX_RATIO = 200

_GZIP_MAGIC = b"\x1f\x8b"
_KNOWN_FIELDS = ("id", "text", "html", "title", "published", "source", "url", "author", "language")
_CHUNK = 1 << 20


class _Hostile(Exception):
    """A decompressed stream passed its cap."""


def read_articles(paths: Iterable[str | Path], *, max_bytes: int = 20_000_000) -> Iterator[Article | Problem]:
    """Every article in `paths` (files and folders, folders read recursively in sorted order),
    cleaned; every input that cannot be read becomes a Problem and reading goes on.

    `max_bytes` caps one article: a file, a JSONL line, or the decompressed content of a .gz text.
    """
    seen: set[str] = set()
    ids: set[str] = set()
    for given in paths:
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
                if isinstance(item, Article) and item.line is None:
                    if item.id in ids:
                        yield Problem(str(file), f"another file is also named {item.id!r}: "
                                                 "both articles have that id", fatal=False)
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
    """('text' | 'html' | 'jsonl' | 'unknown', compressed) from the file name."""
    suffixes = [s.lower() for s in path.suffixes]
    compressed = bool(suffixes) and suffixes[-1] == ".gz"
    name = path.name[:-3] if compressed else path.name
    suffix = Path(name).suffix.lower() if "." in name.lstrip(".") else ""
    if suffix in JSONL_SUFFIXES:
        return "jsonl", compressed
    if suffix in HTML_SUFFIXES:
        return "html", compressed
    if suffix == "":
        return "bare", compressed  # a pasted article, unless its content says JSONL
    if suffix in TEXT_SUFFIXES:
        return "text", compressed
    return "unknown", compressed


def read_file(path: str | Path, *, max_bytes: int = 20_000_000,
              explicit: bool = True) -> Iterator[Article | Problem]:
    """The articles of one file. `explicit` files of an unknown type are read by content;
    in a folder they are skipped with a warning."""
    path = Path(path)
    where = str(path)
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
    kind, compressed = _kind_of(path)
    try:
        with path.open("rb") as raw:
            head = raw.read(512)
            raw.seek(0)
            if head.startswith(_GZIP_MAGIC):
                compressed = True
            elif compressed:
                yield Problem(where, "named .gz but not gzip-compressed")
                return
            if kind == "unknown" and not explicit:
                yield Problem(where, f"not an article file (unknown type {path.suffix!r}); skipped",
                              fatal=False)
                return
            cap = max(max_bytes, GZIP_MAX_RATIO * info.st_size)
            stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw  # type: ignore[assignment]
            if kind in ("bare", "unknown"):
                first = stream.peek(512)[:512] if compressed else head  # type: ignore[attr-defined]
                kind = "jsonl" if _looks_like_jsonl(first) else "text"
            if kind == "jsonl":
                yield from _read_jsonl(where, path.name, stream, max_bytes, cap if compressed else None)
                return
            if not compressed and info.st_size > max_bytes:
                yield Problem(where, f"file is {info.st_size:,} bytes, over the limit of {max_bytes:,}")
                return
            data = stream.read(max_bytes + 1)
            if len(data) > max_bytes:
                yield Problem(where, f"decompressed size is over the limit of {max_bytes:,} bytes")
                return
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        yield Problem(where, f"corrupt gzip file: {exc}")
        return
    except OSError as exc:
        yield Problem(where, f"cannot read: {exc.strerror or exc}")
        return
    yield from _read_document(where, path.name, data, kind)


def _looks_like_jsonl(head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0]
    return first.startswith(b"{")


def _read_document(where: str, name: str, data: bytes, kind: str) -> Iterator[Article | Problem]:
    decoded = _decode(data, html=kind == "html")
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
        kind = "html"  # a saved page with a .txt name
    if kind == "html":
        page = _page(text)
        if not page.text.strip():
            yield Problem(where, "no article text found in the page")
            return
        article = Article(id=name, text=page.text, title=page.title, source=page.source,
                          author=page.author, published=page.published, url=page.url,
                          language=page.language, path=where)
    else:
        article = Article(id=name, text=text, path=where)
    yield from _cleaned(article, where)


def _cleaned(article: Article, where: str, line: int | None = None) -> Iterator[Article | Problem]:
    try:
        yield clean(article)
    except Exception as exc:  # a cleaning bug must not lose the article; say so and go on
        yield Problem(where, f"read, but title/date/clutter not found ({type(exc).__name__}: {exc})",
                      line=line, fatal=False)
        yield article


# ---------------------------------------------------------------------------
# Decoding


def _universal_newlines(text: str) -> str:
    # Exactly what Path.read_text does, so offsets match what other tools read.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, *, html: bool = False) -> tuple[str, str | None] | Problem:
    """(text, warning) or a Problem with the reason."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _universal_newlines(data.decode("utf-16")), None
        except UnicodeDecodeError:
            return Problem("", "not text: a UTF-16 byte-order mark but undecodable content")
    if b"\x00" in data:
        return Problem("", "binary file (contains NUL bytes), not text")
    encoding = _declared_charset(data) if html else None
    if encoding:
        try:
            return _universal_newlines(data.decode(encoding)), None
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        non_ascii = sum(b >= 0x80 for b in data)
        try:
            fallback = data.decode("cp1252")
        except UnicodeDecodeError:
            fallback = None
        if fallback is not None and (html or non_ascii <= 0.1 * len(data)):
            return (_universal_newlines(fallback),
                    f"not valid UTF-8 (byte 0x{bad:02x} at offset {exc.start}); read as Windows-1252")
        return Problem("", f"not UTF-8 text: undecodable byte 0x{bad:02x} at offset {exc.start}; "
                           "save the file as UTF-8")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f\v\x1b")
    if controls > max(8, len(text) // 100):
        return Problem("", "binary file (control characters), not text")
    return _universal_newlines(text), None


def _declared_charset(data: bytes) -> str | None:
    m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w\-]+)", data[:4096], re.IGNORECASE)
    return m.group(1).decode("ascii", "replace").lower() if m else None


# ---------------------------------------------------------------------------
# JSONL


def _read_jsonl(where: str, name: str, stream: IO[bytes], max_bytes: int,
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
            for item in _line_article(where, name, raw, lineno):
                yielded += 1
                yield item
    except _Hostile:
        yield Problem(where, f"decompressed size passed {cap:,} bytes ({GZIP_MAX_RATIO}x the file): "
                             "a gzip bomb? stopped reading", lineno)
        return
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        yield Problem(where, f"corrupt gzip data: {exc}; stopped reading", lineno + 1)
        return
    if not yielded:
        yield Problem(where, "empty file (no JSON lines)")


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
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        yield Problem(where, f"not valid JSON: {exc.msg} at column {exc.colno}", lineno)
        return
    except RecursionError:
        yield Problem(where, "not valid JSON: nested too deeply", lineno)
        return
    if not isinstance(record, dict):
        yield Problem(where, f"a JSON object was expected, not {type(record).__name__}", lineno)
        return
    item = article_from_record(record, path=where, line=lineno, file_name=name)
    if isinstance(item, Problem):
        yield item
        return
    yield from _cleaned(item, where, lineno)


def article_from_record(record: dict[str, Any], *, path: str = "<record>", line: int | None = None,
                        file_name: str | None = None) -> Article | Problem:
    """An (uncleaned) Article from one JSONL object, or the Problem with it (INPUT.md fields)."""
    text, html = record.get("text"), record.get("html")
    has_text = isinstance(text, str) and text.strip() != ""
    has_html = isinstance(html, str) and html.strip() != ""
    if not has_text and not has_html:
        what = "empty" if isinstance(text, str) or isinstance(html, str) else "missing"
        return Problem(path, f"no article: the `text` (or `html`) field is {what}", line)
    published = record.get("published")
    when: dt.datetime | None = None
    if published not in (None, ""):
        when = _iso_datetime(published)
        if when is None:
            return Problem(path, f"bad `published` {str(published)[:40]!r}: expected an ISO 8601 date "
                                 "or datetime like 2020-05-06 or 2020-05-06T15:40:00+09:00", line)
    metadata = {k: v for k, v in record.items() if k not in _KNOWN_FIELDS}
    fields: dict[str, str | None] = {}
    for key in ("id", "title", "source", "url", "author", "language"):
        value = _as_text(record.get(key), joiner=" and " if key == "author" else None)
        if value is None and record.get(key) not in (None, ""):
            metadata[key] = record[key]  # a shape we cannot use; keep it rather than lose it
        fields[key] = value
    page = _page(html) if not has_text else None
    if page is not None and not page.text.strip():
        return Problem(path, "no article text found in the `html` field", line)
    ident = fields["id"] or fields["url"] or f"{file_name or Path(path).name}:{line}"
    return Article(
        id=ident,
        text=text if has_text else page.text,  # type: ignore[union-attr]
        title=fields["title"] or (page.title if page else None),
        source=fields["source"] or (page.source if page else None),
        author=fields["author"] or (page.author if page else None),
        published=when or (page.published if page else None),
        url=fields["url"] or (page.url if page else None),
        language=fields["language"] or (page.language if page else None),
        path=path, line=line, metadata=metadata)


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


def _iso_datetime(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    s = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            return dt.datetime.combine(dt.date.fromisoformat(s), dt.time())
        return dt.datetime.fromisoformat(s)
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# HTML


@dataclass(frozen=True)
class _Page:
    text: str
    title: str | None = None
    source: str | None = None
    author: str | None = None
    published: dt.datetime | None = None
    url: str | None = None
    language: str | None = None


class _PageParser(HTMLParser):
    """Meta tags, <title>, <html lang>, and a plain-text fallback when trafilatura is absent."""

    SKIP = frozenset(("script", "style", "noscript", "nav", "header", "footer", "aside", "form",
                      "svg", "template", "iframe", "button", "select", "head"))
    BLOCK = frozenset(("p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "li",
                       "ul", "ol", "blockquote", "figure", "figcaption", "table", "tr", "pre",
                       "main", "dd", "dt"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self.language: str | None = None
        self.parts: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and a.get("lang"):
            self.language = a["lang"].split("-")[0].lower() or None
        elif tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content") and key not in self.meta:
                self.meta[key] = a["content"].strip()
        elif tag == "link" and a.get("rel", "").lower() == "canonical" and a.get("href"):
            self.meta.setdefault("canonical", a["href"])
        elif tag == "title":
            self._in_title = True
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        joined = "".join(self.parts)
        paragraphs = (p.strip() for p in re.split(r"\s*\n\s*\n\s*", joined))
        return "\n\n".join(" ".join(p.split()) if "\n" not in p else p for p in paragraphs if p)


def text_from_html(html: str) -> str:
    """The main text of a page: trafilatura's extraction when installed, else all visible text."""
    return _page(html).text


def _page(html: str) -> _Page:
    parser = _PageParser()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser gives up on some malformed markup; keep what it read
        pass
    meta = parser.meta
    text, extracted = "", None
    try:
        import trafilatura
        extracted = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True,
            # Only the page's own date markup, never a guess from the body or the URL.
            date_extraction_params={"extensive_search": False, "original_date": True})
        text = (getattr(extracted, "text", None) or "") if extracted is not None else ""
    except ImportError:
        pass
    except Exception:  # a parser failure in the extractor: fall back to the visible text
        extracted = None
    if not text.strip():
        text = parser.text()

    def pick(*values: Any) -> str | None:
        for v in values:
            if isinstance(v, str) and v.strip():
                return " ".join(v.split())
        return None

    ex = (lambda name: getattr(extracted, name, None)) if extracted is not None else (lambda name: None)
    published = None
    for key in ("article:published_time", "og:article:published_time", "datepublished",
                "pubdate", "publishdate", "date", "dc.date", "dcterms.created"):
        if key in meta:
            published = _iso_datetime(meta[key])
            if published:
                break
    if published is None and ex("date"):
        published = _iso_datetime(str(ex("date")))
    return _Page(
        text=text,
        title=pick(meta.get("og:title"), ex("title"), meta.get("twitter:title"), parser.title),
        source=pick(meta.get("og:site_name"), ex("sitename")),
        # article:author is often a profile URL, not a name
        author=pick(meta.get("author"), *[v for v in [meta.get("article:author")] if v and "://" not in v],
                    ex("author")),
        published=published,
        url=pick(meta.get("og:url"), meta.get("canonical"), ex("url")),
        language=parser.language or pick(ex("language")),
    )
