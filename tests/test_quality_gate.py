"""The golden-set gate: parley's scores on every shared corpus stay above pinned floors."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from parley.pipeline import extract

FLOORS = json.loads((Path(__file__).parent / "quality" / "floors.json").read_text())


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


def score_corpus(shared: Path, gold: Path, corpus: Path) -> dict:
    score = _scorer(shared)
    predicted = [e for r in extract([corpus]) for e in r.as_dicts()]
    rows = score.score(score.load(gold), predicted, corpus)
    return {"core": score.metrics(rows, score.CORE), "all": score.metrics(rows)}


@pytest.mark.slow
def test_every_shared_corpus_meets_its_floors(shared):
    seen = []
    for name, gold, corpus in _corpora(shared):
        floors = FLOORS.get(name)
        assert floors is not None, f"no pinned floors for corpus {name}: add them to tests/quality/floors.json"
        metrics = score_corpus(shared, gold, corpus)
        for key, floor in floors.items():
            group, level = key.split(".")
            got = metrics[group][level]["f1"]
            assert got >= floor, f"{name} {key} F1 {got:.3f} fell below its floor {floor}"
        seen.append(name)
    assert seen, "no shared corpus with gold was found"
