"""Shared fixtures: the shared corpora beside the repository, the language model once."""
from __future__ import annotations

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
