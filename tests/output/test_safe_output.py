"""Output made safe for where it goes: no escape sequence from an article reaches the terminal,
no CSV cell is a spreadsheet formula."""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.analysis.exchange import reference_rate
from parley.output.safe_output import for_csv_cell, for_terminal
from parley.corpus.store import Store
from test_store import article, result

TITLE = "\x1b]0;you have been retitled\x07Talks \x1b[2J\x1b[H resume"
SOURCE = "\x1b]8;;https://example.invalid/\x1b\\The Wire\x1b]8;;\x1b\\"
ESCAPES = ("\x1b", "\x07", "\x9b", "\u202e")


@pytest.mark.parametrize("text, shown", [
    (TITLE, "Talks  resume"),
    (SOURCE, "The Wire"),
    ("red \x1b[1;31malert\x1b[0m", "red alert"),
    ("8-bit \x9b2J csi", "8-bit  csi"),
    ("right-to-left \u202eoverride", "right-to-left override"),
    ("lines\nand\ttabs stay", "lines\nand\ttabs stay"),
])
def test_escape_sequences_and_control_characters_are_removed(text: str, shown: str) -> None:
    assert for_terminal(text) == shown


@pytest.mark.parametrize("cell, written", [
    ("=HYPERLINK(\"https://example.invalid\")", "'=HYPERLINK(\"https://example.invalid\")"),
    ("+SUM(1+1)", "'+SUM(1+1)"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("\rx", "' x"),
    ("Talks resume", "Talks resume"), (-5.0, -5.0), (3, 3), (None, None),
])
def test_csv_cells_that_start_a_formula_are_neutralised(cell: object, written: object) -> None:
    assert for_csv_cell(cell) == written


def test_csv_cells_hold_no_line_breaks() -> None:
    assert for_csv_cell("The union said:\r\n  no.\nThen\u2028talks ended.") == "The union said: no. Then talks ended."


def _usd(krw: float, day: dt.date, off: float = 0.0) -> str:
    rate, _ = reference_rate("USD", "KRW", day)
    assert rate
    return f"{krw / rate * (1 + off) / 1e6:.0f}"


@pytest.fixture()
def hostile_store(tmp_path: Path) -> Path:
    """Two reports of one figure that disagree (a discrepancy), titled and sourced with escapes."""
    d1, d2 = dt.date(2020, 3, 10), dt.date(2020, 6, 1)
    db = tmp_path / "h.db"
    with Store(db) as store:
        for id, day, off in (("=HYPERLINK(\"https://example.invalid\")", d1, 0.0), ("h2\x1b[2J", d2, 0.05)):
            text = (f"Freedonia offered Sylvania a 10 percent increase over 1.5 trillion won "
                    f"(${_usd(1.5e12, day, off)} million). \x1b]0;pwned\x07Sylvania rejected the offer.")
            a = dataclasses.replace(article(id, text, day.isoformat()), title=TITLE,
                                    source=SOURCE if off else "+SUM(1+1)")
            store.add(result(a))
    return db


@pytest.mark.parametrize("command", [["search", "Sylvania"], ["discrepancies"], ["timeline"], ["threads"],
                                     ["positions"]])
def test_no_escape_sequence_reaches_the_terminal_from_the_store(hostile_store: Path, command: list[str]) -> None:
    done = CliRunner().invoke(main, [*command, "--db", str(hostile_store)])
    assert done.exit_code == 0, done.output
    assert not any(c in done.output for c in ESCAPES), repr(done.output)
    if command[0] == "discrepancies":
        assert "The Wire" in done.output  # the source is shown, without its link


def test_no_escape_sequence_reaches_the_terminal_from_show(tmp_path: Path) -> None:
    record = {"id": "e1", "title": TITLE, "source": SOURCE, "published": "2020-03-10",
              "text": "Canada rejected Mexico's offer of a 6 percent tariff cut on Monday. \x1b]0;pwned\x07 Talks go on."}
    path = tmp_path / "e.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    done = CliRunner().invoke(main, ["show", "--jobs", "1", str(path)])
    assert done.exit_code == 0, done.output
    assert "Talks" in done.output and "reject" in done.output
    assert not any(c in done.output for c in ESCAPES), repr(done.output)


def test_a_problem_naming_a_hostile_file_name_is_shown_without_its_escapes(tmp_path: Path) -> None:
    bad = tmp_path / "\x1b]0;pwned\x07empty.txt"
    bad.write_text("", encoding="utf-8")
    done = CliRunner().invoke(main, ["show", "--jobs", "1", str(tmp_path)])
    assert done.exit_code == 1
    assert "empty.txt" in done.output and not any(c in done.output for c in ESCAPES)


def test_csv_export_has_no_formula_cells(hostile_store: Path, tmp_path: Path) -> None:
    for table in ("events", "timeline", "positions"):
        out = tmp_path / f"{table}.csv"
        done = CliRunner().invoke(main, ["export", "--db", str(hostile_store), "--format", "csv",
                                         "--table", table, "-o", str(out)])
        assert done.exit_code == 0, done.output
        cells = [c for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8"))) for c in row]
        formulas = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not _number(c)]
        assert not formulas, formulas
    events = out.with_name("events.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in events and "'+SUM(1+1)" in events


def _number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False
