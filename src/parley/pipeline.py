"""The orchestrator. Stages, in order, each in its folder of src/parley/:

1. reading      (reading/readers.py, reading/formats/)  text, HTML, JSONL, CSV, Parquet, WARC,
                                feeds -> Article | Problem
2. cleaning     (reading/cleaning.py)  title, outlet, byline, publication date; clutter spans
3. language     (analysis/language.py)  spaCy's English pipeline, loaded once per process
4. amounts      (analysis/amounts.py, analysis/exchange.py)  money, percentages, factors,
                                relative amounts, USD at the ECB rate of the day
5. dates        (analysis/dates.py)  temporal expressions -> day intervals
6. actors       (analysis/actors.py, analysis/gazetteer.py)  states, organisations, people,
                                coreference
7. events       (extract/registry.py)  the Extractor protocol; a backend chosen by name:
                                `rules.v1` (extract/rules/), `learned.v1` (extract/learned/),
                                others by entry point; text
                                preparation (extract/text.py) and mention merging
                                (extract/merging.py) shared by backends
8. engine       (engines/)     where 3-7 run: local.py (in-process), processes.py (all
                                cores), ray.py (a cluster); parts.py keeps results on disk

Stages 1-2 run in `reading`; 3-7 run inside the extractor chosen by name;
the engine maps the extractor over articles. Later stages read the
ArticleResults this yields: corpus/ (ingest into the store, people,
timeline, threads, positions, discrepancies, wire copies) and output/
(exports, the HTML report); cli/ is the thin command-line edge.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Iterator

from parley.engines import get_engine
from parley.reading.readers import read_articles
from parley.records import Article, Problem
from parley.results import ArticleResult, ExtractOptions

ProblemHandler = Callable[[Problem], None]


def articles(paths: Iterable[str | Path], on_problem: ProblemHandler | None = None,
             options: ExtractOptions = ExtractOptions()) -> Iterator[Article]:
    """Stages 1-2: every readable article; problems go to `on_problem`."""
    for item in read_articles(paths, max_bytes=options.max_article_bytes):
        if isinstance(item, Problem):
            if on_problem is not None:
                on_problem(item)
            continue
        yield item


def extract(paths: Iterable[str | Path], options: ExtractOptions = ExtractOptions(),
            on_problem: ProblemHandler | None = None) -> Iterator[ArticleResult]:
    """All stages: paths in, one ArticleResult per readable article out, in input order; an
    article the extractor failed on goes to `on_problem` instead."""
    engine = get_engine(options.engine)
    for result in engine.run(articles(paths, on_problem, options), options):
        if result.problem is not None:
            if on_problem is not None:
                on_problem(result.problem)
            continue
        yield result


def extract_articles(items: Iterable[Article], options: ExtractOptions = ExtractOptions()) -> Iterator[ArticleResult]:
    """Stages 3-7 for articles already in memory (notebooks, tests)."""
    yield from get_engine(options.engine).run(items, options)
