"""A saved web page: its main text (trafilatura) and the page's own title, outlet, author,
date and URL (meta tags, JSON-LD and htmldate through trafilatura's metadata).

The publication date is only ever the page's own (`extensive_search` off): never a guess
from the body, and never today's date.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from parley.reading.formats.text import iso_datetime

__all__ = ["Page", "page", "text_from_html", "fragment_text", "nesting_depth", "MAX_HTML_DEPTH"]


# Real pages nest a few dozen levels. Past this the markup is broken or hostile: lxml
# flattens what is deeper than its own limit, so main-text extraction would be guesswork;
# the page is read with the plain visible-text parser (no recursion, no depth limit) instead.
MAX_HTML_DEPTH = 1000

# Elements that never hold others, or that the parser closes implicitly when the next
# one opens: counting them would make a long list or table look deep.
_NOT_NESTING = frozenset((
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead",
    "tbody", "tfoot", "colgroup", "rb", "rt", "rp", "!doctype"))
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None = None
    source: str | None = None
    author: str | None = None
    published: dt.datetime | None = None
    url: str | None = None
    language: str | None = None
    warning: str | None = None  # read, but not as well as it should be (say why)


def nesting_depth(html: str, stop_at: int = MAX_HTML_DEPTH) -> int:
    """How deep the elements of `html` nest (stops counting at `stop_at`): a linear scan,
    safe on any input."""
    if html.count("<") <= stop_at:
        return min(html.count("<"), stop_at)  # cannot nest deeper than it has tags
    depth = deepest = 0
    for m in _TAG.finditer(html):
        if m.group(3) or m.group(2).lower() in _NOT_NESTING:
            continue
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest >= stop_at:
                    break
    return deepest


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
    return page(html).text


def _parsed(html: str) -> _PageParser:
    parser = _PageParser()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser gives up on some malformed markup; keep what it read
        pass
    return parser


def fragment_text(html: str) -> str:
    """The visible text of an HTML fragment (a feed entry's content): every paragraph, no
    main-text guessing, which would drop a short fragment whole."""
    return _parsed(html).text()


def page(html: str) -> Page:
    """Main text and metadata of one saved page (never raises)."""
    parser = _parsed(html)
    meta = parser.meta
    text, extracted, warning = "", None, None
    depth = nesting_depth(html)
    try:
        if depth >= MAX_HTML_DEPTH:
            warning = (f"HTML nested over {MAX_HTML_DEPTH:,} levels deep: read its visible text "
                       "without main-text extraction")
            raise ImportError  # the same path as without trafilatura
        import trafilatura
        extracted = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True,
            # Only the page's own date markup, never a guess from the body or the URL.
            date_extraction_params={"extensive_search": False, "original_date": True})
        text = (getattr(extracted, "text", None) or "") if extracted is not None else ""
    except ImportError:
        pass
    except Exception:  # a parser failure in the extractor (RecursionError too): use the visible text
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
            published = iso_datetime(meta[key])
            if published:
                break
    if published is None and ex("date"):
        published = iso_datetime(str(ex("date")))
    return Page(
        text=text,
        title=pick(meta.get("og:title"), ex("title"), meta.get("twitter:title"), parser.title),
        source=pick(meta.get("og:site_name"), ex("sitename")),
        # article:author is often a profile URL, not a name
        author=pick(meta.get("author"), *[v for v in [meta.get("article:author")] if v and "://" not in v],
                    ex("author")),
        published=published,
        url=pick(meta.get("og:url"), meta.get("canonical"), ex("url")),
        language=parser.language or pick(ex("language")),
        warning=warning,
    )
