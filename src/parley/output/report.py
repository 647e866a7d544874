"""The report: one self-contained HTML file, readable offline and sendable.

The timeline, a chart of positions and the gap over time (plotly, its
JavaScript inlined: no CDN), who is who, the discrepancies, and for every
entry its evidence quoted with source and date. All article text goes
through Jinja2's autoescaping; the chart data is JSON with `<` escaped, so
no article text can close a script element.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parley.corpus.timeline import TimelineEntry, timeline
from parley.corpus.discrepancies import Discrepancies, find_discrepancies
from parley.errors import ConfigurationError, OutputError
from parley.corpus.money import format_money
from parley.corpus.positions import GapPoint, Position, positions, standing_gap
from parley.corpus.store import PersonRecord, Store
from parley.corpus.threads import Thread, select, threads

# Identical quotes from many copies of one story are shown once, with at most
# this many of their sources named.
SOURCES_PER_QUOTE = 8


@dataclass(frozen=True)
class Quote:
    text: str
    sources: tuple[tuple[str, str | None, str | None], ...]  # (article, outlet, published day)
    more: int


def quotes(entry: TimelineEntry) -> list[Quote]:
    """The entry's evidence, each distinct quote once with the sources that give it."""
    by_text: dict[str, list[tuple[str, str | None, str | None]]] = defaultdict(list)
    for source in entry.sources:
        day = source.published_day.isoformat() if source.published_day else None
        for evidence in source.event.evidence:
            by_text[evidence.text].append((source.article, source.source, day))
    return [Quote(text, tuple(dict.fromkeys(srcs))[:SOURCES_PER_QUOTE],
                  max(0, len(dict.fromkeys(srcs)) - SOURCES_PER_QUOTE))
            for text, srcs in by_text.items()]


def _placement(position: Position) -> str:
    return {"initially": " (\"initially\": placed at the start of the talks)",
            "change": " (undated: placed after the figure it changes)",
            "first report": " (undated: placed by first report)"}.get(position.placed_by, "")


def chart_json(rows: list[Position], gap: list[GapPoint], parties: dict[str, str]) -> str:
    """The plotly figure (positions per party as steps, the gap as bars) as safe JSON."""
    import plotly.graph_objects as go

    figure = go.Figure()
    by_party: dict[tuple[str | None, str], list[Position]] = defaultdict(list)
    units = [r.unit for r in rows if r.kind in ("offer", "demand") and r.normalised is not None]
    # One y axis: the unit most positions are in (ties: the first in alphabetical order).
    unit = min(set(units), key=lambda u: (-units.count(u), u)) if units else "USD/year"
    for row in rows:
        if row.kind in ("offer", "demand") and row.normalised is not None and row.placed \
                and row.unit == unit:
            by_party[(row.thread, row.party)].append(row)
    last_day = max((p.placed for ps in by_party.values() for p in ps if p.placed), default=None)
    for (thread, party), points in by_party.items():
        # The standing position holds until the end of the chart: extend the last step.
        x = [p.placed.isoformat() for p in points if p.placed]
        y = [p.normalised for p in points]
        if last_day and points[-1].placed and points[-1].placed < last_day:
            x.append(last_day.isoformat())
            y.append(points[-1].normalised)
        figure.add_trace(go.Scatter(
            x=x, y=y, mode="lines+markers", line_shape="hv",
            name=f"{parties.get(party, party)} ({thread})",
            text=[f"{p.kind} {format_money(p.value, p.currency)}"
                  f"{' (reported)' if p.reported_only else ''}{' (rejected)' if p.rejected else ''}"
                  f"{' (denied)' if p.denied_in else ''}{_placement(p)}" for p in points],
            hovertemplate="%{x}<br>%{text}<br>%{y:$,.0f}<extra></extra>",
            marker={"symbol": ["circle" if p.dated else "circle-open" for p in points] + ["line-ew"],
                    "size": 10}))
    dated_gap = [g for g in gap if g.placed and g.unit == unit]
    if dated_gap:
        figure.add_trace(go.Scatter(x=[g.placed.isoformat() for g in dated_gap if g.placed],
                                    y=[g.gap for g in dated_gap], name="gap", mode="lines+markers",
                                    line={"dash": "dot", "shape": "hv"},
                                    hovertemplate="gap %{y:$,.0f}<extra></extra>"))
    figure.update_layout(title="Positions and the gap", yaxis_title=unit, xaxis_title="date",
                         template="plotly_white", height=460, legend={"orientation": "h"})
    # Escaping "<" keeps any text in the data from ending the script element.
    return figure.to_json().replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def plotly_js() -> str:
    try:
        from plotly.offline import get_plotlyjs
    except ImportError as exc:
        raise ConfigurationError("the report's chart needs plotly: pip install plotly") from exc
    return get_plotlyjs()


def build_context(store: Store, thread: str | None = None) -> dict[str, Any]:
    """Everything the report shows, as plain data (a notebook can use it too)."""
    everything = timeline(store)
    entries = select(everything, thread)
    rows = positions(entries)
    gap = standing_gap(rows)
    parties = store.parties()
    found: Discrepancies = find_discrepancies(store, everything)
    wanted = {e.thread for e in entries}
    people: list[PersonRecord] = store.people()
    return {
        "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "thread": thread,
        "threads": [t for t in threads(everything) if t.id in wanted],
        "entries": entries,
        "quotes": {e.id: quotes(e) for e in entries},
        "positions": rows,
        "gap": gap,
        "parties": parties,
        "people": people,
        "figures": [d for d in found.figures if d.thread in wanted or d.thread is None],
        "claims": [c for c in found.claims if c.entry.thread in wanted],
        "articles": store.article_count(),
        "events": store.event_count(),
        "chart": chart_json(rows, gap, parties),
        "format_money": format_money,
    }


def render(context: dict[str, Any]) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("parley.output", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    template = env.get_template("report.html.j2")
    return template.render(plotly_js=plotly_js(), **context)


def write_report(store: Store, path: Path, thread: str | None = None) -> Path:
    """Write the HTML report to `path` and return it."""
    html = render(build_context(store, thread))
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise OutputError.writing(path, exc) from exc
    return path


__all__ = ["Quote", "Thread", "build_context", "chart_json", "quotes", "render", "write_report"]
