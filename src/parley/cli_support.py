"""What every command shares: one line per unreadable input, one line per error, and
the options that say where extraction runs."""
from __future__ import annotations

import sys
from typing import Callable, TypeVar

import click

from parley.errors import ParleyError
from parley.records import Problem
from parley.safe_output import for_terminal
from parley.results import ExtractOptions

F = TypeVar("F", bound=Callable[..., object])


def extraction_options(command: F) -> F:
    """--extractor, --jobs, --engine, --address: for every command that extracts."""
    for option in reversed([
        click.option("--extractor", default="rules.v1", show_default=True, help="Event extractor backend."),
        click.option("--jobs", "-j", type=int, default=0, show_default="0: all cores",
                     help="Worker processes for extraction; 1 runs in this process."),
        click.option("--engine", type=click.Choice(["local", "processes", "ray"]), default=None,
                     help="Where extraction runs (default: local for --jobs 1, else processes)."),
        click.option("--address", default=None, metavar="ADDRESS",
                     help="Ray cluster for --engine ray: auto or ray://HOST:10001 (default: start Ray here)."),
    ]):
        command = option(command)
    return command


def options_from_flags(extractor: str = "rules.v1", jobs: int = 0, engine: str | None = None,
                       address: str | None = None) -> ExtractOptions:
    """The one place CLI flags become ExtractOptions."""
    from parley.workers import engine_for_jobs, resolve_jobs
    return ExtractOptions(extractor=extractor, engine=engine_for_jobs(jobs, engine), jobs=resolve_jobs(jobs),
                          address=address)


class ProblemPrinter:
    """Prints each unreadable input as one line on stderr and counts the skipped ones
    (the exit status is 1 when any input was skipped: INPUT.md)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, problem: Problem) -> None:
        if problem.fatal:
            self.count += 1
        # A file name or a record's field may carry escape sequences: not to the terminal.
        click.echo(f"parley: {'skipped' if problem.fatal else 'warning'}: {for_terminal(str(problem))}", err=True)


def fail(err: ParleyError) -> None:
    """A library error as one line, never a traceback."""
    click.echo(f"parley: error: {for_terminal(str(err))}", err=True)
    sys.exit(1)
