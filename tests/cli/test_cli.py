"""The `parley` command in-process: output format, exit status and bad input (INPUT.md)."""
from __future__ import annotations

import gzip
import json

import pytest
from click.testing import CliRunner

from parley.cli import main

ARTICLE = ("Brazil made an offer of $5 billion to Argentina on Monday.\n\n"
           "Argentina rejected the Brazilian offer.\n")


@pytest.fixture()
def runner():
    return CliRunner()


def _jsonl(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.slow
def test_extract_writes_event_records(tmp_path, runner):
    src = _jsonl(tmp_path / "a.jsonl", [{"id": "a1", "text": ARTICLE, "published": "2021-03-03"}])
    out = tmp_path / "events.jsonl"
    result = runner.invoke(main, ["extract", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert {r["type"] for r in records} >= {"offer", "reject"}
    for r in records:
        assert r["article"] == "a1"
        for ev in r["evidence"]:
            assert ARTICLE[ev["start"]:ev["end"]] == ev["text"]


@pytest.mark.slow
def test_extract_to_stdout_without_output_option(tmp_path, runner):
    src = tmp_path / "story.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(main, ["extract", str(src)])
    assert result.exit_code == 0
    assert any(json.loads(line)["article"] == "story.txt" for line in result.stdout.splitlines())


@pytest.mark.slow
@pytest.mark.parametrize("name,content,expect", [
    ("empty.txt", b"", "empty"),
    ("binary.txt", b"\x00\x01\x02PNG\x00" * 50, ""),
    ("undecodable.txt", bytes(range(128, 256)) * 4, ""),
])
def test_bad_file_is_one_line_and_the_rest_is_processed(tmp_path, runner, name, content, expect):
    (tmp_path / name).write_bytes(content)
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(main, ["extract", str(tmp_path)])
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if name in line]
    assert len(problems) == 1 and expect in problems[0].lower()
    assert any(json.loads(line)["article"] == "good.txt" for line in result.stdout.splitlines())


@pytest.mark.slow
def test_malformed_jsonl_line_names_file_and_line(tmp_path, runner):
    src = _jsonl(tmp_path / "mixed.jsonl", [
        {"id": "ok1", "text": ARTICLE, "published": "2021-03-03"},
        "{not json",
        {"id": "no-text"},
        {"id": "ok2", "text": ARTICLE},
    ])
    result = runner.invoke(main, ["extract", str(src)])
    assert result.exit_code == 1
    assert "mixed.jsonl:2" in result.stderr and "mixed.jsonl:3" in result.stderr
    assert {json.loads(line)["article"] for line in result.stdout.splitlines()} == {"ok1", "ok2"}


@pytest.mark.slow
def test_oversized_and_missing_inputs_are_skipped(tmp_path, runner):
    from parley.results import ExtractOptions
    big = tmp_path / "big.txt"
    big.write_text("word " * (ExtractOptions().max_article_bytes // 5 + 10), encoding="utf-8")
    gz = tmp_path / "ok.jsonl.gz"
    gz.write_bytes(gzip.compress((json.dumps({"id": "g1", "text": ARTICLE}) + "\n").encode()))
    result = runner.invoke(main, ["extract", str(big), str(tmp_path / "nope.txt"), str(gz)])
    assert result.exit_code == 1
    assert "nope.txt" in result.stderr and "big.txt" in result.stderr
    assert any(json.loads(line)["article"] == "g1" for line in result.stdout.splitlines())


def test_usage_error_exits_2(runner):
    result = runner.invoke(main, ["extract"])
    assert result.exit_code == 2


@pytest.mark.slow
def test_show_prints_a_table_per_article(tmp_path, runner):
    src = _jsonl(tmp_path / "a.jsonl", [{"id": "a1", "title": "Brazil bids", "text": ARTICLE,
                                         "published": "2021-03-03"}])
    result = runner.invoke(main, ["show", str(src)])
    assert result.exit_code == 0
    assert "Brazil bids" in result.stdout and "offer" in result.stdout and "$5 billion" in result.stdout  # corpus/money.py, as in positions
