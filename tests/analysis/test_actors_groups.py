"""Parties named by common nouns (analysis/actors.py): which group a bare noun stands for."""
from __future__ import annotations

import os
import subprocess
import sys

_SCRIPT = """
from parley.analysis.actors import build_cast
from parley.analysis.language import load_model
from parley.records import Article
text = ("Brazil met commercial banks in New York on Monday. U.S. banks want a bigger fee. "
        "The banks rejected the proposal on Tuesday.")
doc = load_model()(text)
cast = build_cast(doc, Article(id="a", text=text))
subjects = [t for t in doc if t.dep_ in ("nsubj", "dobj") and t.lower_ == "banks"]
print([cast.parties_in(list(t.subtree), before=t.i) for t in subjects])
"""


def test_a_bare_group_noun_is_the_group_introduced_last_whatever_the_hash_seed() -> None:
    # Two groups of banks, then "the banks": the nearest, and the same in every process
    # (the learned model's training data must not change with the hash seed).
    outputs = set()
    for seed in ("0", "1", "2", "3"):
        done = subprocess.run([sys.executable, "-c", _SCRIPT], env={**os.environ, "PYTHONHASHSEED": seed},
                              capture_output=True, text=True, check=True, timeout=120)
        outputs.add(done.stdout.strip())
    assert outputs == {"[['commercial-bank'], ['us-bank'], ['us-bank']]"}
