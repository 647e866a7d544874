"""The corpus commands: ingest into the store, then look at the negotiation.

Each command parses options, calls one library function and formats the
result; `parley.cli` adds every command in `COMMANDS` to the `parley` group.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Callable

import click

from rich.console import Console
from rich.table import Table
from rich.text import Text

from parley.cli import formats
from parley.cli.formats import emit, format_option
from parley.cli.progress import count_articles, progress_enabled, track
from parley.cli.support import ProblemPrinter, extraction_options, fail, inputs_argument, options_from_flags
from parley.corpus.demo import demo_corpus, ingest_demo
from parley.corpus.discrepancies import find_discrepancies
from parley.corpus.ingest import ingest as run_ingest
from parley.corpus.money import format_money
from parley.corpus.positions import Position, positions as list_positions, standing_gap
from parley.corpus.store import HIGHLIGHT, Store, open_store
from parley.corpus.threads import select, threads as list_threads
from parley.corpus.timeline import TimelineEntry, timeline as build
from parley.errors import OutputError, ParleyError, UsageError
from parley.output.export import TABLES, export as write
from parley.output.gold import write_corrections
from parley.output.report import write_report
from parley.output.safe_output import for_terminal

DB_HELP = "The store: a SQLite file (created by ingest)."
db_option = click.option("--db", type=click.Path(dir_okay=False, path_type=Path),
                         default="parley.db", show_default=True, envvar="PARLEY_DB", help=DB_HELP)
thread_option = click.option("--thread", "-t", default=None, metavar="THREAD",
                             help="Only this negotiation: a thread id (see `parley threads`), "
                                  "a party code or a subject word.")



def _console() -> Console:
    return formats.console()


def _row(table, *cells: object) -> None:  # type: ignore[no-untyped-def]
    """Add a row of literal text: article words like "[END]" are not rich markup, and escape
    sequences in titles or text never reach the terminal (safe_output.py)."""
    table.add_row(*(Text(" ".join(for_terminal(str(c)).split()) if c is not None else "") for c in cells))


def _title(text: str) -> Text:
    """A table title from stored text: literal, not markup, no escape sequences."""
    return Text(" ".join(for_terminal(text).split()))


def _opened(db: Path, create: bool = False) -> Store:
    return open_store(db, create=create)


def _guarded(body: Callable[[], None]) -> None:
    try:
        body()
    except ParleyError as err:
        fail(err)


@click.command()
@inputs_argument
@db_option
@click.option("--keep-copies", is_flag=True,
              help="Extract wire copies as articles of their own instead of listing them as sources of "
                   "the story they copy.")
@extraction_options
def ingest(paths: tuple[str, ...], db: Path, keep_copies: bool, extractor: str, jobs: int,
           engine: str | None, address: str | None) -> None:
    """Extract the events of the INPUTs and keep articles and events in the store.

    An INPUT is a file or folder, - for standard input, or an http(s):// URL
    (fetched; the page is kept with its URL and retrieval time). Articles
    already stored unchanged are skipped (content hash); an interrupted ingest
    is completed by running it again. A folder of parts written by
    `parley extract -o OUT/` is loaded as it is, without extracting.

    \b
    Examples:
      parley ingest articles/ --db talks.db
      parley ingest https://example.org/news/talks-resume.html --db talks.db
      cat export.jsonl | parley ingest - --db talks.db
    """
    problems = ProblemPrinter()

    def body() -> None:
        with _opened(db, create=True) as store:
            # A bar (articles/s) on a terminal; nothing in a pipe or CI.
            # The count (for the time left) costs a pass over the inputs: only for a bar.
            total = count_articles(paths) if progress_enabled() else None
            summary = run_ingest(store, paths, options_from_flags(extractor, jobs, engine, address),
                                 on_problem=problems, detect_copies=not keep_copies,
                                 progress=lambda results: track(results, total=total, description="ingesting"))
            click.echo(f"{for_terminal(str(db))}: {summary.added} added, {summary.updated} updated, "
                       f"{summary.unchanged} unchanged; {store.article_count()} articles, "
                       f"{store.event_count()} events; {summary.copies} wire copies listed as sources",
                       err=True)
    _guarded(body)
    sys.exit(1 if problems.count else 0)


@click.command()
@click.argument("query")
@db_option
@click.option("--limit", default=20, show_default=True, help="Hits per kind (articles, evidence).")
@click.option("--advanced", is_flag=True,
              help='QUERY is FTS5 syntax: "a phrase", OR, NOT, NEAR, prefix*. Without it every word is '
                   "searched for as it is (punctuation included).")
@format_option
def search(query: str, db: Path, limit: int, advanced: bool, fmt: str | None) -> None:
    """Full-text search over articles and evidence: every word of QUERY, stemmed
    ("rejecting" finds "rejected"), best matches first, the matching words marked.

    \b
    Examples:
      parley search "rejecting offer"
      parley search --advanced '"best offer" OR counteroffer' --format jsonl | jq .snippet
    """
    def body() -> None:
        with _opened(db) as store:
            hits = store.search(query, limit, advanced=advanced)

        def draw(console: Console) -> None:
            table = Table(title=_title(f"{len(hits)} hits for {query}"))
            for column in ("kind", "article", "published", "match"):
                table.add_column(column, overflow="fold")
            for hit in hits:
                table.add_row(*(Text(" ".join(for_terminal(c).split())) for c in (
                    hit.kind, hit.article, hit.published.date().isoformat() if hit.published else "")),
                    _highlighted(hit.snippet))
            console.print(table)
        emit(fmt, [hit.as_dict() for hit in hits], draw, f"No matches for {query!r}.")
    _guarded(body)


def _highlighted(snippet: str) -> Text:
    """A snippet with its matching words in bold (the store marks them with HIGHLIGHT)."""
    opening, closing = HIGHLIGHT
    text = Text()
    for number, part in enumerate(" ".join(for_terminal(snippet).split()).split(opening)):
        matched, _, rest = part.partition(closing) if number else ("", "", part)
        text.append(matched, style="bold yellow")
        text.append(rest)
    return text


@click.command()
@db_option
@thread_option
@format_option
def timeline(db: Path, thread: str | None, fmt: str | None) -> None:
    """The negotiation's timeline: each event once, with its sources, in date order.

    \b
    Examples:
      parley timeline --thread usa-kor
      parley timeline --format jsonl | jq 'select(.type == "offer")'
    """
    def body() -> None:
        with _opened(db) as store:
            entries = select(build(store), thread)
        emit(fmt, [e.as_dict() for e in entries], lambda console: _draw_timeline(entries, console),
             "No events in the store" + (f" for thread {thread}." if thread else "."))
    _guarded(body)


def _print_timeline(store: Store, thread: str | None) -> None:
    _draw_timeline(select(build(store), thread), _console())


def _draw_timeline(entries: list[TimelineEntry], console: Console) -> None:
    table = Table(title="Timeline")
    for column in ("date", "entry", "thread", "what", "status", "sources"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        if entry.dated and entry.date:
            when = str(entry.date.start) + ("" if entry.date.end == entry.date.start else f" – {entry.date.end}")
        else:
            when = f"{entry.placed or '?'} (undated{': first reported' if entry.placed else ''})"
        if entry.date_inferred:
            when += " (date inferred)"
        _row(table, when, entry.id, entry.thread or "", entry.summary(),
                      ", ".join(entry.statuses), str(entry.source_count))
    console.print(table)
    inferred = {s.article: s.dated_by for entry in entries for s in entry.sources if s.dated_by}
    for article, reason in sorted(inferred.items()):
        console.print(_title(f"{article}: date {reason}"))


@click.command()
@db_option
@format_option
def threads(db: Path, fmt: str | None) -> None:
    """The negotiations in the store: grouped by parties and subject.

    \b
    Examples:
      parley threads
      parley threads --format csv > threads.csv
    """
    def body() -> None:
        with _opened(db) as store:
            found = list_threads(build(store))
            names = store.parties()

        def draw(console: Console) -> None:
            table = Table(title="Negotiation threads")
            for column in ("thread", "parties", "subject", "entries", "articles", "from", "to"):
                table.add_column(column, overflow="fold")
            for t in found:
                _row(table, t.id, ", ".join(f"{names.get(p, p)} ({p})" for p in t.parties),
                              " ".join(t.subject), str(t.entries), str(t.articles),
                              str(t.first or ""), str(t.last or ""))
            console.print(table)
        emit(fmt, [t.as_dict() for t in found], draw, "No negotiation threads in the store.")
    _guarded(body)


@click.command()
@db_option
@thread_option
@click.option("--currency", default="USD", show_default=True, help="Normalise to this currency.")
@click.option("--period", default="year", show_default=True,
              type=click.Choice(["year", "month", "week", "day"]), help="...per this period.")
@format_option
def positions(db: Path, thread: str | None, currency: str, period: str, fmt: str | None) -> None:
    """Each side's terms over time, normalised, and the gap between the sides.

    The table format adds the standing gap; the other formats give one row per position.

    \b
    Examples:
      parley positions --thread usa-kor --currency KRW --period month
      parley positions --format json > positions.json
    """
    def body() -> None:
        with _opened(db) as store:
            rows = list_positions(select(build(store), thread), currency.upper(), period)
        emit(fmt, [p.as_dict() for p in rows], lambda console: _draw_positions(rows, currency, period, console),
             "No positions (figures offered or demanded) in the store" + (f" for thread {thread}." if thread else "."))
    _guarded(body)


def _print_positions(store: Store, thread: str | None, currency: str, period: str) -> None:
    _draw_positions(list_positions(select(build(store), thread), currency, period), currency, period,
                    _console())


def _draw_positions(rows: list[Position], currency: str, period: str, console: Console) -> None:
    # currency and period: what the rows were normalised to (each row's unit says it too).
    if not rows:
        console.print("No positions: no offer, demand or agreement with a figure.")
        return
    # One table per unit: a price per share, a one-off sum and a yearly sum never share a column.
    units = list(dict.fromkeys(p.unit for p in rows))
    gap_points = standing_gap(rows)
    for unit in units:
        members = [p for p in rows if p.unit == unit]
        table = Table(title=f"Positions ({members[0].heading})")
        for column in ("when", "thread", "party", "kind", "stated", "normalised", "change", "marks", "entry"):
            table.add_column(column, overflow="fold")
        for p in members:
            marks = [m for m, on in (("reported only", p.reported_only and not p.denied_in),
                                     ("denied", bool(p.denied_in)), ("rejected", p.rejected),
                                     ("placed at the start of the talks: 'initially'", p.placed_by == "initially"),
                                     ("placed after the figure it changes", p.placed_by == "change"),
                                     ("undated: placed by first report", p.placed_by == "first report"),
                                     ("period assumed", p.period_assumed)) if on]
            _row(table, str(p.placed or "?"), p.thread or "", p.party, p.kind,
                 format_money(p.value, p.currency) + (f"/{p.period}" if p.period else ""),
                 format_money(p.normalised, unit.split("/")[0]) if p.normalised is not None else "–",
                 p.change or "", ", ".join(marks), p.entry)
        console.print(table)
        gap_rows = [g for g in gap_points if g.unit == unit]
        if not gap_rows:
            continue
        gap = Table(title=f"Standing positions and the gap ({members[0].heading})")
        for column in ("after", "when", "thread", "higher", "lower", "gap"):
            gap.add_column(column)
        money = unit.split("/")[0]
        for g in gap_rows:
            _row(gap, g.after, str(g.placed or "undated"), g.thread or "",
                 f"{g.higher} {format_money(g.higher_value, money)}",
                 f"{g.lower} {format_money(g.lower_value, money)}",
                 format_money(g.gap, money))
        console.print(gap)


@click.command()
@db_option
@thread_option
@format_option
def discrepancies(db: Path, thread: str | None, fmt: str | None) -> None:
    """Figures reported differently across sources, explained by exchange rates or not; denied claims.

    In json, jsonl and csv each row is a figure (`"kind": "figure"`, its reports
    listed) or a claim (`"kind": "claim"`).

    \b
    Examples:
      parley discrepancies --thread usa-kor
      parley discrepancies --format jsonl | jq 'select(.kind == "claim")'
    """
    def body() -> None:
        with _opened(db) as store:
            everything = build(store)
            wanted = {e.thread for e in select(everything, thread)}
            found = find_discrepancies(store, everything)
        groups = [d for d in found.figures if thread is None or d.thread in wanted]
        claims = [c for c in found.claims if thread is None or c.entry.thread in wanted]

        def draw(console: Console) -> None:
            for group in groups:
                table = Table(title=_title(group.summary()))
                for column in ("source", "published", "stated", "implied rate", "verdict", "why"):
                    table.add_column(column, overflow="fold")
                for r in group.reports:
                    _row(table, r.source or r.article, str(r.published or "undated"),
                                  r.text, f"{r.implied_rate:,.2f}", r.verdict, r.explanation())
                console.print(table)
            if claims:
                table = Table(title="Conflicting claims")
                for column in ("entry", "claim", "stated by", "denied in"):
                    table.add_column(column, overflow="fold")
                for c in claims:
                    _row(table, c.entry.id, c.summary(), ", ".join(c.stating), ", ".join(c.denying))
                console.print(table)
        rows = ([{"kind": "figure", **g.as_dict()} for g in groups]
                + [{"kind": "claim", **c.as_dict()} for c in claims])
        emit(fmt, rows, draw, "No discrepancies: every figure agrees across sources and no claim is denied.")
    _guarded(body)


@click.command()
@db_option
@thread_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl",
              show_default=True, help="Output format (parquet needs pyarrow: pip install 'parley[parquet]').")
@click.option("--table", "table", type=click.Choice(["events", "timeline", "positions", "all"]),
              default="events", show_default=True, help="What to export; 'all' writes one file each into -o DIR.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="File (or folder for --table all); standard output when omitted (jsonl, csv).")
@click.option("--corrections", is_flag=True,
              help="Write the corrected and added events instead, in the gold format of "
                   "ANNOTATION.md (JSON lines), for training the extractor.")
def export(db: Path, thread: str | None, fmt: str, table: str, output: Path | None, corrections: bool) -> None:
    """Export events, timeline or positions for pandas, DuckDB or a spreadsheet.

    Parquet columns are typed: dates, UTC timestamps, float amounts, lists of
    strings (docs/EXPORTS.md).

    \b
    Examples:
      parley export --table timeline --format parquet -o timeline.parquet
      parley export --table all --format csv -o exports/
      parley export --corrections -o corrections.jsonl
    """
    def body() -> None:
        with _opened(db) as store:
            if corrections:
                count = write_corrections(store, output if output else sys.stdout)
                click.echo(f"{output or 'standard output'}: {count} corrected or added events", err=True)
                return
            if table == "all":
                if output is None:
                    raise UsageError("--table all writes one file per table: give a folder with -o")
                try:
                    output.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise OutputError.writing(output, exc) from exc
                for name in TABLES:
                    count = write(store, name, fmt, output / f"{name}.{fmt}", thread)
                    click.echo(f"{output / f'{name}.{fmt}'}: {count} rows", err=True)
                return
            count = write(store, table, fmt, output if output else sys.stdout, thread)
            if output:
                click.echo(f"{output}: {count} rows", err=True)
    _guarded(body)


@click.command()
@db_option
@thread_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default="report.html", show_default=True, help="The HTML file to write.")
def report(db: Path, thread: str | None, output: Path) -> None:
    """Write one self-contained HTML report (works offline): timeline, positions chart, people, discrepancies.

    \b
    Example:
      parley report --db talks.db --thread usa-kor -o usa-kor.html
    """
    def body() -> None:
        with _opened(db) as store:
            write_report(store, output, thread)
        click.echo(f"wrote {output}", err=True)
    _guarded(body)


@click.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Keep the store in this file (default: a temporary folder, removed afterwards).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default="parley-demo.html", show_default=True, help="The HTML report to write.")
@extraction_options
def demo(db: Path | None, output: Path, extractor: str, jobs: int, engine: str | None,
         address: str | None) -> None:
    """Ingest the demo dispatches that ship with parley, print the timeline and positions,
    and write an HTML report. Needs nothing beside the installed package.

    \b
    Example:
      parley demo --db demo.db && parley timeline --db demo.db --format jsonl
    """
    options = options_from_flags(extractor, jobs, engine, address)
    problems = ProblemPrinter()

    def run(path: Path) -> None:
        with _opened(path, create=True) as store:
            summary = ingest_demo(store, options, on_problem=problems)
            click.echo(f"demo corpus {demo_corpus()}: {summary.added} articles read, "
                       f"{store.event_count()} events, extractor {extractor}", err=True)
            _print_timeline(store, None)
            _print_positions(store, None, "USD", "year")
            write_report(store, output, None)
        click.echo(f"wrote {output}: the timeline, positions chart and evidence as one HTML page")

    def body() -> None:
        if db is not None:
            run(db)
            return
        with tempfile.TemporaryDirectory(prefix="parley-demo-") as folder:
            run(Path(folder) / "demo.db")
    _guarded(body)
    sys.exit(1 if problems.count else 0)


COMMANDS = [demo, ingest, search, timeline, threads, positions, discrepancies, export, report]
