"""Event extractor backends behind one small protocol, chosen by name.

An extractor turns analysed articles into events. Backends are found by
name, the way datasette and sqlite-utils find plugins:

- built-ins are named here by module path (`BUILT_IN`), so that the
  registry never imports an implementation to learn its name;
- other packages declare theirs in the entry-point group `parley.extractors`
  (`llm.v1 = "parley_llm:LLMExtractor"` in their pyproject.toml);
- `register(name, "module:attribute")` adds one at run time (a notebook).

A target is "module:attribute" naming a class or a function that takes no
arguments and returns an Extractor. Every engine hands the target to its
workers, which import it themselves through `load_target`: a backend that
one process can load, every worker can load. See docs/EXTRACTORS.md.
"""
from __future__ import annotations

from importlib.metadata import entry_points
from pkgutil import resolve_name
from typing import Callable, Iterable, Iterator, Protocol

from parley.errors import ConfigurationError, UsageError
from parley.records import Article, Event

ENTRY_POINT_GROUP = "parley.extractors"

# The backends that ship with parley, by module path. A new built-in backend
# (e.g. "learned.v1": "parley.extract.learned:LearnedExtractor") is one line here.
BUILT_IN: dict[str, str] = {
    "rules.v1": "parley.extract.rules:RuleExtractor",
    "learned.v1": "parley.extract.learned.model:LearnedExtractor",
    "fake.v1": "parley.extract.fake:FakeExtractor",
}
DEFAULT = "learned.v1"


class Extractor(Protocol):
    name: str

    def extract(self, article: Article) -> list[Event]:
        """Every negotiation event in the article, one per real-world event."""
        ...

    def extract_many(self, articles: Iterable[Article]) -> Iterator[list[Event]]:
        """`extract` for each article, in order: a backend may batch (spaCy's nlp.pipe, one
        prompt for several articles); `ExtractorBase` gives the one-by-one default."""
        ...


class ExtractorBase:
    """A backend that only writes `extract` inherits the one-by-one `extract_many`."""

    name = "unnamed"

    def extract(self, article: Article) -> list[Event]:
        raise NotImplementedError

    def extract_many(self, articles: Iterable[Article]) -> Iterator[list[Event]]:
        for article in articles:
            yield self.extract(article)


_REGISTERED: dict[str, str] = {}


def register(name: str, target: str) -> None:
    """Add backend `name` at run time; `target` is "module:attribute" (importable by workers)."""
    if ":" not in target:
        raise ConfigurationError(f"extractor target {target!r} is not 'module:attribute'")
    _REGISTERED[name] = target


def unregister(name: str) -> None:
    _REGISTERED.pop(name, None)


def targets() -> dict[str, str]:
    """Every backend name and its "module:attribute" target: built-ins, entry points, run time."""
    found = dict(BUILT_IN)
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        # A built-in name cannot be taken over by an installed package.
        found.setdefault(entry.name, entry.value)
    found.update(_REGISTERED)
    return found


def available() -> list[str]:
    return sorted(targets())


def target_of(name: str) -> str:
    """The target registered under `name`, or a UsageError (a ConfigurationError) that lists the names."""
    found = targets()
    try:
        return found[name]
    except KeyError as exc:
        raise UsageError(f"unknown extractor {name!r}; available: {', '.join(sorted(found))}") from exc


def load_target(name: str, target: str) -> Extractor:
    """Import `target` and make the backend (this loads its model: once per process)."""
    try:
        factory: Callable[[], Extractor] = resolve_name(target)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ConfigurationError(
            f"extractor {name!r} comes from {target!r}, which cannot be imported here ({exc}); "
            "install it where extraction runs") from exc
    return factory()


def get_extractor(name: str = DEFAULT) -> Extractor:
    return load_target(name, target_of(name))
