"""Inputs that are not files: `-` (standard input) and http(s):// URLs, fetched from a local server."""
from __future__ import annotations

import io
import json
import sqlite3
import time
from pathlib import Path

from click.testing import CliRunner

from local_server import page, rss, serving
from parley.cli import main
from parley.reading.fetch import FetchLimits, fetch
from parley.reading.readers import read_articles
from parley.records import Article, Problem
from test_store import FAKE, register_fake

OFFER = "Freedonia offered Sylvania $5 million a year on 2020-03-02 for the fishing rights."
REJECTION = "Sylvania rejected the offer from Freedonia on 2020-03-04."


def _loop() -> tuple[int, dict[str, str], bytes]:
    return 302, {"Location": "/loop"}, b""


def _slow() -> tuple[int, dict[str, str], bytes]:
    time.sleep(2)
    return 200, {"Content-Type": "text/html"}, page("Late", OFFER)


ROUTES = {
    "/talks.html": ("text/html; charset=utf-8", page("Freedonia makes an offer", OFFER, REJECTION)),
    "/moved": lambda: (301, {"Location": "/talks.html"}, b""),
    "/loop": _loop,
    "/slow": _slow,
    "/clip.mp4": ("video/mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100),
    "/huge.html": ("text/html", page("Huge", OFFER * 2000)),
    "/feed.xml": ("application/rss+xml", rss("Harbour News", [("n1", "Offer made", OFFER),
                                                               ("n2", "Offer rejected", REJECTION)])),
    "/notes.txt": ("text/plain", OFFER.encode("utf-8")),
}


def test_a_page_is_fetched_and_read_like_a_saved_page() -> None:
    with serving(ROUTES) as site:
        (found,) = list(read_articles([site.url("/talks.html")]))
    assert isinstance(found, Article)
    assert found.id == found.path == site.url("/talks.html")
    assert OFFER in found.text and REJECTION in found.text
    assert "All rights reserved" not in found.text  # read through the reading stage: clutter left out
    assert found.title == "Freedonia makes an offer"
    assert found.metadata["retrieved"].endswith("+00:00")


def test_redirects_are_followed_and_the_final_url_kept() -> None:
    with serving(ROUTES) as site:
        (found,) = list(read_articles([site.url("/moved")]))
    assert isinstance(found, Article) and found.id == site.url("/moved")
    assert found.url == site.url("/talks.html")


def test_feeds_and_text_are_read_by_their_content_type() -> None:
    with serving(ROUTES) as site:
        entries = list(read_articles([site.url("/feed.xml")]))
        (note,) = list(read_articles([site.url("/notes.txt")]))
    assert [a.id for a in entries if isinstance(a, Article)] == ["n1", "n2"]
    assert all("retrieved" in a.metadata for a in entries if isinstance(a, Article))
    assert isinstance(note, Article) and note.text.strip() == OFFER


def test_each_failure_is_one_problem_and_the_rest_is_read() -> None:
    limits = FetchLimits(timeout=0.5, max_bytes=50_000, max_redirects=3)
    with serving(ROUTES) as site:
        reasons = {path: fetch(site.url(path), limits) for path in ("/loop", "/slow", "/clip.mp4", "/huge.html",
                                                                    "/missing")}
        dead = "http://127.0.0.1:9/nothing-listens-here"
        mixed = list(read_articles([site.url("/missing"), dead, site.url("/talks.html")]))
    for path, reason in reasons.items():
        assert isinstance(reason, Problem), path
        assert "\n" not in str(reason) and str(reason).startswith(site.url(path))
    assert "redirects" in reasons["/loop"].reason
    assert "0.5 s" in reasons["/slow"].reason
    assert "video/mp4" in reasons["/clip.mp4"].reason
    assert "limit" in reasons["/huge.html"].reason
    assert "404" in reasons["/missing"].reason
    assert [type(item).__name__ for item in mixed] == ["Problem", "Problem", "Article"]
    assert "cannot fetch" in mixed[1].reason


def test_standard_input_holds_json_lines_or_one_article() -> None:
    lines = "".join(json.dumps({"id": f"j{n}", "text": OFFER}) + "\n" for n in range(3)).encode()
    found = list(read_articles(["-"], stdin=io.BytesIO(lines)))
    assert [a.id for a in found if isinstance(a, Article)] == ["j0", "j1", "j2"]
    (one,) = list(read_articles(["-"], stdin=io.BytesIO(OFFER.encode())))
    (again,) = list(read_articles(["-"], stdin=io.BytesIO(OFFER.encode())))
    assert isinstance(one, Article) and one.id.startswith("stdin-") and one.id == again.id  # named by content
    (html,) = list(read_articles(["-"], stdin=io.BytesIO(page("Offer", OFFER))))
    assert isinstance(html, Article) and html.title == "Offer" and "Home | World" not in html.body_text()
    (empty,) = list(read_articles(["-"], stdin=io.BytesIO(b"")))
    assert isinstance(empty, Problem) and empty.path == "<stdin>"


def test_extract_reads_standard_input() -> None:
    register_fake()
    done = CliRunner().invoke(main, ["extract", "--jobs", "1", "--extractor", FAKE, "-"], input=OFFER + " " + REJECTION)
    assert done.exit_code == 0, done.output
    types = [json.loads(line)["type"] for line in done.stdout.splitlines()]
    assert types == ["offer", "reject"]


def test_ingest_keeps_a_fetched_page_with_its_url_and_retrieval_time(tmp_path: Path) -> None:
    register_fake()
    db = tmp_path / "w.db"
    with serving(ROUTES) as site:
        url = site.url("/talks.html")
        done = CliRunner().invoke(main, ["ingest", "--jobs", "1", "--extractor", FAKE, "--db", str(db), url,
                                         site.url("/missing")])
        again = CliRunner().invoke(main, ["ingest", "--jobs", "1", "--extractor", FAKE, "--db", str(db), url])
    assert done.exit_code == 1  # one input skipped...
    assert "404" in done.stderr and "1 added" in done.stderr  # ...and the other one stored
    assert "0 added, 0 updated, 1 unchanged" in again.stderr  # fetched again: the same article
    row = sqlite3.connect(db).execute("SELECT id, url, retrieved_at, text FROM articles").fetchone()
    assert row[0] == row[1] == url and row[2] and OFFER in row[3]
