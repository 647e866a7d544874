"""The `parley` command: parses options, calls the library, formats. Nothing else.

Library errors become one line on stderr; exit status 0 when every input was
read, 1 when some were skipped, 2 for a usage error (INPUT.md).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from parley.cli import correct, corpus, serve
from parley.cli.watch import watch
from parley.cli.progress import extract_with_progress
from parley.cli.support import ProblemPrinter, extraction_options, fail, inputs_argument, options_from_flags
from parley.cli.tables import print_article_events
from parley.engines.parts import write_event_parts
from parley.errors import OutputError, ParleyError




@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="parley")
def main() -> None:
    """parley: negotiation events from news articles, every figure traced to its sentence.

    \b
    Examples:
      parley ingest articles/ https://example.org/talks.html --db talks.db
      parley timeline --db talks.db --format jsonl | jq .type
      parley watch https://example.org/world.rss --db talks.db
    """


@main.command()
@inputs_argument
@click.option("-o", "--output", type=click.Path(),
              help="Write the JSONL here instead of standard output; a folder (or a path ending in /) "
                   "gets Parquet or JSONL parts that `parley ingest` loads.")
@click.option("--format", "fmt", type=click.Choice(["parquet", "jsonl"]), default="parquet", show_default=True,
              help="Format of the parts when -o is a folder.")
@extraction_options
def extract(paths: tuple[str, ...], output: str | None, fmt: str, extractor: str, jobs: int,
            engine: str | None, address: str | None) -> None:
    """Write every negotiation event in the INPUTs as JSON lines (EVENTS.md).

    An INPUT is a file or folder of articles (text, HTML, JSONL, CSV, Parquet, WARC,
    RSS/Atom), - for standard input, or an http(s):// URL to fetch.

    \b
    Examples:
      parley extract articles/ -o events.jsonl
      curl -s https://example.org/talks.html | parley extract - | jq .type
      parley extract https://example.org/feed.rss --jobs 1
    """
    problems = ProblemPrinter()
    try:
        results = extract_with_progress(paths, options_from_flags(extractor, jobs, engine, address),
                                        on_problem=problems)
        if output is not None and (output.endswith(("/", "\\")) or Path(output).is_dir()):
            written = write_event_parts(results, output, format=fmt)
            click.echo(f"wrote {len(written)} part files to {output}", err=True)
        else:
            out = open(output, "w", encoding="utf-8") if output else sys.stdout
            try:
                for result in results:
                    for record in result.as_dicts():
                        out.write(json.dumps(record, ensure_ascii=False) + "\n")
            finally:
                if output:
                    out.close()
    except ParleyError as err:
        fail(err)
    except OSError as exc:  # -o in a folder that does not exist, a full disk
        fail(OutputError.writing(output or "standard output", exc))
    sys.exit(1 if problems.count else 0)


@main.command()
@inputs_argument
@extraction_options
def show(paths: tuple[str, ...], extractor: str, jobs: int, engine: str | None, address: str | None) -> None:
    """Print a readable table of the events of each article in the INPUTs (files, folders,
    - for standard input, http(s):// URLs).

    \b
    Examples:
      parley show dispatch.txt
      pbpaste | parley show -
    """
    problems = ProblemPrinter()
    try:
        for result in extract_with_progress(paths, options_from_flags(extractor, jobs, engine, address),
                                            on_problem=problems):
            print_article_events(result)
    except ParleyError as err:
        fail(err)
    sys.exit(1 if problems.count else 0)


# The corpus commands (ingest, timeline, report...) live in their own module
# so that this file stays a thin edge.
for command in corpus.COMMANDS:
    main.add_command(command)
# The web app and the corrections: their own modules, added the same way.
for command in serve.COMMANDS + correct.COMMANDS:
    main.add_command(command)
main.add_command(watch)

if __name__ == "__main__":
    main()
