"""The orchestrator. Stages, in order:

1. reading      (reading.py, formats/)  text, HTML, JSONL, CSV, Parquet, WARC, feeds -> Article | Problem
2. cleaning     (cleaning.py)  title, outlet, byline, publication date; clutter spans
3. language     (language.py)  spaCy's English pipeline, loaded once per process
4. amounts      (amounts.py)   money, percentages, factors, relative amounts, USD
5. dates        (dates.py)     temporal expressions -> day intervals
6. actors       (actors.py)    states, organisations, people, coreference
7. events       (events.py, lexicon.py, merging.py)  the rule-based extractor: typed
                                negotiation events, one per real-world event per article
8. engine       (engines.py)   where 3-7 run: in-process now, workers or a cluster later

Stages 1-2 run in `reading`; 3-7 run inside the extractor chosen by name;
the engine maps the extractor over articles. Later stages (store,
consolidation, reports) read the ArticleResults this yields.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Iterator

from parley.engines import get_engine
from parley.reading import read_articles
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
