"""Execution engines: where per-article extraction runs, chosen by name.

An engine maps articles to results. `local` runs in this process (the
reference); `processes` runs on all cores; `auto` (no --jobs) is `local` for a
small input and `processes` for a large one; `ray` on a Ray cluster. Every
engine runs every extractor backend the registry knows, and gives the same
results in the same order as `local`. Engines are named here by module
path and imported only when asked for (Ray only then).
"""
from __future__ import annotations

from importlib import import_module
from typing import Iterable, Iterator, Protocol

from parley.errors import UsageError
from parley.records import Article
from parley.results import ArticleResult, ExtractOptions

BUILT_IN: dict[str, str] = {
    "local": "parley.engines.local:LocalEngine",
    "auto": "parley.engines.auto:AutoEngine",
    "processes": "parley.engines.processes:ProcessEngine",
    "ray": "parley.engines.ray:RayEngine",
}


class Engine(Protocol):
    name: str

    def run(self, articles: Iterable[Article], options: ExtractOptions) -> Iterator[ArticleResult]:
        ...


def get_engine(name: str) -> Engine:
    try:
        module, _, attribute = BUILT_IN[name].partition(":")
    except KeyError as exc:
        raise UsageError(
            f"unknown engine {name!r}; available: {', '.join(sorted(BUILT_IN))}") from exc
    return getattr(import_module(module), attribute)()
