"""Bad and hostile input: each gives a one-line Problem (or a warning), memory stays bounded,
the run goes on, and nothing read before it is lost."""
from __future__ import annotations

import gzip
import io
import json
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.reading.readers import read_articles
from parley.records import Article, Problem

GOOD = "Ferry talks stall\n\nThe ferry operator and the council failed to agree on fares on Friday.\n"


def split(items: list[Article | Problem]) -> tuple[list[Article], list[Problem]]:
    return ([i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Problem)])


def measured(paths: list[Path], **kw: int) -> tuple[list[Article | Problem], float, int]:
    started = time.monotonic()
    tracemalloc.start()
    try:
        items = list(read_articles(paths, **kw))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return items, time.monotonic() - started, peak


def good_file(tmp_path: Path) -> Path:
    f = tmp_path / "zz-good.txt"
    f.write_text(GOOD, encoding="utf-8")
    return f


def gzip_of_zeros(size: int, prefix: bytes = b"") -> bytes:
    """A gzip stream that inflates to `prefix` + `size` zero bytes, built without holding them."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as z:
        z.write(prefix)
        block = b"\0" * (1 << 20)
        for _ in range(size >> 20):
            z.write(block)
    return out.getvalue()


# --- gzip bombs ----------------------------------------------------------------


@pytest.mark.parametrize("name,prefix", [
    ("bomb.warc.gz", b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.example/\r\n"
                     b"Content-Type: application/http; msgtype=response\r\nContent-Length: 999999999999\r\n\r\n"
                     b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"),
    ("bomb.csv.gz", b"id,text\nfirst,Talks resumed on Monday.\nsecond,\""),
    ("bomb.rss.gz", b"<?xml version='1.0'?><rss version='2.0'><channel><item><description>"),
    ("bomb.html.gz", b"<html><body><p>"),
    ("bomb.jsonl.gz", b'{"id": "first", "text": "Talks resumed."}\n'),
])
def test_gzip_bomb_is_capped(tmp_path: Path, name: str, prefix: bytes) -> None:
    bomb = tmp_path / name
    bomb.write_bytes(gzip_of_zeros(100 << 20, prefix))  # 100 MB inflated, ~100 kB on disk
    items, seconds, peak = measured([bomb, good_file(tmp_path)], max_bytes=1_000_000)
    articles, problems = split(items)
    assert articles[-1].id == "zz-good.txt", "the run goes on"
    bomb_problems = [p for p in problems if p.path == str(bomb)]
    assert bomb_problems and all("\n" not in str(p) for p in bomb_problems)
    assert any(w in p.reason for p in bomb_problems for w in ("gzip bomb", "over the limit"))
    assert seconds < 5 and peak < 150_000_000, (seconds, peak)


# --- truncated archives -------------------------------------------------------


def test_truncated_warc_among_other_files(tmp_path: Path) -> None:
    warcio = pytest.importorskip("warcio.warcwriter")
    from warcio.statusandheaders import StatusAndHeaders
    buffer = io.BytesIO()
    writer = warcio.WARCWriter(buffer, gzip=True)
    for i in range(3):
        body = (f"<html><head><title>Round {i}</title></head><body><article><p>Round {i} of the "
                "water talks ended on Monday without a deal, both delegations said afterwards.</p>"
                "</article></body></html>").encode()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://x.example/{i}", "response",
                                                      payload=io.BytesIO(body), http_headers=http))
    data = buffer.getvalue()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[:-40])
    articles, problems = split(list(read_articles([cut, good_file(tmp_path)])))
    assert [a.id for a in articles] == ["https://x.example/0", "https://x.example/1", "zz-good.txt"]
    (problem,) = problems
    assert "truncated" in problem.reason and "offset" in problem.reason and "\n" not in str(problem)


def test_truncated_gzip_jsonl_keeps_the_lines_before_the_cut(tmp_path: Path) -> None:
    lines = b"".join(json.dumps({"id": f"n{i}", "text": "Talks resumed on Monday."}).encode() + b"\n"
                     for i in range(200))
    f = tmp_path / "cut.jsonl.gz"
    f.write_bytes(gzip.compress(lines)[:-60])
    articles, problems = split(list(read_articles([f])))
    assert len(articles) > 100 and [a.id for a in articles] == [f"n{i}" for i in range(len(articles))]
    assert len(problems) == 1 and "gzip" in problems[0].reason


def test_truncated_gzip_csv_keeps_the_rows_before_the_cut(tmp_path: Path) -> None:
    rows = "id,text\n" + "".join(f"n{i},Talks resumed on Monday after a pause of {i} days.\n" for i in range(3000))
    f = tmp_path / "cut.csv.gz"
    f.write_bytes(gzip.compress(rows.encode(), compresslevel=1)[:-200])
    articles, problems = split(list(read_articles([f, good_file(tmp_path)])))
    assert len(articles) > 2000 and articles[-1].id == "zz-good.txt"
    assert [a.id for a in articles[:-1]] == [f"n{i}" for i in range(len(articles) - 1)]
    (problem,) = problems
    assert "gzip" in problem.reason and problem.path == str(f)


# --- deep nesting ---------------------------------------------------------------


@pytest.mark.parametrize("opening,closing", [("<div>", "</div>"), ("<span><b>", ""), ("<table><tr><td>", "")])
def test_html_nested_a_hundred_thousand_levels(tmp_path: Path, opening: str, closing: str) -> None:
    depth = 100_000
    f = tmp_path / "deep.html"
    f.write_text("<html><body>" + opening * depth
                 + "<p>The port and the pilots reached a deal on Sunday, the port said.</p>"
                 + closing * depth + "</body></html>", encoding="utf-8")
    started = time.monotonic()
    articles, problems = split(list(read_articles([f, good_file(tmp_path)])))
    assert [a.id for a in articles] == ["deep.html", "zz-good.txt"]
    assert "reached a deal on Sunday" in articles[0].text
    (warning,) = problems
    assert not warning.fatal and "nested" in warning.reason
    assert time.monotonic() - started < 8


def test_deeply_nested_html_inside_jsonl(tmp_path: Path) -> None:
    html = "<html><body>" + "<div>" * 100_000 + "<p>The sides met on Monday.</p>" + "</div>" * 100_000
    f = tmp_path / "deep.jsonl"
    f.write_text(json.dumps({"id": "deep", "html": html}) + "\n"
                 + json.dumps({"id": "after", "text": "Talks resumed."}) + "\n", encoding="utf-8")
    articles, _ = split(list(read_articles([f])))
    assert [a.id for a in articles] == ["deep", "after"] and "met on Monday" in articles[0].text


def test_json_nested_a_hundred_thousand_levels(tmp_path: Path) -> None:
    f = tmp_path / "deep.jsonl"
    f.write_text("[" * 100_000 + "]" * 100_000 + "\n"
                 + json.dumps({"id": "after", "text": "Talks resumed."}) + "\n", encoding="utf-8")
    articles, problems = split(list(read_articles([f])))
    assert [a.id for a in articles] == ["after"] and problems[0].line == 1


# --- a 100 MB article ------------------------------------------------------------


def write_sparse(path: Path, head: bytes, size: int, tail: bytes = b"") -> Path:
    with path.open("wb") as out:
        out.write(head)
        out.seek(size - len(tail) - 1)
        out.write(tail + b"\n")
    return path


@pytest.mark.parametrize("name", ["huge.txt", "huge.html"])
def test_a_100_mb_article_file_is_skipped_without_reading_it(tmp_path: Path, name: str) -> None:
    f = write_sparse(tmp_path / name, b"Harbour talks\n\nThe talks went on. ", 100 << 20)
    items, seconds, peak = measured([f, good_file(tmp_path)])
    articles, problems = split(items)
    assert [a.id for a in articles] == ["zz-good.txt"]
    (problem,) = problems
    assert "over the limit" in problem.reason and problem.path == str(f)
    assert peak < 5_000_000 and seconds < 3


def test_a_100_mb_jsonl_line_is_skipped_and_the_next_line_read(tmp_path: Path) -> None:
    f = tmp_path / "huge.jsonl"
    with f.open("wb") as out:
        out.write(b'{"id": "huge", "text": "')
        chunk = b"The talks went on. " * 50_000
        for _ in range((100 << 20) // len(chunk)):
            out.write(chunk)
        out.write(b'"}\n' + json.dumps({"id": "after", "text": "Talks ended on Friday."}).encode() + b"\n")
    items, seconds, peak = measured([f], max_bytes=2_000_000)
    articles, problems = split(items)
    assert [a.id for a in articles] == ["after"]
    assert problems[0].line == 1 and "over the limit" in problems[0].reason
    assert peak < 10_000_000 and seconds < 5


def test_a_100_mb_record_in_a_warc_is_skipped_without_holding_it(tmp_path: Path) -> None:
    f = tmp_path / "huge.warc"
    size = 100 << 20
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>"
    head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.example/huge\r\n"
            b"WARC-Date: 2022-01-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
            + f"Content-Length: {size}\r\n\r\n".encode() + http)
    write_sparse(f, head, len(head) - len(http) + size + 4, b"\r\n\r")
    items, seconds, peak = measured([f, good_file(tmp_path)])
    articles, problems = split(items)
    assert [a.id for a in articles] == ["zz-good.txt"]
    assert any("over the limit" in p.reason for p in problems)
    assert peak < 5_000_000 and seconds < 5


# --- billion laughs ----------------------------------------------------------------


def test_billion_laughs_feed_finishes_fast_with_bounded_memory(tmp_path: Path) -> None:
    pytest.importorskip("feedparser")
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    f = tmp_path / "laughs.rss"
    f.write_text(f"""<?xml version="1.0"?><!DOCTYPE rss [{entities}]>
