"""The `parley` command: parses options, calls the library, formats. Nothing else.

Library errors become one line on stderr; exit status 0 when every input was
read, 1 when some were skipped, 2 for a usage error (INPUT.md).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from parley.cli_support import ProblemPrinter, fail
from parley.errors import ParleyError
from parley.results import ExtractOptions


def options_from_flags(extractor: str = "rules.v1", engine: str = "local", jobs: int = 1) -> ExtractOptions:
    return ExtractOptions(extractor=extractor, engine=engine, jobs=jobs)



paths_argument = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="parley")
def main() -> None:
    """parley: negotiation events from news articles, every figure traced to its sentence."""


@main.command()
@paths_argument
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the JSONL here instead of standard output.")
@click.option("--extractor", default="rules.v1", show_default=True, help="Event extractor backend.")
def extract(paths: tuple[Path, ...], output: Path | None, extractor: str) -> None:
    """Write every negotiation event in PATHS as JSON lines (EVENTS.md)."""
    from parley.pipeline import extract as run

    problems = ProblemPrinter()
    try:
        out = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            for result in run(paths, options_from_flags(extractor), on_problem=problems):
                for record in result.as_dicts():
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
        finally:
            if output:
                out.close()
    except ParleyError as err:
        fail(err)
    sys.exit(1 if problems.count else 0)


@main.command()
@paths_argument
@click.option("--extractor", default="rules.v1", show_default=True, help="Event extractor backend.")
def show(paths: tuple[Path, ...], extractor: str) -> None:
    """Print a readable table of the events of each article in PATHS."""
    from parley.pipeline import extract as run
    from parley.tables import print_article_events

    problems = ProblemPrinter()
    try:
        for result in run(paths, options_from_flags(extractor), on_problem=problems):
            print_article_events(result)
    except ParleyError as err:
        fail(err)
    sys.exit(1 if problems.count else 0)


def _register_corpus_commands() -> None:
    # The corpus commands (ingest, timeline, report...) live in their own module
    # so that this file stays a thin edge.
    from parley import cli_corpus

    for command in cli_corpus.COMMANDS:
        main.add_command(command)


_register_corpus_commands()

if __name__ == "__main__":
    main()
