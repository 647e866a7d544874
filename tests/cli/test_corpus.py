"""The corpus commands, driven in-process through click's CliRunner."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.cli.corpus import COMMANDS
from parley.extract.registry import register
from test_store import FAKE, STORY, register_fake, write_jsonl


def run(*args: str) -> str:
    done = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert done.exit_code == 0, done.output
    return done.output


def test_every_corpus_command_is_registered_with_help() -> None:
    for command in COMMANDS:
        assert command.name in main.commands
        assert command.help and len(command.help.split()) > 3
        assert "Usage" in run(command.name, "--help")


def test_ingest_reports_and_is_idempotent(ingested: Path, tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["ingest", "--jobs", "1", "--db", str(ingested), "--extractor", FAKE,
                                     str(tmp_path / "c.jsonl")])
    assert done.exit_code == 0
    assert "0 added, 0 updated, 3 unchanged; 3 articles" in done.output


def test_ingest_of_unreadable_input_goes_on_and_exits_1(tmp_path: Path) -> None:
    register_fake()
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    corpus = write_jsonl(tmp_path / "c.jsonl", STORY)
    done = CliRunner().invoke(main, ["ingest", "--jobs", "1", "--db", str(tmp_path / "x.db"), "--extractor", FAKE,
                                     str(corpus), str(tmp_path / "empty.txt")])
    assert done.exit_code == 1
    assert "skipped" in done.output and "3 added" in done.output


def test_views(ingested: Path) -> None:
    # Tables as a terminal gets them (CliRunner's output is a pipe: JSON lines by default).
    db = ["--db", str(ingested), "--format", "table"]
    assert "fre-syl" in run("threads", *db) and "gen-syl" in run("threads", *db)
    timeline = run("timeline", *db)
    assert "FRE offer" in timeline and "SYL reject" in timeline
    assert "GEN meet" not in run("timeline", *db, "--thread", "fre-syl")
    positions = run("positions", *db)
    assert "$5 billion" in positions and "rejected" in positions
    assert "fishing" in run("search", *db, "fishing")
    assert "No discrepancies" in run("discrepancies", *db)


def test_export_and_report(ingested: Path, tmp_path: Path) -> None:
    db = ["--db", str(ingested)]
    lines = run("export", *db, "--format", "jsonl", "--table", "timeline").splitlines()
    assert lines and all(json.loads(line)["id"].startswith("T") for line in lines)
    run("export", *db, "--format", "csv", "--table", "all", "-o", str(tmp_path / "out"))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["events.csv", "positions.csv",
                                                                      "timeline.csv"]
    run("report", *db, "-o", str(tmp_path / "r.html"))
    assert "positions-chart" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_errors_are_one_line(tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["timeline", "--db", str(tmp_path / "none.db")])
    assert done.exit_code == 1
    assert done.output.count("\n") == 1 and "parley ingest" in done.output
    register_fake()
    corpus = write_jsonl(tmp_path / "c.jsonl", STORY)
    CliRunner().invoke(main, ["ingest", "--jobs", "1", "--db", str(tmp_path / "c.db"), "--extractor", FAKE, str(corpus)])
    bad = CliRunner().invoke(main, ["timeline", "--db", str(tmp_path / "c.db"), "--thread", "nowhere"])
    assert bad.exit_code == 2 and "no thread 'nowhere'" in bad.output  # a bad option value: usage
    parquet = CliRunner().invoke(main, ["export", "--db", str(tmp_path / "c.db"), "--format", "parquet"])
    assert parquet.exit_code == 2 and "-o" in parquet.output  # a usage error


def test_parts_written_by_extract_are_ingested_without_extracting(tmp_path: Path) -> None:
    register_fake()
    corpus = write_jsonl(tmp_path / "c.jsonl", STORY)
    parts = tmp_path / "parts"
    done = CliRunner().invoke(main, ["extract", "--jobs", "1", "--extractor", FAKE, "--format", "jsonl",
                                     str(corpus), "-o", f"{parts}/"])
    assert done.exit_code == 0, done.output
    assert any(parts.iterdir())
    db = tmp_path / "p.db"
    # An extractor that cannot load its model proves the parts are loaded, not extracted again.
    register("test.broken", "parley.extract.fake:broken")
    done = CliRunner().invoke(main, ["ingest", "--jobs", "1", "--db", str(db), "--extractor", "test.broken",
                                     str(parts)])
    assert done.exit_code == 0, done.output
    assert f"{len(STORY)} added" in done.output


def test_an_unknown_currency_exits_2_with_one_line(ingested: Path) -> None:
    done = CliRunner().invoke(main, ["positions", "--db", str(ingested), "--currency", "XYZ"])
    assert done.exit_code == 2
    assert done.output.strip().count("\n") == 0 and "unknown currency 'XYZ'" in done.output
    assert "Traceback" not in done.output


@pytest.mark.slow
def test_stories_positions_per_unit(stories_db: Path) -> None:
    output = run("positions", "--db", str(stories_db), "--format", "table")
    # Per-share prices have a table of their own, never under "a year".
    share = output.split("Positions (USD a share)", 1)[1].split("Positions (", 1)[0]
    assert "SEK/share" in share
    assert "SEK/share" not in output.split("Positions (USD a share)", 1)[0]
    assert "Positions (USD a year)" not in output or "SEK/share" not in output.split("Positions (USD a year)")[1]


@pytest.mark.slow
def test_stories_the_denied_raise_end_to_end(stories_db: Path) -> None:
    claims = run("discrepancies", "--db", str(stories_db), "--format", "table")
    assert "Conflicting claims" in claims and "205 SEK/share" in claims
    assert "tk3" in claims and "tk4" in claims
