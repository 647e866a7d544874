"""WARC and WARC.gz inputs: each HTML response one article with its URL and dates."""
from __future__ import annotations

import datetime as dt
import io
import sys
import tracemalloc
from pathlib import Path

import pytest

pytest.importorskip("warcio")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from parley.reading.readers import read_articles  # noqa: E402
from parley.records import Article, Problem  # noqa: E402

UTC = dt.timezone.utc


def page(title: str, sentences: list[str], *, date: str | None = None, author: str | None = None) -> bytes:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    meta += f'<meta name="author" content="{author}">' if author else ""
    paragraphs = "".join(f"<p>{s}</p>" for s in sentences)
    return (f"<!doctype html><html lang=\"en\"><head><title>{title}</title>{meta}</head><body>"
            f"<nav>Home | World</nav><article><h1>{title}</h1>{paragraphs}</article>"
            f"<footer>All rights reserved</footer></body></html>").encode("utf-8")


DOCK = page("Dock workers reject pay offer", [
    "Dock workers in Port Tamsin rejected the harbour board's pay offer on Tuesday, their union said.",
    "The board had offered a 4 percent rise over two years, well short of the union's demand.",
    "Negotiators will meet again on Friday to try to close the gap between the two sides.",
], date="2022-06-14T09:30:00+00:00", author="Rhea Voss")
FERRY = page("Ferry fare talks resume", [
    "Talks between the ferry operator and the island council resumed on Monday after a pause.",
    "The council wants fares frozen for residents, while the operator seeks a modest increase.",
    "Both sides said the meeting was constructive and that more talks are planned next month.",
])


class Warc:
    """A WARC the test writes record by record."""

    def __init__(self, compressed: bool) -> None:
        self.buffer = io.BytesIO()
        self.writer = WARCWriter(self.buffer, gzip=compressed)

    def response(self, uri: str, body: bytes, *, content_type: str = "text/html; charset=utf-8",
                 status: str = "200 OK", crawled: str = "2022-06-15T08:00:00Z") -> None:
        http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = self.writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http,
                                                warc_headers_dict={"WARC-Date": crawled})
        self.writer.write_record(record)

    def request(self, uri: str) -> None:
        http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        record = self.writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=http)
        self.writer.write_record(record)

    def save(self, path: Path) -> Path:
        path.write_bytes(self.buffer.getvalue())
        return path


def split(items: list[Article | Problem]) -> tuple[list[Article], list[Problem]]:
    return ([i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Problem)])


