"""The demo corpus that ships with parley: seven short dispatches written for it (facts
and figures of the 2019-2020 US-South Korea cost-sharing talks, one dispatch undated,
and a port wage round between invented parties), so that a first run needs nothing
beside the package. `parley demo` ingests them and shows the result."""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Callable

from parley.corpus.ingest import ingest
from parley.corpus.store import IngestSummary, Store
from parley.records import Problem
from parley.results import ExtractOptions


def demo_corpus() -> Path:
    """The folder of demo dispatches inside the installed package."""
    return Path(str(files("parley") / "resources" / "demo"))


def ingest_demo(store: Store, options: ExtractOptions = ExtractOptions(),
                on_problem: Callable[[Problem], None] | None = None) -> IngestSummary:
    """Ingest the demo dispatches into STORE (re-ingesting is a no-op, as for any corpus)."""
    return ingest(store, [demo_corpus()], options, on_problem=on_problem)
