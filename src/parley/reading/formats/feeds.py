"""RSS and Atom feed files: each entry that carries content (or a summary) is one article.

    id          the entry's id (guid), else its link, else <file>#<entry number>
    text        the entry's content (HTML made plain text), else its summary
    title, author, url (the entry link), published (the entry's date, else its updated date,
    in UTC), source (the feed's title), language (the entry's, else the feed's)

feedparser never fetches anything here (it is handed bytes, not a name). The DOCTYPE is
removed before parsing: feeds have no use for their own entities, and a billion-laughs
feed would otherwise keep expat expanding until its amplification guard stops it (seconds
of work and megabytes; on an old expat, without end). Its entity references then read as
literal text.
"""
from __future__ import annotations

import calendar
import datetime as dt
import io
import re
from typing import Any, Iterator

from parley.reading.formats.html import fragment_text
from parley.records import Article, Problem

__all__ = ["read_feed"]

_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*(?:\[.*?\]\s*)?>", re.IGNORECASE | re.DOTALL)
_PROLOG_BYTES = 1 << 20  # a DOCTYPE comes before the root element; look no further


def without_doctype(data: bytes) -> bytes | None:
    """The document without its DOCTYPE declaration (and the entities declared in it); None
    when the declaration does not end within the first megabyte (no feed needs that)."""
    prolog = data[:_PROLOG_BYTES]
    m = _DOCTYPE.search(prolog)
    if not m:
        return None if re.search(rb"<!DOCTYPE", prolog, re.IGNORECASE) else data
    return data[:m.start()] + data[m.end():]


def read_feed(where: str, name: str, data: bytes) -> Iterator[Article | Problem]:
    """The entries of one feed document as uncleaned Articles (never raises on bad input)."""
    try:
        import feedparser
    except ImportError:
        yield Problem(where, "reading RSS/Atom feeds needs feedparser: pip install feedparser")
        return
    document = without_doctype(data)
    if document is None:
        yield Problem(where, "not a readable feed: a DOCTYPE declaration over 1 MB long")
        return
    try:
        parsed = feedparser.parse(io.BytesIO(document), resolve_relative_uris=False)
    except Exception as exc:  # feedparser's loose parser on pathological markup
        yield Problem(where, f"not a readable RSS or Atom feed ({type(exc).__name__}: {exc})")
        return
    feed = parsed.get("feed", {})
    entries = parsed.get("entries", [])
    if not entries:
        if parsed.get("bozo") and not feed:
            reason = parsed.get("bozo_exception")
            yield Problem(where, f"not a readable RSS or Atom feed: {str(reason)[:120] or 'malformed XML'}")
        else:
            yield Problem(where, "the feed has no entries", fatal=False)
        return
    source = _text(feed.get("title"))
    feed_language = _language(feed.get("language"))
    for number, entry in enumerate(entries, start=1):
        yield _entry_article(where, name, number, entry, source, feed_language)


def _entry_article(where: str, name: str, number: int, entry: Any, source: str | None,
                   feed_language: str | None) -> Article | Problem:
    link = _text(entry.get("link"))
    label = f"entry {number}" + (f" ({link})" if link else "")
    text = _entry_text(entry)
    if not text:
        return Problem(where, f"{label} has no content or summary; skipped")
    published, published_from = _when(entry, "published"), "published"
    if published is None:
        published, published_from = _when(entry, "updated"), "updated"
    author = _text((entry.get("author_detail") or {}).get("name")) or _text(entry.get("author"))
    metadata: dict[str, Any] = {"entry": number}
    if published is not None:
        metadata["published_from"] = published_from
    tags = [t.get("term") for t in entry.get("tags") or [] if t.get("term")]
    if tags:
        metadata["tags"] = tags
    return Article(id=_text(entry.get("id")) or link or f"{name}#{number}", text=text,
                   title=_text(entry.get("title")), source=source, author=author,
                   published=published, url=link,
                   language=_language(entry.get("language")) or feed_language,
                   path=where, metadata=metadata)


def _entry_text(entry: Any) -> str:
    candidates = list(entry.get("content") or [])
    if entry.get("summary"):
        candidates.append(entry.get("summary_detail") or {"value": entry["summary"], "type": "text/html"})
    for part in candidates:
        value = part.get("value") or ""
        kind = (part.get("type") or "text/html").lower()
        text = fragment_text(value) if kind in _HTML_TYPES or "<" in value else " ".join(value.split())
        if text.strip():
            return text
    return ""


def _when(entry: Any, key: str) -> dt.datetime | None:
    parsed = entry.get(f"{key}_parsed")
    if not parsed:
        return None
    try:  # feedparser gives UTC as a struct_time
        return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.timezone.utc)
    except (OverflowError, ValueError, OSError):
        return None


def _text(value: Any) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def _language(value: Any) -> str | None:
    code = _text(value)
    return code.split("-")[0].lower() if code else None