def crawl(compressed: bool) -> Warc:
    warc = Warc(compressed)
    warc.request("https://news.example/dock")
    warc.response("https://news.example/dock", DOCK)
    warc.response("https://news.example/logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, content_type="image/png")
    warc.response("https://news.example/old", b"<html>moved</html>", status="301 Moved Permanently")
    warc.response("https://news.example/gone", page("Not found", ["This page is gone."]), status="404 Not Found")
    warc.response("https://news.example/ferry", FERRY, crawled="2022-07-01T10:20:30Z")
    return warc


@pytest.mark.parametrize("name,compressed", [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_each_html_response_is_an_article_with_url_and_dates(tmp_path: Path, name: str, compressed: bool) -> None:
    f = crawl(compressed).save(tmp_path / name)
    articles, problems = split(list(read_articles([f])))
    assert problems == []
    assert [a.id for a in articles] == ["https://news.example/dock", "https://news.example/ferry"]
    dock, ferry = articles
    assert dock.url == "https://news.example/dock" and dock.path == str(f)
    assert "rejected the harbour board's pay offer" in dock.text and "Home | World" not in dock.text
    assert dock.title == "Dock workers reject pay offer" and dock.author == "Rhea Voss"
    # The page's own date wins over the crawl date, and the metadata says which was used.
    assert dock.published == dt.datetime(2022, 6, 14, 9, 30, tzinfo=UTC)
    assert dock.metadata["published_from"] == "page"
    assert dock.metadata["crawl_date"] == "2022-06-15T08:00:00+00:00"
    assert dock.metadata["warc_record_id"].startswith("urn:uuid:")
    # No date in the page: the crawl date, said so.
    assert ferry.published == dt.datetime(2022, 7, 1, 10, 20, 30, tzinfo=UTC)
    assert ferry.metadata["published_from"] == "crawl"
    assert ferry.metadata["warc_offset"] > dock.metadata["warc_offset"]


def test_the_same_page_captured_twice_keeps_both_apart(tmp_path: Path) -> None:
    warc = Warc(False)
    warc.response("https://news.example/dock", DOCK)
    warc.response("https://news.example/dock", DOCK, crawled="2022-06-16T08:00:00Z")
    articles, _ = split(list(read_articles([warc.save(tmp_path / "twice.warc")])))
    assert len(articles) == 2
    assert articles[0].id == "https://news.example/dock"
    assert articles[1].id == articles[1].metadata["warc_record_id"] != articles[0].metadata["warc_record_id"]


def test_charset_from_the_http_header(tmp_path: Path) -> None:
    body = page("Caf\u00e9 owners agree", ["Caf\u00e9 owners agreed to the council\u2019s terms on Monday, "
                                           "ending a dispute that had lasted since the spring."]
                ).decode("utf-8").encode("cp1252")
    warc = Warc(True)
    warc.response("https://news.example/cafe", body, content_type="text/html; charset=windows-1252")
    (article,), problems = split(list(read_articles([warc.save(tmp_path / "cafe.warc.gz")])))
    assert "Caf\u00e9 owners agreed to the council\u2019s terms" in article.text


def test_record_over_the_limit_is_skipped_and_the_next_is_read(tmp_path: Path) -> None:
    warc = Warc(False)
    warc.response("https://news.example/huge", page("Huge", ["Talks went on and on. " * 2000]))
    warc.response("https://news.example/ferry", FERRY)
    articles, problems = split(list(read_articles([warc.save(tmp_path / "big.warc")], max_bytes=20_000)))
    assert [a.id for a in articles] == ["https://news.example/ferry"]
    (problem,) = problems
    assert "over the limit" in problem.reason and "https://news.example/huge" in problem.reason


@pytest.mark.parametrize("name,compressed", [("cut.warc", False), ("cut.warc.gz", True)])
def test_truncated_warc_keeps_what_was_read_and_names_the_offset(tmp_path: Path, name: str,
                                                                 compressed: bool) -> None:
    warc = Warc(compressed)
    warc.response("https://news.example/dock", DOCK)
    warc.response("https://news.example/ferry", FERRY)
    whole = warc.buffer.getvalue()
    second = whole.index(b"WARC/1", 10) if not compressed else whole.index(b"\x1f\x8b", 10)
    f = tmp_path / name
    f.write_bytes(whole[: second + (len(whole) - second) // 2])
    after = tmp_path / "after.txt"
    after.write_text("Ferry talks stall\n\nThe talks stalled again on Friday, officials said.\n", encoding="utf-8")
    items = list(read_articles([f, after]))
    articles, problems = split(items)
    assert [a.id for a in articles] == ["https://news.example/dock", "after.txt"]
    (problem,) = problems
    assert problem.path == str(f) and problem.fatal
    assert "truncated" in problem.reason and "offset" in problem.reason
    assert f"{second:,}" in problem.reason or compressed
    assert items.index(problem) == 1, "the Problem comes after the article read before the cut"


def test_a_warc_with_no_pages_says_so(tmp_path: Path) -> None:
    warc = Warc(False)
    warc.request("https://news.example/dock")
    (problem,) = list(read_articles([warc.save(tmp_path / "requests.warc")]))
    assert isinstance(problem, Problem) and not problem.fatal and "no HTML responses" in problem.reason


def test_warc_is_recognised_by_content_and_a_fake_warc_is_refused(tmp_path: Path) -> None:
    real = crawl(False).save(tmp_path / "crawl.txt")
    fake = tmp_path / "fake.warc"
    fake.write_text("Just a note about the talks, not an archive.\n", encoding="utf-8")
    articles, problems = split(list(read_articles([real, fake])))
    assert [a.url for a in articles] == ["https://news.example/dock", "https://news.example/ferry"]
    (problem,) = problems
    assert problem.path == str(fake) and "not a WARC file" in problem.reason


def test_warc_is_streamed_record_by_record(tmp_path: Path) -> None:
    warc = Warc(True)
    scan = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 1200  # ~300 kB each, passed over
    for i in range(40):
        warc.response(f"https://news.example/scan{i}.png", scan, content_type="image/png")
        if i % 20 == 0:
            warc.response(f"https://news.example/talks{i}", FERRY)
    f = warc.save(tmp_path / "many.warc.gz")
    tracemalloc.start()
    try:
        ids = [item.id for item in read_articles([f]) if isinstance(item, Article)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert ids == ["https://news.example/talks0", "https://news.example/talks20"]
    total = 40 * len(scan)
    assert peak < total / 4, f"peak {peak} of {total} bytes: the archive was held in memory"


def test_without_warcio_a_clear_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = crawl(False).save(tmp_path / "crawl.warc")
    monkeypatch.setitem(sys.modules, "warcio.archiveiterator", None)
    (problem,) = list(read_articles([f]))
    assert isinstance(problem, Problem) and "pip install warcio" in problem.reason