<rss version="2.0"><channel><title>Laughs</title>
<item><title>Bomb</title><link>https://x.example/1</link><description>&lol9;</description></item>
<item><title>Plain</title><link>https://x.example/2</link>
<description>The unions and the employers met on Monday.</description></item>
</channel></rss>""", encoding="utf-8")
    items, seconds, peak = measured([f, good_file(tmp_path)])
    articles, _ = split(items)
    assert "https://x.example/2" in [a.id for a in articles] and articles[-1].id == "zz-good.txt"
    assert all("lollollol" not in a.text for a in articles)
    assert seconds < 2 and peak < 5_000_000


# --- not what the extension says -----------------------------------------------------


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(64))
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"


@pytest.mark.parametrize("name,data,says", [
    ("photo.html", PNG, "PNG image"),
    ("export.jsonl", ZIP, "ZIP archive"),
    ("report.txt", PDF, "PDF document"),
    ("feed.rss", PNG, "PNG image"),
    ("crawl.warc", ZIP, "ZIP archive"),
    ("table.csv", PDF, "PDF document"),
    ("rows.parquet", b"id,text\na,Talks resumed.\n", "not a Parquet file"),
    ("crawl.warc.gz", gzip.compress(b"Talks resumed on Monday.\n"), "not a WARC file"),
    ("photo.html.gz", gzip.compress(PNG), "PNG image"),
])
def test_a_file_that_is_not_what_its_name_says_is_one_clear_problem(tmp_path: Path, name: str, data: bytes,
                                                                     says: str) -> None:
    f = tmp_path / name
    f.write_bytes(data)
    articles, problems = split(list(read_articles([f, good_file(tmp_path)])))
    assert [a.id for a in articles] == ["zz-good.txt"]
    (problem,) = problems
    assert says in problem.reason and problem.path == str(f) and "\n" not in str(problem)


@pytest.mark.parametrize("name", ["page.txt", "page.jsonl", "page.csv", "page.xml"])
def test_html_under_another_name_is_read_as_html(tmp_path: Path, name: str) -> None:
    f = tmp_path / name
    f.write_text("<!doctype html><html><head><title>Mill deal</title></head><body><article>"
                 "<p>The mill owners and the union agreed a new contract on Thursday, both sides said.</p>"
                 "</article></body></html>", encoding="utf-8")
    (article,) = [i for i in read_articles([f]) if isinstance(i, Article)]
    assert "<p>" not in article.text and "agreed a new contract" in article.text


# --- arbitrary bytes ----------------------------------------------------------------


SUFFIXES = ["", ".txt", ".html", ".jsonl", ".jsonl.gz", ".warc", ".warc.gz", ".rss", ".csv", ".tsv",
            ".parquet", ".xml"]
PREFIXES = [b"", b"WARC/1.0\r\n", b"PAR1", b"<?xml version='1.0'?><rss>", b"id,text\n", b"{", b"<html>",
            b"\x1f\x8b"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from(SUFFIXES), prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_the_reader(tmp_path: Path, suffix: str, prefix: bytes, body: bytes) -> None:
    f = tmp_path / f"input{suffix}"
    data = prefix + body
    f.write_bytes(gzip.compress(data) if suffix.endswith(".gz") and not data.startswith(b"\x1f\x8b") else data)
    items = list(read_articles([f], max_bytes=10_000))
    assert all(isinstance(i, (Article, Problem)) for i in items)
    assert all("\n" not in str(i) for i in items if isinstance(i, Problem))
    assert not any(isinstance(i, Problem) and i.reason.startswith("stopped reading:") for i in items), items
