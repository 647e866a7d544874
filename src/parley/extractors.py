"""Event extractor backends behind one small protocol, chosen by name.

An extractor turns one analysed article into events. The rule-based
extractor ships now; an LLM extractor can register later under its own
versioned name without the pipeline importing any vendor module.
"""
from __future__ import annotations

from typing import Callable, Protocol

from parley.errors import UsageError
from parley.records import Article, Event


class Extractor(Protocol):
    name: str

    def extract(self, article: Article) -> list[Event]:
        """Every negotiation event in the article, one per real-world event."""
        ...


_REGISTRY: dict[str, Callable[[], Extractor]] = {}


def register(name: str) -> Callable[[Callable[[], Extractor]], Callable[[], Extractor]]:
    def deco(factory: Callable[[], Extractor]) -> Callable[[], Extractor]:
        _REGISTRY[name] = factory
        return factory
    return deco


def get_extractor(name: str = "rules.v1") -> Extractor:
    if name not in _REGISTRY:
        # Importing the module registers its backends.
        import parley.events  # noqa: F401
    try:
        factory = _REGISTRY[name]
    except KeyError as exc:
        raise UsageError(
            f"unknown extractor {name!r}; available: {', '.join(sorted(_REGISTRY)) or 'none'}") from exc
    return factory()


def factory_module(name: str) -> str | None:
    """The module that registered extractor `name` in this process (workers import it too)."""
    factory = _REGISTRY.get(name)
    return getattr(factory, "__module__", None)


def available() -> list[str]:
    import parley.events  # noqa: F401
    return sorted(_REGISTRY)
