"""JSONL records that are valid JSON but hostile to Python or SQLite: each costs at most itself."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from parley.cli import main
from parley.reading.readers import read_articles
from parley.records import Article, Problem

CONTROL = {"id": "control", "text": "The dockers' union rejected the port's pay offer on Friday."}


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_a_lone_surrogate_is_replaced_and_the_record_kept(tmp_path: Path) -> None:
    # json.dumps writes "\ud800" as the escape it is: valid JSON, but no character.
    surrogate = json.dumps({"id": "s", "title": "Talks \ud800", "text": "The union met the board.\udc00 Then it left."})
    path = write_lines(tmp_path / "a.jsonl", [surrogate, json.dumps(CONTROL)])
    items = list(read_articles([path]))
    articles = {i.id: i for i in items if isinstance(i, Article)}
    assert set(articles) == {"s", "control"}
    assert articles["s"].text == "The union met the board.\ufffd Then it left."
    assert articles["s"].title == "Talks \ufffd"
    warnings = [i for i in items if isinstance(i, Problem)]
    assert len(warnings) == 1 and warnings[0].line == 1 and not warnings[0].fatal
    assert "surrogate" in warnings[0].reason


def test_an_integer_past_pythons_digit_limit_costs_nothing_after_it(tmp_path: Path) -> None:
    huge = '{"id": "n", "text": "The board met the union on Monday.", "votes": ' + "9" * 5000 + "}"
    path = write_lines(tmp_path / "a.jsonl", [huge, json.dumps(CONTROL), json.dumps({**CONTROL, "id": "c2"})])
    items = list(read_articles([path]))
    articles = {i.id: i for i in items if isinstance(i, Article)}
    assert set(articles) == {"n", "control", "c2"}
    assert articles["n"].metadata["votes"] == "9" * 5000
    [warning] = [i for i in items if isinstance(i, Problem)]
    assert warning.line == 1 and not warning.fatal and "5,000 digits" in warning.reason


def test_hostile_records_are_stored_and_a_rerun_is_a_no_op(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "s", "text": "The nurses rejected the offer.\ud800", "source": "x\udfff"}),
             '{"id": "n", "text": "The nurses met the board.", "n": ' + "1" * 4400 + "}",
             json.dumps(CONTROL)]
    path = write_lines(tmp_path / "a.jsonl", lines)
    db = tmp_path / "p.db"
    first = CliRunner().invoke(main, ["ingest", "--jobs", "1", "--db", str(db), str(path)])
    assert first.exit_code == 0, first.output
    assert "3 added" in first.output
    again = CliRunner().invoke(main, ["ingest", "--jobs", "1", "--db", str(db), str(path)])
    assert again.exit_code == 0 and "3 unchanged" in again.output, again.output


def test_a_text_that_is_not_a_string_is_named_for_what_it_is(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "a.jsonl", ['{"id": "n", "text": 42}', '{"id": "l", "text": ["a"]}',
                                              '{"id": "m"}', '{"id": "e", "text": " "}', json.dumps(CONTROL)])
    reasons = [(i.line, i.reason) for i in read_articles([path]) if isinstance(i, Problem)]
    assert reasons == [(1, "no article: the `text` (or `html`) field is not text but a number"),
                       (2, "no article: the `text` (or `html`) field is not text but a list"),
                       (3, "no article: the `text` (or `html`) field is missing"),
                       (4, "no article: the `text` (or `html`) field is empty")]
