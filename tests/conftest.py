"""Shared fixtures: the shared corpora beside the repository, the language model once.

`../shared` is found here only: a test that needs it asks for the `shared` fixture (or a
fixture built on it), so that a checkout without it skips those tests with the reason."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.skip(f"the shared corpora are not at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def nlp():
    from parley.analysis.language import load_model
    return load_model()


@pytest.fixture(scope="session")
def seed_db(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed corpus ingested once per session with the real extractor."""
    from parley.corpus.ingest import ingest
    from parley.corpus.store import Store

    path = tmp_path_factory.mktemp("parley-seed") / "seed.db"
    with Store(path) as store:
        ingest(store, [shared / "corpus" / "sma-2020"])
    return path


@pytest.fixture(scope="session")
def gold_db(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed articles with their hand-made gold events: checks the corpus logic
    independently of extraction quality (the real pipeline has its own tests)."""
    from parley.corpus.store import Store
    from parley.reading.readers import read_articles
    from parley.records import Article, Event
    from parley.results import ArticleResult

    gold = shared / "gold" / "sma-2020.jsonl"
    if not gold.is_file():
        pytest.skip(f"the seed corpus's gold events are not at {gold}")
    events = [Event.from_dict(json.loads(line)) for line in gold.read_text(encoding="utf-8").splitlines()
              if line.strip()]
    path = tmp_path_factory.mktemp("parley-gold") / "gold.db"
    with Store(path) as store:
        for item in read_articles([shared / "corpus" / "sma-2020"]):
            if isinstance(item, Article):
                store.add(ArticleResult(item, tuple(e for e in events if e.article == item.id)), "gold")
    return path


@pytest.fixture(scope="session")
def stories_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The invented takeover fight and port wage round (tests/corpus/invented_stories.py)
    ingested once per session with the real extractor."""
    from invented_stories import TAKEOVER, WAGE_ROUND, write_jsonl
    from parley.corpus.ingest import ingest
    from parley.corpus.store import Store

    folder = tmp_path_factory.mktemp("parley-stories")
    path = folder / "stories.db"
    with Store(path) as store:
        ingest(store, [write_jsonl(folder / "stories.jsonl", TAKEOVER + WAGE_ROUND)])
    return path
