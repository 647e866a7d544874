"""Bytes to text: UTF-8 first, a declared charset for pages, Windows-1252 as a warned fallback.

Offsets are sacred: the text is exactly what ``Path.read_text(encoding="utf-8")`` gives
(universal newlines, a BOM kept as U+FEFF), so evidence found by substring search lands
where the offsets say.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from parley.records import Problem

__all__ = ["decode", "declared_charset", "universal_newlines", "iso_datetime"]


def universal_newlines(text: str) -> str:
    # Exactly what Path.read_text does, so offsets match what other tools read.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes, *, html: bool = False, charset: str | None = None) -> tuple[str, str | None] | Problem:
    """(text, warning) or a Problem with the reason. `charset` is one the transport declared
    (an HTTP Content-Type); a page's own <meta charset> is looked for when `html`."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return universal_newlines(data.decode("utf-16")), None
        except UnicodeDecodeError:
            return Problem("", "not text: a UTF-16 byte-order mark but undecodable content")
    if b"\x00" in data:
        return Problem("", "binary file (contains NUL bytes), not text")
    encoding = charset or (declared_charset(data) if html else None)
    if encoding:
        try:
            return universal_newlines(data.decode(encoding)), None
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
            return (universal_newlines(fallback),
                    f"not valid UTF-8 (byte 0x{bad:02x} at offset {exc.start}); read as Windows-1252")
        return Problem("", f"not UTF-8 text: undecodable byte 0x{bad:02x} at offset {exc.start}; "
                           "save the file as UTF-8")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f\v\x1b")
    if controls > max(8, len(text) // 100):
        return Problem("", "binary file (control characters), not text")
    return universal_newlines(text), None


def declared_charset(data: bytes) -> str | None:
    m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w\-]+)", data[:4096], re.IGNORECASE)
    return m.group(1).decode("ascii", "replace").lower() if m else None


def iso_datetime(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    s = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            return dt.datetime.combine(dt.date.fromisoformat(s), dt.time())
        return dt.datetime.fromisoformat(s)
    except ValueError:
        return None

