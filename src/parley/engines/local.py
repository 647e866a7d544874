"""The `local` engine, and the unit of work every engine runs.

`local` extracts in this process, one batch after another: the reference
every other engine must match; it hands batches to the backend's
`extract_many`. `prepare_worker`, `extract_chunk` and `extract_one` are
what a worker process (or a Ray actor) runs: the backend
comes from the registry by name and target, never from a module the parent
happened to import.
"""
from __future__ import annotations

import pickle
from typing import Callable, Iterable, Iterator

from parley.errors import ParleyError
from parley.extract.registry import Extractor, load_target, target_of
from parley.records import Article, Event, Problem
from parley.results import ArticleResult, ExtractOptions

WorkerSetup = Callable[[], None]
"""Runs first in every worker (a picklable, module-level function), e.g. to point a
fake backend at a log file. Workers do not inherit the parent's state."""


def extract_one(article: Article, options: ExtractOptions) -> ArticleResult:
    """The per-article unit of work every engine runs (model loaded once per process).

    An extractor failing on one article costs that article only: its result carries the
    Problem. A ParleyError (no model, an unknown extractor) concerns every article: raised."""
    extractor = load_extractor(options.extractor)
    try:
        return ArticleResult(article=article, events=tuple(extractor.extract(article)))
    except ParleyError:
        raise
    except Exception as exc:  # noqa: BLE001 - one article's failure, reported as its Problem
        return failed(article, exc)


def failed(article: Article, exc: BaseException) -> ArticleResult:
    """The result of an article the extractor failed on: no events, a Problem saying why."""
    reason = f"not extracted: {type(exc).__name__}: {' '.join(str(exc).split())[:160]}"
    return ArticleResult(article=article, events=(),
                         problem=Problem(article.path or article.id, reason, article.line))


def extract_chunk(articles: list[Article], options: ExtractOptions) -> list[tuple[tuple[Event, ...], Problem | None]]:
    """The events (or the Problem) of each article of a worker's chunk, in order: only
    these travel back, the parent still holds the articles.

    Article by article, not through `extract_many`: chunks are small (4), and
    rules.v1's nlp.pipe over them measured 36 MB more per worker (248 against
    212 MB) for no gain in speed.
    """
    return [(result.events, result.problem) for result in (extract_one(a, options) for a in articles)]


_EXTRACTORS: dict[str, Extractor] = {}


def load_extractor(name: str, target: str | None = None) -> Extractor:
    """The extractor `name`, made once per process (it loads the language model).

    `target` is what the parent's registry resolved `name` to: workers are
    given it, so that a backend registered at run time reaches them too.
    """
    if name not in _EXTRACTORS:
        _EXTRACTORS[name] = load_target(name, target or target_of(name))
    return _EXTRACTORS[name]


def prepare_worker(extractor: str, target: str, setup: WorkerSetup | None) -> None:
    """What every worker (process or Ray actor) does before its first article."""
    if setup is not None:
        setup()
    load_extractor(extractor, target)


def portable(exc: ParleyError) -> ParleyError:
    """`exc`, or a ParleyError with its message when it does not survive pickling.

    Errors with a custom __init__ (InputError) do not survive the trip back
    to the parent; their one-line message is what the CLI shows anyway.
    """
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001
        return ParleyError(str(exc))


class LocalEngine:
    """In-process, one batch after another: the reference every engine must match."""

    name = "local"

    def run(self, articles: Iterable[Article], options: ExtractOptions) -> Iterator[ArticleResult]:
        yield from extract_batches(articles, options)


def extract_batches(articles: Iterable[Article], options: ExtractOptions,
                    batch_size: int = 32) -> Iterator[ArticleResult]:
    """Stream articles through the extractor in small batches (spaCy's nlp.pipe is
    faster on batches), in input order; memory is bounded by the batch size."""
    batch: list[Article] = []

    def flush() -> Iterator[ArticleResult]:
        # Loaded at the first batch: no articles, no model.
        extractor = load_extractor(options.extractor)
        done = 0
        try:
            for a, events in zip(batch, extractor.extract_many(batch)):
                result = ArticleResult(article=a, events=tuple(events))
                done += 1
                yield result
        except ParleyError:
            raise
        except Exception:  # noqa: BLE001 - one article failed the batch: the rest one by one
            pass
        for a in batch[done:]:
            yield extract_one(a, options)
        batch.clear()

    for article in articles:
        batch.append(article)
        if len(batch) >= batch_size:
            yield from flush()
    if batch:
        yield from flush()
