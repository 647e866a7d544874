"""Readable terminal tables of events (rich), for `parley show`."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from parley.corpus.money import format_money
from parley.output.safe_output import for_terminal
from parley.records import Amount, Event
from parley.results import ArticleResult

_PERIODS = {"year": "a year", "month": "a month", "week": "a week", "day": "a day", "share": "a share"}


def format_amount(amount: Amount | None) -> str:
    if amount is None:
        return ""
    parts = []
    if amount.value is not None:
        parts.append(format_money(amount.value, amount.currency))
    change = amount.change
    if change and change.percent is not None:
        parts.append(f"{'+' if amount.value is None else '('}{change.percent:g}%{'' if amount.value is None else ')'}")
    if change and change.factor is not None:
        parts.append(f"x{change.factor:g}")
    if amount.period in _PERIODS:
        parts.append(_PERIODS[amount.period])
    if amount.usd is not None and amount.currency != "USD":
        parts.append(f"= {format_money(amount.usd, 'USD')}")
    return " ".join(parts)


def format_date(event: Event) -> str:
    d = event.date
    if d is None or not d.resolved:
        return ""
    if d.start == d.end:
        return d.start.isoformat()  # type: ignore[union-attr]
    return f"{d.start.isoformat()}..{d.end.isoformat()}"  # type: ignore[union-attr]


def events_table(result: ArticleResult) -> Table:
    a = result.article
    # Titles, outlets and evidence are the input's: literal text (not rich markup), and no
    # escape sequences that would retitle or clear the user's terminal.
    title = Text(for_terminal(a.title or a.id))
    sub = " · ".join(x for x in (a.source, a.published.date().isoformat() if a.published else "undated", a.id) if x)
    title.append("\n" + for_terminal(sub), style="dim")
    table = Table(title=title, show_lines=False, expand=True)
    for col, style in (("date", "cyan"), ("type", "bold"), ("actor", "green"), ("target", "green"),
                       ("amount", "yellow"), ("status", ""), ("evidence", "dim")):
        table.add_column(col, style=style or None, overflow="fold", ratio=4 if col == "evidence" else None,
                         min_width=40 if col == "evidence" else None)
    for e in result.events:
        cells = (format_date(e), e.type + (f" #{e.round}" if e.round else ""), e.actor or "?",
                 e.target or "", format_amount(e.amount), e.status, e.evidence[0].text if e.evidence else "")
        table.add_row(*(Text(for_terminal(c)) for c in cells))
    return table


def print_article_events(result: ArticleResult, console: Console | None = None) -> None:
    if console is None:
        console = Console()
        if not console.is_terminal:
            # Piped output has no width to fit: wide enough that the evidence stays readable.
            console = Console(width=160)
    console.print(events_table(result))
