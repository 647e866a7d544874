"""What a file is, from its first bytes: so a PNG named .html or a ZIP named .jsonl is named
for what it is, and a WARC or feed with the wrong extension is still read."""
from __future__ import annotations

import re

GZIP_MAGIC = b"\x1f\x8b"

# Binary forms people save by mistake; each gets a one-line Problem, never a parse attempt.
_FOREIGN: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.epub, which are ZIPs); unzip it first"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive; extract it first"),
    (b"BZh", "a bzip2 archive; decompress it first"),
    (b"\xfd7zXZ\x00", "an xz archive; decompress it first"),
    (b"\x28\xb5\x2f\xfd", "a Zstandard archive; decompress it first"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"MZ", "a Windows program"),
    (b"\x00\x00\x00\x18ftyp", "an MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "an MP4 video"),
    (b"ID3", "an MP3 file"),
    (b"OggS", "an Ogg media file"),
)

_HTML = re.compile(rb"\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])",
                   re.IGNORECASE | re.DOTALL)
_FEED = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_BOM = b"\xef\xbb\xbf"


def foreign(head: bytes) -> str | None:
    """'a PNG image', ... when the bytes are a binary form parley does not read, else None."""
    for magic, label in _FOREIGN:
        if head.startswith(magic):
            if magic == b"MZ" and b"\x00" not in head[:64]:
                continue  # "MZ" also starts plain text; a real program has NULs in its header
            if magic == b"BZh" and not head[3:4].isdigit():
                continue
            return label
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}[head[8:12]]
    if len(head) >= 262 and head[257:262] == b"ustar":
        return "a tar archive; extract it first"
    return None


def form(head: bytes) -> str | None:
    """The readable form the first bytes show: 'gzip', 'warc', 'parquet', 'feed', 'html', 'jsonl',
    or None when they do not say (plain text, CSV)."""
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(b"PAR1"):
        return "parquet"
    text = head[len(_BOM):] if head.startswith(_BOM) else head
    if text.startswith(b"WARC/"):
        return "warc"
    stripped = text.lstrip()
    if stripped.startswith(b"<?xml") or stripped.startswith(b"<rss") or stripped.startswith(b"<feed"):
        if _FEED.search(head):
            return "feed"
    if _HTML.match(text):
        return "html"
    if stripped.startswith(b"<?xml") and re.search(rb"<html[\s>]", head, re.IGNORECASE):
        return "html"  # XHTML
    if stripped.startswith(b"{"):
        return "jsonl"
    return None
