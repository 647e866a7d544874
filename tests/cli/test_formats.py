"""--format table|json|jsonl|csv on every query command: JSON lines when piped, a line for nothing."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.analysis.exchange import reference_rate
from parley.cli import main
from parley.corpus.store import Store
from test_store import FAKE, article, register_fake, result, write_jsonl

QUERIES = [("timeline",), ("threads",), ("positions",), ("discrepancies",), ("search", "offered")]


def run(*args: str) -> tuple[str, str]:
    done = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert done.exit_code == 0, done.output
    return done.stdout, done.stderr


# The tests' corpus has no discrepancy: that command's rows are in test_discrepancies_rows.
@pytest.mark.parametrize("query", [q for q in QUERIES if q[0] != "discrepancies"], ids=lambda q: q[0])
def test_every_query_command_writes_json_lines_when_piped(ingested: Path, query: tuple[str, ...]) -> None:
    out, _ = run(*query, "--db", str(ingested))
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(isinstance(row, dict) for row in rows)
    as_json, _ = run(*query, "--db", str(ingested), "--format", "json")
    assert json.loads(as_json) == rows
    as_csv, _ = run(*query, "--db", str(ingested), "--format", "csv")
    table = list(csv.DictReader(io.StringIO(as_csv)))
    assert len(table) == len(rows) and set(table[0]) == set(rows[0])


def test_rows_carry_what_the_table_shows(ingested: Path) -> None:
    timeline = [json.loads(line) for line in run("timeline", "--db", str(ingested))[0].splitlines()]
    assert {(r["actor"], r["type"]) for r in timeline} >= {("FRE", "offer"), ("SYL", "reject"), ("GEN", "meet")}
    threads = json.loads(run("threads", "--db", str(ingested), "-f", "json")[0])
    assert {t["id"] for t in threads} == {"fre-syl", "gen-syl"}
    positions = [json.loads(line) for line in run("positions", "--db", str(ingested))[0].splitlines()]
    assert any(p["party"] == "SYL" and p["kind"] == "demand" and p["value"] == 5e9 for p in positions)


def test_csv_nested_cells_are_json_on_one_line(ingested: Path) -> None:
    out, _ = run("timeline", "--db", str(ingested), "--format", "csv")
    assert out.count("\n") == 1 + len(out.splitlines()) - 1
    rows = list(csv.DictReader(io.StringIO(out)))
    sources = json.loads(rows[0]["sources"])
    assert sources and "evidence" in sources[0]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q[0])
def test_an_empty_result_is_one_line_and_exit_0(tmp_path: Path, query: tuple[str, ...]) -> None:
    register_fake()
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"id": "quiet", "text": "Nothing happened in Sylvania today."}])
    db = tmp_path / "e.db"
    assert CliRunner().invoke(main, ["ingest", "--jobs", "1", "--db", str(db), "--extractor", FAKE,
                                     str(corpus)]).exit_code == 0
    for fmt in ("table", "jsonl", "csv"):
        out, err = run(*query, "--db", str(db), "--format", fmt)
        assert out == "" and err.count("\n") == 1 and err.startswith("No ")
    out, _ = run(*query, "--db", str(db), "--format", "json")
    assert json.loads(out) == []


def test_table_format_draws_a_table(ingested: Path) -> None:
    out, _ = run("threads", "--db", str(ingested), "--format", "table")
    assert "Negotiation threads" in out and "fre-syl" in out


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_help_page_shows_an_example(command: str) -> None:
    out, _ = run(command, "--help")
    assert "Example" in out and f"parley {command}" in out


def test_the_group_help_shows_examples() -> None:
    out, _ = run("--help")
    assert "Examples:" in out and "parley timeline" in out


def test_discrepancies_rows(tmp_path: Path) -> None:
    def dollars(day: dt.date, off: float) -> str:
        rate, _ = reference_rate("USD", "KRW", day)
        return f"{1.5e12 / rate * (1 + off) / 1e6:.0f}"

    texts = [(f"f{n}", day, f"Freedonia offered Sylvania a 10 percent increase over 1.5 trillion won "
                            f"(${dollars(day, off)} million).")
             for n, (day, off) in enumerate([(dt.date(2020, 3, 10), 0.0), (dt.date(2020, 6, 1), 0.05)])]
    db = tmp_path / "d.db"
    with Store(db) as store:
        for id, day, text in texts:
            store.add(result(article(id, text, day.isoformat())))
    rows = [json.loads(line) for line in run("discrepancies", "--db", str(db))[0].splitlines()]
    figures = [row for row in rows if row["kind"] == "figure"]
    assert len(figures) == 1 and figures[0]["native_currency"] == "KRW"
    assert {report["article"] for report in figures[0]["reports"]} == {"f0", "f1"}
