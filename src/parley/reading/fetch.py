"""Fetching an `http(s)://` input: the page's bytes, or a one-line Problem saying why not.

    fetched = fetch("https://example.org/talks", FetchLimits(timeout=10))
    if isinstance(fetched, Problem): ...

httpx does the HTTP. What a hostile or broken server cannot do here: hang the run
(a timeout for connecting and for each read, and one for the whole download), fill
memory (the body is read in pieces and abandoned past `max_bytes`), loop (at most
`max_redirects` redirects), or hand over a video or a ZIP as an article (the
Content-Type must be a page, text, a feed or JSON lines). Every failure is a
Problem naming the URL; the caller goes on with its other inputs.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import httpx

from parley.records import Problem

__all__ = ["FetchLimits", "Fetched", "fetch", "is_url", "READABLE_TYPES"]

# Content-Type (without parameters) -> the form the reader expects.
READABLE_TYPES = {
    "text/html": "html", "application/xhtml+xml": "html",
    "text/plain": "text", "text/markdown": "text",
    "application/rss+xml": "feed", "application/atom+xml": "feed", "application/rdf+xml": "feed",
    "application/xml": "feed", "text/xml": "feed",
    "application/x-ndjson": "jsonl", "application/jsonl": "jsonl", "application/json": "jsonl",
}


def is_url(given: object) -> bool:
    return isinstance(given, str) and given[:8].lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class FetchLimits:
    timeout: float = 20.0  # seconds to connect, and between two pieces of the body
    total: float = 60.0  # seconds for the whole download
    max_bytes: int = 20_000_000
    max_redirects: int = 5


@dataclass(frozen=True)
class Fetched:
    url: str  # as asked for
    final_url: str  # after redirects
    data: bytes
    form: str  # "html", "text", "feed" or "jsonl": from the Content-Type
    retrieved: dt.datetime  # UTC


def fetch(url: str, limits: FetchLimits = FetchLimits(), client: httpx.Client | None = None) -> Fetched | Problem:
    """GET `url` within `limits`; `client` (tests, a long-running watch) is reused if given."""
    own = client is None
    if client is None:
        client = new_client(limits)
    try:
        return _get(client, url, limits)
    finally:
        if own:
            client.close()


def new_client(limits: FetchLimits = FetchLimits()) -> httpx.Client:
    return httpx.Client(follow_redirects=True, max_redirects=limits.max_redirects,
                        timeout=httpx.Timeout(limits.timeout),
                        headers={"User-Agent": "parley (negotiation news reader)"})


def _get(client: httpx.Client, url: str, limits: FetchLimits) -> Fetched | Problem:
    started = time.monotonic()
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                return Problem(url, f"HTTP {response.status_code} {response.reason_phrase}: not fetched")
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            form = READABLE_TYPES.get(kind)
            if form is None:
                return Problem(url, f"content type {kind or 'not given'!r} is not a page, text, feed or "
                                    "JSON lines: not read")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limits.max_bytes:
                return Problem(url, f"page is {int(declared):,} bytes, over the limit of {limits.max_bytes:,}")
            pieces, size = [], 0
            for piece in response.iter_bytes():
                size += len(piece)
                if size > limits.max_bytes:
                    return Problem(url, f"page is over the limit of {limits.max_bytes:,} bytes: not read")
                if time.monotonic() - started > limits.total:
                    return Problem(url, f"download took over {limits.total:g} s: not read")
                pieces.append(piece)
            final = str(response.url)
    except httpx.TooManyRedirects:
        return Problem(url, f"more than {limits.max_redirects} redirects: not fetched")
    except httpx.TimeoutException:
        return Problem(url, f"no answer within {limits.timeout:g} s: not fetched (the server may be down)")
    except httpx.InvalidURL as exc:
        return Problem(url, f"not a valid URL ({exc})")
    except httpx.HTTPError as exc:  # connection refused, DNS, TLS, a broken response
        reason = " ".join(str(exc).split()) or type(exc).__name__
        return Problem(url, f"cannot fetch: {reason[:160]}")
    return Fetched(url=url, final_url=final, data=b"".join(pieces), form=form,
                   retrieved=dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
