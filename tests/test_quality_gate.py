"""The golden-set gate: each shipped extractor's scores on every shared corpus stay
above pinned floors (`quality/floors.json`, one block per extractor).

These corpora are also the learned extractor's training data, so its floors guard
against regressions only; its accuracy on unseen news is the cross-validation of
`make crossval` (docs/MODEL.md)."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from parley.extract.registry import BUILT_IN, DEFAULT
from parley.pipeline import extract
from parley.results import ExtractOptions

FLOORS = json.loads((Path(__file__).parent / "quality" / "floors.json").read_text())
EXTRACTORS = sorted(k for k in FLOORS if not k.startswith("_"))


def _scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("parley_score", shared / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _corpora(shared: Path):
    for gold in sorted((shared / "gold").glob("*.jsonl")):
        name = gold.stem
        corpus = shared / "corpus" / name
        if not corpus.exists():
            corpus = shared / "corpus" / f"{name}.jsonl"
        if corpus.exists():
            yield name, gold, corpus


def score_corpus(shared: Path, gold: Path, corpus: Path, extractor: str = DEFAULT) -> dict:
    score = _scorer(shared)
    predicted = [e for r in extract([corpus], ExtractOptions(extractor=extractor)) for e in r.as_dicts()]
    rows = score.score(score.load(gold), predicted, corpus)
    return {"core": score.metrics(rows, score.CORE), "all": score.metrics(rows)}


def test_every_shipped_extractor_and_the_default_have_floors():
    assert DEFAULT in EXTRACTORS
    assert set(EXTRACTORS) == {name for name in BUILT_IN if name != "fake.v1"}


@pytest.mark.slow
@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_every_shared_corpus_meets_its_floors(shared, extractor):
    seen = []
    for name, gold, corpus in _corpora(shared):
        floors = FLOORS[extractor].get(name)
        assert floors is not None, f"no pinned floors for {extractor} on {name}: add them to tests/quality/floors.json"
        metrics = score_corpus(shared, gold, corpus, extractor)
        for key, floor in floors.items():
            group, level = key.split(".")
            got = metrics[group][level]["f1"]
            assert got >= floor, f"{extractor} on {name}: {key} F1 {got:.3f} fell below its floor {floor}"
        seen.append(name)
    assert seen, "no shared corpus with gold was found"
