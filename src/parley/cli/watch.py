"""`parley watch`: keep a store current from feeds and pages, telling each new move as it appears."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from parley.cli.corpus import db_option
from parley.cli.support import ProblemPrinter, extraction_options, fail, options_from_flags
from parley.corpus.store import open_store
from parley.corpus.watch import PollResult, Watcher, parse_every, watch as run_watch
from parley.errors import ParleyError
from parley.output.safe_output import for_terminal


def _every(ctx: click.Context, param: click.Parameter, value: str) -> float:
    try:
        return parse_every(value)
    except ValueError:
        raise click.BadParameter(f"{value!r}: give a duration such as 90s, 15m, 2h or 1d") from None


@click.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@db_option
@click.option("--every", default="15m", show_default=True, callback=_every,
              help="Time between polls: 90s, 15m, 2h, 1d.")
@click.option("--polls", type=click.IntRange(min=1), default=None,
              help="Stop after this many polls (default: until Ctrl-C). --polls 1 suits cron.")
@click.option("--follow-links", is_flag=True,
              help="Read a new feed entry from the page it links to (feeds often carry a summary only).")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True,
              help="text: one line per new move; jsonl: one JSON object per move (EVENTS.md fields with "
                   "title, source, url, published, seen), for alerting scripts.")
@extraction_options
def watch(sources: tuple[str, ...], db: Path, every: float, polls: int | None, follow_links: bool, fmt: str,
          extractor: str, jobs: int, engine: str | None, address: str | None) -> None:
    """Poll SOURCEs (feed or page URLs, files, folders), ingest what is new into the
    store and print each new offer, demand, rejection, acceptance or deal.

    Wire copies of a story already stored are kept as its sources, not told
    again. A source that is down is reported and tried again at the next poll.
    Ctrl-C stops cleanly (exit 0): the store holds every article stored so far.

    \b
    Examples:
      parley watch https://example.org/world.rss --every 15m --db talks.db
      parley watch https://example.org/feed.atom --format jsonl | ./notify.sh
      parley watch https://example.org/talks.html --polls 1   # from cron
    """
    problems = ProblemPrinter()
    options = options_from_flags(extractor, jobs, engine, address)

    def told(result: PollResult) -> None:
        for alert in result.alerts:
            click.echo(json.dumps(alert.as_dict(), ensure_ascii=False) if fmt == "jsonl"
                       else for_terminal(alert.line()))
        sys.stdout.flush()  # an alerting script reads each move as it comes, not at exit
        click.echo(f"parley: poll {watcher.polls}: {result.added} new, {result.updated} changed, "
                   f"{result.copies} wire copies, {len(result.alerts)} moves"
                   + (f", {result.problems} sources not read" if result.problems else ""), err=True)

    try:
        with open_store(db, create=True) as store, \
                Watcher(store, sources, options, follow_links=follow_links, on_problem=problems) as watcher:
            done = run_watch(watcher, every, told, polls=polls)
    except KeyboardInterrupt:
        click.echo("parley: watch stopped (Ctrl-C); the store is up to date with every article stored so far",
                   err=True)
        sys.exit(0)
    except ParleyError as err:
        fail(err)
    click.echo(f"parley: watch ended after {done} polls", err=True)
