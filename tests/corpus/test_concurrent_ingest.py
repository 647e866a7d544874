"""Two `parley ingest` at once on one store (a cron run overlapping the last): both finish,
and the store is what one run over all their inputs gives."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from parley.corpus.store import Store
from test_store import FAKE, SRC, write_jsonl

SCRIPT = """
import sys
sys.path.insert(0, {tests!r})
from test_store import register_fake
register_fake(delay={delay})
from parley.cli import main
main()
"""
PARTIES = ["Freedonia", "Sylvania", "Genovia"]


def records(numbers: range) -> list[dict]:
    return [{"id": f"r{i:03d}", "published": "2020-03-10",
             "text": f"{PARTIES[i % 3]} offered {PARTIES[(i + 1) % 3]} ${i + 1} million a year on 2020-03-0{i % 9 + 1}. "
                     f"Item {i} of the ledger, number {i * 7919 % 1000}, was filed in folder {i * 31 % 97}."}
            for i in numbers]


def command(tmp_path: Path, db: Path, *inputs: Path, delay: float = 0.002) -> list[str]:
    script = tmp_path / f"run{delay}.py"
    script.write_text(SCRIPT.format(tests=str(Path(__file__).parent), delay=delay), encoding="utf-8")
    return [sys.executable, str(script), "ingest", "--jobs", "1", "--keep-copies", "--db", str(db),
            "--extractor", FAKE, *map(str, inputs)]


def content(db: Path) -> tuple[list, list, int]:
    """What the store says, without row numbers, times or run bookkeeping."""
    with Store(db) as store:
        assert store.integrity_ok()
        articles = sorted(tuple(r) for r in store.db.execute(
            "SELECT id, content_hash, extractor, text, copy_of FROM articles"))
        events = sorted(json.dumps(e.event.as_dict(), sort_keys=True) for e in store.events())
        figures = store.db.execute("SELECT count(*) FROM figures").fetchone()[0]
    return articles, events, figures


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}


@pytest.mark.parametrize("existing", [False, True], ids=["new store", "existing store"])
def test_two_ingests_at_once_give_what_one_run_gives(tmp_path: Path, existing: bool) -> None:
    first = write_jsonl(tmp_path / "first.jsonl", records(range(0, 160)))
    # Both start on the same articles: each finds them missing, extracts them and stores them.
    second = write_jsonl(tmp_path / "second.jsonl", records(range(0, 240)))
    db = tmp_path / "both.db"
    if existing:
        seed = write_jsonl(tmp_path / "seed.jsonl", records(range(0, 20)))
        assert subprocess.run(command(tmp_path, db, seed, delay=0), env=env(), capture_output=True).returncode == 0
    runs = [subprocess.Popen(command(tmp_path, db, first), env=env(), stderr=subprocess.PIPE),
            subprocess.Popen(command(tmp_path, db, second), env=env(), stderr=subprocess.PIPE)]
    for run in runs:
        _, err = run.communicate(timeout=240)
        assert run.returncode == 0, err.decode()[-800:]
        assert b"Traceback" not in err
    reference = tmp_path / "one.db"
    inputs = [seed, first, second] if existing else [first, second]
    done = subprocess.run(command(tmp_path, reference, *inputs, delay=0), env=env(), capture_output=True)
    assert done.returncode == 0, done.stderr.decode()[-800:]
    assert content(db) == content(reference)
    assert len(content(db)[0]) == 240


def test_a_new_store_opened_twice_at_once_gets_one_schema(tmp_path: Path) -> None:
    db = tmp_path / "race.db"
    code = ("import sys; sys.path.insert(0, sys.argv[2]); from parley.corpus.store import Store\n"
            "with Store(sys.argv[1]) as s: print(s.version)")
    runs = [subprocess.Popen([sys.executable, "-c", code, str(db), str(SRC)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE) for _ in range(4)]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0] * 4, [err.decode()[-300:] for _, err in outputs]
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'articles'").fetchone()[0] == 1
