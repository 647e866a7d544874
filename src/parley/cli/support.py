"""What every command shares: one line per unreadable input, one line per error, and
the options that say where extraction runs."""
from __future__ import annotations

import functools
import sys
from typing import Any, Callable, TypeVar

import click

from parley.engines.processes import available_cores, engine_for_jobs, resolve_jobs
from parley.errors import ConfigurationError, ParleyError
from parley.extract.registry import DEFAULT, target_of
from parley.output.safe_output import for_terminal
from parley.records import Problem
from parley.results import ExtractOptions

F = TypeVar("F", bound=Callable[..., object])

# Strings, not Paths: a Path would make "https://host/page" into "https:/host/page". readable=False:
# an unreadable input is the reader's one-line Problem (the rest is read), not a usage error that
# stops the run before it starts (INPUTS.md).
inputs_argument = click.argument("paths", nargs=-1, required=True, metavar="INPUT...",
                                 type=click.Path(readable=False, allow_dash=True))


def extraction_options(command: F) -> F:
    """--extractor, --jobs, --force-jobs, --engine, --address: for every command that extracts.

    The flags are checked together before the command runs: a combination that
    cannot mean anything is a usage error (exit 2), and --jobs past the cores is
    cut to the cores unless --force-jobs (each worker holds a language model)."""

    @functools.wraps(command)
    def checked(*args: Any, jobs: int, force_jobs: bool, engine: str | None, address: str | None,
                **kwargs: Any) -> Any:
        if address is not None and engine != "ray":
            raise click.UsageError("--address names a Ray cluster: it needs --engine ray")
        if engine == "local" and jobs > 1:
            raise click.UsageError(f"--engine local runs in this process: it cannot use --jobs {jobs} "
                                   "(use --engine processes, or leave --engine out)")
        cores = available_cores()
        if jobs > cores:
            if force_jobs:
                click.echo(f"parley: warning: --jobs {jobs} on {cores} cores: {jobs} workers, "
                           "each with its own language model", err=True)
            else:
                click.echo(f"parley: warning: --jobs {jobs} is more than the {cores} cores here: "
                           f"using {cores} (--force-jobs to start {jobs})", err=True)
                jobs = cores
        return command(*args, jobs=jobs, engine=engine, address=address, **kwargs)

    wrapped: Any = checked
    for option in reversed([
        click.option("--extractor", default=DEFAULT, show_default=True,
                     help="Event extractor backend by name: learned.v1, rules.v1, or one an installed "
                          "package adds (docs/EXTRACTORS.md)."),
        click.option("--jobs", "-j", type=click.IntRange(min=0), default=0,
                     show_default="0: in this process for a small input, all cores for a large one",
                     help="Worker processes for extraction; 1 runs in this process; at most the cores "
                          "unless --force-jobs."),
        click.option("--force-jobs", is_flag=True, help="Start --jobs workers even past the number of cores."),
        click.option("--engine", type=click.Choice(["local", "auto", "processes", "ray"]), default=None,
                     help="Where extraction runs (default: local for --jobs 1, processes for --jobs N, "
                          "auto without --jobs)."),
        click.option("--address", default=None, metavar="ADDRESS",
                     help="Ray cluster for --engine ray: auto or ray://HOST:10001 (default: start Ray here)."),
    ]):
        wrapped = option(wrapped)
    return wrapped  # type: ignore[no-any-return]


def options_from_flags(extractor: str = DEFAULT, jobs: int = 0, engine: str | None = None,
                       address: str | None = None) -> ExtractOptions:
    """The one place CLI flags become ExtractOptions; an unknown extractor is a usage error."""
    try:
        target_of(extractor)
    except ConfigurationError as err:
        raise click.BadParameter(str(err), param_hint="'--extractor'") from err
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


USAGE_ERROR = 2  # click's own status for a bad option: INPUT.md's "usage error"


def fail(err: ParleyError) -> None:
    """A library error as one line, never a traceback; a bad option or backend (a
    ConfigurationError, UsageError among them) exits 2, anything else 1."""
    click.echo(f"parley: error: {for_terminal(str(err))}", err=True)
    sys.exit(USAGE_ERROR if isinstance(err, ConfigurationError) else 1)
