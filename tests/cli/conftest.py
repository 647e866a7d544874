"""Fixtures of the command-line tests."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import main
from test_store import FAKE, STORY, register_fake, write_jsonl


@pytest.fixture()
def ingested(tmp_path: Path) -> Path:
    """A store of the fake extractor's story, made by `parley ingest` itself."""
    register_fake()
    corpus = write_jsonl(tmp_path / "c.jsonl", STORY)
    db = tmp_path / "c.db"
    done = CliRunner().invoke(main, ["ingest", "--jobs", "1", "--db", str(db), "--extractor", FAKE, str(corpus)])
    assert done.exit_code == 0, done.output
    return db
