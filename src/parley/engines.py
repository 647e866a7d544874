"""Execution engines: where per-article extraction runs.

An engine maps articles to results. `local` runs in this process; other
engines (worker processes, a cluster) register under their own names and
must give the same results in the same order.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator, Protocol

from parley.errors import ParleyError, UsageError
from parley.records import Article, Problem
from parley.results import ArticleResult, ExtractOptions


class Engine(Protocol):
    name: str

    def run(self, articles: Iterable[Article], options: ExtractOptions) -> Iterator[ArticleResult]:
        ...


_ENGINES: dict[str, Callable[[], Engine]] = {}


def register(name: str) -> Callable[[Callable[[], Engine]], Callable[[], Engine]]:
    def deco(factory: Callable[[], Engine]) -> Callable[[], Engine]:
        _ENGINES[name] = factory
        return factory
    return deco


# Engines outside this module are imported when first asked for (Ray only then).
_ENGINE_MODULES = {"processes": "parley.workers", "ray": "parley.ray_engine"}


def get_engine(name: str) -> Engine:
    if name not in _ENGINES and name in _ENGINE_MODULES:
        import importlib
        importlib.import_module(_ENGINE_MODULES[name])
    try:
        return _ENGINES[name]()
    except KeyError as exc:
        raise UsageError(
            f"unknown engine {name!r}; available: {', '.join(sorted(_ENGINES))}") from exc


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


_EXTRACTORS: dict[str, object] = {}


def load_extractor(name: str):  # type: ignore[no-untyped-def]
    """The extractor `name`, made once per process (it loads the language model)."""
    if name not in _EXTRACTORS:
        from parley.extractors import get_extractor
        _EXTRACTORS[name] = get_extractor(name)
    return _EXTRACTORS[name]


@register("local")
class LocalEngine:
    """In-process, one article after another: the reference every engine must match."""

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
        many = getattr(extractor, "extract_many", None)
        done = 0
        if many is not None:
            try:
                for a, events in zip(batch, many(batch)):
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
