"""Reading: every input form of INPUT.md, and every bad input becoming a Problem while the rest is read."""
from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import sys
import tracemalloc
from pathlib import Path

import pytest

from parley.reading.readers import read_articles
from parley.records import Article, Problem

SHARED = Path(__file__).resolve().parents[3] / "shared"

PASTED = """The Daily Meridian

Rivertown rejects ferry operator's fee demand

By Mira Castellan

Published : Mar. 3, 2021 - 10:05

Rivertown has rejected the ferry operator's demand for a 9 percent fee rise, the mayor said Wednesday.

Talks will resume next week, officials said.
"""

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mill talks stall | Gorvale Ledger</title>
<meta property="og:title" content="Mill talks stall over night shifts">
<meta property="og:site_name" content="Gorvale Ledger">
<meta name="author" content="Aino Lehto">
<meta property="article:published_time" content="2021-03-04T10:15:00+01:00">
<script>var tracker = "do not read me";</script></head>
<body><nav>Home | Business | Mills</nav>
<article><h1>Mill talks stall over night shifts</h1>
<p>The mill owners rejected the union's demand for a shorter night shift on Monday, its chair said.</p>
<p>Both sides will meet again next week to discuss a revised proposal, officials said.</p>
<p>The talks have dragged on for months as the two sides remain far apart on pay and hours.</p>
</article><footer>Copyright 2021 Gorvale Ledger</footer></body></html>"""


def articles_and_problems(paths: list[Path | str], **kw: int) -> tuple[list[Article], list[Problem]]:
    items = list(read_articles(paths, **kw))
    return ([i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Problem)])


def write_jsonl(path: Path, lines: list[object | str]) -> Path:
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
                    encoding="utf-8")
    return path


# --- the input forms -------------------------------------------------------


def test_pasted_text_file_is_read_exactly_and_cleaned(tmp_path: Path) -> None:
    f = tmp_path / "ferry.txt"
    f.write_bytes(("\ufeff" + PASTED).replace("\n", "\r\n").encode("utf-8"))
    (article,), problems = articles_and_problems([f])
    assert problems == []
    assert article.text == f.read_text(encoding="utf-8")
    assert article.id == "ferry.txt" and article.path == str(f) and article.line is None
    assert article.title == "Rivertown rejects ferry operator's fee demand"
    assert article.source == "The Daily Meridian"
    assert article.author == "Mira Castellan"
    assert article.published == dt.datetime(2021, 3, 3, 10, 5)
    first, _ = article.body[0]
    assert article.text[first:].startswith("Rivertown has rejected")


@pytest.mark.parametrize("name", ["ferry.md", "ferry", "FERRY.TXT"])
def test_markdown_and_extensionless_files_are_pasted_articles(tmp_path: Path, name: str) -> None:
    f = tmp_path / name
    f.write_text(PASTED, encoding="utf-8")
    (article,), problems = articles_and_problems([f])
    assert problems == [] and article.id == name and article.text == PASTED


def test_mixed_newlines_match_read_text(tmp_path: Path) -> None:
    f = tmp_path / "mixed.txt"
    f.write_bytes(b"Ferry talks stall\r\rThe talks stalled.\r\nThey resume\nnext week.\r")
    (article,), _ = articles_and_problems([f])
    assert article.text == f.read_text(encoding="utf-8")


def test_html_page_main_text_and_page_metadata(tmp_path: Path) -> None:
    f = tmp_path / "mill.html"
    f.write_text(PAGE, encoding="utf-8")
    (article,), problems = articles_and_problems([f])
    assert problems == []
    assert article.id == "mill.html"
    assert "rejected the union's demand for a shorter night shift" in article.text
    assert "do not read me" not in article.text and "Home | Business" not in article.text
    assert article.title == "Mill talks stall over night shifts"
    assert article.source == "Gorvale Ledger"
    assert article.author == "Aino Lehto"
    assert article.published == dt.datetime(2021, 3, 4, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert article.language == "en"
    body = "".join(article.text[s:e] for s, e in article.body_ranges())
    assert "Mill talks stall over night shifts" not in body, "the headline is the title, not body"
    assert "Both sides will meet again next week" in body


def test_html_without_trafilatura_falls_back_to_visible_text(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import now raises ImportError
    f = tmp_path / "mill.htm"
    f.write_text(PAGE, encoding="utf-8")
    (article,), _ = articles_and_problems([f])
    assert "Both sides will meet again next week" in article.text
    assert "do not read me" not in article.text and "Home | Business" not in article.text
    assert article.title == "Mill talks stall over night shifts"


def test_saved_page_with_txt_name_is_read_as_html(tmp_path: Path) -> None:
    f = tmp_path / "mill.txt"
    f.write_text(PAGE, encoding="utf-8")
    (article,), _ = articles_and_problems([f])
    assert "<p>" not in article.text and "Both sides will meet again" in article.text


def test_jsonl_ids_fields_metadata_and_precedence(tmp_path: Path) -> None:
    f = write_jsonl(tmp_path / "batch.jsonl", [
        {"id": "a1", "text": PASTED, "title": "Given headline", "source": "Given Outlet",
         "published": "2021-03-05T08:00:00+09:00", "desk": "metro", "tags": ["ferry"]},
        {"url": "https://example.org/ferry-2", "text": "Rivertown said no again, the mayor said."},
        {"text": "Rivertown and the operator met on Friday, officials said.", "published": "2021-03-06"},
        {"id": 17, "html": PAGE},
    ])
    articles, problems = articles_and_problems([f])
    assert problems == []
    assert [a.id for a in articles] == ["a1", "https://example.org/ferry-2", "batch.jsonl:3", "17"]
    assert [a.line for a in articles] == [1, 2, 3, 4]
    first = articles[0]
    assert (first.title, first.source) == ("Given headline", "Given Outlet"), "input metadata wins"
    assert first.published == dt.datetime(2021, 3, 5, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    assert first.author == "Mira Castellan", "what the input left out is filled from the text"
    assert first.metadata["desk"] == "metro" and first.metadata["tags"] == ["ferry"]
    assert first.text == PASTED
    assert articles[1].url == "https://example.org/ferry-2"
    assert articles[2].published == dt.datetime(2021, 3, 6)
    assert "shorter night shift" in articles[3].text and articles[3].source == "Gorvale Ledger"


def test_jsonl_text_is_kept_byte_for_byte(tmp_path: Path) -> None:
    text = "Ferry talks stall\r\n\r\nThe talks stalled \u2014 again.\u00a0\n"
    f = write_jsonl(tmp_path / "crlf.ndjson", [{"id": "x", "text": text}])
    (article,), _ = articles_and_problems([f])
    assert article.text == text


def test_gzipped_jsonl(tmp_path: Path) -> None:
    f = tmp_path / "batch.jsonl.gz"
    with gzip.open(f, "wt", encoding="utf-8") as out:
        for i in range(3):
            out.write(json.dumps({"id": f"g{i}", "text": f"Talk round {i} ended, officials said."}) + "\n")
    articles, problems = articles_and_problems([f])
    assert problems == [] and [a.id for a in articles] == ["g0", "g1", "g2"]


def test_folders_are_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    for rel in ("b/2.txt", "a/deep/3.txt", "a/1.txt", "0.md"):
        (tmp_path / rel).write_text("Talks resumed on Monday, officials said.\n", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("not an article", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    articles, problems = articles_and_problems([tmp_path])
    assert [Path(a.path or "").relative_to(tmp_path).as_posix() for a in articles] == [
        "0.md", "a/1.txt", "a/deep/3.txt", "b/2.txt"]
    assert [(Path(p.path).name, p.fatal) for p in problems] == [("photo.png", False)]


# --- bad input: a Problem naming the file (and line); everything else still read -----


def test_every_bad_file_is_a_problem_and_the_good_ones_are_read(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(PASTED, encoding="utf-8")
    bad = {
        "empty.txt": (b"", "empty"),
        "blank.txt": (b"  \n\n\t\n", "empty"),
        "binary.txt": (b"PK\x03\x04\x00\x00binary\x00stuff", "binary"),
        "garbled.txt": ("Talks: \u4f1a\u8ac7\u306f\u7d9a\u304f\u3002".encode("shift_jis"), "UTF-8"),
        "huge.txt": (b"Talks resumed. " * 100, "over the limit"),
        "page.html": (b"<html><body><script>x=1</script></body></html>", "no article text"),
        "fake.jsonl.gz": (b"this is not gzip", "not gzip"),
        "broken.txt.gz": (gzip.compress(b"Talks resumed.\n" * 20)[:30], "gzip"),
    }
    for name, (data, _) in bad.items():
        (tmp_path / name).write_bytes(data)
    paths = [tmp_path / n for n in bad] + [good, tmp_path / "missing.txt"]
    articles, problems = articles_and_problems(paths, max_bytes=1000)
    assert [a.id for a in articles] == ["good.txt"]
    reasons = {Path(p.path).name: p.reason for p in problems}
    for name, (_, reason) in bad.items():
        assert reason in reasons[name], (name, reasons[name])
    assert "no such file" in reasons["missing.txt"]
    assert all(p.fatal for p in problems)
    assert all(str(p).startswith(p.path) for p in problems)


def test_cp1252_text_is_read_with_a_warning(tmp_path: Path) -> None:
    f = tmp_path / "windows.txt"
    f.write_bytes("Ferry talks stall\n\nThe mayor said \u201cno\u201d to the operator\u2019s offer.\n"
                  .encode("cp1252"))
    (article,), (warning,) = articles_and_problems([f])
    assert not warning.fatal and "Windows-1252" in warning.reason
    assert "\u201cno\u201d" in article.text


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    f = tmp_path / "notepad.txt"
    f.write_bytes("Ferry talks stall\r\n\r\nThe talks stalled, officials said.\r\n".encode("utf-16"))
    (article,), problems = articles_and_problems([f])
    assert problems == [] and article.title == "Ferry talks stall"


def test_malformed_jsonl_lines_are_problems_with_line_numbers(tmp_path: Path) -> None:
    f = tmp_path / "batch.jsonl"
    f.write_bytes(b"\n".join([
        json.dumps({"id": "ok1", "text": "Talks resumed on Monday."}).encode(),
        b'{"id": "broken", "text": ',
        b"[1, 2, 3]",
        json.dumps({"id": "no-text", "title": "Headline only"}).encode(),
        json.dumps({"id": "bad-date", "text": "Talks resumed.", "published": "last Tuesday"}).encode(),
        json.dumps({"id": "num-date", "text": "Talks resumed.", "published": 20200506}).encode(),
        b'{"id": "latin1", "text": "caf\xe9"}',
        b"",
        json.dumps({"id": "empty-text", "text": "   "}).encode(),
        json.dumps({"id": "ok2", "text": "Talks ended on Friday."}).encode(),
    ]) + b"\n")
    articles, problems = articles_and_problems([f])
    assert [a.id for a in articles] == ["ok1", "ok2"]
    assert [p.line for p in problems] == [2, 3, 4, 5, 6, 7, 9]
    assert all(p.path == str(f) and p.fatal for p in problems)
    reasons = [p.reason for p in problems]
    assert "not valid JSON" in reasons[0]
    assert "JSON object" in reasons[1]
    assert "`text`" in reasons[2]
    assert "`published`" in reasons[3] and "`published`" in reasons[4]
    assert "UTF-8" in reasons[5]
    assert "empty" in reasons[6]
    assert str(problems[0]) == f"{f}:2: {reasons[0]}"


def test_oversized_jsonl_line_is_skipped_and_reading_goes_on(tmp_path: Path) -> None:
    f = write_jsonl(tmp_path / "big.jsonl", [
        {"id": "huge", "text": "Talks resumed. " * 500},
        {"id": "small", "text": "Talks ended."},
    ])
    articles, problems = articles_and_problems([f], max_bytes=1000)
    assert [a.id for a in articles] == ["small"]
    assert [(p.line, "over the limit" in p.reason) for p in problems] == [(1, True)]


def test_gzip_bomb_is_capped(tmp_path: Path) -> None:
    f = tmp_path / "bomb.jsonl.gz"
    first = json.dumps({"id": "before", "text": "Talks resumed."}).encode() + b"\n"
    f.write_bytes(gzip.compress(first + b" " * 30_000_000, compresslevel=9))
    assert f.stat().st_size < 100_000
    articles, problems = articles_and_problems([f], max_bytes=10_000)
    assert [a.id for a in articles] == ["before"]
    assert len(problems) == 1 and "gzip bomb" in problems[0].reason


def test_gzip_bomb_in_a_single_text_file_is_capped(tmp_path: Path) -> None:
    f = tmp_path / "bomb.txt.gz"
    f.write_bytes(gzip.compress(b"a" * 5_000_000))
    articles, (problem,) = articles_and_problems([f], max_bytes=10_000)
    assert articles == [] and "over the limit" in problem.reason


def test_jsonl_is_streamed_line_by_line(tmp_path: Path) -> None:
    f = tmp_path / "many.jsonl"
    padding = " " * 10_000  # JSON allows it; keeps the test about reading, not cleaning
    with f.open("w", encoding="utf-8") as out:
        for i in range(500):
            out.write(json.dumps({"id": f"n{i}", "text": "The two sides met again on Friday."}) + padding + "\n")
    assert f.stat().st_size > 5_000_000
    tracemalloc.start()
    try:
        count = sum(1 for item in read_articles([f]) if isinstance(item, Article))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 500
    assert peak < 1_500_000, f"peak {peak} bytes: the file was held in memory"


def test_the_same_file_twice_is_read_once_and_duplicate_names_warn(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    for d in ("x", "y"):
        (tmp_path / d / "same.txt").write_text("Talks resumed on Monday.\n", encoding="utf-8")
    articles, problems = articles_and_problems([tmp_path / "x", tmp_path / "x" / "same.txt", tmp_path / "y"])
    assert len(articles) == 2
    assert [p.fatal for p in problems] == [False] and "same.txt" in problems[0].reason


# --- the shared corpus, read at run time -------------------------------------


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared/corpus not present")
def test_shared_corpus_reads_cleanly_with_header_dates() -> None:
    folder = SHARED / "corpus" / "sma-2020"
    articles, problems = articles_and_problems([folder, SHARED / "corpus" / "dev-mixed.jsonl"])
    assert problems == []
    by_id = {a.id: a for a in articles}
    assert len(by_id) == 17
    for f in sorted(folder.glob("*.txt")):
        assert by_id[f.name].text == f.read_text(encoding="utf-8")
    published = {name[:3]: (by_id[name].published.date() if by_id[name].published else None)
                 for name in by_id if name[:3].isdigit() and name.endswith(".txt") and len(name) > 20}
    assert published == {"000": dt.date(2020, 5, 6), "001": dt.date(2020, 8, 20),
                         "002": dt.date(2020, 4, 28), "003": None, "004": dt.date(2020, 1, 24)}
    for a in articles:
        body = "".join(a.text[s:e] for s, e in a.body_ranges())
        for clutter in ("Link copied", "Go to Contents", "Send Feedback", "(END)", "HOME TOP"):
            assert clutter not in body, (a.id, clutter)
        assert not re.search(r"\w@\w+\.", body), (a.id, "an e-mail line")
        if a.title and a.path and a.path.endswith(".txt"):
            assert a.title in a.text and a.title not in body


# --- page metadata: from the page, never from today ---------------------------------

_BODY = ("<p>The growers' association rejected the water board's new tariff on Monday, calling it unfair.</p>"
         "<p>The board said it would present a revised proposal to the growers before the end of the month.</p>"
         "<p>Both sides have been negotiating the tariff for more than a year without reaching a deal.</p>")


@pytest.mark.parametrize("head,body_top,day,author", [
    ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
     '"headline": "Growers reject tariff", "datePublished": "2019-07-02T08:00:00Z",'
     '"author": {"@type": "Person", "name": "Ola Brenn"}}</script>', "", dt.date(2019, 7, 2), "Ola Brenn"),
    ("", '<p class="byline">By Ola Brenn</p><time datetime="2018-02-03" class="published">3 Feb 2018</time>',
     dt.date(2018, 2, 3), "Ola Brenn"),
    ('<meta name="date" content="2017-05-06">', "", dt.date(2017, 5, 6), None),
])
def test_html_page_date_and_author_come_from_the_page(tmp_path: Path, head: str, body_top: str,
                                                      day: dt.date, author: str | None) -> None:
    f = tmp_path / "tariff.html"
    f.write_text(f"<html><head><title>Growers reject tariff</title>{head}</head><body><article>"
                 f"<h1>Growers reject tariff</h1>{body_top}{_BODY}</article></body></html>", encoding="utf-8")
    (article,), _ = articles_and_problems([f])
    assert article.published_day == day
    assert article.author == author
    assert article.title == "Growers reject tariff"


def test_html_page_without_a_date_is_undated_not_today(tmp_path: Path) -> None:
    f = tmp_path / "undated.html"
    f.write_text(f"<html><head><title>Growers reject tariff</title></head><body><article>{_BODY}"
                 "</article></body></html>", encoding="utf-8")
    (article,), _ = articles_and_problems([f])
    assert article.published is None
