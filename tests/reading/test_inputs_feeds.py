"""RSS and Atom feed files: each entry with content is one article."""
from __future__ import annotations

import datetime as dt
import gzip
import sys
from pathlib import Path

import pytest

pytest.importorskip("feedparser")
from parley.reading.readers import read_articles  # noqa: E402
from parley.records import Article, Problem  # noqa: E402

UTC = dt.timezone.utc

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Harbour Gazette</title><link>https://gazette.example/</link><language>en-gb</language>
<item>
  <title>Pilots turn down harbour offer</title>
  <link>https://gazette.example/pilots</link>
  <guid isPermaLink="false">gazette-1001</guid>
  <dc:creator>Ines Harlow</dc:creator>
  <pubDate>Tue, 14 Jun 2022 09:30:00 +0200</pubDate>
  <description>Short teaser.</description>
  <content:encoded><![CDATA[<p>The harbour pilots turned down the port's offer of a 3 percent rise on Tuesday.</p>
  <p>Their association said it would return to the table only with a better proposal.</p>]]></content:encoded>
</item>
<item>
  <title>Council and bus company meet</title>
  <link>https://gazette.example/buses</link>
  <description>The council met the bus company on Monday to discuss the contract for rural routes.</description>
</item>
<item><title>Link only</title><link>https://gazette.example/empty</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Wire</title>
<entry><id>tag:valley.example,2022:7</id><title>Growers accept water deal</title>
  <link href="https://valley.example/water"/><updated>2022-08-02T06:00:00Z</updated>
  <author><name>Tomas Reyl</name></author>
  <content type="html">&lt;p&gt;Fruit growers accepted the district's water-sharing deal after a vote on Monday.&lt;/p&gt;</content>
</entry>
<entry><id>tag:valley.example,2022:8</id><title>Talks on grazing fees</title>
  <published>2022-08-03T12:00:00+01:00</published>
  <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Ranchers and the
  county began talks on grazing fees, which the county wants to double.</p></div></content>
</entry></feed>"""


def split(items: list[Article | Problem]) -> tuple[list[Article], list[Problem]]:
    return ([i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Problem)])


def test_rss_entries_with_content_are_articles(tmp_path: Path) -> None:
    f = tmp_path / "gazette.rss"
    f.write_text(RSS, encoding="utf-8")
    articles, problems = split(list(read_articles([f])))
    assert [a.id for a in articles] == ["gazette-1001", "https://gazette.example/buses"]
    pilots, buses = articles
    assert "turned down the port's offer of a 3 percent rise" in pilots.text
    assert "return to the table" in pilots.text and "Short teaser" not in pilots.text
    assert "<p>" not in pilots.text
    assert pilots.title == "Pilots turn down harbour offer" and pilots.author == "Ines Harlow"
    assert pilots.published == dt.datetime(2022, 6, 14, 7, 30, tzinfo=UTC)
    assert pilots.source == "Harbour Gazette" and pilots.language == "en"
    assert pilots.url == "https://gazette.example/pilots" and pilots.path == str(f)
    assert "discuss the contract for rural routes" in buses.text and buses.published is None
    (problem,) = problems
    assert "entry 3" in problem.reason and "no content" in problem.reason


def test_atom_entries_html_and_xhtml_content_and_dates(tmp_path: Path) -> None:
    f = tmp_path / "wire.atom"
    f.write_text(ATOM, encoding="utf-8")
    (water, grazing), problems = split(list(read_articles([f])))
    assert problems == []
    assert water.id == "tag:valley.example,2022:7" and water.author == "Tomas Reyl"
    assert "accepted the district's water-sharing deal" in water.text
    assert water.published == dt.datetime(2022, 8, 2, 6, 0, tzinfo=UTC)
    assert water.metadata["published_from"] == "updated"
    assert "grazing fees, which the county wants to double" in " ".join(grazing.text.split())
    assert grazing.published == dt.datetime(2022, 8, 3, 11, 0, tzinfo=UTC)
    assert grazing.metadata["published_from"] == "published"


@pytest.mark.parametrize("name", ["feed.xml", "feed.html", "feed.txt", "feed"])
def test_a_feed_is_recognised_by_content(tmp_path: Path, name: str) -> None:
    f = tmp_path / name
    f.write_text(RSS, encoding="utf-8")
    articles, _ = split(list(read_articles([f])))
    assert [a.id for a in articles] == ["gazette-1001", "https://gazette.example/buses"]


def test_gzipped_feed(tmp_path: Path) -> None:
    f = tmp_path / "wire.atom.gz"
    f.write_bytes(gzip.compress(ATOM.encode()))
    articles, problems = split(list(read_articles([f])))
    assert len(articles) == 2 and problems == []


def test_a_broken_feed_is_one_problem_and_the_run_goes_on(tmp_path: Path) -> None:
    broken = tmp_path / "broken.rss"
    broken.write_text("<?xml version='1.0'?><rss><channel><item><title>Half", encoding="utf-8")
    empty = tmp_path / "empty.rss"
    empty.write_text("<?xml version='1.0'?><rss version='2.0'><channel><title>Quiet</title></channel></rss>",
                     encoding="utf-8")
    good = tmp_path / "wire.atom"
    good.write_text(ATOM, encoding="utf-8")
    articles, problems = split(list(read_articles([broken, empty, good])))
    assert len(articles) == 2
    assert {Path(p.path).name for p in problems} == {"broken.rss", "empty.rss"}
    assert all("\n" not in str(p) for p in problems)


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the hidden reserve price", encoding="utf-8")
    f = tmp_path / "xxe.rss"
    f.write_text(f"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{secret}">]>
<rss version="2.0"><channel><title>T</title><item><title>Leak</title><link>https://x.example/1</link>
<description>Before &leak; after, the unions met the employers.</description></item></channel></rss>""",
                 encoding="utf-8")
    items = list(read_articles([f]))
    assert all("hidden reserve price" not in getattr(i, "text", str(i)) for i in items)


def test_without_feedparser_a_clear_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "wire.atom"
    f.write_text(ATOM, encoding="utf-8")
    monkeypatch.setitem(sys.modules, "feedparser", None)
    (problem,) = list(read_articles([f]))
    assert isinstance(problem, Problem) and "pip install feedparser" in problem.reason
