"""Streams cut or padded by an adversary: a WARC cut inside a record's header is the documented
`truncated WARC`, and a sea of blank lines in a JSONL file is passed over in bulk."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from parley.reading.formats.jsonl import read_jsonl
from parley.reading.readers import read_articles
from parley.records import Article, Problem

PAGE = "<html><head><title>Ferry talks {n}</title></head><body><p>The ferry union rejected offer {n} " \
       "from the harbour board on Friday after a long night of talks.</p></body></html>"


def warc(count: int) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for n in range(count):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"http://example.invalid/{n}", "response",
                                                      payload=io.BytesIO(PAGE.format(n=n).encode()),
                                                      http_headers=headers))
    return out.getvalue()


@pytest.mark.parametrize("into_header", [3, 40, 120, 200])
def test_a_warc_cut_inside_a_record_header_is_a_truncated_warc(tmp_path: Path, into_header: int) -> None:
    data = warc(2)
    second = data.index(b"WARC/1.", 10)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[:second + into_header])
    items = list(read_articles([path]))
    assert [i.url for i in items if isinstance(i, Article)] == ["http://example.invalid/0"]
    [problem] = [i for i in items if isinstance(i, Problem)]
    assert problem.reason.startswith(f"truncated WARC: the record at offset {second:,} is cut off")


def test_a_whole_warc_has_no_problem(tmp_path: Path) -> None:
    path = tmp_path / "whole.warc"
    path.write_bytes(warc(3) + b"\r\n")
    items = list(read_articles([path]))
    assert len([i for i in items if isinstance(i, Article)]) == 3
    assert not [i for i in items if isinstance(i, Problem)]


class CountingReader(io.BufferedReader):
    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data))
        self.readlines = 0

    def readline(self, size: int | None = -1) -> bytes:  # type: ignore[override]
        self.readlines += 1
        return super().readline(size)


def test_a_million_blank_lines_are_passed_over_in_bulk_with_line_numbers_kept() -> None:
    data = (b'{"id": "a", "text": "The union met the board."}\n' + b"\n" * 1_000_000 + b" \t\r\n\n"
            b'   {"id": "b", "text": "The board met the union."}\n')
    stream = CountingReader(data)
    items = list(read_jsonl("f.jsonl", "f.jsonl", stream, 20_000_000, None))
    assert [(i.id, i.line) for i in items] == [("a", 1), ("b", 1_000_004)]
    assert stream.readlines < 100  # not one Python-level read per blank line


def test_a_file_of_only_blank_lines_is_still_an_empty_file() -> None:
    items = list(read_jsonl("f.jsonl", "f.jsonl", CountingReader(b"\n" * 100_000), 20_000_000, None))
    assert [(type(i), i.reason) for i in items] == [(Problem, "empty file (no JSON lines)")]
