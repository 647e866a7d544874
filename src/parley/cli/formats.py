"""`--format table|json|jsonl|csv` for every query command, one helper for all of them.

As sqlite-utils does: a rich table on a terminal, JSON lines when standard output
is a pipe or a file, so `parley timeline | jq` works without a flag. An empty
result is one line on stderr (and `[]` for --format json) with exit status 0.

    @format_option
    def threads(..., fmt: str | None):
        emit(fmt, [t.as_dict() for t in found], draw=lambda console: ..., empty="No threads.")
"""
from __future__ import annotations

import csv
import json
import sys
from typing import Any, Callable, Iterable, TypeVar

import click
from rich.console import Console

from parley.output.safe_output import for_csv_cell, for_terminal

FORMATS = ("table", "json", "jsonl", "csv")

F = TypeVar("F", bound=Callable[..., object])


def format_option(command: F) -> F:
    """--format (-f) on a query command; the command receives `fmt` (None: not given)."""
    return click.option(
        "--format", "-f", "fmt", type=click.Choice(FORMATS), default=None,
        help="table, json (one array), jsonl (one object a line) or csv; "
             "default: table on a terminal, jsonl when piped.")(command)  # type: ignore[return-value]


def chosen(fmt: str | None) -> str:
    """The format to write: the one asked for, else table on a terminal and jsonl in a pipe."""
    if fmt:
        return fmt
    return "table" if _is_terminal() else "jsonl"


def _is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stdout
        return False


def console() -> Console:
    out = Console()
    # Piped output has no width to fit: wide enough that figures and ids stay whole.
    return out if out.is_terminal else Console(width=180)


def emit(fmt: str | None, rows: list[dict[str, Any]], draw: Callable[[Console], None], empty: str) -> None:
    """Write `rows` in the chosen format; `draw` prints the rich tables for --format table.
    No rows: `empty` (one line) on stderr, nothing else but `[]` for json."""
    fmt = chosen(fmt)
    if not rows:
        click.echo(for_terminal(empty), err=True)  # it may quote the user's query
        if fmt == "json":
            click.echo("[]")
        return
    if fmt == "table":
        draw(console())
    elif fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    elif fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, default=str))
    else:
        # JSON escapes control characters itself; CSV cells bound for a terminal lose them.
        on_terminal = _is_terminal()
        write_csv(rows, sys.stdout, clean=for_terminal if on_terminal else None)


def write_csv(rows: Iterable[dict[str, Any]], stream: Any, clean: Callable[[str], str] | None = None) -> None:
    """Rows as CSV: a header of every key in first-seen order; nested values (lists, amounts)
    as JSON text; cells on one line and never a spreadsheet formula (safe_output.py)."""
    rows = list(rows)
    names = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.DictWriter(stream, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        cells = {key: for_csv_cell(_cell(value)) for key, value in row.items()}
        if clean is not None:
            cells = {key: clean(value) if isinstance(value, str) else value for key, value in cells.items()}
        writer.writerow(cells)


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value
