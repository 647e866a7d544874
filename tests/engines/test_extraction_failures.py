"""An extractor failing on one article costs that article only: one line naming it, the rest of
the run extracted and stored, and the next run tries the failed article again."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from parley.cli import main
from parley.engines.processes import ProcessEngine
from parley.extract import registry
from parley.records import Article, Event
from parley.results import ExtractOptions
from test_store import FakeExtractor, write_jsonl

BRITTLE = "test.brittle"


class BrittleExtractor(FakeExtractor):
    """The tests' fake extractor, but it fails on any article that mentions a volcano."""

    name = BRITTLE

    def extract(self, article: Article) -> list[Event]:
        if "volcano" in article.text:
            raise RuntimeError("cannot read\nvolcanoes")
        return super().extract(article)

    def extract_many(self, articles: list[Article]) -> list[list[Event]]:
        return [self.extract(a) for a in articles]  # one failure fails the batch


def register_brittle() -> None:
    """By name, as a plugin would: workers import this module themselves."""
    registry.register(BRITTLE, f"{__name__}:BrittleExtractor")


register_brittle()

RECORDS = [{"id": "ok1", "text": "Freedonia offered Sylvania $5 million on 2020-03-02."},
           {"id": "bad", "text": "Freedonia met Sylvania near the volcano."},
           {"id": "ok2", "text": "Sylvania rejected the offer of Freedonia on 2020-03-04."}]


def test_a_failing_article_is_one_line_and_the_run_goes_on(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", RECORDS)
    db = tmp_path / "p.db"
    done = CliRunner().invoke(main, ["ingest", "--jobs", "1", "--extractor", BRITTLE, "--db", str(db), str(corpus)])
    assert done.exit_code == 1, done.output
    assert "2 added" in done.output
    assert f"skipped: {corpus}:2: not extracted: RuntimeError: cannot read volcanoes" in done.output
    assert "Traceback" not in done.output
    # Not stored, so the next run tries it again (and only it).
    again = CliRunner().invoke(main, ["ingest", "--jobs", "1", "--extractor", BRITTLE, "--db", str(db), str(corpus)])
    assert "0 added, 0 updated, 2 unchanged" in again.output and "not extracted" in again.output


def test_extract_prints_every_other_article(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", RECORDS)
    done = CliRunner().invoke(main, ["extract", "--jobs", "1", "--extractor", BRITTLE, str(corpus)])
    assert done.exit_code == 1
    articles = {json.loads(line)["article"] for line in done.stdout.splitlines() if line.startswith("{")}
    assert articles == {"ok1", "ok2"}


def test_worker_processes_report_the_failing_article_too(tmp_path: Path) -> None:
    from parley.reading.readers import read_articles
    articles = [a for a in read_articles([write_jsonl(tmp_path / "c.jsonl", RECORDS)]) if isinstance(a, Article)]
    engine = ProcessEngine(jobs=2, chunk_articles=2, worker_setup=register_brittle)
    results = list(engine.run(articles, ExtractOptions(extractor=BRITTLE, engine="processes", jobs=2)))
    assert [r.article.id for r in results] == ["ok1", "bad", "ok2"]
    assert [r.problem is not None for r in results] == [False, True, False]
    assert results[0].events and results[2].events and not results[1].events
