"""A byte stream that stops at a cap and turns a cut-off gzip stream into `Truncated`.

Third-party readers (warcio, csv through TextIOWrapper) read from it; the cap bounds both
memory and time whatever they do with a hostile file, and `Truncated` is not an EOFError,
so a reader that treats EOFError as "no more records" cannot hide a cut-off archive.
"""
from __future__ import annotations

import gzip
import io
import zlib
from typing import IO

# Real text compresses 3-10 fold; a gzip bomb ~1000 fold. Past this ratio (and past
# max_bytes) a .gz is treated as hostile rather than decompressed to the end.
GZIP_MAX_RATIO = 200


def decompressed_cap(compressed_size: int, max_bytes: int) -> int:
    return max(max_bytes, GZIP_MAX_RATIO * compressed_size)


class OverCap(Exception):
    """The stream yielded more than its cap."""


class Truncated(Exception):
    """The compressed stream ended in the middle (or is corrupt)."""


class CappedReader(io.RawIOBase):
    def __init__(self, inner: IO[bytes], cap: int | None) -> None:
        super().__init__()
        self.inner, self.cap, self.count = inner, cap, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        # read1: one decompression step per call, so the data before a cut-off gzip member
        # is handed over before the error, never lost with it.
        read = getattr(self.inner, "read1", self.inner.read)
        try:
            data = read(len(buffer))
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise Truncated(str(exc) or "the compressed stream ended early") from exc
        n = len(data)
        self.count += n
        if self.cap is not None and self.count > self.cap:
            raise OverCap
        buffer[:n] = data
        return n

    def tell(self) -> int:
        return self.count
