"""What one extraction run is asked to do, and what it gives back per article."""
from __future__ import annotations

from dataclasses import dataclass

from parley.extract.registry import DEFAULT
from parley.records import Article, Event, Problem


@dataclass(frozen=True)
class ExtractOptions:
    """Built from CLI flags by one function (cli.options_from_flags)."""

    extractor: str = DEFAULT
    engine: str = "local"
    jobs: int = 1
    max_article_bytes: int = 20_000_000
    address: str | None = None  # the Ray cluster for engine "ray": "auto", "ray://HOST:10001", None to start one


@dataclass(frozen=True)
class ArticleResult:
    article: Article
    events: tuple[Event, ...]
    # Set when the extractor failed on this article (a bug, an input it cannot take): the
    # article has no events and is not stored, so that the next run tries it again.
    problem: Problem | None = None

    def as_dicts(self) -> list[dict]:
        return [e.as_dict() for e in self.events]
