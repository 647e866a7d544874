"""What every command shares: one line per unreadable input, one line per error."""
from __future__ import annotations

import sys

import click

from parley.errors import ParleyError
from parley.records import Problem


class ProblemPrinter:
    """Prints each unreadable input as one line on stderr and counts the skipped ones
    (the exit status is 1 when any input was skipped: INPUT.md)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, problem: Problem) -> None:
        if problem.fatal:
            self.count += 1
        click.echo(f"parley: {'skipped' if problem.fatal else 'warning'}: {problem}", err=True)


def fail(err: ParleyError) -> None:
    """A library error as one line, never a traceback."""
    click.echo(f"parley: error: {err}", err=True)
    sys.exit(1)
